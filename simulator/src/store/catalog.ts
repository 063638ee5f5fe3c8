/**
 * The small, slow-changing part of the workspace: admins, teams, tags,
 * segments, subscription types, ticket types and the help center. These are
 * generated once and stored as the JSON the API returns.
 */
import type { GenerationOptions, WorkspaceSize } from '../options.js';
import { Rng } from '../rng.js';
import { appIdCode, NumericIds } from './ids.js';
import type { Json } from './rows.js';
import {
  ARTICLE_TOPICS,
  COLLECTION_NAMES,
  FIRST_NAMES,
  JOB_TITLES,
  LAST_NAMES,
  TAG_NAMES,
  TEAM_NAMES,
} from './vocab.js';

const DAY = 86400;

export interface AdminJson extends Json {
  type: 'admin';
  id: string;
  name: string;
  email: string;
  team_ids: number[];
}

export interface TagJson extends Json {
  type: 'tag';
  id: string;
  name: string;
}

export interface SegmentDef {
  id: string;
  name: string;
  createdAt: number;
  updatedAt: number;
  personType: 'user' | 'contact';
  /** Fraction of contacts of the matching role that belong to the segment (1 = all of them). */
  share: number;
}

export interface TicketStateDef {
  id: string;
  category: 'submitted' | 'in_progress' | 'waiting_on_customer' | 'resolved';
  internalLabel: string;
  externalLabel: string;
}

export interface TicketTypeDef {
  json: Json;
  id: string;
  name: string;
  category: 'Customer' | 'Back-office' | 'Tracker';
  states: TicketStateDef[];
  /** The type's own (non-default) ticket attribute, with its possible values. */
  extraAttribute: { name: string; values: string[] };
}

export interface Catalog {
  appId: string;
  appName: string;
  appCreatedAt: number;
  admins: AdminJson[];
  teams: Json[];
  tags: TagJson[];
  segments: SegmentDef[];
  subscriptionTypes: Json[];
  ticketTypes: TicketTypeDef[];
  helpCenters: Json[];
  collections: Json[];
  articles: Json[];
  /** A bot author for automated parts (Fin). */
  botId: string;
}

function slug(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/[^\w\s-]/g, '')
    .trim()
    .toLowerCase()
    .replace(/[\s_]+/g, '-');
}

function timeIn(rng: Rng, from: number, to: number): number {
  return Math.floor(from + rng.next() * Math.max(1, to - from));
}

