/**
 * One governor per token paces requests from Intercom's rate-limit headers:
 * a sync that needs several windows' worth of requests is almost never
 * answered 429, and max_requests_per_minute caps every 10-second window.
 */
import t from 'tap';
import { runInProcess } from '../support/connector.js';
import { workspace } from '../support/workspace.js';

/** Requests the simulator saw in each 10-second window, keyed by window start. */
function perWindow(times: number[]): number[] {
  const windows = new Map<number, number>();
  for (const at of times) {
    const w = Math.floor(at / 10);
    windows.set(w, (windows.get(w) ?? 0) + 1);
  }
  return [...windows.values()];
}

t.test('a sync spanning several rate-limit windows stays under the limit', async (t) => {
  const ws = await workspace(t, { seed: 2, rateLimitPerMinute: 1200, latencyMs: { mean: 20, jitter: 10 }, size: { conversations: 400 } });
  const run = await runInProcess(['read', '--config', ws.configPath, '--catalog', await ws.catalogPath(['conversations', 'conversation_parts'])]);
  t.equal(run.code, 0, JSON.stringify(run.errors()));
  const total = ws.sim.stats.total;
  const limited = ws.sim.stats.byStatus.get(429) ?? 0;
  t.ok(total > 400, `${total} requests: more than two windows' budget of 200`);
  t.ok(limited / total < 0.005, `${limited} of ${total} answered 429 (under 0.5%)`);
  t.equal(run.records('conversations').length, ws.sim.store.all('conversations').filter((c) => Number(c.updated_at) >= Date.parse('2024-01-01') / 1000).length);
});

t.test('max_requests_per_minute caps the requests of every window', async (t) => {
  const ws = await workspace(t, { seed: 2, rateLimitPerMinute: 10_000, size: { conversations: 300 } });
  const catalog = await ws.catalogPath(['conversations', 'conversation_parts']);
  const times: number[] = [];
  ws.sim.onRequest(() => void times.push(Date.now() / 1000));
  const run = await runInProcess(['read', '--config', ws.configWith({ max_requests_per_minute: 600 }), '--catalog', catalog]);
  t.equal(run.code, 0);
  const windows = perWindow(times);
  t.ok(windows.length >= 3, `the sync spanned ${windows.length} windows`);
  t.ok(Math.max(...windows) <= 100 + 1, `at most 600/6 = 100 requests per 10-second window, saw ${windows.join(', ')}`);
  t.equal(ws.sim.stats.byStatus.get(429) ?? 0, 0, 'never rate limited');
});
