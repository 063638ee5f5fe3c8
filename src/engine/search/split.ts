import type { JsonObject } from '../../protocol/types.js';
import { toUnixSeconds } from '../../util/time.js';
import { nextUnitStart, unitStart, type DateGrid, type Range, type SearchWindow } from './window.js';

/** Most children one split creates; more would spend requests on empty cells. */
export const MAX_FANOUT = 16;
/** Deepest id prefix tried; ids are at most this long. */
export const MAX_ID_PREFIX = 24;

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
 * along the immutable created_at, and last by id prefix, which always
 * separates records in the end. Returns null when nothing can split it.
 */
export function splitWindow(plan: SplitPlan): SearchWindow[] | null {
  const { window: w, sample, grid } = plan;
  const k = Math.max(2, Math.min(MAX_FANOUT, Math.ceil((plan.estimate * 1.25) / plan.pageSize)));

  const byUpdated = splitRange(w.updated, values(sample, 'updated_at'), k, grid);
  if (byUpdated.length > 1) return byUpdated.map((updated) => ({ ...w, updated }));

  const byCreated = splitRange(w.created, values(sample, 'created_at'), k, grid);
  if (byCreated.length > 1) return byCreated.map((created) => ({ ...w, created }));

  if (w.idExact || w.idPrefix.length >= MAX_ID_PREFIX) return null;
  const longer = [...plan.idAlphabet].map((ch) => ({ ...w, idPrefix: w.idPrefix + ch }));
  // The id that is the prefix itself belongs to none of the longer prefixes.
  return w.idPrefix ? [{ ...w, idExact: true }, ...longer] : longer;
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
