/**
 * The search scan against a model of Intercom search (day-truncated contact
 * dates in a zone, second-precision conversation dates, sorted or unsorted
 * pages, total_count), over random workspaces with dense days, bulk seconds
 * and ids of varying length: every record in [lower, upper) is emitted
 * exactly once, checkpoints never pass a record not yet emitted, and the
 * requests stay close to one per page of records.
 */
import t from 'tap';
import type { IntercomClient } from '../../src/http/client.js';
import type { JsonObject } from '../../src/protocol/types.js';
import type { SearchSource } from '../../src/engine/definition.js';
import { contactSearch } from '../../src/streams/contacts.js';
import { conversationSearch } from '../../src/streams/conversations.js';
import type { SourceContext } from '../../src/engine/source-context.js';
import { scanSearch } from '../../src/engine/sources/search.js';
import { startOfNextZonedDay, startOfZonedDay } from '../../src/util/zoned-day.js';

type Filter = { field: string; operator: string; value: string | number };
type Group = { operator: 'AND' | 'OR'; value: Array<Filter | Group> };

function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let x = Math.imul(s ^ (s >>> 15), 1 | s);
    x = (x + Math.imul(x ^ (x >>> 7), 61 | x)) ^ x;
    return ((x ^ (x >>> 14)) >>> 0) / 4294967296;
  };
}

/** Intercom's comparison: contacts truncate dates to the zoned day; conversations compare to the second. */
function matches(r: JsonObject, f: Filter | Group, dayZone: string | null): boolean {
  if (!('field' in f)) return f.operator === 'AND' ? f.value.every((g) => matches(r, g, dayZone)) : f.value.some((g) => matches(r, g, dayZone));
  const v = r[f.field];
  if (f.field === 'id') return f.operator === '$' ? String(v).endsWith(String(f.value)) : String(v) === String(f.value);
  const x = Number(v);
  const y = Number(f.value);
  if (dayZone) {
    if (f.operator === '>') return x >= dayEdge('next', y, dayZone);
    if (f.operator === '<') return x < dayEdge('start', y, dayZone);
  }
  return f.operator === '>' ? x > y : x < y;
}

/** Day edges, remembered: a query compares every record against the same few values. */
const dayEdges = new Map<string, number>();
function dayEdge(which: 'start' | 'next', t: number, zone: string): number {
  const key = `${which}|${t}|${zone}`;
  let edge = dayEdges.get(key);
  if (edge === undefined) {
    edge = which === 'start' ? startOfZonedDay(t, zone) : startOfNextZonedDay(t, zone);
    dayEdges.set(key, edge);
  }
  return edge;
}

function fakeSearch(records: JsonObject[], dayZone: string | null, sortable: boolean, calls: { n: number }): IntercomClient {
  return {
    post: async (_path: string, body: { query: Group; pagination: { per_page: number }; sort?: { order: string } }) => {
      calls.n += 1;
      const hits = records.filter((r) => matches(r, body.query, dayZone));
      // Unsorted results come in id order, unrelated to updated_at.
      const direction = body.sort?.order === 'ascending' ? -1 : 1;
      if (sortable && body.sort) hits.sort((a, b) => direction * (Number(b.updated_at) - Number(a.updated_at)) || String(a.id).localeCompare(String(b.id)));
      else hits.sort((a, b) => String(a.id).localeCompare(String(b.id)));
      const page = hits.slice(0, body.pagination.per_page);
      return { type: 'list', data: page, conversations: page, tickets: page, total_count: hits.length, pages: {} };
    },
  } as unknown as IntercomClient;
}

interface Workspace {
  records: JsonObject[];
  lo: number;
  hi: number;
}

function workspace(random: () => number, size: number, hexIds: boolean): Workspace {
  const hi = 1_793_491_200;
  const lo = hi - 200 * 86400;
  const records: JsonObject[] = [];
  const denseDay = lo + Math.floor(random() * 150) * 86400 + 3600;
  const bulkSecond = lo + Math.floor(random() * 190 * 86400);
  for (let i = 0; i < size; i++) {
    const kind = random();
    // Most records anywhere; some crowd one day; some share one second (a bulk update).
    const updated = kind < 0.6 ? lo - 86400 * 3 + Math.floor(random() * (hi - lo + 86400 * 6)) : kind < 0.8 ? denseDay + Math.floor(random() * 80000) : bulkSecond;
    const created = updated - Math.floor(random() * 86400 * (kind < 0.9 ? 300 : 0.5));
    const id = hexIds
      ? Array.from({ length: 24 }, () => '0123456789abcdef'[Math.floor(random() * 16)]).join('')
      : String(1 + Math.floor(random() * 10 ** (1 + Math.floor(random() * 9))));
    records.push({ id, updated_at: updated, created_at: created });
  }
  // Numeric ids must stay unique.
  const seen = new Set<string>();
  return { records: records.filter((r) => !seen.has(String(r.id)) && seen.add(String(r.id))), lo, hi };
}

