import type { JsonObject } from '../../protocol/types.js';
import { toUnixSeconds } from '../../util/time.js';
import { nextUnitStart, unitStart, type DateGrid, type IdMatch, type Range, type SearchWindow } from './window.js';

/** Most children one split creates; more would spend requests on empty cells. */
export const MAX_FANOUT = 16;
/** Longest id suffix tried; ids are at most this long. */
export const MAX_ID_SUFFIX = 24;

export interface SplitPlan {
  /** The window being split. */
  window: SearchWindow;
  /** Records the window's query returned, as a sample of where its records lie. */
  sample: JsonObject[];
  /** How many records the window is believed to hold. */
  estimate: number;
  pageSize: number;
  grid: DateGrid;
  idAlphabet: string;
}

/**
 * Splits a window that holds more than a page into smaller cells covering it
 * exactly: first along the cursor field (at the grid's resolution), then
 * along the immutable created_at, and last by the end of the id, which
 * always separates records in the end. Returns null when nothing can split it.
 */
export function splitWindow(plan: SplitPlan): SearchWindow[] | null {
  const { window: w, sample, grid } = plan;
  const k = Math.max(2, Math.min(MAX_FANOUT, Math.ceil((plan.estimate * 1.25) / plan.pageSize)));

  const byUpdated = splitRange(w.updated, values(sample, 'updated_at'), k, grid);
  if (byUpdated.length > 1) return byUpdated.map((updated) => ({ ...w, updated }));

  const byCreated = splitRange(w.created, values(sample, 'created_at'), k, grid);
  if (byCreated.length > 1) return byCreated.map((created) => ({ ...w, created }));

  const ids = idsToSplit(w.ids, plan.idAlphabet);
  if (ids === null) return null;
  return groups(ids, k).map((group) => ({ ...w, ids: group }));
}

/**
 * Cuts [lo, hi) at grid-unit boundaries into about k pieces. Cut points come
 * from the sample's quantiles, so pieces hold similar counts; a value the
 * sample shows many times also gets a unit of its own (a bulk update shares
 * one second), which can add pieces; without a usable sample the range is
 * cut evenly.
 */
export function splitRange(range: Range, sampleValues: number[], k: number, grid: DateGrid): Range[] {
  const inside = (b: number): boolean => b > range.lo && b < range.hi;
  const cuts = new Set<number>();
  const sorted = sampleValues.filter((v) => v >= range.lo && v < range.hi).sort((a, b) => a - b);

  if (sorted.length > 0) {
    for (let j = 1; j < k; j++) cuts.add(unitStart(sorted[Math.floor((j * sorted.length) / k)]!, grid));
    for (const [value, count] of counts(sorted)) {
      if (count * k > sorted.length) {
        cuts.add(unitStart(value, grid));
        cuts.add(nextUnitStart(value, grid));
      }
    }
  }
  if (![...cuts].some(inside)) {
    for (let j = 1; j < k; j++) cuts.add(unitStart(range.lo + Math.floor(((range.hi - range.lo) * j) / k), grid));
    // A range narrower than k units: cut at the first unit boundary inside it.
    cuts.add(nextUnitStart(range.lo, grid));
  }

  const points = [...cuts].filter(inside).sort((a, b) => a - b);
  const pieces: Range[] = [];
  let lo = range.lo;
  for (const p of points) {
    pieces.push({ lo, hi: p });
    lo = p;
  }
  pieces.push({ lo, hi: range.hi });
  return pieces;
}

/**
 * The id matches a window's ids split into: a set of several is split as it
 * is; a single suffix is lengthened by one character (the last characters of
 * ids are evenly spread), plus the id equal to the suffix itself.
 */
function idsToSplit(ids: IdMatch[], alphabet: string): IdMatch[] | null {
  if (ids.length > 1) return ids;
  const current = ids[0];
  if (current?.exact || (current?.suffix.length ?? 0) >= MAX_ID_SUFFIX) return null;
  const suffix = current?.suffix ?? '';
  const longer = [...alphabet].map((ch) => ({ suffix: ch + suffix }));
  return suffix ? [{ suffix, exact: true }, ...longer] : longer;
}

/** `items` in k contiguous groups of near-equal size. */
function groups<T>(items: T[], k: number): T[][] {
  const n = Math.min(k, items.length);
  return Array.from({ length: n }, (_, i) => items.slice(Math.floor((i * items.length) / n), Math.floor(((i + 1) * items.length) / n)));
}

function values(records: JsonObject[], field: string): number[] {
  const out: number[] = [];
  for (const r of records) {
    const v = toUnixSeconds(r[field]);
    if (v !== null) out.push(v);
  }
  return out;
}

function counts(sorted: number[]): Map<number, number> {
  const m = new Map<number, number>();
  for (const v of sorted) m.set(v, (m.get(v) ?? 0) + 1);
  return m;
}
