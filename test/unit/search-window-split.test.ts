/**
 * src/engine/search/window.ts and split.ts: the search filters for a window
 * must select every record of [lo, hi) whatever Intercom's date comparison
 * does (reference: intercom-api.md section 2; incremental-scan-notes.md
 * sections 1-2), and splitting must partition a window exactly.
 *
 * The three readings of Intercom's `>`/`<` on a date field:
 * - strict: `> v` is t > v, `< v` is t < v;
 * - inclusive: conversation search documents them as "greater (or equal)" and
 *   "lower (or equal)": t >= v, t <= v;
 * - day truncation (contact search): `> T` matches from the start of the zoned
 *   day after T's day, `< T` matches before the start of T's day; i.e. compares
 *   calendar dates in the workspace zone.
 */
import t, { type Test } from 'tap';
import {
  inWindow,
  nextUnitStart,
  rangeFilters,
  unitStart,
  windowQuery,
  type DateGrid,
  type Filter,
  type Range,
  type SearchWindow,
} from '../../src/engine/search/window.js';
import { MAX_ID_SUFFIX, splitRange, splitWindow } from '../../src/engine/search/split.js';
import type { JsonObject } from '../../src/protocol/types.js';
import { at, isDayStart, localDate, offsetChanges, oracleDayStart, oracleNextDayStart, pick, randInt, rng } from './helpers.js';

type Reading = 'strict' | 'inclusive' | 'day';

const H = 3600;
const DAY = 86400;

/** Whether the instant t satisfies one filter under a reading. */
function matchesFilter(x: number, f: Filter, reading: Reading, zone: string): boolean {
  const v = Number(f.value);
  if (reading === 'day') {
    const d = localDate(x, zone);
    const dv = localDate(v, zone);
    if (f.operator === '>') return d > dv;
    if (f.operator === '<') return d < dv;
    if (f.operator === '=') return d === dv;
  } else {
    if (f.operator === '>') return reading === 'strict' ? x > v : x >= v;
    if (f.operator === '<') return reading === 'strict' ? x < v : x <= v;
  }
  throw new Error(`operator ${f.operator} is not one contact search allows on dates`);
}

function matchesAll(x: number, filters: Filter[], reading: Reading, zone: string): boolean {
  return filters.every((f) => matchesFilter(x, f, reading, zone));
}

/** Length of the grid unit containing x, from the oracle. */
function unitLength(x: number, grid: DateGrid): number {
  return grid.resolution === 'day' ? oracleNextDayStart(x, grid.timeZone) - oracleDayStart(x, grid.timeZone) : 1;
}

/** Day starts (oracle) in [from, to]. */
function dayStartsBetween(from: number, to: number, zone: string): number[] {
  const out: number[] = [];
  let s = oracleDayStart(from, zone);
  while (s <= to) {
    if (s >= from) out.push(s);
    s = oracleNextDayStart(s, zone);
  }
  return out;
}

/**
 * Checks one range under one reading: every t in [lo, hi) matches, and
 * nothing matches further than one unit (plus the margin) outside.
 * Readings select intervals, so the extremes are found by scanning the
 * candidate points where a match can start or stop, plus random points.
 */
