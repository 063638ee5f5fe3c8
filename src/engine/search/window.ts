import type { JsonObject } from '../../protocol/types.js';
import { startOfNextZonedDay, startOfZonedDay } from '../../util/zoned-day.js';
import { toUnixSeconds } from '../../util/time.js';

/** Half-open range of Unix seconds, [lo, hi). */
export interface Range {
  lo: number;
  hi: number;
}

/**
 * A cell of the search space: a range of the cursor field, a range of an
 * immutable date field, and a set of id suffixes. A record that does not change
 * during the scan lies in exactly one cell of any partition, so cells that
 * each fit in one page, read once, return every such record exactly once.
 * Ids split by their end, whose characters are evenly spread (the start of a
 * contact id encodes its creation time; conversation ids count up).
 */
export interface SearchWindow {
  updated: Range;
  created: Range;
  /** Ids matching any of these (none: every id). */
  ids: IdMatch[];
  /** Read oldest first (where the endpoint sorts): the bottom of a day whose top has been read. */
  ascending?: boolean;
}

/** The granularity a date filter resolves to. */
export interface DateGrid {
  resolution: 'day' | 'second';
  timeZone: string;
  /** Widens every query by this many seconds on each side, when the zone Intercom uses is not known for sure. */
  queryMargin?: number;
}

/** Ids that end with `suffix`, or (`exact`) the one id equal to it: ids of varying length end inside other suffixes. */
export interface IdMatch {
  suffix: string;
  exact?: boolean;
}

export type Filter = { field: string; operator: string; value: string | number };
export type FilterGroup = { operator: 'OR'; value: Filter[] };

/** First instant of the grid unit containing t. */
export function unitStart(t: number, grid: DateGrid): number {
  return grid.resolution === 'day' ? startOfZonedDay(t, grid.timeZone) : t;
}

/** First instant of the grid unit after the one containing t. */
export function nextUnitStart(t: number, grid: DateGrid): number {
  return grid.resolution === 'day' ? startOfNextZonedDay(t, grid.timeZone) : t + 1;
}

/**
 * Filters that select at least [lo, hi) of a date field, whatever Intercom's
 * comparison does. Contact search truncates to zoned days (`> T` matches from
 * the day after T's, `< T` before T's day), conversation search documents
 * `>`/`<` as "greater (or equal)"/"lower (or equal)": querying one unit
 * outside on each side covers every reading, and the exact range is applied
 * client-side.
 */
export function rangeFilters(field: string, range: Range, grid: DateGrid): Filter[] {
  const margin = grid.queryMargin ?? 0;
  const lo = unitStart(range.lo - margin, grid);
  const hiEdge = range.hi + margin;
  const hi = unitStart(hiEdge, grid) === hiEdge ? hiEdge : nextUnitStart(hiEdge, grid);
  return [
    { field, operator: '>', value: lo - 1 },
    { field, operator: '<', value: hi },
  ];
}

/** The search query for a window. `createdFull` is the created range no filter is needed for. */
export function windowQuery(w: SearchWindow, grid: DateGrid, createdFull: Range): JsonObject {
  const filters: Filter[] = [...rangeFilters('updated_at', w.updated, grid)];
  if (w.created.lo > createdFull.lo || w.created.hi < createdFull.hi) {
    filters.push(...rangeFilters('created_at', w.created, grid));
  }
  const ids = w.ids.map((m): Filter => ({ field: 'id', operator: m.exact ? '=' : '$', value: m.suffix }));
  // A set of suffixes is one OR group inside the AND: two levels, Intercom's limit.
  const group: Array<Filter | FilterGroup> = ids.length > 1 ? [{ operator: 'OR', value: ids }] : ids;
  return { operator: 'AND', value: [...filters, ...group] };
}

/** Whether a record returned for a window belongs to its exact cell. */
export function inWindow(record: JsonObject, w: SearchWindow): boolean {
  const u = toUnixSeconds(record.updated_at);
  const c = toUnixSeconds(record.created_at);
  // A record without readable dates cannot be placed; keep it rather than lose it.
  if (u === null) return true;
  if (u < w.updated.lo || u >= w.updated.hi) return false;
  if (c !== null && (c < w.created.lo || c >= w.created.hi)) return false;
  if (w.ids.length === 0) return true;
  const id = String(record.id ?? '');
  return w.ids.some((m) => (m.exact ? id === m.suffix : id.endsWith(m.suffix)));
}

export function describeWindow(w: SearchWindow): string {
  const iso = (t: number): string => new Date(t * 1000).toISOString().replace('.000Z', 'Z');
  const parts = [`updated_at [${iso(w.updated.lo)}, ${iso(w.updated.hi)})`];
  if (w.ids.length > 0) parts.push(`id ${w.ids.map((m) => `${m.exact ? '=' : '$'} ${m.suffix}`).join(' or ')}`);
  return parts.join(', ');
}
