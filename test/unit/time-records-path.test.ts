/**
 * src/util/time.ts toUnixSeconds: integers, numeric strings, milliseconds and
 * ISO 8601 strings become Unix seconds; anything else is null.
 * src/util/records-path.ts recordsAt: the objects a JSONPath selects; the fast
 * walk for `$.a.b[*]` must agree with a general JSONPath evaluation.
 */
import t from 'tap';
import { JSONPath } from 'jsonpath-plus';
import { isoFromSeconds, toUnixSeconds } from '../../src/util/time.js';
import { recordsAt } from '../../src/util/records-path.js';
import type { JsonObject } from '../../src/protocol/types.js';
import { pick, randInt, rng } from './helpers.js';

const X = Date.UTC(2023, 1, 15, 11, 53, 51) / 1000; // 1676462031

t.test('toUnixSeconds: numbers', (tt) => {
  tt.equal(toUnixSeconds(X), X);
  tt.equal(toUnixSeconds(X + 0.999), X, 'fractions floor');
  tt.equal(toUnixSeconds(0), 0);
  tt.equal(toUnixSeconds(7626086649), 7626086649, 'far future seconds (year 2211) stay seconds');
  tt.equal(toUnixSeconds(X * 1000), X, 'milliseconds');
  tt.equal(toUnixSeconds(X * 1000 + 999), X, 'milliseconds floor to the second');
  tt.equal(toUnixSeconds(NaN), null);
  tt.equal(toUnixSeconds(Infinity), null);
  tt.equal(toUnixSeconds(-Infinity), null);
  tt.end();
});

t.test('toUnixSeconds: numeric strings', (tt) => {
  tt.equal(toUnixSeconds(String(X)), X, 'the official connector writes "1676286387"');
  tt.equal(toUnixSeconds(`${X}.5`), X);
  tt.equal(toUnixSeconds(String(X * 1000)), X, 'milliseconds as a string');
  tt.equal(toUnixSeconds(` ${X} `), X, 'surrounding spaces');
  tt.end();
});

t.test('toUnixSeconds: ISO 8601 strings', (tt) => {
  tt.equal(toUnixSeconds('2023-02-15T11:53:51Z'), X);
  tt.equal(toUnixSeconds('2023-02-15T11:53:51.999Z'), X);
  tt.equal(toUnixSeconds('2023-02-15T12:53:51+01:00'), X);
  tt.equal(toUnixSeconds('2023-02-15T06:23:51-05:30'), X);
  tt.equal(toUnixSeconds('2023-02-15T11:53:51.123456+00:00'), X, 'microseconds (Python isoformat)');
  tt.equal(toUnixSeconds('2023-02-15'), Date.UTC(2023, 1, 15) / 1000, 'a date alone is UTC midnight');
  tt.end();
});

t.test('toUnixSeconds: non-timestamps are null', (tt) => {
  for (const v of [null, undefined, true, false, {}, [], [X], { updated_at: X }, '', '   ', 'abc', '12abc', '1e5', 'NaN', 'Infinity']) {
    tt.equal(toUnixSeconds(v), null, JSON.stringify(v) ?? String(v));
  }
  tt.end();
});

t.test('toUnixSeconds: text that merely contains a number or a year is not a timestamp', (tt) => {
  // V8's Date.parse falls back to a lenient legacy parser; none of these is ISO 8601.
  for (const v of ['hello 2023', 'version 2', 'n/a 1999', '-5']) tt.equal(toUnixSeconds(v), null, JSON.stringify(v));
  tt.end();
});

t.test('isoFromSeconds round-trips through toUnixSeconds', (tt) => {
  const random = rng(51);
  for (let i = 0; i < 500; i++) {
    const s = randInt(random, 0, 4_000_000_000);
    const iso = isoFromSeconds(s);
    tt.match(iso, /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/);
    tt.equal(toUnixSeconds(iso), s);
  }
  tt.end();
});

/* ------------------------------------------------------------------ recordsAt */

