/**
 * WorkspaceStore: the simulated workspace's ground truth.
 *
 * Tests read it to know what a sync should have produced (`all`, `ids`, ...)
 * and write it to simulate activity during a sync (`updateContact`, ...).
 * Writes stamp updated_at with the clock (whole seconds) and bump `version`,
 * which invalidates cached search results.
 */
import { UnknownRecordError } from '../errors.js';
import type { GenerationOptions } from '../options.js';
import { Rng } from '../rng.js';
import { makeActivityLog } from './activity-logs.js';
import { renderConversationAttributes, renderDataAttributes } from './attributes.js';
import type { Catalog } from './catalog.js';
import { computeStats, htmlParagraph } from './conversation-parts.js';
import { generateWorkspace, type Landmarks } from './generate.js';
import { makeSource } from './generate-conversations.js';
import { pickTicketType, ticketParts } from './generate-tickets.js';
import { companyProfile } from './profile.js';
import {
  renderCompany,
  renderContact,
  renderSegment,
  contactSegmentIndexes,
  profileOf,
  type PeopleContext,
} from './render-people.js';
import {
  renderConversation,
  renderPart,
  renderTicket,
  type ConversationContext,
  type PersonSummary,
} from './render-conversations.js';
import {
  contactOverridesFromInit,
  conversationWithPart,
  mergeOverrides,
  numberField,
  updatedContact,
  withTag,
  type PartInit,
} from './row-updates.js';
import type { AuthorRef, CompanyRow, ContactRow, ConversationRow, Json, TicketRow } from './rows.js';
import type { Tables } from './tables.js';
import { CONVERSATION_SUBJECTS } from './vocab.js';

export type StoreKind =
  | 'admins'
  | 'teams'
  | 'tags'
  | 'segments'
  | 'subscription_types'
  | 'company_attributes'
  | 'contact_attributes'
  | 'conversation_attributes'
  | 'companies'
  | 'contacts'
  | 'conversations'
  | 'tickets'
  | 'activity_logs'
  | 'help_centers'
  | 'collections'
  | 'articles';

/** Catalog objects the store can delete. */
export type DeletableCatalogKind = 'admins' | 'teams' | 'tags' | 'segments';

export interface StoreSettings {
  /** Parts returned by GET /conversations/{id} and on tickets. */
  partsCap: number;
}

export type ContactLookup =
  | { status: 'live'; row: ContactRow }
  | { status: 'merged'; row: ContactRow; into: string }
  | { status: 'missing' };

const EMPTY_PATCH: Readonly<Json> = Object.freeze({});

/** A delete made through the store, as the webhook topic and minimal item Intercom sends for it. */
export interface DeleteNotice {
  topic: 'contact.deleted' | 'company.deleted' | 'conversation.deleted';
  item: { type: 'contact' | 'company' | 'conversation'; id: string };
}

export class WorkspaceStore {
  readonly timezone: string;
  readonly anchor: number;
  readonly historyDays: number;
  readonly appId: string;
  readonly catalog: Catalog;
  /** Where the generator put the hard cases (bulk import day, bulk close second, ...). */
  readonly landmarks: Landmarks;
  /** Bumped on every write. */
  version = 0;
  /** Clock time (fractional seconds) of the latest write; 0 before any. */
  lastWriteAt = 0;

  readonly tables: Tables;
  /** Ids of catalog objects (admins, teams, tags, segments) deleted through the store; the API no longer lists them. */
  private readonly deletedCatalog = new Map<DeletableCatalogKind, Set<string>>();
  readonly people: PeopleContext;
  readonly conversationContext: ConversationContext;
  private readonly companyDomains: string[];
  private readonly rng: Rng;
  private readonly deleteListeners: Array<(notice: DeleteNotice) => void> = [];