function checkRange(
  tt: Test,
  range: Range,
  grid: DateGrid,
  reading: Reading,
  truncationZone: string,
  random: () => number,
  checkOverSelection = true,
): boolean {
  const filters = rangeFilters('updated_at', range, grid);
  const margin = grid.queryMargin ?? 0;
  const inside: number[] = [range.lo, range.lo + 1, range.hi - 1, range.hi - 2].filter((x) => x >= range.lo && x < range.hi);
  for (let i = 0; i < 12; i++) inside.push(randInt(random, range.lo, range.hi));
  if (grid.resolution === 'day' || reading === 'day') {
    for (const s of dayStartsBetween(range.lo, range.hi, truncationZone)) inside.push(s - 1, s, s + 1);
    inside.splice(0, inside.length, ...inside.filter((x) => x >= range.lo && x < range.hi));
  } else if (range.hi - range.lo <= 5000) {
    for (let x = range.lo; x < range.hi; x++) inside.push(x);
  }
  const missed = inside.find((x) => !matchesAll(x, filters, reading, truncationZone));
  const ctx = `${reading} reading, zone ${truncationZone}, grid ${grid.resolution}/${grid.timeZone}/margin ${margin}, range [${range.lo}, ${range.hi}) filters ${JSON.stringify(filters)}`;
  if (missed !== undefined) {
    tt.fail(`t=${missed} in the range is not selected: ${ctx}`);
    return false;
  }
  if (!checkOverSelection) return true;
  const lowBound = range.lo - margin - unitLength(range.lo - margin, grid);
  const highBound = range.hi - 1 + margin + unitLength(range.hi - 1 + margin, grid);
  const outside: number[] = [lowBound - 1, lowBound - 2, highBound + 1, highBound + 2];
  for (let i = 0; i < 6; i++) {
    outside.push(lowBound - 1 - randInt(random, 0, 3 * DAY), highBound + 1 + randInt(random, 0, 3 * DAY));
  }
  for (const v of filters.map((f) => Number(f.value))) outside.push(v - 1, v, v + 1);
  const extra = outside.find((x) => (x < lowBound || x > highBound) && matchesAll(x, filters, reading, truncationZone));
  if (extra !== undefined) {
    tt.fail(`t=${extra} is selected though more than one unit outside [${lowBound}, ${highBound}]: ${ctx}`);
    return false;
  }
  return true;
}

/** Random ranges around the zone's 2026 offset changes (or anywhere in 2026), some snapped to day starts. */
function randomRanges(random: () => number, zone: string, n: number, maxLength: number): Range[] {
  const changes = offsetChanges(zone, at('2026-01-01T00:00:00Z'), at('2027-01-01T00:00:00Z'));
  const out: Range[] = [];
  for (let i = 0; i < n; i++) {
    const anchor = changes.length > 0 && random() < 0.7 ? pick(random, changes) : randInt(random, at('2026-01-01T00:00:00Z'), at('2027-01-01T00:00:00Z'));
    let lo = anchor + randInt(random, -3 * DAY, 3 * DAY);
    const r = random();
    const length = r < 0.15 ? 1 : r < 0.45 ? randInt(random, 1, 2 * H) : r < 0.75 ? randInt(random, 1, DAY + 2 * H) : randInt(random, 1, maxLength);
    let hi = lo + length;
    if (random() < 0.3) lo = oracleDayStart(lo, zone);
    if (random() < 0.3) hi = oracleNextDayStart(hi - 1, zone);
    if (hi <= lo) hi = lo + 1;
    out.push({ lo, hi });
  }
  return out;
}

function checkGrid(tt: Test, grid: DateGrid, readings: Reading[], seed: number, n = 150): void {
  const random = rng(seed);
  let ok = 0;
  let total = 0;
  for (const range of randomRanges(random, grid.timeZone, n, 4 * DAY)) {
    for (const reading of readings) {
      total += 1;
      if (checkRange(tt, range, grid, reading, grid.timeZone, random)) ok += 1;
      else if (total - ok >= 3) break;
    }
    if (total - ok >= 3) break;
  }
  tt.equal(ok, total, `${grid.resolution}/${grid.timeZone}/margin ${grid.queryMargin ?? 0}: all ${total} range x reading checks pass`);
}

t.test('rangeFilters: two date filters, > then <, integer values', (tt) => {
  for (const grid of [
    { resolution: 'second', timeZone: 'UTC' },
    { resolution: 'day', timeZone: 'America/Los_Angeles' },
    { resolution: 'day', timeZone: 'UTC', queryMargin: DAY },
  ] as DateGrid[]) {
    const filters = rangeFilters('created_at', { lo: at('2026-03-08T10:00:00Z'), hi: at('2026-03-09T10:00:00Z') }, grid);
    tt.equal(filters.length, 2);
    tt.same(
      filters.map((f) => [f.field, f.operator]),
      [
        ['created_at', '>'],
        ['created_at', '<'],
      ],
    );
    for (const f of filters) tt.ok(Number.isInteger(f.value), `${String(f.value)} is an integer`);
  }
  tt.end();
});

t.test('rangeFilters, second resolution: strict and inclusive readings', (tt) => {
  checkGrid(tt, { resolution: 'second', timeZone: 'UTC' }, ['strict', 'inclusive'], 11, 300);
  checkGrid(tt, { resolution: 'second', timeZone: 'UTC', queryMargin: 5 }, ['strict', 'inclusive'], 12, 200);
  tt.end();
});

