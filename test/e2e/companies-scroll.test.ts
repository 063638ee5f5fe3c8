/**
 * Companies come from the scroll API, which allows one open scroll per app,
 * expires, and cannot be resumed: the connector waits while another scroll
 * is open, restarts a broken scroll without emitting a company twice, and
 * re-emits every company every companies_full_resync_days.
 */
import t from 'tap';
import { runInProcess, tempJson } from '../support/connector.js';
import { idsOf, START_SECONDS, workspace } from '../support/workspace.js';

const since = (r: Record<string, unknown>): boolean => Number(r.updated_at) >= START_SECONDS;

t.test('another open scroll: wait with a LOG line saying why, then read everything', async (t) => {
  const ws = await workspace(t, { seed: 6, scrollTtlSeconds: 3 });
  // Someone else opens a scroll on the same app and walks away from it.
  const other = await fetch(`${ws.sim.url}/companies/scroll`, { headers: { authorization: 'Bearer sim-token' } });
  t.equal(other.status, 200);
  const run = await runInProcess(['read', '--config', ws.configPath, '--catalog', await ws.catalogPath(['companies'])]);
  t.equal(run.code, 0, JSON.stringify(run.errors()));
  t.ok(run.logs('WARN').some((m) => /another companies scroll is open/.test(m) && /one per app/.test(m)), 'the wait is explained');
  t.same(idsOf(run.records('companies')), idsOf(ws.sim.store.all('companies').filter(since)));
});

t.test('a scroll that breaks mid-way restarts from the beginning; no company twice, none missing', async (t) => {
  const ws = await workspace(t, { seed: 6, scrollPageSize: 20 });
  let pages = 0;
  ws.sim.onRequest((req) => {
    // Break the scroll once, after a few pages: the next page answers 500, which kills the scroll.
    if (req.route.includes('scroll') && ++pages === 3) {
      ws.sim.setFaults({ rate: 1, kinds: ['500'], pathPattern: /scroll/ });
      setTimeout(() => ws.sim.setFaults(null), 50);
    }
  });
  const run = await runInProcess(['read', '--config', ws.configPath, '--catalog', await ws.catalogPath(['companies', 'company_tags'])]);
  t.equal(run.code, 0, JSON.stringify(run.errors()));
  t.ok(run.logs('WARN').some((m) => /restarting it from the beginning/.test(m)), 'the restart is logged');
  const ids = idsOf(run.records('companies'));
  t.same(ids, idsOf(ws.sim.store.all('companies').filter(since)), 'every company');
  t.equal(new Set(ids).size, ids.length, 'none twice');
});

t.test('incremental: only changed companies, except every companies_full_resync_days', async (t) => {
  const ws = await workspace(t, { seed: 6 });
  const catalog = await ws.catalogPath(['companies', 'company_tags']);
  const first = await runInProcess(['read', '--config', ws.configPath, '--catalog', catalog]);
  const state = first.states('companies').at(-1)!.state;
  t.match(state, { updated_at: Number, last_full_resync_at: Number });
  const changed = ws.sim.store.ids('companies')[2]!;
  ws.sim.store.updateCompany(changed);
  await new Promise((r) => setTimeout(r, 1100));
  const second = await runInProcess(['read', '--config', ws.configPath, '--catalog', catalog, '--state', tempJson('s.json', first.stateArray())]);
  t.same(idsOf(second.records('companies')), [changed], 'only the changed company');

  const weekOld = first.stateArray().map((s) => {
    const stream = s.stream as { stream_descriptor: { name: string }; stream_state: Record<string, number> };
    return { ...s, stream: { ...stream, stream_state: { ...stream.stream_state, last_full_resync_at: stream.stream_state.last_full_resync_at! - 8 * 86400 } } };
  });
  const third = await runInProcess(['read', '--config', ws.configPath, '--catalog', catalog, '--state', tempJson('s.json', weekOld)]);
  t.same(idsOf(third.records('companies')), idsOf(ws.sim.store.all('companies').filter(since)), 'a week after the last full re-sync, every company');
  t.ok(third.records('company_tags').length > 0, 'and their tags');
  t.ok(Number(third.states('companies').at(-1)!.state.last_full_resync_at) > Number(state.last_full_resync_at), 'the re-sync is recorded');
});