  constructor(
    options: GenerationOptions,
    private readonly clock: () => number,
    private readonly settings: StoreSettings = { partsCap: 500 },
  ) {
    const workspace = generateWorkspace(options);
    this.timezone = options.timezone;
    this.anchor = options.anchor;
    this.historyDays = options.historyDays;
    this.catalog = workspace.catalog;
    this.appId = workspace.catalog.appId;
    this.landmarks = workspace.landmarks;
    this.tables = workspace.tables;
    this.rng = new Rng(options.seed ^ 0x3a7e);
    const tagCount = this.catalog.tags.length;
    this.companyDomains = [];
    for (let seq = 0; seq < this.tables.companies.size; seq++) {
      const row = this.tables.companies.at(seq);
      this.companyDomains.push(row ? companyProfile(row.h, row.seq, row.createdAt, tagCount).domain : '');
    }
    this.people = {
      appId: this.appId,
      anchor: this.anchor,
      catalog: this.catalog,
      company: (seq) => this.tables.companies.at(seq),
      companyDomain: (seq) => this.companyDomains[seq] ?? 'example.com',
      companyUserCount: (seq) => this.companyMemberSeqs(seq).length,
    };
    this.conversationContext = {
      appId: this.appId,
      catalog: this.catalog,
      contactSummary: (seq) => this.personSummary(this.tables.contacts.at(seq)),
      contactSummaryById: (id) => this.personSummary(this.tables.contacts.at(this.tables.ids.contacts.seqOf(id))),
    };
  }

  /** Calls `listener` after each delete of a contact, company or conversation (the webhook sender listens). */
  onDelete(listener: (notice: DeleteNotice) => void): void {
    this.deleteListeners.push(listener);
  }

  private deleted(notice: DeleteNotice): void {
    for (const listener of this.deleteListeners) listener(notice);
  }

  /** The clock in whole seconds, as the API stamps times. */
  nowSeconds(): number {
    return Math.floor(this.clock());
  }

  get partsCap(): number {
    return this.settings.partsCap;
  }

  // ---------------------------------------------------------------------------
  // Reads

  /** Current objects of a kind, rendered exactly as the API returns them (copies: changing them changes nothing). */
  all(kind: StoreKind): Json[] {
    const adminIds = this.catalog.admins.map((a) => a.id);
    switch (kind) {
      case 'admins':
        return structuredClone(this.catalog.admins.filter((a) => !this.isDeleted('admins', a.id)));
      case 'teams':
        return structuredClone(this.catalog.teams.filter((x) => !this.isDeleted('teams', String(x['id']))));
      case 'tags':
        return structuredClone(this.catalog.tags.filter((x) => !this.isDeleted('tags', x.id)));
      case 'segments':
        return this.catalog.segments.filter((x) => !this.isDeleted('segments', x.id)).map((x) => renderSegment(x, null));
      case 'subscription_types':
        return structuredClone(this.catalog.subscriptionTypes);
      case 'company_attributes':
        return renderDataAttributes({ model: 'company', includeArchived: false, anchor: this.anchor, adminIds });
      case 'contact_attributes':
        return renderDataAttributes({ model: 'contact', includeArchived: false, anchor: this.anchor, adminIds });
      case 'conversation_attributes':
        return renderConversationAttributes(false, this.anchor, adminIds);
      case 'companies':
        return this.tables.companies.liveRows().map((r) => renderCompany(r, this.people));
      case 'contacts':
        return this.tables.contacts.liveRows().map((r) => renderContact(r, this.people));
      case 'conversations':
        return this.tables.conversations.liveRows().map((r) => renderConversation(r, this.conversationContext));
      case 'tickets':
        return this.tables.tickets.liveRows().map((r) => renderTicket(r, this.conversationContext, this.partsCap));
      case 'activity_logs':
        return structuredClone(this.tables.activityLogs);
      case 'help_centers':
        return structuredClone(this.catalog.helpCenters);
      case 'collections':
        return structuredClone(this.catalog.collections);
      case 'articles':
        return structuredClone(this.catalog.articles);
    }
  }

  /** Ids of the current objects of a kind (same order as `all`). */
  ids(kind: StoreKind): string[] {
    switch (kind) {
      case 'companies':
        return this.tables.companies.liveRows().map((r) => r.id);
      case 'contacts':
        return this.tables.contacts.liveRows().map((r) => r.id);
      case 'conversations':
        return this.tables.conversations.liveRows().map((r) => r.id);
      case 'tickets':
        return this.tables.tickets.liveRows().map((r) => r.id);
      default:
        return this.all(kind).map((o) => String(o['id'] ?? o['name']));
    }
  }

