/**
 * The searchable fields of contacts, conversations and tickets: their types
 * (which decide the operators they accept) and how to read them from a row.
 * Frequent fields read the row directly; the rest read the rendered object,
 * so search always agrees with what the API returns.
 */
import { CONTACT_CUSTOM_ATTRIBUTES, CONVERSATION_ATTRIBUTES, type DataType } from '../store/attributes.js';
import { contactSegmentIndexes, renderContact } from '../store/render-people.js';
import { renderConversation, renderTicket } from '../store/render-conversations.js';
import type { ContactRow, ConversationRow, Json, TicketRow } from '../store/rows.js';
import type { WorkspaceStore } from '../store/store.js';
import type { Operator, Scalar } from './query.js';

export type FieldType = 'string' | 'integer' | 'float' | 'boolean' | 'date';

export interface FieldSpec<R> {
  type: FieldType;
  /** Narrower operator set than the type allows (tag_id takes only = and !=). */
  operators?: readonly Operator[];
  /** The record's value; an array for multi-valued fields, where any element may match. */
  get(view: RecordView<R>): unknown;
  /** Maps a searched value before comparison (ticket categories are searched by term). */
  mapValue?: (value: Scalar) => Scalar;
  /** `=` matches any word of the value (source.body). */
  words?: boolean;
}

export type ResourceName = 'contacts' | 'conversations' | 'tickets';

export interface Resource<R> {
  name: ResourceName;
  /** Date fields compare by calendar day in the workspace time zone (contacts only). */
  dayPrecisionDates: boolean;
  field(name: string): FieldSpec<R> | undefined;
}

/**
 * A row plus its rendered form, rendered at most once and only if a field
 * needs it. One view is reused across a whole scan (reset per row), so a scan
 * of 500,000 rows allocates nothing for rows that are only tested on row fields.
 */
export class RecordView<R> {
  private current: R | undefined;
  private json: Json | undefined;

  constructor(private readonly render: (row: R) => Json) {}

  reset(row: R): this {
    this.current = row;
    this.json = undefined;
    return this;
  }

  get row(): R {
    if (this.current === undefined) throw new Error('RecordView used before reset');
    return this.current;
  }

  rendered(): Json {
    this.json ??= this.render(this.row);
    return this.json;
  }

  /** Reads a dotted path of the rendered object. */
  path(path: string): unknown {
    let node: unknown = this.rendered();
    for (const key of path.split('.')) {
      if (typeof node !== 'object' || node === null || Array.isArray(node)) return undefined;
      node = (node as Json)[key];
    }
    return node;
  }
}

const fromJson = <R>(type: FieldType, path: string): FieldSpec<R> => ({ type, get: (v) => v.path(path) });

function customType(dataType: DataType): FieldType {
  return dataType;
}

