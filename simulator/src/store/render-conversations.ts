/**
 * Conversations, conversation parts and tickets rendered as the API returns
 * them (2.16: assignee ids are integers, 0 when unassigned).
 */
import type { Catalog } from './catalog.js';
import { renderStats } from './conversation-parts.js';
import type { AuthorRef, ConversationRow, Json, PartRow, TicketPartRow, TicketRow } from './rows.js';

export interface PersonSummary {
  id: string;
  externalId: string | null;
  name: string | null;
  email: string;
}

export interface ConversationContext {
  appId: string;
  catalog: Catalog;
  /** Contact by seq (deleted and merged contacts still resolve: conversations keep pointing at them). */
  contactSummary(seq: number): PersonSummary | undefined;
  /** Contact by id. */
  contactSummaryById(id: string): PersonSummary | undefined;
}

export interface TextOptions {
  /** `display_as=plaintext`: bodies and subjects without markup, links as `label (url)`. */
  plaintext: boolean;
}

const ENTITIES: Record<string, string> = { '&amp;': '&', '&lt;': '<', '&gt;': '>', '&quot;': '"', '&#39;': "'" };

export function toPlaintext(html: string): string {
  return html
    .replace(/<a\s[^>]*href="([^"]*)"[^>]*>(.*?)<\/a>/gi, (_m, url: string, label: string) => `${label} (${url})`)
    .replace(/<br\s*\/?>/gi, '\n')
    .replace(/<\/(p|h\d|li)>\s*/gi, '\n')
    .replace(/<[^>]+>/g, '')
    .replace(/&(amp|lt|gt|quot|#39);/g, (entity) => ENTITIES[entity] ?? entity)
    .trim();
}

function text(value: string | null, options: TextOptions): string | null {
  return value !== null && options.plaintext ? toPlaintext(value) : value;
}

function authorJson(author: AuthorRef, ctx: ConversationContext, forPart: boolean): Json {
  let name: string | null = null;
  let email: string;
  if (author.type === 'admin') {
    const admin = ctx.catalog.admins.find((a) => a.id === author.id);
    name = admin?.name ?? null;
    email = admin?.email ?? `admin${author.id}@example.com`;
  } else if (author.type === 'bot') {
    name = 'Fin';
    email = `operator+${ctx.appId}@intercom.io`;
  } else {
    const person = ctx.contactSummaryById(author.id);
    name = person?.name ?? null;
    email = person?.email ?? `unknown+${author.id}@example.com`;
  }
  const out: Json = { type: author.type, id: author.id, name, email };
  if (forPart) {
    out['from_ai_agent'] = author.type === 'bot';
    out['is_ai_answer'] = false;
  }
  return out;
}

function tagBasic(catalog: Catalog, seq: number): Json {
  const tag = catalog.tags[seq];
  return { type: 'tag', id: tag?.id ?? String(seq), name: tag?.name ?? '' };
}

export function renderPart(part: PartRow, ctx: ConversationContext, options: TextOptions): Json {
  return {
    type: 'conversation_part',
    id: part.id,
    part_type: part.partType,
    body: text(part.body, options),
    created_at: part.createdAt,
    updated_at: part.createdAt,
    notified_at: part.createdAt,
    assigned_to: part.assignedTo ? { type: part.assignedTo.type, id: part.assignedTo.id } : null,
    author: authorJson(part.author, ctx, true),
    attachments: [],
    external_id: null,
    redacted: false,
    email_message_metadata: null,
    state: part.state,
    tags: part.tagSeqs.map((seq) => tagBasic(ctx.catalog, seq)),
    event_details: part.eventDetails,
    app_package_code: null,
  };
}

function teamName(catalog: Catalog, id: number): string | null {
  const team = catalog.teams.find((t) => Number(t['id']) === id);
  return team ? String(team['name']) : null;
}

/** A conversation as listed and searched: no conversation_parts. */
export function renderConversation(row: ConversationRow, ctx: ConversationContext, options: TextOptions = { plaintext: false }): Json {
  const contacts = row.contacts
    .map((seq) => ctx.contactSummary(seq))
    .filter((c): c is PersonSummary => c !== undefined)
    .map((c) => ({ type: 'contact', id: c.id, external_id: c.externalId }));
  const firstContact = contacts[0];
  const source = row.source;
  const contactStarted = source.author.type === 'user' || source.author.type === 'lead';
  return {
    type: 'conversation',
    id: row.id,
    title: row.title,
    created_at: row.createdAt,
    updated_at: row.updatedAt,
    waiting_since: row.waitingSince,
    snoozed_until: row.snoozedUntil,
    source: {
      type: source.type,
      id: source.id,
      delivered_as: source.deliveredAs,
      subject: text(source.subject, options) ?? '',
      body: text(source.body, options) ?? '',
      author: authorJson(source.author, ctx, false),
      attachments: [],
      url: source.url,
      redacted: false,
    },
    contacts: { type: 'contact.list', contacts },
    first_contact_reply:
      row.stats.firstContactReplyAt === null
        ? null
        : { created_at: row.stats.firstContactReplyAt, type: contactStarted ? 'conversation' : 'comment', url: source.url },
    admin_assignee_id: row.adminAssigneeId,
    team_assignee_id: row.teamAssigneeId,
    open: row.state !== 'closed',
    state: row.state,
    read: row.read,
    tags: {
      type: 'tag.list',
      tags: row.tags.map((t) => ({ ...tagBasic(ctx.catalog, t.tagSeq), applied_at: t.appliedAt, applied_by: { type: 'admin', id: t.adminId } })),
    },
    priority: row.priority,
    sla_applied: row.sla ? { type: 'conversation_sla_summary', sla_name: row.sla.name, sla_status: row.sla.status } : null,
    statistics: renderStats(row.stats, row.createdAt, teamName(ctx.catalog, row.teamAssigneeId), row.teamAssigneeId),
    conversation_rating: row.rating
      ? {
          rating: row.rating.rating,
          remark: row.rating.remark,
          created_at: row.rating.at,
          updated_at: row.rating.at,
          contact: firstContact ?? { type: 'contact', id: '', external_id: null },
          teammate: { type: 'admin', id: row.rating.adminId },
        }
      : null,
    teammates: row.teammateIds.length > 0 ? { type: 'admin.list', teammates: row.teammateIds.map((id) => ({ type: 'admin', id })) } : null,
    custom_attributes: { ...row.custom },
    linked_objects: {
      type: 'list',
      data: row.linkedTicketId ? [{ type: 'ticket', id: row.linkedTicketId, category: 'Customer' }] : [],
      total_count: row.linkedTicketId ? 1 : 0,
      has_more: false,
    },
    ai_agent_participated: row.aiAgent,
    ai_agent: row.aiAgent
      ? {
          source_type: 'workflow',
          source_title: 'Fin first response',
          last_answer_type: 'ai_answer',
          resolution_state: row.state === 'closed' ? 'assumed_resolution' : 'escalated',
          rating: null,
          rating_remark: null,
          created_at: row.createdAt,
          updated_at: row.createdAt + 60,
          content_sources: { type: 'content_source.list', total_count: 0, content_sources: [] },
        }
      : null,
    sales_agent_participated: false,
    sales_agent: null,
    channel: { initial: row.channel, current: row.channel },
    external_references: [],
  };
}

/**
 * A conversation as GET /conversations/{id} returns it: with at most `cap`
 * parts, the most recent ones, and `total_count` the number returned (while
 * statistics.count_conversation_parts keeps the true count).
 */
export function renderConversationWithParts(row: ConversationRow, ctx: ConversationContext, cap: number, options: TextOptions): Json {
  const parts = row.parts.length > cap ? row.parts.slice(row.parts.length - cap) : row.parts;
  return {
    ...renderConversation(row, ctx, options),
    conversation_parts: {
      type: 'conversation_part.list',
      conversation_parts: parts.map((p) => renderPart(p, ctx, options)),
      total_count: parts.length,
    },
  };
}

function renderTicketPart(part: TicketPartRow, ctx: ConversationContext): Json {
  const out: Json = {
    type: 'ticket_part',
    id: part.id,
    part_type: part.partType,
  };
  if (part.body !== null) out['body'] = part.body;
  if (part.previousState !== null) out['previous_ticket_state'] = part.previousState;
  if (part.state !== null) out['ticket_state'] = part.state;
  out['created_at'] = part.createdAt;
  out['updated_at'] = part.createdAt;
  out['author'] = authorJson(part.author, ctx, false);
  out['attachments'] = [];
  out['redacted'] = false;
  return out;
}

export function renderTicket(row: TicketRow, ctx: ConversationContext, cap: number): Json {
  const type = ctx.catalog.ticketTypes[row.typeIndex];
  const state = type?.states[row.stateIndex];
  const { ticket_states: _states, ...typeJson } = type?.json ?? {};
  const parts = row.parts.length > cap ? row.parts.slice(row.parts.length - cap) : row.parts;
  const out: Json = {
    type: 'ticket',
    id: row.id,
    ticket_id: row.ticketNumber,
    category: type?.category ?? 'Customer',
    ticket_attributes: { _default_title_: row.title, _default_description_: row.description, ...row.custom },
    ticket_state: state
      ? { type: 'ticket_state', id: state.id, category: state.category, internal_label: state.internalLabel, external_label: state.externalLabel }
      : null,
    ticket_type: typeJson,
    contacts: {
      type: 'contact.list',
      contacts: row.contacts
        .map((seq) => ctx.contactSummary(seq))
        .filter((c): c is PersonSummary => c !== undefined)
        .map((c) => ({ type: 'contact', id: c.id, external_id: c.externalId })),
    },
    admin_assignee_id: row.adminAssigneeId,
    team_assignee_id: row.teamAssigneeId,
    created_at: row.createdAt,
    updated_at: row.updatedAt,
    open: state?.category !== 'resolved',
    linked_objects: {
      type: 'list',
      data: row.linkedConversationId ? [{ type: 'conversation', id: row.linkedConversationId, category: null }] : [],
      total_count: row.linkedConversationId ? 1 : 0,
      has_more: false,
    },
    ticket_parts: { type: 'ticket_part.list', ticket_parts: parts.map((p) => renderTicketPart(p, ctx)), total_count: parts.length },
    is_shared: row.isShared,
    previous_ticket_state_id: row.previousStateId,
  };
  // The API leaves snoozed_until out unless the ticket is snoozed.
  if (row.snoozedUntil !== null) out['snoozed_until'] = row.snoozedUntil;
  return out;
}