  /** Every part of a conversation, uncapped, oldest first. */
  conversationParts(conversationId: string): Json[] {
    const row = this.liveConversation(conversationId);
    return row.parts.map((p) => renderPart(p, this.conversationContext, { plaintext: false }));
  }

  /** The full (untruncated) tag ids of a contact, in the order they were applied. */
  contactTagIds(contactId: string): string[] {
    const row = this.liveContact(contactId);
    const out: string[] = [];
    for (let i = 0; i < row.tags.length; i += 2) out.push(this.catalog.tags[row.tags[i] ?? -1]?.id ?? '');
    return out;
  }

  /** The full (untruncated) company ids of a contact. */
  contactCompanyIds(contactId: string): string[] {
    const row = this.liveContact(contactId);
    return row.companies.map((seq) => this.tables.companies.at(seq)?.id ?? '');
  }

  /** Conversations deleted so far (seeded ones and those deleted through the store), oldest deletion first. */
  deletedConversations(): Array<{ id: string; deleted_at: number }> {
    return [...this.tables.deletedConversations]
      .sort((a, b) => a.deletedAt - b.deletedAt || a.id.localeCompare(b.id))
      .map((d) => ({ id: d.id, deleted_at: d.deletedAt }));
  }

  lookupContact(id: string): ContactLookup {
    const row = this.tables.contacts.at(this.tables.ids.contacts.seqOf(id));
    if (!row || row.id !== id || row.status === 'deleted') return { status: 'missing' };
    if (row.status === 'merged') return { status: 'merged', row, into: row.mergedInto ?? '' };
    return { status: 'live', row };
  }

  company(id: string): CompanyRow | undefined {
    const row = this.tables.companies.at(this.tables.ids.companies.seqOf(id));
    return row && row.id === id && row.status === 'live' ? row : undefined;
  }

  conversation(id: string): ConversationRow | undefined {
    const seq = this.tables.conversationSeqById.get(id);
    const row = seq === undefined ? undefined : this.tables.conversations.at(seq);
    return row && !row.deleted ? row : undefined;
  }

  ticket(id: string): TicketRow | undefined {
    const seq = this.tables.ticketSeqById.get(id);
    return seq === undefined ? undefined : this.tables.tickets.at(seq);
  }

  /** Live contacts attached to a company, in attachment order. */
  companyMemberSeqs(companySeq: number): number[] {
    const members = this.tables.companyMembers[companySeq] ?? [];
    return members.filter((seq) => {
      const row = this.tables.contacts.at(seq);
      return row !== undefined && row.status === 'live' && row.companies.includes(companySeq);
    });
  }

  /** How many live contacts each segment has. */
  segmentCounts(): number[] {
    const counts = this.catalog.segments.map(() => 0);
    for (const row of this.tables.contacts.liveRows()) {
      for (const i of contactSegmentIndexes(row, this.catalog)) counts[i] = (counts[i] ?? 0) + 1;
    }
    return counts;
  }

  private personSummary(row: ContactRow | undefined): PersonSummary | undefined {
    if (!row) return undefined;
    const profile = profileOf(row, this.people);
    const overrides = row.overrides ?? EMPTY_PATCH;
    const name = 'name' in overrides ? (overrides['name'] as string | null) : profile.name;
    const email = typeof overrides['email'] === 'string' ? overrides['email'] : profile.email;
    const externalId = 'external_id' in overrides ? (overrides['external_id'] as string | null) : profile.externalId;
    return { id: row.id, externalId, name, email };
  }

  private liveContact(id: string): ContactRow {
    const found = this.lookupContact(id);
    if (found.status !== 'live') throw new UnknownRecordError('contact', id);
    return found.row;
  }

  private liveCompany(id: string): CompanyRow {
    const row = this.company(id);
    if (!row) throw new UnknownRecordError('company', id);
    return row;
  }

  private liveConversation(id: string): ConversationRow {
    const row = this.conversation(id);
    if (!row) throw new UnknownRecordError('conversation', id);
    return row;
  }

  // ---------------------------------------------------------------------------
  // Writes