t.test('rangeFilters, day resolution: strict, inclusive and day-truncation readings', (tt) => {
  const zones = ['UTC', 'America/Los_Angeles', 'Asia/Kolkata', 'Australia/Lord_Howe', 'America/Santiago', 'Europe/London'];
  zones.forEach((timeZone, i) => {
    checkGrid(tt, { resolution: 'day', timeZone }, ['strict', 'inclusive', 'day'], 20 + i);
    checkGrid(tt, { resolution: 'day', timeZone, queryMargin: 3 * H }, ['strict', 'inclusive', 'day'], 40 + i, 60);
    checkGrid(tt, { resolution: 'day', timeZone, queryMargin: DAY }, ['strict', 'inclusive', 'day'], 60 + i, 60);
  });
  tt.end();
});

t.test('rangeFilters, day resolution: a range on 2026-03-08 in Los Angeles (23-hour day)', (tt) => {
  const grid: DateGrid = { resolution: 'day', timeZone: 'America/Los_Angeles' };
  const range = { lo: at('2026-03-08T01:30:00-08:00'), hi: at('2026-03-08T05:00:00-07:00') };
  const filters = rangeFilters('updated_at', range, grid);
  // Under day truncation the query must reach back to the start of 2026-03-08 and on through its end.
  for (const x of [at('2026-03-08T00:00:00-08:00'), range.lo, range.hi - 1, at('2026-03-08T23:59:59-07:00')]) {
    tt.ok(matchesAll(x, filters, 'day', 'America/Los_Angeles'), `${x} selected`);
  }
  tt.notOk(matchesAll(at('2026-03-07T12:00:00-08:00'), filters, 'day', 'America/Los_Angeles'), 'the day before is not');
  tt.notOk(matchesAll(at('2026-03-09T12:00:00-07:00'), filters, 'day', 'America/Los_Angeles'), 'the day after is not');
  tt.end();
});

t.test('rangeFilters with a one-day queryMargin (zone unknown, grid in UTC) covers the range in whatever zone Intercom truncates in', (tt) => {
  const grid: DateGrid = { resolution: 'day', timeZone: 'UTC', queryMargin: DAY };
  const actualZones = ['Pacific/Kiritimati', 'Pacific/Pago_Pago', 'America/Los_Angeles', 'Asia/Kolkata', 'Australia/Lord_Howe', 'Europe/London', 'America/St_Johns', 'Pacific/Chatham'];
  const random = rng(5);
  let ok = 0;
  let total = 0;
  for (const zone of actualZones) {
    for (const range of randomRanges(random, zone, 60, 3 * DAY)) {
      total += 1;
      if (checkRange(tt, range, grid, 'day', zone, random, false)) ok += 1;
    }
  }
  tt.equal(ok, total, `all ${total} ranges covered`);
  tt.end();
});

t.test('rangeFilters in Atlantic/Azores (midnight happens twice on 2026-10-25) under day truncation', (tt) => {
  checkGrid(tt, { resolution: 'day', timeZone: 'Atlantic/Azores' }, ['strict', 'inclusive', 'day'], 90, 200);
  // The concrete case: contacts updated on the afternoon of 2026-10-25.
  const grid: DateGrid = { resolution: 'day', timeZone: 'Atlantic/Azores' };
  const range = { lo: at('2026-10-25T12:00:00-01:00'), hi: at('2026-10-25T18:00:00-01:00') };
  const filters = rangeFilters('updated_at', range, grid);
  tt.ok(matchesAll(range.lo, filters, 'day', 'Atlantic/Azores'), `lo is selected by ${JSON.stringify(filters)}`);
  tt.end();
});

t.test('unitStart / nextUnitStart', (tt) => {
  const sec: DateGrid = { resolution: 'second', timeZone: 'UTC' };
  tt.equal(unitStart(1000, sec), 1000);
  tt.equal(nextUnitStart(1000, sec), 1001);
  const la: DateGrid = { resolution: 'day', timeZone: 'America/Los_Angeles' };
  tt.equal(unitStart(at('2026-11-01T23:00:00-08:00'), la), at('2026-11-01T00:00:00-07:00'));
  tt.equal(nextUnitStart(at('2026-11-01T23:00:00-08:00'), la), at('2026-11-02T00:00:00-08:00'));
  tt.end();
});

