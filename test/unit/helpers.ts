/**
 * Oracles and generators shared by the unit tests. The oracles are written
 * from Intl directly, independent of the code under test.
 */
import { fileURLToPath } from 'node:url';

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

/*
 * Run directly (as `npx tap test/unit` does with every file in the folder),
 * this module checks its own oracles against instants written out by hand,
 * so the tests that rely on them stand on checked ground.
 */
if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const { default: t } = await import('tap');
  t.test('oracles: local dates and day starts from Intl', (tt) => {
    tt.equal(localDate(at('2026-03-08T07:59:59Z'), 'America/Los_Angeles'), '2026-03-07');
    tt.equal(localDate(at('2026-03-08T08:00:00Z'), 'America/Los_Angeles'), '2026-03-08');
    tt.equal(localDate(at('2026-03-07T18:30:00Z'), 'Asia/Kolkata'), '2026-03-08');
    tt.equal(oracleDayStart(at('2026-03-08T20:00:00Z'), 'America/Los_Angeles'), at('2026-03-08T00:00:00-08:00'));
    tt.equal(oracleNextDayStart(at('2026-03-08T20:00:00Z'), 'America/Los_Angeles'), at('2026-03-09T00:00:00-07:00'));
    tt.equal(oracleDayStart(at('2026-10-25T12:00:00Z'), 'Atlantic/Azores'), at('2026-10-25T00:00:00Z'), 'first of two midnights');
    tt.ok(isDayStart(at('2026-11-02T00:00:00-08:00'), 'America/Los_Angeles'));
    tt.notOk(isDayStart(at('2026-11-01T01:30:00-08:00'), 'America/Los_Angeles'));
    tt.same(
      offsetChanges('America/Los_Angeles', at('2026-01-01T00:00:00Z'), at('2027-01-01T00:00:00Z')).length,
      2,
      'two offset changes a year in Los Angeles',
    );
    tt.end();
  });
  t.test('oracles: the PRNG is deterministic and in [0, 1)', (tt) => {
    const a = rng(9);
    const b = rng(9);
    const xs = Array.from({ length: 1000 }, () => a());
    tt.same(xs, Array.from({ length: 1000 }, () => b()), 'same seed, same sequence');
    tt.ok(xs.every((x) => x >= 0 && x < 1), 'in [0, 1)');
    tt.ok(new Set(xs).size > 990, 'not stuck');
    tt.end();
  });
}
