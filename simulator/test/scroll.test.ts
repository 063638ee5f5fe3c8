/**
 * The companies scroll: one open scroll per token, a snapshot taken at open
 * time, the same scroll_param on every page, expiry after the TTL, an empty
 * last page that closes it, and a 500 that kills it.
 */
import t from 'tap';
import type { Simulator } from '../src/index.js';
import { errorOf, get, simulator, TestClock, type ApiResponse } from './helpers.js';

interface ScrollBody {
  type: string;
  data: Array<{ id: string; updated_at: number }>;
  pages: null;
  total_count: null;
  scroll_param: string;
}

const body = (response: ApiResponse): ScrollBody => response.json as ScrollBody;
const scroll = (sim: Simulator, param?: string, token?: string): Promise<ApiResponse> =>
  get(sim, `/companies/scroll${param ? `?scroll_param=${param}` : ''}`, token ? { token } : {});

t.test('a full scroll over a snapshot', async (t) => {
  const clock = new TestClock(1_800_000_000);
  const sim = await simulator(t, { size: { companies: 250 }, now: clock.now });
  const opened = await scroll(sim);
  t.equal(opened.status, 200);
  const first = body(opened);
  t.equal(first.type, 'list');
  t.equal(first.data.length, 100);
  t.equal(first.pages, null);
  t.equal(first.total_count, null);
  const param = first.scroll_param;
  t.match(param, /^[0-9a-f-]{36}$/);

  const again = await scroll(sim);
  t.equal(again.status, 400, 'only one scroll at a time');
  t.same(errorOf(again), { code: 'scroll_exists', message: 'scroll already exists for this workspace' });
  t.equal((await scroll(sim, undefined, 'sim-token-no-tickets')).status, 200, 'another token has its own scroll');

  // Changes after the scroll opened are not seen by it.
  const ids = sim.store.ids('companies');
  const changed = ids[150] ?? '';
  const before = sim.store.all('companies').find((c) => c['id'] === changed)?.['updated_at'];
  sim.store.updateCompany(changed, { name: 'Renamed' });
  sim.store.createCompany();

  const served = first.data.map((c) => c.id);
  let snapshotUpdatedAt: number | undefined;
  for (;;) {
    clock.advance(30);
    const response = await scroll(sim, param);
    t.equal(response.status, 200);
    const page = body(response);
    t.equal(page.scroll_param, param, 'the same scroll_param on every page');
    const hit = page.data.find((c) => c.id === changed);
    if (hit) snapshotUpdatedAt = hit.updated_at;
    if (page.data.length === 0) break;
    served.push(...page.data.map((c) => c.id));
  }
  t.equal(served.length, 250, 'every company of the snapshot, including those without contacts');
  t.same([...served].sort(), [...ids].sort());
  t.equal(snapshotUpdatedAt, before, 'the snapshot keeps the old version');
  const closed = await scroll(sim, param);
  t.equal(closed.status, 404, 'the empty page closed the scroll');
  t.equal(errorOf(closed).code, 'not_found');
  t.equal((await scroll(sim)).status, 200, 'a new scroll can start');

  const listed = (await get(sim, '/companies?per_page=60')).json as { total_count: number };
  t.ok(listed.total_count < 251, 'GET /companies leaves out companies without contacts');
});

t.test('a scroll expires after the TTL without use', async (t) => {
  const clock = new TestClock(1_800_000_000);
  const sim = await simulator(t, { size: { companies: 30 }, scrollPageSize: 10, now: clock.now });
  const param = body(await scroll(sim)).scroll_param;
  clock.advance(59);
  t.equal((await scroll(sim, param)).status, 200, 'used within the TTL');
  clock.advance(59);
  t.equal((await scroll(sim, param)).status, 200, 'each use restarts the TTL');
  clock.advance(60);
  const expired = await scroll(sim, param);
  t.equal(expired.status, 404, 'expired after 60 s without use');
  t.equal(errorOf(expired).code, 'not_found');
  t.equal((await scroll(sim)).status, 200, 'the slot is free again');
});

t.test('the TTL is configurable', async (t) => {
  const clock = new TestClock(1_800_000_000);
  const sim = await simulator(t, { size: { companies: 30 }, scrollTtlSeconds: 5, now: clock.now });
  const param = body(await scroll(sim)).scroll_param;
  clock.advance(5);
  t.equal((await scroll(sim, param)).status, 404);
});

t.test('a 500 kills the scroll', async (t) => {
  const sim = await simulator(t, { size: { companies: 30 }, scrollPageSize: 10 });
  const param = body(await scroll(sim)).scroll_param;
  sim.setFaults({ rate: 1, kinds: ['500'], pathPattern: /^\/companies\/scroll$/ });
  const failed = await scroll(sim, param);
  t.equal(failed.status, 500);
  t.same(errorOf(failed), {
    code: 'server_error',
    message: 'Request failed due to an internal network error. Please restart the scroll operation.',
  });
  sim.setFaults(null);
  t.equal((await scroll(sim, param)).status, 404, 'the scroll cannot be resumed');
  const restarted = await scroll(sim);
  t.equal(restarted.status, 200, 'it must be restarted');
  t.equal(body(restarted).data.length, 10);
});