t.test('windowQuery: updated filters, created filters only when narrowed, id suffix, within Intercom limits', (tt) => {
  const grid: DateGrid = { resolution: 'second', timeZone: 'UTC' };
  const createdFull = { lo: 0, hi: 2000 };
  const w: SearchWindow = { updated: { lo: 1000, hi: 2000 }, created: { ...createdFull }, ids: [] };
  const q1 = windowQuery(w, grid, createdFull);
  tt.equal(q1.operator, 'AND');
  const v1 = q1.value as Filter[];
  tt.same(
    v1.map((f) => f.field),
    ['updated_at', 'updated_at'],
    'full created range and no suffix: only updated_at',
  );
  const q2 = windowQuery({ ...w, created: { lo: 500, hi: 2000 }, ids: [{ suffix: '4f' }] }, grid, createdFull);
  const v2 = q2.value as Filter[];
  tt.same(v2.map((f) => f.field).sort(), ['created_at', 'created_at', 'id', 'updated_at', 'updated_at']);
  tt.same(
    v2.find((f) => f.field === 'id'),
    { field: 'id', operator: '$', value: '4f' },
  );
  tt.ok(v2.length <= 15, 'at most 15 filters in a group');
  for (const f of v2) tt.notOk('value' in f && Array.isArray((f as JsonObject).value), 'flat: one level of nesting');
  // The created filters select the narrowed created range under the strict reading.
  const created = v2.filter((f) => f.field === 'created_at');
  tt.ok(matchesAll(500, created, 'strict', 'UTC') && matchesAll(1999, created, 'strict', 'UTC'));
  tt.end();
});

t.test('inWindow: [lo, hi) on updated_at and created_at, id suffix', (tt) => {
  const w: SearchWindow = { updated: { lo: 100, hi: 200 }, created: { lo: 10, hi: 50 }, ids: [{ suffix: 'ab' }] };
  const rec = (u: unknown, c: unknown, id: unknown): JsonObject => ({ updated_at: u, created_at: c, id });
  tt.ok(inWindow(rec(100, 10, '1ab'), w), 'lower bounds are inclusive');
  tt.notOk(inWindow(rec(200, 10, '1ab'), w), 'updated hi is exclusive');
  tt.ok(inWindow(rec(199, 49, '1ab'), w));
  tt.notOk(inWindow(rec(99, 10, '1ab'), w), 'below updated lo');
  tt.notOk(inWindow(rec(150, 50, '1ab'), w), 'created hi is exclusive');
  tt.notOk(inWindow(rec(150, 9, '1ab'), w), 'below created lo');
  tt.notOk(inWindow(rec(150, 20, 'b'), w), 'id shorter than the suffix');
  tt.notOk(inWindow(rec(150, 20, '1ba'), w), 'id without the suffix');
  tt.ok(inWindow(rec(150, 20, 'ab'), w), 'id equal to the suffix ends with it');
  tt.notOk(inWindow(rec(150, 20, 'ab'), { ...w, ids: [{ suffix: 'b', exact: true }] }), 'an exact cell holds only its own id');
  tt.ok(inWindow(rec('150', '20', 'cab'), w), 'numeric strings');
  tt.ok(inWindow(rec(new Date(150_000).toISOString(), 20, 'cab'), w), 'ISO strings');
  tt.ok(inWindow(rec(150_000, 20_000, 'cab'), { ...w, updated: { lo: 100, hi: 200 } }) === false, 'milliseconds: 150000 ms is 150 s');
  tt.ok(inWindow(rec(150, null, 'cab'), w), 'no created_at: only updated_at decides');
  tt.ok(inWindow({ id: 'zz' }, w), 'no readable updated_at: kept rather than lost');
  tt.ok(inWindow(rec(150, 20, 12), { ...w, ids: [{ suffix: '2' }] }), 'numeric ids compare as strings');
  tt.ok(inWindow(rec(150, 20, 'anything'), { ...w, ids: [] }), 'no id constraint matches all');
  tt.end();
});

/* ------------------------------------------------------------------ splitRange */

