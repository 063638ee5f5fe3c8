/**
 * A scroll page that fails after Intercom has moved the scroll on (a
 * truncated body, a dropped connection, a timeout, a 5xx, a body that is not
 * a scroll page) must never be retried with the same scroll_param: the page
 * it would have served is gone. Whatever kind of failure hits whichever
 * page, the read restarts the scroll and ends with every company exactly
 * once. A proxy in front of the simulator injects the failure after the
 * simulator has served (and advanced) the page.
 */
import t from 'tap';
import { startSimulator } from 'intercom-simulator';
import { readScroll } from '../../src/engine/sources/scroll.js';
import { companies } from '../../src/streams/companies.js';
import type { ScrollSource } from '../../src/engine/definition.js';
import { PaginationLoopError } from '../../src/engine/loop-guard.js';
import { startFaultProxy, type ProxyAction } from '../support/fault-proxy.js';
import { recordingContext, testClient } from '../support/source-context.js';

const companyScroll = companies.source as ScrollSource;
const COMPANIES = 45;
const PAGE = 10;
// Five pages of companies, then the empty page that ends the scroll.
const SCROLL_REQUESTS = Math.ceil(COMPANIES / PAGE) + 1;

const FAILURES: Array<{ name: string; action: ProxyAction }> = [
  { name: 'truncated body', action: { kind: 'truncate' } },
  { name: 'dropped connection', action: { kind: 'drop' } },
  { name: 'timeout', action: { kind: 'stall' } },
  { name: 'HTTP 500', action: { kind: 'status', status: 500 } },
  { name: 'HTTP 503', action: { kind: 'status', status: 503 } },
  { name: 'empty object', action: { kind: 'body', body: {} } },
  { name: 'records null', action: { kind: 'body', body: { type: 'list', data: null, scroll_param: 'x' } } },
];

t.test('a failure on any scroll page restarts the scroll; no company is skipped or repeated', async (t) => {
  const sim = await startSimulator({ seed: 3, size: { companies: COMPANIES }, scrollPageSize: PAGE, scrollTtlSeconds: 1 });
  t.teardown(() => sim.close());
  const all = sim.store.all('companies').map((c) => String(c.id)).sort();
  t.equal(all.length, COMPANIES);
  const proxy = await startFaultProxy(sim.url);
  t.teardown(() => proxy.close());

  for (const { name, action } of FAILURES) {
    for (const position of [1, 2, SCROLL_REQUESTS - 1, SCROLL_REQUESTS]) {
      let scrollRequests = 0;
      let injected = 0;
      proxy.setRule((ex) => {
        if (!ex.path.startsWith('/companies/scroll')) return undefined;
        scrollRequests += 1;
        if (scrollRequests !== position) return undefined;
        injected += 1;
        return action;
      });
      const { ctx, emitted, checkpoints, logs } = recordingContext(testClient(proxy.url, { timeoutMs: 400 }));
      await readScroll(companyScroll, ctx, { fullResyncDays: 7, busyWaitMs: 300, busyAttempts: 20 });
      const ids = emitted.map((c) => String(c.id));
      const label = `${name} on scroll request ${position}`;
      t.equal(injected, 1, `${label}: injected once`);
      t.same([...ids].sort(), all, `${label}: every company`);
      t.equal(new Set(ids).size, ids.length, `${label}: none twice`);
      t.ok(logs.some((l) => /restarting it from the beginning/.test(l.message)), `${label}: the restart is logged`);
      t.ok(checkpoints.length > 0, `${label}: the read completes`);
      // One unbroken scroll at the end: at most the broken one, the waits while it stays open, and a full one.
      t.ok(scrollRequests <= 2 * SCROLL_REQUESTS + 10, `${label}: ${scrollRequests} scroll requests`);
    }
  }
});

t.test('a scroll that serves the same page for ever ends within a few requests, naming the endpoint', async (t) => {
  const sim = await startSimulator({ seed: 3, size: { companies: COMPANIES }, scrollPageSize: PAGE, scrollTtlSeconds: 1 });
  t.teardown(() => sim.close());
  let first: string | null = null;
  const proxy = await startFaultProxy(sim.url, (ex) => {
    if (!ex.path.startsWith('/companies/scroll')) return undefined;
    first ??= ex.body;
    return { kind: 'body', body: JSON.parse(first) as unknown };
  });
  t.teardown(() => proxy.close());
  const { ctx, emitted } = recordingContext(testClient(proxy.url));
  const err = await readScroll(companyScroll, ctx, { fullResyncDays: 7, busyWaitMs: 100 }).then(
    () => null,
    (e: unknown) => e,
  );
  t.ok(err instanceof PaginationLoopError, 'a pagination loop');
  t.match((err as Error).message, /GET \/companies\/scroll/, 'naming the endpoint');
  t.equal((err as PaginationLoopError).failureType, 'system_error');
  t.ok(proxy.requests <= 4, `${proxy.requests} requests`);
  t.equal(emitted.length, PAGE, 'the one page was emitted once');
});
