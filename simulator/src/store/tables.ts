/**
 * The row tables of the workspace and the indexes that must follow every
 * write. All row replacement goes through here, so the updated_at and
 * created_at indexes can never drift from the rows.
 */
import type { NumericIds, ObjectIdScheme } from './ids.js';
import type { CompanyRow, ContactRow, ConversationRow, DeletedConversation, Json, TicketRow } from './rows.js';
import { SortedIndex } from './sorted-index.js';

export interface IdSources {
  contacts: ObjectIdScheme;
  companies: ObjectIdScheme;
  conversations: NumericIds;
  parts: NumericIds;
  sources: NumericIds;
  tickets: NumericIds;
  ticketParts: NumericIds;
}

export type IndexedField = 'updated_at' | 'created_at';

function buildIndex<R extends { createdAt: number; updatedAt: number; seq: number }>(
  rows: readonly R[],
  live: (row: R) => boolean,
  field: IndexedField,
): SortedIndex {
  const keys: number[] = [];
  const seqs: number[] = [];
  for (const row of rows) {
    if (!live(row)) continue;
    keys.push(field === 'updated_at' ? row.updatedAt : row.createdAt);
    seqs.push(row.seq);
  }
  return SortedIndex.build(keys, seqs);
}

/** A table of rows addressed by seq, with timestamp indexes over its live rows. */
export class RowTable<R extends { seq: number; createdAt: number; updatedAt: number }> {
  private readonly listeners = new Set<(seq: number) => void>();
  private readonly byUpdated: SortedIndex;
  private readonly byCreated: SortedIndex;
  private liveCount: number;
  private liveSeqCache: number[] | null = null;

  constructor(
    private readonly rows: R[],
    private readonly isLive: (row: R) => boolean,
  ) {
    this.byUpdated = buildIndex(rows, isLive, 'updated_at');
    this.byCreated = buildIndex(rows, isLive, 'created_at');
    this.liveCount = this.byCreated.size;
  }

  get size(): number {
    return this.rows.length;
  }

  get live(): number {
    return this.liveCount;
  }

  at(seq: number): R | undefined {
    return this.rows[seq];
  }

  index(field: IndexedField): SortedIndex {
    return field === 'updated_at' ? this.byUpdated : this.byCreated;
  }

  /** Live seqs in seq order (cached until the next write; callers must not modify it). */
  liveSeqs(): readonly number[] {
    if (!this.liveSeqCache) {
      const out: number[] = [];
      for (const row of this.rows) if (this.isLive(row)) out.push(row.seq);
      this.liveSeqCache = out;
    }
    return this.liveSeqCache;
  }

  /** Live rows in seq order. */
  liveRows(): R[] {
    return this.rows.filter(this.isLive);
  }

  append(row: R): void {
    if (row.seq !== this.rows.length) throw new RangeError(`appending seq ${row.seq} to a table of ${this.rows.length}`);
    this.liveSeqCache = null;
    this.rows.push(row);
    if (this.isLive(row)) this.addToIndexes(row);
    this.changed(row.seq);
  }

  /** Calls `listener` with the seq of every row appended or replaced from now on. */
  subscribe(listener: (seq: number) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private changed(seq: number): void {
    for (const listener of this.listeners) listener(seq);
  }

  /** Replaces the row at its seq, keeping the indexes in step (a row that stops being live leaves them). */
  replace(row: R): void {
    const old = this.rows[row.seq];
    if (!old) throw new RangeError(`no row at seq ${row.seq}`);
    const wasLive = this.isLive(old);
    const isLive = this.isLive(row);
    if (wasLive !== isLive) this.liveSeqCache = null;
    this.rows[row.seq] = row;
    if (wasLive && isLive) {
      this.byUpdated.move(old.updatedAt, row.updatedAt, row.seq);
      this.byCreated.move(old.createdAt, row.createdAt, row.seq);
    } else if (wasLive) {
      this.byUpdated.remove(old.updatedAt, row.seq);
      this.byCreated.remove(old.createdAt, row.seq);
      this.liveCount--;
    } else if (isLive) {
      this.addToIndexes(row);
    }
    this.changed(row.seq);
  }

  private addToIndexes(row: R): void {
    this.byUpdated.insert(row.updatedAt, row.seq);
    this.byCreated.insert(row.createdAt, row.seq);
    this.liveCount++;
  }
}

export interface Tables {
  contacts: RowTable<ContactRow>;
  companies: RowTable<CompanyRow>;
  conversations: RowTable<ConversationRow>;
  tickets: RowTable<TicketRow>;
  /** Contact seqs per company seq, in attachment order (dead contacts are filtered when read). */
  companyMembers: number[][];
  /** Oldest first. */
  activityLogs: Json[];
  deletedConversations: DeletedConversation[];
  conversationSeqById: Map<string, number>;
  ticketSeqById: Map<string, number>;
  ids: IdSources;
}