function checkPieces(tt: Test, range: Range, pieces: Range[], grid: DateGrid, label: string): boolean {
  const problems: string[] = [];
  if (pieces.length === 0) problems.push('no pieces');
  else {
    if (pieces[0]!.lo !== range.lo) problems.push('first piece does not start at lo');
    if (pieces[pieces.length - 1]!.hi !== range.hi) problems.push('last piece does not end at hi');
    pieces.forEach((p, i) => {
      if (!(p.lo < p.hi)) problems.push(`piece ${i} is empty`);
      if (i > 0 && pieces[i - 1]!.hi !== p.lo) problems.push(`gap or overlap before piece ${i}`);
      if (i > 0 && grid.resolution === 'day' && !isDayStart(p.lo, grid.timeZone)) problems.push(`cut ${p.lo} is not a day start`);
      if (i > 0 && !Number.isInteger(p.lo)) problems.push(`cut ${p.lo} is not a whole second`);
    });
  }
  const boundaryInside = grid.resolution === 'day' ? localDate(range.lo, grid.timeZone) !== localDate(range.hi - 1, grid.timeZone) : range.hi - range.lo >= 2;
  if (boundaryInside && pieces.length < 2) problems.push('a unit boundary lies inside but the range was not cut');
  if (!boundaryInside && pieces.length !== 1) problems.push('a range within one unit was cut');
  if (problems.length > 0) {
    tt.fail(`${label}: ${problems.join('; ')} (range ${JSON.stringify(range)}, pieces ${JSON.stringify(pieces)})`);
    return false;
  }
  return true;
}

function randomSample(random: () => number, range: Range, n: number): number[] {
  const out: number[] = [];
  const mode = random();
  for (let i = 0; i < n; i++) {
    if (mode < 0.3) out.push(randInt(random, range.lo, range.hi));
    else if (mode < 0.6) out.push(range.lo + Math.floor((range.hi - range.lo) * random() ** 4)); // skewed
    else if (mode < 0.8) out.push(random() < 0.6 ? range.lo + Math.floor((range.hi - range.lo) / 3) : randInt(random, range.lo, range.hi)); // a bulk update
    else out.push(randInt(random, range.lo - 1000, range.hi + 1000)); // some outside
  }
  return out;
}

t.test('splitRange: contiguous pieces covering the range exactly, cut only at unit boundaries', (tt) => {
  const random = rng(3);
  const grids: DateGrid[] = [
    { resolution: 'second', timeZone: 'UTC' },
    { resolution: 'day', timeZone: 'UTC' },
    { resolution: 'day', timeZone: 'America/Los_Angeles' },
    { resolution: 'day', timeZone: 'Australia/Lord_Howe' },
    { resolution: 'day', timeZone: 'Asia/Kolkata' },
  ];
  let ok = 0;
  let total = 0;
  for (const grid of grids) {
    for (const range of randomRanges(random, grid.timeZone, 150, 40 * DAY)) {
      for (const k of [2, 3, 7, 16]) {
        const sample = random() < 0.2 ? [] : randomSample(random, range, randInt(random, 1, 300));
        total += 1;
        if (checkPieces(tt, range, splitRange(range, sample, k, grid), grid, `${grid.resolution}/${grid.timeZone} k=${k}`)) ok += 1;
      }
    }
  }
  tt.equal(ok, total, `all ${total} splits are exact partitions`);
  tt.end();
});

t.test('splitRange: small ranges in seconds are split whenever two seconds are inside', (tt) => {
  const grid: DateGrid = { resolution: 'second', timeZone: 'UTC' };
  for (let len = 1; len <= 40; len++) {
    for (const k of [2, 5, 16]) {
      const range = { lo: 1_000_000, hi: 1_000_000 + len };
      checkPieces(tt, range, splitRange(range, [], k, grid), grid, `len ${len} k ${k}, no sample`);
      checkPieces(tt, range, splitRange(range, [range.lo, range.lo, range.lo], k, grid), grid, `len ${len} k ${k}, all at lo`);
      checkPieces(tt, range, splitRange(range, [range.hi - 1], k, grid), grid, `len ${len} k ${k}, all at hi-1`);
    }
  }
  tt.end();
});

