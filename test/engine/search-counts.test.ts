/**
 * Counts that lie. Intercom's total_count can disagree with the pages: lower
 * than the matches while pages.next still says more follow, or higher than
 * what the pages hold because it still counts records deleted moments ago.
 * The scan believes the page's own signals (pages.next and the page's fill):
 * an understated count must lose no record, an overstated one must cost
 * about what a truthful one costs, never a split down to the id. A proxy in
 * front of the simulator rewrites total_count on every search answer.
 */
import t from 'tap';
import { startSimulator, type StoreKind } from 'intercom-simulator';
import { scanSearch, WINDOW_BUDGET_FLOOR, WINDOWS_PER_PAGE_FOUND } from '../../src/engine/sources/search.js';
import { contactSearch } from '../../src/streams/contacts.js';
import { conversationSearch } from '../../src/streams/conversations.js';
import { tickets } from '../../src/streams/tickets.js';
import type { SearchSource } from '../../src/engine/definition.js';
import { jsonOf, startFaultProxy, type ProxyRule } from '../support/fault-proxy.js';
import { recordingContext, testClient } from '../support/source-context.js';

const SOURCES: Array<{ source: SearchSource; kind: StoreKind }> = [
  { source: contactSearch, kind: 'contacts' },
  { source: conversationSearch, kind: 'conversations' },
  { source: tickets.source as SearchSource, kind: 'tickets' },
];

type Lie = (body: Record<string, unknown>) => Record<string, unknown>;

const records = (body: Record<string, unknown>): unknown[] => {
  for (const key of ['data', 'conversations', 'tickets']) if (Array.isArray(body[key])) return body[key] as unknown[];
  return [];
};

const LIES: Record<string, Lie> = {
  truthful: (body) => body,
  // No more than the page holds, while pages.next still points on.
  understated: (body) => ({ ...body, total_count: Math.min(Number(body.total_count), records(body).length) }),
  // Two records deleted moments ago are still counted by every window.
  overstated: (body) => ({ ...body, total_count: Number(body.total_count) + 2 }),
};

function lying(lie: Lie): ProxyRule {
  return (ex) => {
    if (ex.method !== 'POST' || !ex.path.endsWith('/search') || ex.status !== 200) return undefined;
    const body = jsonOf(ex);
    return body ? { kind: 'body', body: lie(body) } : undefined;
  };
}

t.test('lying total_count: no record lost, requests bounded', async (t) => {
  const sim = await startSimulator({ seed: 5, size: { contacts: 500, conversations: 282, tickets: 160 } });
  t.teardown(() => sim.close());
  const proxy = await startFaultProxy(sim.url);
  t.teardown(() => proxy.close());
  const upperBound = Math.floor(Date.now() / 1000) + 1;
  const me = (await testClient(sim.url).get('/me')) as { app: { timezone: string } };
  const timeZone = me.app.timezone;

  for (const { source, kind } of SOURCES) {
    const expected = sim.store
      .all(kind)
      .filter((r) => Number(r.updated_at) < upperBound)
      .map((r) => String(r.id))
      .sort();
    const costs: Record<string, number> = {};
    for (const [name, lie] of Object.entries(LIES)) {
      proxy.setRule(lying(lie));
      const before = proxy.requests;
      const { ctx, emitted, checkpoints } = recordingContext(testClient(proxy.url), { upperBound, timeZone });
      await scanSearch(source, ctx);
      costs[name] = proxy.requests - before;
      const ids = emitted.map((r) => String(r.id));
      t.same([...ids].sort(), expected, `${kind}, ${name} total_count: every record (${expected.length})`);
      t.equal(new Set(ids).size, ids.length, `${kind}, ${name}: none twice`);
      t.equal(checkpoints.at(-1), upperBound, `${kind}, ${name}: completes`);
    }
    t.comment(`${kind}: searches ${JSON.stringify(costs)}`);
    t.ok(costs.understated! <= 2 * costs.truthful! + 4, `${kind}: an understated count costs ${costs.understated} searches against ${costs.truthful}`);
    t.ok(costs.overstated! <= 2 * costs.truthful! + 4, `${kind}: an overstated count costs ${costs.overstated} searches against ${costs.truthful}`);
  }
});

t.test('pages that always say more, whatever the window: the scan stops with a system_error, within its request bound', async (t) => {
  const sim = await startSimulator({ seed: 5, size: { conversations: 200 } });
  t.teardown(() => sim.close());
  let first: Record<string, unknown> | null = null;
  const proxy = await startFaultProxy(sim.url, (ex) => {
    if (!ex.path.endsWith('/conversations/search')) return undefined;
    first ??= jsonOf(ex);
    const conversations = records(first!);
    return { kind: 'body', body: { ...first, total_count: conversations.length, pages: { type: 'pages', page: 1, per_page: 150, next: { starting_after: 'more' } } } };
  });
  t.teardown(() => proxy.close());
  const { ctx } = recordingContext(testClient(proxy.url), { upperBound: Math.floor(Date.now() / 1000) + 1 });
  const err = await scanSearch(conversationSearch, ctx).then(
    () => null,
    (e: unknown) => e as Error & { failureType?: string },
  );
  t.ok(err, 'the scan fails');
  t.equal(err?.failureType, 'system_error');
  t.match(err?.message, /POST \/conversations\/search/, 'naming the endpoint');
  t.match(err?.message, /cannot be reconciled/);
  t.ok(proxy.requests <= WINDOW_BUDGET_FLOOR + WINDOWS_PER_PAGE_FOUND * 2, `${proxy.requests} searches`);
});