export function contactResource(store: WorkspaceStore): Resource<ContactRow> {
  const tagIds = (row: ContactRow): string[] => {
    const out: string[] = [];
    for (let i = 0; i < row.tags.length; i += 2) out.push(store.catalog.tags[row.tags[i] ?? -1]?.id ?? '');
    return out;
  };
  const fields: Record<string, FieldSpec<ContactRow>> = {
    id: { type: 'string', get: (v) => v.row.id },
    role: { type: 'string', get: (v) => v.row.role },
    created_at: { type: 'date', get: (v) => v.row.createdAt },
    updated_at: { type: 'date', get: (v) => v.row.updatedAt },
    tag_id: { type: 'string', operators: ['=', '!='], get: (v) => tagIds(v.row) },
    company_id: { type: 'string', get: (v) => v.row.companies.map((seq) => store.tables.companies.at(seq)?.id ?? '') },
    segment_id: { type: 'string', get: (v) => contactSegmentIndexes(v.row, store.catalog).map((i) => store.catalog.segments[i]?.id ?? '') },
  };
  for (const name of [
    'name', 'email', 'email_domain', 'phone', 'external_id', 'owner_id', 'language_override', 'browser', 'browser_version',
    'browser_language', 'os', 'ios_app_version', 'ios_device', 'ios_os_version', 'ios_app_name', 'ios_sdk_version',
    'android_app_version', 'android_device', 'android_app_name', 'android_sdk_version', 'android_os_version',
  ]) {
    fields[name] = fromJson('string', name);
  }
  fields['avatar'] = fromJson('string', 'avatar.image_url');
  for (const name of [
    'signed_up_at', 'last_seen_at', 'last_contacted_at', 'last_replied_at', 'last_email_opened_at', 'last_email_clicked_at',
    'ios_last_seen_at', 'android_last_seen_at',
  ]) {
    fields[name] = fromJson('date', name);
  }
  for (const name of ['unsubscribed_from_emails', 'marked_email_as_spam', 'has_hard_bounced']) fields[name] = fromJson('boolean', name);
  for (const name of ['country', 'region', 'city']) fields[`location.${name}`] = fromJson('string', `location.${name}`);
  for (const def of CONTACT_CUSTOM_ATTRIBUTES) {
    if (def.archived) continue;
    fields[`custom_attributes.${def.name}`] = {
      type: customType(def.dataType),
      get: (v) => (v.rendered()['custom_attributes'] as Json | undefined)?.[def.name],
    };
  }
  return {
    name: 'contacts',
    dayPrecisionDates: true,
    field: (name) => fields[name],
  };
}

export function contactRenderer(store: WorkspaceStore): (row: ContactRow) => Json {
  return (row) => renderContact(row, store.people);
}

const STATISTICS_DATES = [
  'first_contact_reply_at', 'first_assignment_at', 'first_admin_reply_at', 'first_close_at', 'last_assignment_at',
  'last_assignment_admin_reply_at', 'last_contact_reply_at', 'last_admin_reply_at', 'last_close_at',
];
const STATISTICS_INTEGERS = [
  'time_to_assignment', 'time_to_admin_reply', 'time_to_first_close', 'time_to_last_close', 'median_time_to_reply',
  'count_reopens', 'count_assignments', 'count_conversation_parts', 'handling_time', 'adjusted_handling_time',
];

export function conversationResource(store: WorkspaceStore): Resource<ConversationRow> {
  const fields: Record<string, FieldSpec<ConversationRow>> = {
    id: { type: 'string', get: (v) => v.row.id },
    created_at: { type: 'date', get: (v) => v.row.createdAt },
    updated_at: { type: 'date', get: (v) => v.row.updatedAt },
    waiting_since: { type: 'date', get: (v) => v.row.waitingSince },
    snoozed_until: { type: 'date', get: (v) => v.row.snoozedUntil },
    open: { type: 'boolean', get: (v) => v.row.state !== 'closed' },
    read: { type: 'boolean', get: (v) => v.row.read },
    state: { type: 'string', get: (v) => v.row.state },
    priority: { type: 'string', get: (v) => v.row.priority },
    title: { type: 'string', get: (v) => v.row.title },
    admin_assignee_id: { type: 'integer', get: (v) => v.row.adminAssigneeId },
    team_assignee_id: { type: 'integer', get: (v) => v.row.teamAssigneeId },
    contact_ids: { type: 'string', get: (v) => v.row.contacts.map((seq) => store.tables.contacts.at(seq)?.id ?? '') },
    teammate_ids: { type: 'string', get: (v) => v.row.teammateIds },
    tag_ids: { type: 'string', get: (v) => v.row.tags.map((t) => store.catalog.tags[t.tagSeq]?.id ?? '') },
    channel_initiated: { type: 'string', get: (v) => v.row.channel },
    ai_agent_participated: { type: 'boolean', get: (v) => v.row.aiAgent },
    'source.type': { type: 'string', get: (v) => v.row.source.type },
    'source.id': { type: 'string', get: (v) => v.row.source.id },
    'source.delivered_as': { type: 'string', get: (v) => v.row.source.deliveredAs },
    'source.subject': { type: 'string', get: (v) => v.row.source.subject },
    'source.body': { type: 'string', words: true, get: (v) => v.path('source.body') },
    'source.url': { type: 'string', get: (v) => v.row.source.url },
    'source.author.id': { type: 'string', get: (v) => v.row.source.author.id },
    'source.author.type': { type: 'string', get: (v) => v.row.source.author.type },
    'source.author.name': fromJson('string', 'source.author.name'),
    'source.author.email': fromJson('string', 'source.author.email'),
    'conversation_rating.rating': { type: 'integer', get: (v) => v.row.rating?.rating ?? null },
    'conversation_rating.remark': { type: 'string', get: (v) => v.row.rating?.remark ?? null },
    'statistics.last_closed_by_id': fromJson('string', 'statistics.last_closed_by_id'),
  };
  for (const name of STATISTICS_DATES) fields[`statistics.${name}`] = fromJson('date', `statistics.${name}`);
  for (const name of STATISTICS_INTEGERS) fields[`statistics.${name}`] = fromJson('integer', `statistics.${name}`);
  for (const def of CONVERSATION_ATTRIBUTES) {
    if (def.archived) continue;
    const type: FieldType =
      def.dataType === 'datetime' ? 'date' : def.dataType === 'decimal' ? 'float' : def.dataType === 'list' ? 'string' : def.dataType;
    fields[`custom_attributes.${def.name}`] = { type, get: (v) => v.row.custom[def.name] };
  }
  return { name: 'conversations', dayPrecisionDates: false, field: (name) => fields[name] };
}