  /** Marks a write: search caches and the search lag key on these. */
  private written(): number {
    const now = this.clock();
    this.version++;
    this.lastWriteAt = now;
    return now;
  }

  /** Updates an article or a help-center collection: updated_at becomes now, which moves it to the front of its list. */
  touchHelpCenterItem(kind: 'articles' | 'collections', id: string): void {
    const item = this.helpCenterItem(kind, id);
    item['updated_at'] = Math.floor(this.written());
  }

  /** Creates an article or collection like `likeId`, with a fresh id and updated now; returns the id. */
  createHelpCenterItem(kind: 'articles' | 'collections', likeId: string): string {
    const t = Math.floor(this.written());
    const items = this.catalog[kind];
    const id = String(Math.max(...items.map((i) => Number(i['id']))) + 1);
    items.push({ ...structuredClone(this.helpCenterItem(kind, likeId)), id, created_at: t, updated_at: t });
    return id;
  }

  deleteHelpCenterItem(kind: 'articles' | 'collections', id: string): void {
    this.helpCenterItem(kind, id);
    this.written();
    this.catalog[kind].splice(
      this.catalog[kind].findIndex((i) => i['id'] === id),
      1,
    );
  }

  private helpCenterItem(kind: 'articles' | 'collections', id: string): Json {
    const item = this.catalog[kind].find((i) => i['id'] === id);
    if (!item) throw new UnknownRecordError(kind === 'articles' ? 'article' : 'collection', id);
    return item;
  }

  /**
   * Updates a contact. The patch uses API field names (`name`, `email`,
   * `custom_attributes: {...}`, `role`, ...); `updated_at` defaults to now.
   */
  updateContact(id: string, patch?: Json): void {
    const row = this.liveContact(id);
    const writtenAt = this.written();
    this.tables.contacts.replace(updatedContact(row, patch, Math.floor(writtenAt), writtenAt));
  }

  /** Creates a contact (a user unless `init.role` says otherwise) and returns its id. */
  createContact(init?: Json): string {
    const writtenAt = this.written();
    const t = Math.floor(writtenAt);
    const seq = this.tables.contacts.size;
    const createdAt = numberField(init, 'created_at') ?? t;
    const role = init?.['role'] === 'lead' ? 'lead' : 'user';
    const row: ContactRow = {
      seq,
      id: this.tables.ids.contacts.make(createdAt, seq),
      h: this.rng.nextUint32() & 0x3fffffff,
      role,
      createdAt,
      updatedAt: numberField(init, 'updated_at') ?? createdAt,
      tags: [],
      companies: [],
      writtenAt,
      status: 'live',
      mergedInto: null,
      overrides: contactOverridesFromInit(init),
    };
    this.tables.contacts.append(row);
    return row.id;
  }

  /** Deletes a contact: it leaves lists and search, GET answers 404. */
  deleteContact(id: string): void {
    const row = this.liveContact(id);
    const writtenAt = this.written();
    this.tables.contacts.replace({ ...row, status: 'deleted', writtenAt });
    this.deleted({ topic: 'contact.deleted', item: { type: 'contact', id } });
  }

  /**
   * Merges `fromId` into `intoId`: the source leaves lists and search (GET answers
   * 410 with a canonical Link); the target gains its tags and companies and is updated.
   */
  mergeContact(fromId: string, intoId: string): void {
    const from = this.liveContact(fromId);
    const into = this.liveContact(intoId);
    if (from.seq === into.seq) throw new UnknownRecordError('contact (distinct merge target)', intoId);
    const writtenAt = this.written();
    const t = Math.floor(writtenAt);
    let tags = into.tags;
    for (let i = 0; i < from.tags.length; i += 2) tags = withTag(tags, from.tags[i] ?? 0, t);
    const companies = [...into.companies, ...from.companies.filter((c) => !into.companies.includes(c))];
    for (const c of companies) if (!into.companies.includes(c)) this.tables.companyMembers[c]?.push(into.seq);
    this.tables.contacts.replace({ ...from, status: 'merged', mergedInto: into.id, writtenAt });
    this.tables.contacts.replace({ ...into, tags, companies, updatedAt: t, writtenAt });
  }

