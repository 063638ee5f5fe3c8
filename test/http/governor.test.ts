/**
 * The rate-limit governor against a model of Intercom's limiter, on a fake
 * clock: it spends at least 90% of every window's budget and is never
 * answered 429 by it, pauses every caller after a 429 or a run of failures,
 * honours max_requests_per_minute and a concurrency of 1, and serves scans
 * before expansions.
 */
import t from 'tap';
import { RequestGovernor, type Outcome, type Permit, type Priority, type Timers } from '../../src/http/governor.js';

class FakeClock implements Timers {
  t = 1_000_000_000;
  private timers = new Map<number, { at: number; fn: () => void }>();
  private next = 1;
  now = (): number => this.t;
  set(fn: () => void, ms: number): number {
    const id = this.next++;
    this.timers.set(id, { at: this.t + ms, fn });
    return id;
  }
  clear(handle: unknown): void {
    this.timers.delete(handle as number);
  }
  /** Advances fake time timer by timer until the promise settles. */
  async until<T>(promise: Promise<T>): Promise<T> {
    let settled = false;
    let value: T;
    void promise.then((v) => {
      settled = true;
      value = v;
    });
    for (;;) {
      await new Promise((r) => setImmediate(r));
      if (settled) return value!;
      const [id, timer] = [...this.timers].sort((a, b) => a[1].at - b[1].at)[0] ?? [];
      if (!timer) throw new Error('nothing can ever release this request');
      this.timers.delete(id!);
      this.t = Math.max(this.t, timer.at);
      timer.fn();
    }
  }
}

/** Intercom's limiter: fixed 10 s windows, a budget per window, 429 past it. */
class Limiter {
  readonly counts = new Map<number, number>();
  rejected = 0;
  constructor(private readonly perWindow: number) {}
  answer(atMs: number): Outcome {
    const w = Math.floor(atMs / 10_000);
    const used = this.counts.get(w) ?? 0;
    const headers = { limit: this.perWindow, remaining: Math.max(0, this.perWindow - used - 1), resetAt: (w + 1) * 10 };
    if (used >= this.perWindow) {
      this.rejected += 1;
      return { status: 429, headers: { ...headers, remaining: 0 } };
    }
    this.counts.set(w, used + 1);
    return { status: 200, headers };
  }
}

async function pending(promise: Promise<unknown>): Promise<boolean> {
  let done = false;
  void promise.then(() => (done = true));
  await new Promise((r) => setImmediate(r));
  return !done;
}

t.test('spends at least 90% of every window and is never answered 429', async (t) => {
  const clock = new FakeClock();
  const governor = new RequestGovernor({ now: clock.now, timers: clock });
  const limiter = new Limiter(100);
  // Several callers keep requests coming; each takes 150 ms.
  const worker = async (): Promise<void> => {
    for (let i = 0; i < 150; i++) {
      const permit = await governor.acquire();
      const outcome = limiter.answer(clock.t);
      await new Promise((r) => clock.set(() => r(null), 150));
      governor.complete(permit, outcome);
    }
  };
  await clock.until(Promise.all(Array.from({ length: 4 }, worker)));
  t.equal(limiter.rejected, 0, 'no 429');
  const windows = [...limiter.counts.values()];
  const full = windows.slice(1, -1);
  t.ok(full.length >= 3, `${full.length} full windows`);
  t.ok(full.every((n) => n >= 90 && n <= 100), `every full window used 90-100 of 100: ${windows.join(', ')}`);
});

t.test('before Intercom has named the limit, one request at a time', async (t) => {
  const clock = new FakeClock();
  const governor = new RequestGovernor({ now: clock.now, timers: clock });
  const first = await governor.acquire();
  const second = governor.acquire();
  t.ok(await pending(second), 'the second waits for the first answer');
  governor.complete(first, { status: 200, headers: { limit: 100, remaining: 99, resetAt: clock.t / 1000 + 10 } });
  t.notOk(await pending(second), 'then it goes');
});

t.test('a 429 holds every caller until the window resets', async (t) => {
  const clock = new FakeClock();
  const governor = new RequestGovernor({ now: clock.now, timers: clock });
  const resetAt = Math.floor(clock.t / 1000) + 7;
  const permit = await governor.acquire();
  governor.complete(permit, { status: 429, headers: { limit: 100, remaining: 0, resetAt } });
  const a = governor.acquire();
  const b = governor.acquire(1);
  t.ok(await pending(a), 'a scan waits');
  t.ok(await pending(b), 'an expansion waits');
  await clock.until(a);
  t.ok(clock.t >= resetAt * 1000, 'nothing goes before the reset');
  t.equal(governor.stats().rateLimited, 1);
});

t.test('a run of failures backs off the whole client; a success ends it', async (t) => {
  const clock = new FakeClock();
  const governor = new RequestGovernor({ now: clock.now, timers: clock });
  const headers = { limit: 1000, remaining: 900, resetAt: clock.t / 1000 + 10 };
  governor.complete(await governor.acquire(), { status: 200, headers });
  for (let i = 0; i < 3; i++) governor.complete(await clock.until(governor.acquire()), { status: i === 1 ? null : 503, headers: null });
  const started = clock.t;
  const next = governor.acquire();
  t.ok(await pending(next), 'after three failures in a row, everyone waits');
  const permit = await clock.until(next);
  t.ok(clock.t - started >= 500, `held for ${clock.t - started} ms`);
  governor.complete(permit, { status: 200, headers });
  t.notOk(await pending(governor.acquire()), 'a success lifts the back-off');
});

t.test('max_requests_per_minute caps each window below what Intercom allows', async (t) => {
  const clock = new FakeClock();
  const governor = new RequestGovernor({ now: clock.now, timers: clock, maxRequestsPerMinute: 600 });
  const limiter = new Limiter(1666);
  for (let i = 0; i < 400; i++) {
    const permit = await clock.until(governor.acquire());
    clock.t += 5;
    governor.complete(permit, limiter.answer(clock.t));
  }
  const windows = [...limiter.counts.values()];
  t.ok(Math.max(...windows) <= 100, `at most 100 per window: ${windows.join(', ')}`);
  t.ok(windows.slice(1, -1).every((n) => n >= 90), 'and close to it');
});

t.test('max_concurrency 1: strictly one request in flight', async (t) => {
  const clock = new FakeClock();
  const governor = new RequestGovernor({ now: clock.now, timers: clock, maxConcurrency: 1 });
  governor.complete(await governor.acquire(), { status: 200, headers: { limit: 1000, remaining: 999, resetAt: clock.t / 1000 + 10 } });
  const first = await governor.acquire();
  t.ok(await pending(governor.acquire()), 'the next waits');
  t.equal(governor.stats().inFlight, 1);
  governor.complete(first, { status: 200, headers: null });
});

t.test('scans (priority 0) go before expansions (priority 1)', async (t) => {
  const clock = new FakeClock();
  const governor = new RequestGovernor({ now: clock.now, timers: clock, maxConcurrency: 1 });
  const first = await governor.acquire();
  const order: string[] = [];
  const queue = (label: string, priority: Priority): Promise<Permit> =>
    governor.acquire(priority).then((p) => {
      order.push(label);
      return p;
    });
  const expansion = queue('expansion', 1);
  const scan = queue('scan', 0);
  governor.complete(first, { status: 200, headers: { limit: 1000, remaining: 999, resetAt: clock.t / 1000 + 10 } });
  governor.complete(await scan, { status: 200, headers: null });
  await expansion;
  t.same(order, ['scan', 'expansion']);
});
