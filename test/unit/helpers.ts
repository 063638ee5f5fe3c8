/**
 * Oracles and generators shared by the unit tests. The oracles are written
 * from Intl directly, independent of the code under test.
 */

/** A seeded PRNG (mulberry32), so a failing case can be replayed. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let x = a;
    x = Math.imul(x ^ (x >>> 15), x | 1);
    x ^= x + Math.imul(x ^ (x >>> 7), x | 61);
    return ((x ^ (x >>> 14)) >>> 0) / 4294967296;
  };
}

/** Integer in [lo, hi). */
export function randInt(random: () => number, lo: number, hi: number): number {
  return lo + Math.floor(random() * (hi - lo));
}

export function pick<T>(random: () => number, items: readonly T[]): T {
  return items[Math.floor(random() * items.length)]!;
}

const dateFormats = new Map<string, Intl.DateTimeFormat>();

/** The calendar date (YYYY-MM-DD) of a Unix-seconds instant in a zone, straight from Intl. */
export function localDate(t: number, timeZone: string): string {
  let f = dateFormats.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' });
    dateFormats.set(timeZone, f);
  }
  const parts = f.formatToParts(new Date(t * 1000));
  const get = (type: string): string => parts.find((p) => p.type === type)!.value;
  return `${get('year')}-${get('month')}-${get('day')}`;
}

/** Whether a zoned day starts at instant b (the local date changes between b-1 and b). */
export function isDayStart(b: number, timeZone: string): boolean {
  return localDate(b - 1, timeZone) !== localDate(b, timeZone);
}

/**
 * The first instant of the local day containing t, by binary search on the
 * local date (local dates never go backwards in the zones used here).
 */
export function oracleDayStart(t: number, timeZone: string): number {
  const day = localDate(t, timeZone);
  let lo = t - 30 * 3600; // certainly an earlier day
  let hi = t; // on `day`
  while (hi - lo > 1) {
    const mid = Math.floor((lo + hi) / 2);
    if (localDate(mid, timeZone) === day) hi = mid;
    else lo = mid;
  }
  return hi;
}

/** The first instant of the local day after the one containing t. */
export function oracleNextDayStart(t: number, timeZone: string): number {
  const day = localDate(t, timeZone);
  let lo = t; // on `day`
  let hi = t + 30 * 3600; // certainly a later day
  while (hi - lo > 1) {
    const mid = Math.floor((lo + hi) / 2);
    if (localDate(mid, timeZone) === day) lo = mid;
    else hi = mid;
  }
  return hi;
}

/** Unix seconds of an ISO 8601 instant written with its offset. */
export function at(iso: string): number {
  const ms = Date.parse(iso);
  if (!Number.isFinite(ms)) throw new Error(`bad test instant ${iso}`);
  return ms / 1000;
}

/** Instants where a zone's UTC offset changes between `from` and `to`, to the hour. */
export function offsetChanges(timeZone: string, from: number, to: number): number[] {
  const f = new Intl.DateTimeFormat('en-US', { timeZone, timeZoneName: 'longOffset' });
  const offset = (t: number): string => f.formatToParts(new Date(t * 1000)).find((p) => p.type === 'timeZoneName')!.value;
  const out: number[] = [];
  let prev = offset(from);
  for (let t = from + 6 * 3600; t < to; t += 6 * 3600) {
    const o = offset(t);
    if (o !== prev) out.push(t);
    prev = o;
  }
  return out;
}