  /** Applies a tag to a contact (by tag id); tagging updates the contact. */
  tagContact(contactId: string, tagId: string): void {
    const row = this.liveContact(contactId);
    const tagSeq = this.catalog.tags.findIndex((t) => t.id === tagId);
    if (tagSeq < 0) throw new UnknownRecordError('tag', tagId);
    const writtenAt = this.written();
    const t = Math.floor(writtenAt);
    this.tables.contacts.replace({ ...row, tags: withTag(row.tags, tagSeq, t), updatedAt: t, writtenAt });
  }

  /** Attaches a contact to a company; the contact is updated. */
  attachContactToCompany(contactId: string, companyId: string): void {
    const row = this.liveContact(contactId);
    const company = this.liveCompany(companyId);
    if (row.companies.includes(company.seq)) return;
    const writtenAt = this.written();
    this.tables.companyMembers[company.seq]?.push(row.seq);
    this.tables.contacts.replace({ ...row, companies: [...row.companies, company.seq], updatedAt: Math.floor(writtenAt), writtenAt });
  }

  updateCompany(id: string, patch?: Json): void {
    const row = this.liveCompany(id);
    const writtenAt = this.written();
    const t = Math.floor(writtenAt);
    this.tables.companies.replace({
      ...row,
      updatedAt: numberField(patch, 'updated_at') ?? t,
      lastRequestAt: numberField(patch, 'last_request_at') ?? row.lastRequestAt,
      writtenAt,
      overrides: patch ? mergeOverrides(row.overrides, patch, new Set(['updated_at', 'last_request_at', 'id', 'type'])) : row.overrides,
    });
  }

  /** Deletes a company: it leaves lists, scroll and contacts' company lists; GET answers 404. */
  deleteCompany(id: string): void {
    const row = this.liveCompany(id);
    const writtenAt = this.written();
    this.tables.companies.replace({ ...row, status: 'deleted', writtenAt });
    this.deleted({ topic: 'company.deleted', item: { type: 'company', id } });
  }

  createCompany(init?: Json): string {
    const writtenAt = this.written();
    const t = Math.floor(writtenAt);
    const seq = this.tables.companies.size;
    const createdAt = numberField(init, 'created_at') ?? t;
    const row: CompanyRow = {
      seq,
      id: this.tables.ids.companies.make(createdAt, seq),
      h: this.rng.nextUint32() & 0x3fffffff,
      createdAt,
      updatedAt: createdAt,
      lastRequestAt: createdAt,
      writtenAt,
      status: 'live',
      overrides: init ? mergeOverrides(null, init, new Set(['created_at', 'id', 'type'])) : null,
    };
    this.tables.companies.append(row);
    this.tables.companyMembers.push([]);
    this.companyDomains.push(companyProfile(row.h, row.seq, row.createdAt, this.catalog.tags.length).domain);
    return row.id;
  }

  /** Adds a part (default: a comment from the conversation's contact) and returns its id. */
  addConversationPart(conversationId: string, part?: PartInit): string {
    const row = this.liveConversation(conversationId);
    const writtenAt = this.written();
    const id = this.tables.ids.parts.next();
    const next = conversationWithPart(row, part, id, Math.floor(writtenAt), writtenAt, this.rng, this.defaultAuthor(row));
    this.tables.conversations.replace(next);
    return id;
  }

  private defaultAuthor(row: ConversationRow): AuthorRef {
    const contact = this.tables.contacts.at(row.contacts[0] ?? -1);
    return contact ? { type: contact.role, id: contact.id } : { type: 'admin', id: this.catalog.admins[0]?.id ?? '0' };
  }