export function conversationRenderer(store: WorkspaceStore): (row: ConversationRow) => Json {
  return (row) => renderConversation(row, store.conversationContext);
}

/** Ticket categories are searched by term, not by name. */
const CATEGORY_TERMS: Record<string, string> = { request: 'Customer', task: 'Back-office', tracker: 'Tracker' };

export function ticketResource(store: WorkspaceStore): Resource<TicketRow> {
  const fields: Record<string, FieldSpec<TicketRow>> = {
    id: { type: 'string', get: (v) => v.row.id },
    ticket_id: { type: 'string', get: (v) => v.row.ticketNumber },
    created_at: { type: 'date', get: (v) => v.row.createdAt },
    updated_at: { type: 'date', get: (v) => v.row.updatedAt },
    snoozed_until: { type: 'date', get: (v) => v.row.snoozedUntil },
    open: { type: 'boolean', get: (v) => store.catalog.ticketTypes[v.row.typeIndex]?.states[v.row.stateIndex]?.category !== 'resolved' },
    state: { type: 'string', get: (v) => store.catalog.ticketTypes[v.row.typeIndex]?.states[v.row.stateIndex]?.category ?? null },
    category: {
      type: 'string',
      get: (v) => store.catalog.ticketTypes[v.row.typeIndex]?.category ?? null,
      mapValue: (value) => (typeof value === 'string' ? (CATEGORY_TERMS[value.toLowerCase()] ?? `term:${value}`) : value),
    },
    ticket_type_id: { type: 'string', get: (v) => store.catalog.ticketTypes[v.row.typeIndex]?.id ?? null },
    title: { type: 'string', get: (v) => v.row.title },
    description: { type: 'string', get: (v) => v.row.description },
    contact_ids: { type: 'string', get: (v) => v.row.contacts.map((seq) => store.tables.contacts.at(seq)?.id ?? '') },
    admin_assignee_id: { type: 'integer', get: (v) => v.row.adminAssigneeId },
    team_assignee_id: { type: 'integer', get: (v) => v.row.teamAssigneeId },
    is_shared: { type: 'boolean', get: (v) => v.row.isShared },
  };
  return { name: 'tickets', dayPrecisionDates: false, field: (name) => fields[name] };
}

export function ticketRenderer(store: WorkspaceStore): (row: TicketRow) => Json {
  return (row) => renderTicket(row, store.conversationContext, store.partsCap);
}