t.test('recordsAt: simple paths', (tt) => {
  const body = { type: 'list', data: [{ id: 1 }, { id: 2 }], pages: { next: null } };
  tt.same(recordsAt(body, '$.data[*]'), [{ id: 1 }, { id: 2 }]);
  const conv = { conversation_parts: { total_count: 2, conversation_parts: [{ id: 'a' }, { id: 'b' }] } };
  tt.same(recordsAt(conv, '$.conversation_parts.conversation_parts[*]'), [{ id: 'a' }, { id: 'b' }]);
  tt.same(recordsAt({ data: [{ a: 1 }, 2, 'x', null, [{ b: 1 }], { c: 3 }] }, '$.data[*]'), [{ a: 1 }, { c: 3 }], 'objects only');
  tt.same(recordsAt({}, '$.data[*]'), [], 'missing');
  tt.same(recordsAt({ data: null }, '$.data[*]'), [], 'null');
  tt.same(recordsAt(null, '$.data[*]'), [], 'null body');
  tt.same(recordsAt({ data: 'x' }, '$.data[*]'), [], 'a string');
  tt.same(recordsAt({ a: null }, '$.a.b[*]'), [], 'null on the way');
  tt.end();
});

t.test('recordsAt: general paths go through JSONPath', (tt) => {
  const body = { data: [{ id: 1, tags: [{ t: 'a' }] }, { id: 2, tags: [{ t: 'b' }, { t: 'c' }] }] };
  tt.same(recordsAt(body, '$.data[*].tags[*]'), [{ t: 'a' }, { t: 'b' }, { t: 'c' }]);
  tt.same(recordsAt(body, "$['data'][*]"), body.data);
  tt.same(recordsAt(body, '$.data[?(@.id > 1)]'), [body.data[1]]);
  tt.end();
});

/** The reference: a general JSONPath evaluation, objects only. */
function reference(body: unknown, path: string): JsonObject[] {
  if (body === null || body === undefined) return [];
  const found = JSONPath({ path, json: body as object, wrap: true }) as unknown;
  return Array.isArray(found) ? (found.filter((v) => v !== null && typeof v === 'object' && !Array.isArray(v)) as JsonObject[]) : [];
}

function randomValue(random: () => number, depth: number): unknown {
  const r = random();
  if (depth <= 0 || r < 0.3) return pick(random, [null, 1, 'x', true, { leaf: randInt(random, 0, 9) }]);
  if (r < 0.65) return Array.from({ length: randInt(random, 0, 4) }, () => randomValue(random, depth - 1));
  const o: JsonObject = {};
  for (const k of ['a', 'b', 'data', 'c_1']) if (random() < 0.5) o[k] = randomValue(random, depth - 1);
  return o;
}

t.test('recordsAt property: the fast walk agrees with JSONPath on lists (array targets)', (tt) => {
  const random = rng(52);
  const paths = ['$.data[*]', '$.a.b[*]', '$.a.data.c_1[*]', '$.b[*]'];
  let checked = 0;
  for (let i = 0; i < 3000; i++) {
    const body = randomValue(random, 4);
    for (const path of paths) {
      const expected = reference(body, path);
      // Only bodies where the path ends on an array (every Intercom list does).
      let node: unknown = body;
      for (const k of path.slice(2, -3).split('.')) node = node && typeof node === 'object' && !Array.isArray(node) ? (node as JsonObject)[k] : undefined;
      if (!Array.isArray(node) && node !== undefined && node !== null && typeof node === 'object') continue;
      checked += 1;
      const got = recordsAt(body, path);
      if (JSON.stringify(got) !== JSON.stringify(expected)) {
        tt.fail(`${path} on ${JSON.stringify(body)}: ${JSON.stringify(got)} != ${JSON.stringify(expected)}`);
        return tt.end();
      }
      const general = recordsAt(body, `$${path.slice(1, -3).split('.').filter(Boolean).map((k) => `['${k}']`).join('')}[*]`);
      if (JSON.stringify(general) !== JSON.stringify(expected)) {
        tt.fail(`bracket form of ${path} disagrees`);
        return tt.end();
      }
    }
  }
  tt.ok(checked > 1000, `${checked} comparisons`);
  tt.end();
});

t.test('recordsAt: the fast walk agrees with JSONPath when the target is an object', (tt) => {
  // `[*]` on an object selects its member values in JSONPath.
  const body = { data: { first: { id: 1 }, second: { id: 2 } } };
  tt.same(reference(body, '$.data[*]'), [{ id: 1 }, { id: 2 }], 'sanity: what JSONPath selects');
  tt.same(recordsAt(body, "$['data'][*]"), [{ id: 1 }, { id: 2 }], 'the general branch');
  tt.same(recordsAt(body, '$.data[*]'), recordsAt(body, "$['data'][*]"), 'the simple branch gives the same');
  tt.end();
});
