/**
 * Every paginator has a loop guard: a next page equal to one already read,
 * or pages that bring only records already seen while saying more follow,
 * end the walk with a system_error naming the endpoint after a few
 * requests. A proxy in front of the simulator rewrites the pagination.
 */
import t, { type Test } from 'tap';
import { startSimulator } from 'intercom-simulator';
import { readList } from '../../src/engine/sources/list.js';
import { readTimeWindows } from '../../src/engine/sources/time-windows.js';
import { createMapperContext } from '../../src/engine/mapper-context.js';
import { PaginationLoopError } from '../../src/engine/loop-guard.js';
import type { ListSource, TimeWindowSource } from '../../src/engine/definition.js';
import { articles } from '../../src/streams/help-center.js';
import { activityLogs } from '../../src/streams/activity-logs.js';
import { jsonOf, startFaultProxy, type ProxyRule } from '../support/fault-proxy.js';
import { recordingContext, testClient } from '../support/source-context.js';

const DAY = 86400;

async function expectLoop(t: Test, proxyRequests: () => number, run: () => Promise<unknown>, endpoint: RegExp, maxRequests: number, label: string): Promise<void> {
  const before = proxyRequests();
  const err = await run().then(
    () => null,
    (e: unknown) => e,
  );
  t.ok(err instanceof PaginationLoopError, `${label}: a pagination loop error (${String(err)})`);
  t.equal((err as PaginationLoopError).failureType, 'system_error', `${label}: system_error`);
  t.match((err as Error).message, endpoint, `${label}: names the endpoint`);
  const used = proxyRequests() - before;
  t.ok(used <= maxRequests, `${label}: ended after ${used} requests`);
}

t.test('loop guards on list pages, cursors, activity-log windows and embedded lists', async (t) => {
  const sim = await startSimulator({ seed: 2, size: { articles: 400 } });
  t.teardown(() => sim.close());
  const proxy = await startFaultProxy(sim.url);
  t.teardown(() => proxy.close());
  const requests = (): number => proxy.requests;
  const upperBound = Math.floor(Date.now() / 1000) + 1;
  const rewrite = (path: RegExp, change: (body: Record<string, unknown>, path: string) => Record<string, unknown>): ProxyRule => (ex) => {
    if (!path.test(ex.path)) return undefined;
    const body = jsonOf(ex);
    return body ? { kind: 'body', body: change(body, ex.path) } : undefined;
  };

  // A next link back to the first page.
  proxy.setRule(rewrite(/^\/articles/, (b) => ({ ...b, pages: { type: 'pages', page: 1, per_page: 150, total_pages: 3, next: `${proxy.url}/articles?per_page=150` } })));
  await expectLoop(t, requests, () => readList(articles.source as ListSource, recordingContext(testClient(proxy.url)).ctx), /GET \/articles/, 3, 'articles, next = the first page');

  // Page numbers that advance but always serve page 1's records.
  let firstPage: Record<string, unknown> | null = null;
  proxy.setRule(
    rewrite(/^\/articles/, (b, path) => {
      firstPage ??= b;
      const page = Number(new URL(path, 'http://x').searchParams.get('page') ?? 1);
      return { ...firstPage, pages: { type: 'pages', page, per_page: 150, total_pages: 1000 } };
    }),
  );
  await expectLoop(t, requests, () => readList(articles.source as ListSource, recordingContext(testClient(proxy.url)).ctx), /GET \/articles/, 4, 'articles, the same records on every page');

  // A starting_after cursor that never moves.
  const logs = activityLogs.source as TimeWindowSource;
  const window = { upperBound, lowerBound: upperBound - 300 * DAY };
  let stuck: Record<string, unknown> | null = null;
  proxy.setRule(
    rewrite(/^\/admins\/activity_logs/, (b) => {
      stuck ??= b;
      return { ...stuck, pages: { type: 'pages', next: { starting_after: 'WzE3MDAwMDAwMDBd' } } };
    }),
  );
  await expectLoop(t, requests, () => readTimeWindows(logs, recordingContext(testClient(proxy.url), window).ctx, 300), /GET \/admins\/activity_logs/, 3, 'activity logs, a cursor that never moves');

  // A cursor that moves while the records do not.
  let cursor = 0;
  let logPage: Record<string, unknown> | null = null;
  proxy.setRule(
    rewrite(/^\/admins\/activity_logs/, (b) => {
      logPage ??= b;
      return { ...logPage, pages: { type: 'pages', next: { starting_after: `c${++cursor}` } } };
    }),
  );
  await expectLoop(t, requests, () => readTimeWindows(logs, recordingContext(testClient(proxy.url), window).ctx, 300), /GET \/admins\/activity_logs/, 4, 'activity logs, the same records behind every cursor');

  // An embedded list's own URL, paged by starting_after, serving the same tags for ever.
  let n = 0;
  proxy.setRule((ex) =>
    ex.path.startsWith('/contacts/abc/tags')
      ? { kind: 'body', body: { type: 'list', data: [{ type: 'tag', id: '1', name: 'a' }], pages: { type: 'pages', next: { starting_after: `t${++n}` } } } }
      : undefined,
  );
  const mapper = createMapperContext(testClient(proxy.url), () => undefined, () => undefined);
  await expectLoop(t, requests, () => mapper.fetchPages(`${proxy.url}/contacts/abc/tags`, 'the tags list of abc'), /GET \/contacts\/abc\/tags/, 4, 'embedded list, the same items behind every cursor');
});