  /** Creates a conversation started by a contact (`init.contact_id`, else a random live contact). */
  createConversation(init?: { contact_id?: string; created_at?: number; body?: string }): string {
    const writtenAt = this.written();
    const t = Math.floor(writtenAt);
    const live = this.tables.contacts.liveSeqs();
    const contact =
      init?.contact_id !== undefined ? this.liveContact(init.contact_id) : this.tables.contacts.at(live[this.rng.int(0, Math.max(0, live.length - 1))] ?? -1);
    const author: AuthorRef = contact ? { type: contact.role, id: contact.id } : { type: 'lead', id: '' };
    const createdAt = init?.created_at ?? t;
    const source = makeSource(this.rng, this.tables.ids.sources.next(), true, author, this.catalog.admins.map((a) => a.id));
    const seq = this.tables.conversations.size;
    const row: ConversationRow = {
      seq,
      id: this.tables.ids.conversations.next(),
      h: this.rng.nextUint32() & 0x3fffffff,
      createdAt,
      updatedAt: createdAt,
      writtenAt,
      deleted: false,
      title: null,
      state: 'open',
      read: false,
      priority: 'none',
      adminAssigneeId: 0,
      teamAssigneeId: 0,
      waitingSince: createdAt,
      snoozedUntil: null,
      contacts: contact ? [contact.seq] : [],
      tags: [],
      source: init?.body !== undefined ? { ...source, body: htmlParagraph(init.body) } : source,
      parts: [],
      stats: computeStats([], createdAt, true),
      rating: null,
      custom: {},
      linkedTicketId: null,
      aiAgent: false,
      sla: null,
      channel: source.type === 'email' ? 'email' : 'messenger',
      teammateIds: [],
    };
    this.tables.conversations.append(row);
    this.tables.conversationSeqById.set(row.id, seq);
    return row.id;
  }

  /** Whether a catalog object was deleted through the store. */
  isDeleted(kind: DeletableCatalogKind, id: string): boolean {
    return this.deletedCatalog.get(kind)?.has(id) ?? false;
  }

  /**
   * Deletes an admin, team, tag or segment: the lists no longer return it.
   * A deleted admin leaves its teams and a deleted team its admins, as in
   * Intercom; records tagged with a deleted tag keep it (untag them first).
   */
  deleteCatalogObject(kind: DeletableCatalogKind, id: string): void {
    const exists = this.all(kind).some((o) => String(o['id']) === id);
    if (!exists) throw new UnknownRecordError(kind.replace(/s$/, ''), id);
    this.written();
    const set = this.deletedCatalog.get(kind) ?? new Set<string>();
    set.add(id);
    this.deletedCatalog.set(kind, set);
    if (kind === 'admins') {
      for (const team of this.catalog.teams) {
        const ids = team['admin_ids'];
        if (Array.isArray(ids)) team['admin_ids'] = ids.filter((x) => String(x) !== id);
      }
    }
    if (kind === 'teams') {
      for (const admin of this.catalog.admins) admin.team_ids = admin.team_ids.filter((x) => String(x) !== id);
    }
  }

  /** Removes an admin from a team (the team's other admins stay). */
  removeAdminFromTeam(teamId: string, adminId: string): void {
    const team = this.catalog.teams.find((x) => String(x['id']) === teamId && !this.isDeleted('teams', teamId));
    if (!team) throw new UnknownRecordError('team', teamId);
    this.written();
    const ids = team['admin_ids'];
    if (Array.isArray(ids)) team['admin_ids'] = ids.filter((x) => String(x) !== adminId);
  }

  /** Tags a conversation (updated_at moves to now). */
  tagConversation(conversationId: string, tagId: string): void {
    const row = this.liveConversation(conversationId);
    const tagSeq = this.catalog.tags.findIndex((x) => x.id === tagId);
    if (tagSeq < 0) throw new UnknownRecordError('tag', tagId);
    if (row.tags.some((x) => x.tagSeq === tagSeq)) return;
    const writtenAt = this.written();
    const t = Math.floor(writtenAt);
    const tags = [...row.tags, { tagSeq, appliedAt: t, adminId: this.catalog.admins[0]?.id ?? '0' }];
    this.tables.conversations.replace({ ...row, tags, updatedAt: t, writtenAt });
  }

  /** Removes a tag from a conversation (updated_at moves to now). */
  untagConversation(conversationId: string, tagId: string): void {
    const row = this.liveConversation(conversationId);
    const writtenAt = this.written();
    const tags = row.tags.filter((x) => this.catalog.tags[x.tagSeq]?.id !== tagId);
    this.tables.conversations.replace({ ...row, tags, updatedAt: Math.floor(writtenAt), writtenAt });
  }

