/**
 * A rate-limit reset far in the future (a year ahead, or past what a timer
 * can hold, 2^31 ms) must not become a busy wait: each pause is capped and
 * said once, and when the API stays closed past the limit every request
 * fails with a transient_error. A real server on 127.0.0.1 answers.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import t from 'tap';
import { IntercomClient } from '../../src/http/client.js';
import { RequestGovernor } from '../../src/http/governor.js';

interface Server {
  url: string;
  requests: number;
  close(): Promise<void>;
}

/** Answers with the status and reset the test chooses for the nth request. */
async function limitServer(answer: (n: number) => { status: number; remaining: number; resetAt: number }): Promise<Server> {
  let requests = 0;
  const server = http.createServer((req, res) => {
    req.resume();
    const a = answer(++requests);
    res
      .writeHead(a.status, { 'content-type': 'application/json', 'x-ratelimit-limit': '100', 'x-ratelimit-remaining': String(a.remaining), 'x-ratelimit-reset': String(a.resetAt) })
      .end(a.status === 429 ? JSON.stringify({ type: 'error.list', errors: [{ code: 'rate_limit_exceeded', message: 'Exceeded rate limit' }] }) : JSON.stringify({ type: 'admin.list', admins: [] }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const s: Server = {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    requests: 0,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
  Object.defineProperty(s, 'requests', { get: () => requests });
  return s;
}

const YEAR = 365 * 86400;

for (const [name, reset] of [
  ['a year ahead', (): number => Math.floor(Date.now() / 1000) + YEAR],
  ['past 2^31 ms', (): number => Math.floor(Date.now() / 1000) + 2 ** 31],
  ['past what a Date holds', (): number => 2 ** 53],
] as const) {
  t.test(`429 with a reset ${name}: capped pauses, one notice, then a transient_error`, async (t) => {
    const server = await limitServer(() => ({ status: 429, remaining: 0, resetAt: reset() }));
    t.teardown(() => server.close());
    const warnings: string[] = [];
    const onWarning = (w: Error): void => void warnings.push(w.name);
    process.on('warning', onWarning);
    t.teardown(() => void process.off('warning', onWarning));
    const notices: number[] = [];
    const governor = new RequestGovernor({ windowSeconds: 0.1, maxPauseMs: 40, maxClosedMs: 300, onLongPause: ({ requestedMs }) => void notices.push(requestedMs) });
    const client = new IntercomClient({ baseUrl: server.url, token: 't', apiVersion: '2.16', governor, maxRateLimitedAttempts: 1000 });
    const err = await client.get('/admins').then(
      () => null,
      (e: unknown) => e as Error & { failureType?: string },
    );
    t.equal(err?.failureType, 'transient_error', `fails transient: ${err?.message}`);
    t.match(err?.message, /rate limit stayed closed/);
    t.equal(notices.length, 1, 'the capped pause is said once');
    t.ok(notices[0]! > 40, 'naming the wait Intercom asked for');
    // 300 ms closed at 40 ms a pause: about eight requests, never a flood.
    t.ok(server.requests >= 2 && server.requests <= 15, `${server.requests} requests`);
    t.same(warnings.filter((w) => w === 'TimeoutOverflowWarning'), [], 'no timer overflow');
    // Every later request fails at once, without reaching Intercom.
    const before = server.requests;
    const again = await client.get('/admins').then(
      () => null,
      (e: unknown) => e as Error & { failureType?: string },
    );
    t.equal(again?.failureType, 'transient_error');
    t.equal(server.requests, before, 'no request once the sync has failed');
  });
}

t.test('a 200 whose window resets a year ahead with nothing left: one capped pause, then requests go on', async (t) => {
  const server = await limitServer((n) => (n === 1 ? { status: 200, remaining: 0, resetAt: Math.floor(Date.now() / 1000) + YEAR } : { status: 200, remaining: 99, resetAt: Math.floor(Date.now() / 1000) }));
  t.teardown(() => server.close());
  const notices: number[] = [];
  const governor = new RequestGovernor({ maxPauseMs: 1500, maxClosedMs: 10_000, onLongPause: ({ requestedMs }) => void notices.push(requestedMs) });
  const client = new IntercomClient({ baseUrl: server.url, token: 't', apiVersion: '2.16', governor });
  for (let i = 0; i < 4; i++) await client.get('/admins');
  t.equal(server.requests, 4, 'every request answered');
  t.equal(notices.length, 1, `the cap is said once: ${JSON.stringify(notices)}`);
});