t.test('splitRange: a heavily repeated value gets a unit of its own', (tt) => {
  const random = rng(4);
  const grids: DateGrid[] = [
    { resolution: 'second', timeZone: 'UTC' },
    { resolution: 'day', timeZone: 'America/Los_Angeles' },
    { resolution: 'day', timeZone: 'Asia/Kolkata' },
  ];
  for (const grid of grids) {
    for (let i = 0; i < 60; i++) {
      const lo = randInt(random, at('2026-01-01T00:00:00Z'), at('2026-12-01T00:00:00Z'));
      const range = { lo, hi: lo + (grid.resolution === 'day' ? randInt(random, 3 * DAY, 60 * DAY) : randInt(random, 10, 5000)) };
      const hot = randInt(random, range.lo, range.hi);
      const k = pick(random, [2, 4, 16]);
      // The hot value is 60% of the sample (a bulk update), more than 1/k of it for any k >= 2.
      const sample = [...Array.from({ length: 60 }, () => hot), ...Array.from({ length: 40 }, () => randInt(random, range.lo, range.hi))];
      const pieces = splitRange(range, sample, k, grid);
      const unit =
        grid.resolution === 'day'
          ? { lo: Math.max(range.lo, oracleDayStart(hot, grid.timeZone)), hi: Math.min(range.hi, oracleNextDayStart(hot, grid.timeZone)) }
          : { lo: hot, hi: hot + 1 };
      const piece = pieces.find((p) => p.lo <= hot && hot < p.hi);
      tt.same(piece, unit, `${grid.resolution}/${grid.timeZone}: value ${hot} (k=${k}) is alone in its unit`);
    }
  }
  tt.end();
});

t.test('splitRange: a range of one unit is returned whole', (tt) => {
  const sec: DateGrid = { resolution: 'second', timeZone: 'UTC' };
  tt.same(splitRange({ lo: 50, hi: 51 }, [50, 50, 50], 16, sec), [{ lo: 50, hi: 51 }]);
  tt.same(splitRange({ lo: 50, hi: 51 }, [], 2, sec), [{ lo: 50, hi: 51 }]);
  for (const timeZone of ['UTC', 'America/Los_Angeles', 'Australia/Lord_Howe']) {
    const grid: DateGrid = { resolution: 'day', timeZone };
    for (const day of ['2026-03-08T12:00:00Z', '2026-11-01T20:00:00Z', '2026-04-05T06:00:00Z', '2026-10-04T06:00:00Z', '2026-06-15T06:00:00Z']) {
      const x = at(day);
      const range = { lo: oracleDayStart(x, timeZone), hi: oracleNextDayStart(x, timeZone) };
      tt.same(splitRange(range, [x, x, x, range.lo, range.hi - 1], 16, grid), [range], `${timeZone} ${day}: the whole day`);
      tt.same(splitRange(range, [], 4, grid), [range], `${timeZone} ${day}: the whole day, no sample`);
      const part = { lo: range.lo + 100, hi: range.hi - 100 };
      tt.same(splitRange(part, [x], 4, grid), [part], `${timeZone} ${day}: part of one day`);
    }
  }
  tt.end();
});

t.test('splitRange: about k pieces, plus a unit of its own for each repeated value', (tt) => {
  const sec: DateGrid = { resolution: 'second', timeZone: 'UTC' };
  const random = rng(8);
  let over = 0;
  let example = '';
  for (let i = 0; i < 500; i++) {
    const lo = randInt(random, 0, 1e9);
    const range = { lo, hi: lo + randInt(random, 2, 10000) };
    const k = pick(random, [2, 3, 4, 8, 16]);
    const sample = randomSample(random, range, randInt(random, 1, 200));
    const pieces = splitRange(range, sample, k, sec);
    // k - 1 quantile cuts, and at most k - 1 repeated values (each seen more than n/k times) with two cuts each.
    if (pieces.length > 3 * k - 2) {
      over += 1;
      example ||= `k=${k}, range ${JSON.stringify(range)}: ${pieces.length} pieces`;
    }
  }
  tt.same(
    splitRange({ lo: 0, hi: 10 }, [1, 5, 5, 5, 9], 2, sec).map((p) => p.lo),
    [0, 5, 6],
    'k=2, a hot value in the middle: the value gets a unit of its own',
  );
  tt.equal(over, 0, `no split exceeds 3k - 2 pieces${example ? ` (e.g. ${example})` : ''}`);
  tt.end();
});

