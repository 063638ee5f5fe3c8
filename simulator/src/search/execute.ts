/**
 * Runs a compiled search against a row table: picks candidates (an index
 * slice when the query bounds updated_at or created_at), drops rows the
 * search index has not caught up with yet, filters and orders.
 *
 * Results are cached per query and kept up to date as rows change (a changed
 * row is taken out and, if it still matches, put back at its new place), so
 * paging through 500,000 contacts while they change does not re-scan the
 * table for every page. The cache never changes what a page returns: each
 * page still sees the live store, exactly like a stateless cursor.
 */
import { badRequest } from '../errors.js';
import type { Json } from '../store/rows.js';
import type { RowTable } from '../store/tables.js';
import type { CompiledQuery, IndexedField } from './compile.js';
import { RecordView, type FieldSpec, type Resource } from './fields.js';

export interface SearchableRow {
  seq: number;
  createdAt: number;
  updatedAt: number;
  writtenAt: number;
}

export interface SearchSort {
  field: string;
  order: 'ascending' | 'descending';
}

export interface SearchTarget<R extends SearchableRow> {
  resource: Resource<R>;
  table: RowTable<R>;
  isLive(row: R): boolean;
  /** Renders a row, for fields read from the rendered object. */
  render(row: R): Json;
}

export interface Visibility {
  now: number;
  lagSeconds: number;
  /** Clock time of the store's latest write. */
  lastWriteAt: number;
}

type SortValue = number | string | null;

/** How results are ordered: by an indexed timestamp, or by keys read from the rows. */
interface Ordering<R> {
  /** created_at when unsorted (stable, and deliberately not updated_at). */
  indexed: IndexedField | null;
  spec: FieldSpec<R> | null;
  descending: boolean;
}

interface CacheEntry<R extends SearchableRow> {
  target: SearchTarget<R>;
  compiled: CompiledQuery<R>;
  ordering: Ordering<R>;
  seqs: number[];
  /** Sort keys parallel to seqs, when the order is not by an indexed timestamp. */
  keys: SortValue[] | null;
}

const ENTRIES_PER_TABLE = 8;

function sortValue(raw: unknown): SortValue {
  const v = Array.isArray(raw) ? raw[0] : raw;
  if (typeof v === 'number') return v;
  if (typeof v === 'string') return v.toLowerCase();
  if (typeof v === 'boolean') return v ? 1 : 0;
  return null;
}

/** Missing values sort last whatever the direction; ties go by seq in the order's direction. */
function compareKeys(a: SortValue, aSeq: number, b: SortValue, bSeq: number, descending: boolean): number {
  if (a === null || b === null) {
    if (a !== b) return a === null ? 1 : -1;
  } else if (a !== b) {
    const byKey = typeof a === 'number' && typeof b === 'number' ? a - b : String(a) < String(b) ? -1 : 1;
    return descending ? -byKey : byKey;
  }
  return descending ? bSeq - aSeq : aSeq - bSeq;
}

function isIndexed(field: string): field is IndexedField {
  return field === 'updated_at' || field === 'created_at';
}

function indexedKey(row: SearchableRow, field: IndexedField): number {
  return field === 'updated_at' ? row.updatedAt : row.createdAt;
}

export class SearchExecutor {
  /** Per table, query key to entry; insertion order doubles as LRU order. */
  private readonly entries = new Map<object, Map<string, CacheEntry<SearchableRow>>>();
  private readonly subscribed = new Set<object>();

  /**
   * Keeps cached results of `table` in step with its rows. Results of the
   * `dependents` are dropped on any change instead (their fields read rows of
   * this table, e.g. a conversation's author name comes from its contact).
   */
  watch<R extends SearchableRow>(table: RowTable<R>, dependents: readonly object[] = []): void {
    if (this.subscribed.has(table)) return;
    this.subscribed.add(table);
    table.subscribe((seq) => {
      for (const entry of this.entries.get(table)?.values() ?? []) this.patch(entry, seq);
      for (const dependent of dependents) this.entries.get(dependent)?.clear();
    });
  }