export function generateCatalog(options: GenerationOptions): Catalog {
  const rng = new Rng(options.seed ^ 0xca7a106);
  const size: WorkspaceSize = options.size;
  const appId = appIdCode(options.seed);
  const historyStart = options.anchor - options.historyDays * DAY;
  const appCreatedAt = historyStart - 30 * DAY;

  const adminIds = new NumericIds(991267400 + rng.int(0, 50000), rng, 7);
  const admins: AdminJson[] = [];
  for (let i = 0; i < size.admins; i++) {
    const first = FIRST_NAMES[(i * 7 + options.seed) % FIRST_NAMES.length] ?? 'Alex';
    const last = LAST_NAMES[(i * 11 + options.seed) % LAST_NAMES.length] ?? 'Doe';
    const away = rng.chance(0.15);
    admins.push({
      type: 'admin',
      id: adminIds.next(),
      name: `${first} ${last}`,
      email: `${slug(first)}.${slug(last).replace(/-/g, '')}@${appId}.example.com`,
      job_title: rng.pick(JOB_TITLES),
      away_mode_enabled: away,
      away_mode_reassign: away && rng.chance(0.5),
      away_status_reason_id: away ? 12345 : null,
      has_inbox_seat: i === 0 || rng.chance(0.8),
      team_ids: [],
      team_priority_level: { primary_team_ids: [], secondary_team_ids: null },
      role: i === 0 ? { type: 'role', id: '1', name: 'Owner' } : rng.chance(0.5) ? { type: 'role', id: '2', name: 'Support Agent' } : null,
    });
  }

  const teamIds = new NumericIds(5017600 + rng.int(0, 1000), rng, 5);
  const teams: Json[] = [];
  for (let i = 0; i < size.teams; i++) {
    const id = teamIds.next();
    const members = rng.sample(admins.length, rng.int(1, Math.min(4, admins.length)));
    const memberIds = members.map((m) => Number(admins[m]?.id));
    for (const m of members) {
      const admin = admins[m];
      if (!admin) continue;
      admin.team_ids.push(Number(id));
      const level = admin['team_priority_level'] as { primary_team_ids: number[] };
      level.primary_team_ids.push(Number(id));
    }
    const loadBalanced = rng.chance(0.4);
    teams.push({
      type: 'team',
      id,
      name: TEAM_NAMES[i % TEAM_NAMES.length] + (i >= TEAM_NAMES.length ? ` ${Math.floor(i / TEAM_NAMES.length) + 1}` : ''),
      admin_ids: memberIds,
      admin_priority_level: { primary_admin_ids: memberIds.slice(0, 1), secondary_admin_ids: memberIds.slice(1) },
      assignment_limit: loadBalanced ? rng.int(5, 25) : null,
      distribution_method: loadBalanced ? 'load_balanced' : 'round_robin',
    });
  }

  const tagIds = new NumericIds(80 + rng.int(0, 500), rng, 9);
  const tags: TagJson[] = [];
  for (let i = 0; i < size.tags; i++) {
    const base = TAG_NAMES[i % TAG_NAMES.length] ?? 'Tag';
    tags.push({ type: 'tag', id: tagIds.next(), name: i >= TAG_NAMES.length ? `${base} ${Math.floor(i / TAG_NAMES.length) + 1}` : base });
  }

  const segmentIds = new NumericIds(410000 + rng.int(0, 9999), rng, 13);
  const segmentNames = ['All users', 'All leads', 'Active', 'New', 'Slipping away', 'Paying', 'Trialists', 'Power users', 'Dormant leads', 'Germany'];
  const segments: SegmentDef[] = [];
  for (let i = 0; i < size.segments; i++) {
    const createdAt = timeIn(rng, appCreatedAt, historyStart + 60 * DAY);
    const personType: 'user' | 'contact' = i === 1 || (i > 1 && rng.chance(0.3)) ? 'contact' : 'user';
    segments.push({
      id: segmentIds.next(),
      name: segmentNames[i % segmentNames.length] + (i >= segmentNames.length ? ` ${i}` : ''),
      createdAt,
      updatedAt: createdAt + rng.int(0, 90) * DAY,
      personType,
      share: i < 2 ? 1 : 0.1 + rng.next() * 0.5,
    });
  }

  const subscriptionTypes: Json[] = [
    ['Newsletters', 'Our monthly newsletter', 'opt_out', ['email']],
    ['Product updates', 'Announcements of new features', 'opt_out', ['email']],
    ['SMS offers', 'Occasional offers by text message', 'opt_in', ['sms_message']],
  ].map(([name, description, consent, contentTypes], i) => ({
    type: 'subscription',
    id: String(135 + i * 2),
    state: i === 2 ? 'draft' : 'live',
    consent_type: consent,
    default_translation: { name, description, locale: 'en' },
    translations: [
      { name, description, locale: 'en' },
      ...(i === 0 ? [{ name: 'Lettres d’information', description: 'Notre lettre mensuelle', locale: 'fr' }] : []),
    ],
    content_types: contentTypes,
  }));

  const ticketTypes = generateTicketTypes(rng, appId, appCreatedAt);
  const helpCenters = generateHelpCenters(rng, size.helpCenters, appId, appCreatedAt);
  const collections = generateCollections(rng, size.collections, appId, helpCenters, historyStart, options.anchor);
  const articles = generateArticles(rng, size.articles, appId, collections, admins, historyStart, options.anchor);

  return {
    appId,
    appName: `Simulated ${appId.toUpperCase()}`,
    appCreatedAt,
    admins,
    teams,
    tags,
    segments,
    subscriptionTypes,
    ticketTypes,
    helpCenters,
    collections,
    articles,
    botId: String(Number(admins[0]?.id ?? '0') + 999),
  };
}

const STATE_TEMPLATES: ReadonlyArray<Omit<TicketStateDef, 'id'>> = [
  { category: 'submitted', internalLabel: 'Submitted', externalLabel: 'Submitted' },
  { category: 'in_progress', internalLabel: 'In progress', externalLabel: 'In progress' },
  { category: 'waiting_on_customer', internalLabel: 'Waiting on customer', externalLabel: 'Waiting on you' },
  { category: 'resolved', internalLabel: 'Resolved', externalLabel: 'Resolved' },
];

