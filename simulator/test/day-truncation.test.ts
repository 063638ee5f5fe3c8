/**
 * Contact date filters compare by calendar day in the workspace time zone
 * (not UTC), across midnight and DST changes; conversation dates compare to
 * the second.
 */
import t from 'tap';
import type { Simulator } from '../src/index.js';
import { get, searchAll, simulator, type SearchFilter } from './helpers.js';

const utc = (y: number, m: number, d: number, h = 0, min = 0, s = 0): number => Date.UTC(y, m - 1, d, h, min, s) / 1000;

/** Creates contacts updated at the given instants; returns their ids by label. */
function place(sim: Simulator, times: Record<string, number>): Map<string, string> {
  const ids = new Map<string, string>();
  for (const [label, at] of Object.entries(times)) ids.set(label, sim.store.createContact({ created_at: at - 86400 * 30, updated_at: at, name: label }));
  return ids;
}

/** Which of the placed contacts a filter on updated_at returns. */
async function matching(sim: Simulator, ids: Map<string, string>, operator: string, value: number): Promise<string[]> {
  const query = {
    operator: 'AND' as const,
    value: [{ field: 'id', operator: 'IN', value: [...ids.values()] }, { field: 'updated_at', operator, value } as SearchFilter],
  };
  const found = new Set(await searchAll(sim, 'contacts', query));
  return [...ids].filter(([, id]) => found.has(id)).map(([label]) => label).sort();
}

t.test('around a Los Angeles midnight', async (t) => {
  const sim = await simulator(t, { size: { contacts: 30 }, now: () => 1_795_000_000 });
  const body = (await get(sim, '/me')).json as { app: { timezone: string } };
  t.equal(body.app.timezone, 'America/Los_Angeles');
  // 2026-06-10 00:00 PDT is 07:00 UTC.
  const midnight = utc(2026, 6, 10, 7);
  const ids = place(sim, {
    lateJune9: midnight - 120,
    earlyJune10: midnight + 60,
    lateJune10: midnight + 86400 - 60,
    earlyJune11: midnight + 86400 + 1,
    utcMidnightJune10: utc(2026, 6, 10),
  });
  const oneAm = midnight + 3600;
  t.same(await matching(sim, ids, '>', oneAm), ['earlyJune11'], '> T matches from the next zoned day, even records later on T\'s day');
  t.same(await matching(sim, ids, '>', midnight - 60), ['earlyJune10', 'earlyJune11', 'lateJune10'], '> 23:59 matches from the following midnight');
  t.same(await matching(sim, ids, '<', oneAm), ['lateJune9', 'utcMidnightJune10'], '< T matches before the start of T\'s zoned day');
  t.same(await matching(sim, ids, '=', oneAm + 12 * 3600), ['earlyJune10', 'lateJune10'], '= T matches T\'s whole zoned day');
  t.same(
    await matching(sim, ids, '>', utc(2026, 6, 10) - 1),
    ['earlyJune10', 'earlyJune11', 'lateJune10'],
    'a UTC midnight is not a day boundary: the record just after it is still on the previous zoned day',
  );
});

t.test('across DST changes', async (t) => {
  const sim = await simulator(t, { size: { contacts: 30 }, now: () => 1_795_000_000 });
  // Spring forward: 2026-03-08 lasts 23 hours, from 08:00 UTC (PST) to 07:00 UTC the next day (PDT).
  const spring = place(sim, {
    beforeMar8: utc(2026, 3, 8, 7, 59),
    startMar8: utc(2026, 3, 8, 8, 0),
    endMar8: utc(2026, 3, 9, 6, 59, 59),
    startMar9: utc(2026, 3, 9, 7, 0),
  });
  const noonMar8 = utc(2026, 3, 8, 20);
  t.same(await matching(sim, spring, '=', noonMar8), ['endMar8', 'startMar8'], 'the 23-hour day');
  t.same(await matching(sim, spring, '>', noonMar8), ['startMar9'], 'the next day starts at 07:00 UTC');
  t.same(await matching(sim, spring, '<', noonMar8), ['beforeMar8'], 'the day started at 08:00 UTC');

  // Fall back: 2025-11-02 lasts 25 hours, from 07:00 UTC (PDT) to 08:00 UTC the next day (PST).
  const fall = place(sim, {
    beforeNov2: utc(2025, 11, 2, 6, 59, 59),
    startNov2: utc(2025, 11, 2, 7, 0),
    lateNov2: utc(2025, 11, 3, 7, 30),
    startNov3: utc(2025, 11, 3, 8, 0),
  });
  const noonNov2 = utc(2025, 11, 2, 20);
  t.same(await matching(sim, fall, '=', noonNov2), ['lateNov2', 'startNov2'], 'the 25-hour day includes 07:30 UTC the next morning');
  t.same(await matching(sim, fall, '>', noonNov2), ['startNov3']);
});

t.test('a zone east of UTC with a half-hour offset', async (t) => {
  const sim = await simulator(t, { size: { contacts: 30 }, timezone: 'Asia/Kolkata', now: () => 1_795_000_000 });
  t.equal(((await get(sim, '/me')).json as { app: { timezone: string } }).app.timezone, 'Asia/Kolkata');
  // 2026-06-10 00:00 IST is 2026-06-09 18:30 UTC.
  const midnight = utc(2026, 6, 9, 18, 30);
  const ids = place(sim, { before: midnight - 1, after: midnight, utcMidnight: utc(2026, 6, 10) });
  t.same(await matching(sim, ids, '>', midnight - 3600), ['after', 'utcMidnight']);
  t.same(await matching(sim, ids, '=', utc(2026, 6, 10, 12)), ['after', 'utcMidnight'], '05:30 IST is on the same day as 00:00 IST');
});

t.test('generated contacts around the landmark midnight', async (t) => {
  const sim = await simulator(t);
  const midnight = sim.store.landmarks.people.midnight;
  const contacts = sim.store.all('contacts');
  const onDay = contacts.filter((c) => Number(c['updated_at']) >= midnight && Number(c['updated_at']) < midnight + 86400 - 3600).length;
  const found = await searchAll(sim, 'contacts', { field: 'updated_at', operator: '=', value: midnight + 12 * 3600 });
  t.ok(found.length >= onDay, 'the zoned day of the landmark midnight includes the contacts updated just after it');
  const before = await searchAll(sim, 'contacts', { field: 'updated_at', operator: '>', value: midnight - 1 });
  const justBefore = contacts.filter((c) => Number(c['updated_at']) >= midnight - 300 && Number(c['updated_at']) < midnight);
  for (const c of justBefore) t.notOk(before.includes(String(c['id'])), 'updated minutes before midnight: not in "> 23:59:59"');
});

t.test('conversation dates compare to the second', async (t) => {
  const sim = await simulator(t);
  const second = sim.store.landmarks.conversations.bulkCloseAt;
  const count = (await searchAll(sim, 'conversations', { field: 'updated_at', operator: '=', value: second })).length;
  t.ok(count > 200, 'the bulk close second');
  const at = (operator: string, value: number): Promise<string[]> => searchAll(sim, 'conversations', { field: 'updated_at', operator, value });
  const after = await at('>', second);
  const atOrAfter = await at('>=', second);
  const before = await at('<', second);
  const atOrBefore = await at('<=', second);
  t.equal(atOrAfter.length - after.length, count, '> is strict, >= inclusive');
  t.equal(atOrBefore.length - before.length, count, '< is strict, <= inclusive');
  t.equal(after.length + atOrBefore.length, 300);
});