  /** Seqs of every matching, visible row, in result order. */
  run<R extends SearchableRow>(
    target: SearchTarget<R>,
    compiled: CompiledQuery<R>,
    sort: SearchSort | null,
    cacheKey: string,
    visibility: Visibility,
  ): number[] {
    const ordering = this.ordering(target, sort);
    // While writes are younger than the lag, visibility changes with time alone: no cache.
    const lagging = visibility.lagSeconds > 0 && visibility.now - visibility.lastWriteAt < visibility.lagSeconds;
    const table: object = target.table;
    const watched = this.subscribed.has(table);
    if (!lagging && watched) {
      const cached = this.entries.get(table)?.get(cacheKey);
      if (cached) return cached.seqs;
    }
    const entry = this.compute(target, compiled, ordering, visibility);
    if (!lagging && watched) {
      let perTable = this.entries.get(table);
      if (!perTable) {
        perTable = new Map();
        this.entries.set(table, perTable);
      }
      if (perTable.size >= ENTRIES_PER_TABLE) {
        const oldest = perTable.keys().next().value;
        if (oldest !== undefined) perTable.delete(oldest);
      }
      perTable.set(cacheKey, entry as unknown as CacheEntry<SearchableRow>);
    }
    return entry.seqs;
  }

  private ordering<R extends SearchableRow>(target: SearchTarget<R>, sort: SearchSort | null): Ordering<R> {
    if (!sort) return { indexed: 'created_at', spec: null, descending: false };
    const spec = target.resource.field(sort.field);
    if (!spec) throw badRequest(`${sort.field} is not a sortable field for ${target.resource.name}`);
    const descending = sort.order === 'descending';
    return isIndexed(sort.field) ? { indexed: sort.field, spec: null, descending } : { indexed: null, spec, descending };
  }

  private compute<R extends SearchableRow>(target: SearchTarget<R>, compiled: CompiledQuery<R>, ordering: Ordering<R>, visibility: Visibility): CacheEntry<R> {
    const { table } = target;
    const range = compiled.range;
    const sourceField: IndexedField = range ? range.field : (ordering.indexed ?? 'created_at');
    const index = table.index(sourceField);
    const candidates = range ? index.range(range.from, range.to) : index.all();
    // Candidates read from the ordering's own index are already in (key, seq) order.
    const inOrder = ordering.indexed === sourceField;
    const visibleBefore = visibility.now - visibility.lagSeconds;
    const view = new RecordView<R>(target.render);
    const matched: number[] = [];
    const keys: SortValue[] = [];
    for (const seq of candidates) {
      const row = table.at(seq);
      if (!row || !target.isLive(row)) continue;
      // A record written less than lagSeconds ago is not in the search index yet, in any version.
      if (visibility.lagSeconds > 0 && row.writtenAt > visibleBefore) continue;
      view.reset(row);
      if (!compiled.test(view)) continue;
      matched.push(seq);
      if (!inOrder) keys.push(ordering.indexed ? indexedKey(row, ordering.indexed) : sortValue(ordering.spec?.get(view)));
    }
    if (inOrder) {
      return { target, compiled, ordering, seqs: ordering.descending ? matched.reverse() : matched, keys: null };
    }
    const order = matched.map((_, i) => i);
    order.sort((a, b) => compareKeys(keys[a] ?? null, matched[a] ?? 0, keys[b] ?? null, matched[b] ?? 0, ordering.descending));
    return {
      target,
      compiled,
      ordering,
      seqs: order.map((i) => matched[i] ?? -1),
      keys: ordering.indexed ? null : order.map((i) => keys[i] ?? null),
    };
  }

  /** Takes a changed row out of a cached result and puts it back where it now belongs, if it still matches. */
  private patch<R extends SearchableRow>(entry: CacheEntry<R>, seq: number): void {
    const { seqs, keys, ordering, target } = entry;
    const at = seqs.indexOf(seq);
    if (at >= 0) {
      seqs.splice(at, 1);
      keys?.splice(at, 1);
    }
    const row = target.table.at(seq);
    if (!row || !target.isLive(row)) return;
    const view = new RecordView<R>(target.render).reset(row);
    if (!entry.compiled.test(view)) return;
    const key: SortValue = ordering.indexed ? indexedKey(row, ordering.indexed) : sortValue(ordering.spec?.get(view));
    const keyAt = (i: number): SortValue => {
      if (keys) return keys[i] ?? null;
      const other = target.table.at(seqs[i] ?? -1);
      return other && ordering.indexed ? indexedKey(other, ordering.indexed) : null;
    };
    let lo = 0;
    let hi = seqs.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (compareKeys(keyAt(mid), seqs[mid] ?? 0, key, seq, ordering.descending) < 0) lo = mid + 1;
      else hi = mid;
    }
    seqs.splice(lo, 0, seq);
    keys?.splice(lo, 0, key);
  }
}