/* ------------------------------------------------------------------ splitWindow */

const HEX = '0123456789abcdef';
const DIGITS = '0123456789';

function record(random: () => number, w: SearchWindow, id: string): JsonObject {
  const u = randInt(random, w.updated.lo, w.updated.hi);
  const clo = w.created.lo;
  const chi = Math.min(w.created.hi, u + 1);
  const c = chi > clo ? randInt(random, clo, chi) : clo;
  return { id, updated_at: u, created_at: c };
}

function children(tt: Test, parent: SearchWindow, kids: SearchWindow[] | null, records: JsonObject[], label: string): boolean {
  if (kids === null) {
    tt.fail(`${label}: no split`);
    return false;
  }
  for (const r of records) {
    if (!inWindow(r, parent)) continue;
    const n = kids.filter((k) => inWindow(r, k)).length;
    if (n !== 1) {
      tt.fail(`${label}: record ${JSON.stringify(r)} is in ${n} children of ${JSON.stringify(parent)}`);
      return false;
    }
  }
  return true;
}

t.test('splitWindow: by updated_at first, keeping created and prefix', (tt) => {
  const grid: DateGrid = { resolution: 'second', timeZone: 'UTC' };
  const random = rng(9);
  const w: SearchWindow = { updated: { lo: 1000, hi: 5000 }, created: { lo: 0, hi: 5000 }, ids: [] };
  const sample = Array.from({ length: 150 }, (_, i) => record(random, w, `id${i}`));
  const kids = splitWindow({ window: w, sample, estimate: 1000, pageSize: 150, grid, idAlphabet: HEX });
  tt.ok(kids && kids.length >= 2, 'split');
  for (const k of kids ?? []) {
    tt.same(k.created, w.created, 'created unchanged');
    tt.same(k.ids, [], 'ids unchanged');
  }
  children(tt, w, kids, sample, 'by updated');
  tt.end();
});

t.test('splitWindow: by created_at when updated_at is one unit', (tt) => {
  const random = rng(10);
  for (const grid of [
    { resolution: 'second', timeZone: 'UTC' },
    { resolution: 'day', timeZone: 'America/Los_Angeles' },
  ] as DateGrid[]) {
    const uLo = grid.resolution === 'day' ? at('2026-03-08T00:00:00-08:00') : 1_700_000_000;
    const uHi = grid.resolution === 'day' ? at('2026-03-09T00:00:00-07:00') : uLo + 1;
    const w: SearchWindow = { updated: { lo: uLo, hi: uHi }, created: { lo: 0, hi: uHi }, ids: [] };
    const sample = Array.from({ length: 150 }, (_, i) => record(random, w, `c${i}`));
    const kids = splitWindow({ window: w, sample, estimate: 400, pageSize: 150, grid, idAlphabet: HEX });
    tt.ok(kids && kids.length >= 2, `${grid.resolution}: split`);
    for (const k of kids ?? []) tt.same(k.updated, w.updated, 'updated unchanged');
    children(tt, w, kids, sample, `${grid.resolution} by created`);
  }
  tt.end();
});