  /** Tag ids of a conversation. */
  conversationTagIds(conversationId: string): string[] {
    return this.liveConversation(conversationId).tags.map((x) => this.catalog.tags[x.tagSeq]?.id ?? '');
  }

  /** Deletes a conversation: GET answers 404 and GET /conversations/deleted lists it. */
  deleteConversation(id: string): void {
    const row = this.liveConversation(id);
    const writtenAt = this.written();
    this.tables.conversations.replace({ ...row, deleted: true, writtenAt });
    this.tables.deletedConversations.push({ id, deletedAt: Math.floor(writtenAt), metricsRetained: true });
    this.deleted({ topic: 'conversation.deleted', item: { type: 'conversation', id } });
  }

  /** Touches a ticket (an admin note); `patch.state` moves it to that state category. */
  updateTicket(id: string, patch?: { state?: string; title?: string }): void {
    const row = this.ticket(id);
    if (!row) throw new UnknownRecordError('ticket', id);
    const writtenAt = this.written();
    const t = Math.floor(writtenAt);
    const type = this.catalog.ticketTypes[row.typeIndex];
    const target = patch?.state === undefined ? -1 : (type?.states.findIndex((s) => s.category === patch.state) ?? -1);
    const admin: AuthorRef = { type: 'admin', id: this.catalog.admins[0]?.id ?? '0' };
    const stateChange = target >= 0 && target !== row.stateIndex;
    const part = stateChange
      ? { id: this.tables.ids.ticketParts.next(), partType: 'ticket_state_updated_by_admin', createdAt: t, author: admin, body: null, previousState: type?.states[row.stateIndex]?.category ?? null, state: type?.states[target]?.category ?? null }
      : { id: this.tables.ids.ticketParts.next(), partType: 'note', createdAt: t, author: admin, body: htmlParagraph('Checked in on this ticket.'), previousState: null, state: null };
    this.tables.tickets.replace({
      ...row,
      stateIndex: stateChange ? target : row.stateIndex,
      previousStateId: stateChange ? (type?.states[row.stateIndex]?.id ?? null) : row.previousStateId,
      title: patch?.title ?? row.title,
      parts: [...row.parts, part],
      updatedAt: t,
      writtenAt,
    });
  }

  createTicket(): string {
    const writtenAt = this.written();
    const t = Math.floor(writtenAt);
    const seq = this.tables.tickets.size;
    const typeIndex = pickTicketType(this.rng, this.catalog.ticketTypes.length);
    const live = this.tables.contacts.liveSeqs();
    const contactSeq = live[this.rng.int(0, Math.max(0, live.length - 1))];
    const parts = ticketParts(this.rng, this.tables.ids.ticketParts, this.catalog, 0, t - 1, t + 1);
    const row: TicketRow = {
      seq,
      id: this.tables.ids.tickets.next(),
      ticketNumber: String(seq + 1),
      h: this.rng.nextUint32() & 0x3fffffff,
      createdAt: t,
      updatedAt: t,
      writtenAt,
      typeIndex,
      stateIndex: 0,
      previousStateId: null,
      title: this.rng.pick(CONVERSATION_SUBJECTS),
      description: null,
      contacts: contactSeq === undefined ? [] : [contactSeq],
      adminAssigneeId: 0,
      teamAssigneeId: 0,
      snoozedUntil: null,
      isShared: this.catalog.ticketTypes[typeIndex]?.category === 'Customer',
      parts: parts.map((p) => ({ ...p, createdAt: t })),
      linkedConversationId: null,
      custom: {},
    };
    this.tables.tickets.append(row);
    this.tables.ticketSeqById.set(row.id, seq);
    return row.id;
  }

  /** Appends an activity log created now and returns its id. */
  addActivityLog(): string {
    const writtenAt = this.written();
    const log = makeActivityLog(this.rng, this.catalog, Math.floor(writtenAt));
    const logs = this.tables.activityLogs;
    let at = logs.length;
    while (at > 0 && Number(logs[at - 1]?.['created_at']) > Math.floor(writtenAt)) at--;
    logs.splice(at, 0, log);
    return String(log['id']);
  }
}