function generateTicketTypes(rng: Rng, appId: string, appCreatedAt: number): TicketTypeDef[] {
  const specs = [
    { name: 'Bug Report', description: 'A bug reported by a customer', icon: '🐞', category: 'Customer' as const, extra: { name: 'Severity', values: ['Low', 'Medium', 'High', 'Critical'] } },
    { name: 'Internal Task', description: 'Work tracked by the team', icon: '🗂️', category: 'Back-office' as const, extra: { name: 'Department', values: ['Billing', 'Legal', 'Engineering'] } },
    { name: 'Outage', description: 'Incident affecting many customers', icon: '🚨', category: 'Tracker' as const, extra: { name: 'Status page', values: ['posted', 'not posted'] } },
  ];
  let stateId = 8300 + rng.int(0, 99);
  let attributeId = 160 + rng.int(0, 20);
  return specs.map((spec, i) => {
    const id = String(67 + i * 3);
    const createdAt = appCreatedAt + (i + 1) * 5 * DAY;
    const states: TicketStateDef[] = STATE_TEMPLATES.map((t) => ({ ...t, id: String(stateId++) }));
    const attribute = (name: string, description: string, order: number, isDefault: boolean, multiline: boolean): Json => ({
      type: 'ticket_type_attribute',
      id: String(attributeId++),
      workspace_id: appId,
      name,
      description,
      data_type: isDefault ? 'string' : 'list',
      input_options: isDefault ? { multiline } : { list_options: spec.extra.values.map((label) => ({ label })) },
      order,
      required_to_create: false,
      required_to_create_for_contacts: false,
      visible_on_create: true,
      visible_to_contacts: isDefault,
      default: isDefault,
      ticket_type_id: Number(id),
      archived: false,
      created_at: createdAt,
      updated_at: createdAt,
    });
    const json: Json = {
      type: 'ticket_type',
      id,
      name: spec.name,
      description: spec.description,
      icon: spec.icon,
      workspace_id: appId,
      archived: false,
      created_at: createdAt,
      updated_at: createdAt,
      is_internal: spec.category !== 'Customer',
      // The real API sends `{type: "list", data: [...]}` here (the schema names the array differently).
      ticket_type_attributes: {
        type: 'list',
        data: [
          attribute('_default_title_', '', 0, true, false),
          attribute('_default_description_', '', 1, true, true),
          attribute(spec.extra.name, `The ${spec.extra.name.toLowerCase()} of the ticket`, 2, false, false),
        ],
      },
      category: spec.category,
      ticket_states: {
        type: 'list',
        data: states.map((s) => ({ type: 'ticket_state', id: s.id, category: s.category, internal_label: s.internalLabel, external_label: s.externalLabel })),
      },
    };
    return { json, id, name: spec.name, category: spec.category, states, extraAttribute: spec.extra };
  });
}

function generateHelpCenters(rng: Rng, count: number, appId: string, appCreatedAt: number): Json[] {
  const out: Json[] = [];
  for (let i = 0; i < count; i++) {
    const identifier = i === 0 ? `${appId}-help` : `${appId}-partners-${i}`;
    const custom = i === 0;
    out.push({
      id: String(79 + i),
      workspace_id: appId,
      created_at: appCreatedAt + i * 40 * DAY,
      updated_at: appCreatedAt + i * 40 * DAY + rng.int(1, 300) * DAY,
      identifier,
      website_turned_on: i === 0 || rng.chance(0.5),
      display_name: i === 0 ? 'Help Center' : `Partner Help Center ${i}`,
      url: custom ? `https://help.${appId}.example.com` : `https://intercom.help/${identifier}/en`,
      custom_domain: custom ? `help.${appId}.example.com` : null,
      default: i === 0,
      locales: i === 0 ? ['en', 'fr'] : ['en'],
    });
  }
  return out;
}