t.test('splitWindow: by id suffix when both dates are one unit, null at MAX_ID_SUFFIX', (tt) => {
  const grid: DateGrid = { resolution: 'second', timeZone: 'UTC' };
  const w: SearchWindow = { updated: { lo: 500, hi: 501 }, created: { lo: 400, hi: 401 }, ids: [{ suffix: '7' }] };
  const sample = Array.from({ length: 150 }, (_, i) => ({ id: `${i}7`, updated_at: 500, created_at: 400 }));
  const kids = splitWindow({ window: w, sample, estimate: 300, pageSize: 150, grid, idAlphabet: DIGITS });
  tt.equal(kids?.length, 3, 'as many children as the estimate needs (300 records: 3)');
  tt.same(
    kids?.flatMap((k) => k.ids.map((m) => `${m.suffix}${m.exact ? '=' : '$'}`)),
    ['7=', ...[...DIGITS].map((d) => `${d}7$`)],
    'the id equal to the suffix, then one character more before it, across the children',
  );
  for (const k of kids ?? []) {
    tt.same(k.updated, w.updated);
    tt.same(k.created, w.created);
  }
  const deepest = { ...w, ids: [{ suffix: 'a'.repeat(MAX_ID_SUFFIX) }] };
  tt.equal(splitWindow({ window: deepest, sample, estimate: 300, pageSize: 150, grid, idAlphabet: DIGITS }), null, 'nothing left to split');
  const almost = { ...w, ids: [{ suffix: 'a'.repeat(MAX_ID_SUFFIX - 1) }] };
  const last = splitWindow({ window: almost, sample, estimate: 300, pageSize: 150, grid, idAlphabet: DIGITS });
  tt.ok(last && last.every((k) => k.ids.every((m) => m.suffix.length === MAX_ID_SUFFIX || m.exact)), 'children reach MAX_ID_SUFFIX');
  const wide = { ...deepest, updated: { lo: 500, hi: 600 } };
  tt.ok(splitWindow({ window: wide, sample, estimate: 300, pageSize: 150, grid, idAlphabet: DIGITS }), 'a full suffix does not stop a split by date');
  tt.end();
});

t.test('splitWindow property: every record of the parent lies in exactly one child (24-hex ids)', (tt) => {
  const random = rng(12);
  let ok = 0;
  let total = 0;
  for (let i = 0; i < 300; i++) {
    const grid: DateGrid = pick(random, [
      { resolution: 'second', timeZone: 'UTC' },
      { resolution: 'day', timeZone: 'America/Los_Angeles' },
      { resolution: 'day', timeZone: 'Asia/Kolkata' },
    ] as DateGrid[]);
    const uLo = randInt(random, at('2026-01-01T00:00:00Z'), at('2026-12-01T00:00:00Z'));
    const span = pick(random, [1, 2, 100, 3 * DAY, 40 * DAY]);
    const prefix = Array.from({ length: randInt(random, 0, 4) }, () => pick(random, [...HEX])).join('');
    const createdSpan = pick(random, [1, 50, 10 * DAY]);
    const w: SearchWindow = { updated: { lo: uLo, hi: uLo + span }, created: { lo: uLo - createdSpan + 1, hi: uLo + 1 }, ids: prefix ? [{ suffix: prefix }] : [] };
    const records: JsonObject[] = Array.from({ length: 200 }, () => {
      const id = Array.from({ length: 24 - prefix.length }, () => pick(random, [...HEX])).join('') + prefix;
      return record(random, w, id);
    });
    const sample = records.slice(0, 150);
    total += 1;
    if (children(tt, w, splitWindow({ window: w, sample, estimate: 200, pageSize: 150, grid, idAlphabet: HEX }), records, `case ${i}`)) ok += 1;
  }
  tt.equal(ok, total, `all ${total} splits partition their records`);
  tt.end();
});

t.test('splitWindow: numeric ids of varying length (conversations, tickets) all land in a child', (tt) => {
  // Conversation ids are decimal strings that grow in length over time: ids 1..200
  // imported in the same second share updated_at and created_at.
  const grid: DateGrid = { resolution: 'second', timeZone: 'UTC' };
  const records = Array.from({ length: 200 }, (_, i) => ({ id: String(i + 1), updated_at: 1_700_000_000, created_at: 1_700_000_000 }));
  const root: SearchWindow = { updated: { lo: 1_700_000_000, hi: 1_700_000_001 }, created: { lo: 1_700_000_000, hi: 1_700_000_001 }, ids: [] };
  const level1 = splitWindow({ window: root, sample: records.slice(0, 150), estimate: 200, pageSize: 150, grid, idAlphabet: DIGITS });
  children(tt, root, level1, records, 'root by suffix');
  const one = level1?.find((k) => k.ids.some((m) => m.suffix === '1'));
  tt.ok(one, 'a child for suffix "1"');
  if (one) {
    const inOne = records.filter((r) => inWindow(r, one));
    tt.ok(inOne.some((r) => r.id === '1'), 'the conversation with id "1" lies in the window with suffix "1"');
    const level2 = splitWindow({ window: one, sample: inOne, estimate: inOne.length, pageSize: 100, grid, idAlphabet: DIGITS });
    children(tt, one, level2, records, 'suffix "1" by suffix');
  }
  tt.end();
});
