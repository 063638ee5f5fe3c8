import type { JsonObject } from '../../protocol/types.js';
import { toUnixSeconds } from '../../util/time.js';
import { MAX_FANOUT, splitRange, splitWindow } from './split.js';
import { unitStart, type DateGrid, type SearchWindow } from './window.js';

/** Records one chain of pages reads before its rest is cut into slices read side by side. */
export const CHAIN_RECORDS = 3000;

export interface SortedPage {
  records: JsonObject[];
  /** Matches of the whole query (which covers whole grid units around the window). */
  total: number;
}

export interface SortedStep {
  /** The part of the window the page holds entirely: its records can be emitted. */
  complete: SearchWindow | null;
  /** Windows that cover the rest exactly, or null when the window must be split without help from this page. */
  rest: SearchWindow[] | null;
}

/**
 * What a page sorted by updated_at settles about its window.
 *
 * Descending (the default), the page holds every record of the query above
 * its oldest record `m`, so (m, hi) is complete and only [lo, m] remains.
 * The rest is read as a continuation (the next page down), or cut into
 * slices read side by side when much remains. When the day of `m` holds so
 * many records above `m` that the next page would repeat them (day-granular
 * queries cannot exclude them), that day's rest is read oldest first.
 *
 * Ascending, the page holds every record below its newest record `M`; if a
 * part of the day remains, the day is split along created_at into cells
 * that each fit a page (the page's total counts the whole day).
 */
export function afterSortedPage(w: SearchWindow, page: SortedPage, grid: DateGrid, pageSize: number, idAlphabet: string): SortedStep {
  if (page.total <= page.records.length) return { complete: w, rest: [] };
  const stamps = page.records.map((r) => toUnixSeconds(r.updated_at)).filter((u): u is number => u !== null);
  if (stamps.length === 0) return { complete: null, rest: null };
  return w.ascending ? afterAscending(w, page, stamps, grid, pageSize, idAlphabet) : afterDescending(w, page, stamps, grid, pageSize);
}

function afterDescending(w: SearchWindow, page: SortedPage, stamps: number[], grid: DateGrid, pageSize: number): SortedStep {
  const m = Math.min(...stamps);
  if (m < w.updated.lo) return { complete: w, rest: [] };
  if (m + 1 >= w.updated.hi) return { complete: null, rest: null };

  const complete: SearchWindow = { ...w, updated: { lo: m + 1, hi: w.updated.hi } };
  const rest: SearchWindow = { ...w, updated: { lo: w.updated.lo, hi: m + 1 } };
  const above = stamps.filter((u) => u > m).length;
  const remaining = Math.max(page.total - above, pageSize);

  if (remaining > CHAIN_RECORDS) {
    const slices = splitRange(rest.updated, [], Math.min(MAX_FANOUT, Math.ceil(remaining / CHAIN_RECORDS)), grid);
    if (slices.length > 1) return { complete, rest: slices.map((updated) => ({ ...rest, updated })) };
  }

  const day = unitStart(m, grid);
  const repeated = stamps.filter((u) => u > m && unitStart(u, grid) === day).length;
  if (repeated <= pageSize / 2) return { complete, rest: [rest] };

  // The next page would mostly repeat the records of m's day above m: read that day's rest from its bottom.
  const below: SearchWindow[] = day > w.updated.lo ? [{ ...rest, updated: { lo: w.updated.lo, hi: day } }] : [];
  const bottom: SearchWindow = { ...rest, updated: { lo: Math.max(w.updated.lo, day), hi: m + 1 }, ascending: true };
  return { complete, rest: [...below, bottom] };
}

function afterAscending(w: SearchWindow, page: SortedPage, stamps: number[], grid: DateGrid, pageSize: number, idAlphabet: string): SortedStep {
  const top = Math.max(...stamps);
  if (top >= w.updated.hi) return { complete: w, rest: [] };
  const complete: SearchWindow | null = top > w.updated.lo ? { ...w, updated: { lo: w.updated.lo, hi: top } } : null;
  const middle: SearchWindow = { ...w, updated: { lo: Math.max(w.updated.lo, top), hi: w.updated.hi }, ascending: false };
  // Neither end reaches the middle of the day: cells along created_at, each of which a page holds whole.
  const cells = splitWindow({ window: middle, sample: page.records, estimate: page.total, pageSize, grid, idAlphabet });
  return { complete, rest: cells ?? [middle] };
}
