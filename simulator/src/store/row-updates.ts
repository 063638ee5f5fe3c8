/**
 * Pure functions that compute the next version of a row for the store's
 * mutations. Each stamps updated_at where the real API would.
 */
import type { Rng } from '../rng.js';
import { computeStats, eventPart, htmlParagraph } from './conversation-parts.js';
import type { AuthorRef, ContactRow, ConversationRow, Json, PartRow } from './rows.js';
import { CONTACT_LINES } from './vocab.js';

/** Fields of a contact patch that live in the row itself rather than in overrides. */
const CONTACT_ROW_FIELDS = new Set(['role', 'created_at', 'updated_at', 'id', 'type', 'tags', 'companies']);

function isPlainObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Merges a patch into existing overrides; nested objects (custom_attributes, location) merge one level deep. */
export function mergeOverrides(existing: Readonly<Json> | null, patch: Readonly<Json>, skip: ReadonlySet<string>): Json | null {
  const out: Json = { ...(existing ?? {}) };
  let any = existing !== null;
  for (const [key, value] of Object.entries(patch)) {
    if (skip.has(key) || value === undefined) continue;
    const current = out[key];
    out[key] = isPlainObject(value) && isPlainObject(current) ? { ...current, ...value } : value;
    any = true;
  }
  return any ? out : null;
}

export function numberField(patch: Readonly<Json> | undefined, key: string): number | undefined {
  const value = patch?.[key];
  return typeof value === 'number' && Number.isFinite(value) ? Math.floor(value) : undefined;
}

export function updatedContact(row: ContactRow, patch: Readonly<Json> | undefined, t: number, writtenAt: number): ContactRow {
  const role = patch?.['role'];
  return {
    ...row,
    role: role === 'user' || role === 'lead' ? role : row.role,
    createdAt: numberField(patch, 'created_at') ?? row.createdAt,
    updatedAt: numberField(patch, 'updated_at') ?? t,
    writtenAt,
    overrides: patch ? mergeOverrides(row.overrides, patch, CONTACT_ROW_FIELDS) : row.overrides,
  };
}

export function contactOverridesFromInit(init: Readonly<Json> | undefined): Json | null {
  return init ? mergeOverrides(null, init, CONTACT_ROW_FIELDS) : null;
}

/** Tag pairs with one more tag applied at t (unchanged if the tag is already there). */
export function withTag(tags: readonly number[], tagSeq: number, t: number): readonly number[] {
  for (let i = 0; i < tags.length; i += 2) if (tags[i] === tagSeq) return tags;
  return [...tags, tagSeq, t];
}

export interface PartInit {
  part_type?: string;
  body?: string | null;
  author?: { type: AuthorRef['type']; id: string };
  created_at?: number;
}

/** The conversation after one more part: state, waiting_since, teammates and statistics follow the part. */
export function conversationWithPart(
  row: ConversationRow,
  init: PartInit | undefined,
  partId: string,
  t: number,
  writtenAt: number,
  rng: Rng,
  defaultAuthor: AuthorRef,
): ConversationRow {
  const partType = init?.part_type ?? 'comment';
  const author = init?.author ?? defaultAuthor;
  const createdAt = numberField(init as Json | undefined, 'created_at') ?? t;
  const fromContact = author.type === 'user' || author.type === 'lead';
  let state = row.state;
  if (partType === 'close') state = 'closed';
  else if (partType === 'open' || (partType === 'comment' && fromContact)) state = 'open';
  else if (partType === 'snoozed') state = 'snoozed';
  const body =
    init?.body !== undefined ? init.body : partType === 'comment' || partType === 'note' ? htmlParagraph(rng.pick(CONTACT_LINES)) : null;
  const part: PartRow = { ...eventPart(partId, partType, createdAt, author, state), body };
  const parts = [...row.parts, part];
  const contactStarted = row.source.author.type === 'user' || row.source.author.type === 'lead';
  let waitingSince = row.waitingSince;
  if (partType === 'comment') waitingSince = fromContact ? (row.waitingSince ?? createdAt) : null;
  if (state === 'closed') waitingSince = null;
  const teammateIds = author.type === 'admin' && !row.teammateIds.includes(author.id) ? [...row.teammateIds, author.id] : row.teammateIds;
  return {
    ...row,
    parts,
    state,
    read: fromContact ? false : row.read,
    waitingSince,
    snoozedUntil: state === 'snoozed' ? (row.snoozedUntil ?? createdAt + 86400) : null,
    updatedAt: createdAt,
    writtenAt,
    teammateIds,
    stats: computeStats(parts, row.createdAt, contactStarted),
  };
}
