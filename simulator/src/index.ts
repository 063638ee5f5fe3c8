/**
 * A simulated Intercom workspace served over HTTP, for the connector's tests,
 * demo and benchmarks. Seeded and deterministic; follows the official
 * OpenAPI 2.16 description and reproduces the real API's quirks (stateless
 * offset cursors, day-granular contact search in the workspace time zone,
 * search lag, the single companies scroll, the 500-part cap, rate limits,
 * and injected transport faults).
 */
import type { AddressInfo } from 'node:net';
import { FaultInjector } from './faults.js';
import { resolveOptions, type FaultOptions, type Latency, type SimulatorOptions } from './options.js';
import { RateLimiter } from './rate-limit.js';
import type { SimState } from './routes/context.js';
import { ScrollRegistry } from './scroll.js';
import { SearchExecutor } from './search/execute.js';
import { SimulatorServer, type LiveSettings, type RequestHook } from './server.js';
import { RequestStats } from './stats.js';
import { WorkspaceStore } from './store/store.js';
import { WebhookSender, type WebhookTarget } from './webhooks.js';

export type { FaultKind, FaultOptions, Latency, SimulatorOptions, WorkspaceSize } from './options.js';
export { ALL_SCOPES, DEFAULT_ANCHOR, DEFAULT_SIZE, defaultTokens, InvalidOptionError } from './options.js';
export type { RequestHook } from './server.js';
export { RequestStats } from './stats.js';
export { WorkspaceStore, type StoreKind } from './store/store.js';
export type { Landmarks } from './store/generate.js';
export type { PartInit } from './store/row-updates.js';
export { ApiError, UnknownRecordError } from './errors.js';
export type { DeleteNotice } from './store/store.js';
export { hubSignature, type Notification, type WebhookOptions, type WebhookStats, type WebhookTarget } from './webhooks.js';

export interface Simulator {
  /** e.g. http://127.0.0.1:41234 */
  url: string;
  port: number;
  /** Ground truth, mutable. */
  store: WorkspaceStore;
  stats: RequestStats;
  /**
   * Called before each authenticated request reaches its handler (after the rate limit, version,
   * route and scope checks; not for requests answered by an injected fault). May mutate the
   * store; may be async; may answer for the route by throwing an ApiError. `count` is the nth
   * call of the route.
   */
  onRequest(hook: RequestHook | null): void;
  setFaults(faults: FaultOptions | null): void;
  setLatency(latency: Latency | null): void;
  /** The webhook target, when `webhooks` was given: its counters and `idle()`. */
  webhooks: WebhookTarget | null;
  close(): Promise<void>;
}

export async function startSimulator(options: SimulatorOptions = {}): Promise<Simulator> {
  const resolved = resolveOptions(options);
  const now = resolved.now;
  const store = new WorkspaceStore(resolved, now, { partsCap: resolved.partsCap });
  const webhooks = options.webhooks ? new WebhookSender(options.webhooks, store.appId, () => store.nowSeconds()) : null;
  if (webhooks) store.onDelete((notice) => webhooks.notify(notice.topic, notice.item));
  const search = new SearchExecutor();
  // A contact's name and email show in conversations (source.author), so contact writes drop cached conversation searches.
  search.watch(store.tables.conversations);
  search.watch(store.tables.contacts, [store.tables.conversations]);
  search.watch(store.tables.tickets);
  const sim: SimState = {
    store,
    options: resolved,
    search,
    scrolls: new ScrollRegistry(resolved.scrollTtlSeconds, resolved.scrollPageSize),
    now,
  };
  const stats = new RequestStats();
  const faults = new FaultInjector(resolved.faults);
  const live: LiveSettings = { latency: resolved.latencyMs, hook: null };
  const server = new SimulatorServer({
    sim,
    stats,
    limiter: new RateLimiter(resolved.rateLimitPerMinute),
    faults,
    live,
    tokens: resolved.tokens,
    seed: resolved.seed,
  });
  await new Promise<void>((resolve, reject) => {
    server.server.once('error', reject);
    server.server.listen(resolved.port, '127.0.0.1', () => {
      server.server.off('error', reject);
      resolve();
    });
  });
  const port = (server.server.address() as AddressInfo).port;

  return {
    url: `http://127.0.0.1:${port}`,
    port,
    store,
    stats,
    onRequest: (hook) => {
      live.hook = hook;
    },
    setFaults: (f) => faults.set(f),
    setLatency: (l) => {
      live.latency = l;
    },
    webhooks,
    close: async () => {
      webhooks?.close();
      await server.close();
    },
  };
}