function generateCollections(
  rng: Rng,
  count: number,
  appId: string,
  helpCenters: readonly Json[],
  historyStart: number,
  anchor: number,
): Json[] {
  const out: Json[] = [];
  const topLevel: Json[] = [];
  // Roughly the first 60% are collections, the rest sections (a collection with a parent).
  const collectionCount = count <= 1 ? count : Math.max(1, Math.ceil(count * 0.6));
  for (let i = 0; i < count; i++) {
    const isSection = i >= collectionCount;
    const parent = isSection ? topLevel[i % topLevel.length] : undefined;
    const helpCenter = helpCenters.length > 0 ? helpCenters[i % helpCenters.length] : undefined;
    const createdAt = timeIn(rng, historyStart, anchor - 30 * DAY);
    const name = COLLECTION_NAMES[i % COLLECTION_NAMES.length] ?? `Collection ${i}`;
    const json: Json = {
      id: String(159 + i),
      workspace_id: appId,
      name: isSection ? `${name} (section)` : name,
      url: `https://intercom.help/${appId}/en/${isSection ? 'section' : 'collection'}s/${159 + i}-${slug(name)}`,
      order: isSection ? i - collectionCount + 1 : i,
      created_at: createdAt,
      updated_at: createdAt + rng.int(0, 20) * DAY,
      description: isSection && rng.chance(0.5) ? null : `Everything about ${name.toLowerCase()}`,
      icon: isSection ? null : rng.pick(['book-bookmark', 'bookmark', 'chat-bubble', 'gear', 'wrench']),
      parent_id: parent ? (parent['id'] as string) : null,
      // The API leaves help_center_id empty on sections (see the collections example).
      help_center_id: isSection || !helpCenter ? null : Number(helpCenter['id']),
      default_locale: 'en',
    };
    if (!isSection) topLevel.push(json);
    out.push(json);
  }
  return out;
}

function generateArticles(
  rng: Rng,
  count: number,
  appId: string,
  collections: readonly Json[],
  admins: readonly AdminJson[],
  historyStart: number,
  anchor: number,
): Json[] {
  const out: Json[] = [];
  for (let i = 0; i < count; i++) {
    const topic = ARTICLE_TOPICS[i % ARTICLE_TOPICS.length] ?? 'Article';
    const title = i >= ARTICLE_TOPICS.length ? `${topic} (part ${Math.floor(i / ARTICLE_TOPICS.length) + 1})` : topic;
    const published = rng.chance(0.8);
    const createdAt = timeIn(rng, historyStart, anchor - 2 * DAY);
    const updatedAt = Math.min(anchor - 1, createdAt + Math.floor(rng.exponential(20 * DAY)));
    const author = rng.pick(admins);
    const editor = rng.pick(admins);
    const parent = collections.length > 0 && rng.chance(0.85) ? collections[rng.int(0, collections.length - 1)] : undefined;
    const id = String(39 + i * 3);
    const staged = published && rng.chance(0.15);
    out.push({
      type: 'article',
      id,
      workspace_id: appId,
      title,
      description: rng.chance(0.7) ? `Learn about ${title.toLowerCase()}` : '',
      body: `<h2>${title}</h2><p>This article explains ${title.toLowerCase()}. See <a href="https://example.com/docs">the docs</a>.</p>`,
      body_markdown: `## ${title}\n\nThis article explains ${title.toLowerCase()}. See [the docs](https://example.com/docs).\n`,
      author_id: Number(author.id),
      state: published ? 'published' : 'draft',
      created_at: createdAt,
      updated_at: updatedAt,
      has_unpublished_changes: staged,
      draft_updated_at: staged ? updatedAt : null,
      url: published ? `https://intercom.help/${appId}/en/articles/${id}-${slug(title)}` : null,
      parent_ids: parent ? [Number(parent['id'])] : [],
      ai_chatbot_availability: rng.chance(0.8),
      ai_copilot_availability: rng.chance(0.9),
      ai_sales_agent_availability: false,
      created_by_id: Number(author.id),
      updated_by_id: Number(editor.id),
      exclude_from_article_suggestions: rng.chance(0.05),
      help_center_audience: rng.chance(0.9) ? 'everyone' : 'all_users',
      scheduled_publish_at: null,
      scheduled_unpublish_at: null,
      default_locale: 'en',
      tags: { type: 'tag.list', tags: [] },
    });
  }
  return out;
}