async function scan(source: SearchSource, ws: Workspace, zone: string): Promise<{ emitted: JsonObject[]; calls: number; problems: string[] }> {
  const calls = { n: 0 };
  const emitted: JsonObject[] = [];
  const problems: string[] = [];
  const expected = ws.records.filter((r) => Number(r.updated_at) >= ws.lo && Number(r.updated_at) < ws.hi);
  const ctx: SourceContext = {
    client: fakeSearch(ws.records, source.dateResolution === 'day' ? zone : null, source.sortable, calls),
    lowerBound: ws.lo,
    upperBound: ws.hi,
    startDate: ws.lo,
    timeZone: zone,
    timeZoneKnown: true,
    previousState: {},
    emit: async (records) => {
      emitted.push(...records);
    },
    endOfList: async () => {
      problems.push('a search scan declared the end of a list');
    },
    checkpoint: (cursor) => {
      const done = new Set(emitted.map((r) => String(r.id)));
      const passed = expected.filter((r) => Number(r.updated_at) < cursor && !done.has(String(r.id)));
      if (passed.length > 0) problems.push(`checkpoint ${cursor} passes ${passed.length} records not yet emitted`);
    },
    estimate: () => undefined,
    log: (level, message) => {
      if (level === 'WARN') problems.push(message);
    },
  };
  await scanSearch(source, ctx, { concurrency: 4 });
  return { emitted, calls: calls.n, problems };
}

for (const [source, zone, hexIds] of [
  [contactSearch, 'America/Los_Angeles', true],
  [contactSearch, 'Asia/Kolkata', true],
  [conversationSearch, 'UTC', false],
] as const) {
  t.test(`${source.name} in ${zone}: every record exactly once, checkpoints never ahead`, async (t) => {
    const random = rng(source.sortable ? 7 : 9);
    for (const size of [40, 600, 3000]) {
      const ws = workspace(random, size, hexIds);
      const { emitted, calls, problems } = await scan(source, ws, zone);
      const expected = ws.records.filter((r) => Number(r.updated_at) >= ws.lo && Number(r.updated_at) < ws.hi).map((r) => String(r.id)).sort();
      const got = emitted.map((r) => String(r.id)).sort();
      t.same(got, expected, `${size} records: all of [lower, upper), none twice`);
      t.same(problems, [], 'no checkpoint runs ahead, no fallback to cursors');
      t.ok(calls <= Math.max(3, Math.ceil((expected.length / 150) * 3)), `${calls} requests for ${expected.length} records (at most 3 per page of records)`);
    }
  });
}

t.test('a quiet incremental window costs one request', async (t) => {
  const random = rng(3);
  const ws = workspace(random, 3000, true);
  const recent = { ...ws, lo: ws.hi - 600 };
  ws.records.push({ id: 'f'.repeat(24), updated_at: ws.hi - 30, created_at: ws.hi - 30 });
  const { emitted, calls } = await scan(contactSearch, recent, 'America/Los_Angeles');
  t.equal(calls, 1);
  t.ok(emitted.some((r) => r.id === 'f'.repeat(24)));
});

t.test('a day denser than 64 pages is read through by keyset pages, not stopped as a split without end', async (t) => {
  // 25,000 contacts updated and created on one zoned day, each at its own second: only keyset pages can read it.
  const zone = 'America/Los_Angeles';
  const dayStart = startOfZonedDay(1_790_000_000, zone);
  const records: JsonObject[] = Array.from({ length: 25_000 }, (_, i) => ({
    id: (0x6000_0000_0000 + i).toString(16),
    updated_at: dayStart + 3 * i,
    created_at: dayStart + 3 * i,
  }));
  const ws = { records, lo: dayStart, hi: startOfNextZonedDay(dayStart, zone) };
  const { emitted, calls, problems } = await scan(contactSearch, ws, zone);
  t.equal(emitted.length, records.length, 'every record');
  t.equal(new Set(emitted.map((r) => String(r.id))).size, records.length, 'none twice');
  t.same(problems, [], 'no fallback to cursors');
  t.ok(calls <= Math.ceil((records.length / 150) * 3), `${calls} requests for ${Math.ceil(records.length / 150)} pages of records (at most 3 per page, as above)`);
});
