/**
 * Fixed 10-second windows, per-window limit floor(perMinute / 6), headers on
 * every authenticated response, and 429 beyond the budget. Time comes from an
 * injected clock, so nothing depends on the wall clock.
 */
import t from 'tap';
import { errorOf, get, simulator, TestClock } from './helpers.js';

t.test('limit, remaining, reset and 429', async (t) => {
  const clock = new TestClock(1_800_000_003.5);
  const sim = await simulator(t, { rateLimitPerMinute: 60, now: clock.now });
  const remaining: number[] = [];
  for (let i = 0; i < 10; i++) {
    const response = await get(sim, '/me');
    t.equal(response.status, 200);
    t.equal(response.headers.get('x-ratelimit-limit'), '10', 'per-window limit is floor(60 / 6)');
    t.equal(response.headers.get('x-ratelimit-reset'), '1800000010', 'the window ends at the next multiple of 10 s');
    remaining.push(Number(response.headers.get('x-ratelimit-remaining')));
  }
  t.same(remaining, [9, 8, 7, 6, 5, 4, 3, 2, 1, 0]);

  const limited = await get(sim, '/contacts');
  t.equal(limited.status, 429);
  t.same(errorOf(limited), { code: 'rate_limit_exceeded', message: 'Exceeded rate limit of 10 in 10_seconds' });
  t.equal(limited.headers.get('x-ratelimit-limit'), '10');
  t.equal(limited.headers.get('x-ratelimit-remaining'), '0');
  t.equal(limited.headers.get('x-ratelimit-reset'), '1800000010');
  t.equal(sim.stats.byStatus.get(429), 1, '429s are counted');
  t.equal(sim.stats.total, 11);

  clock.t = 1_800_000_009.999;
  t.equal((await get(sim, '/me')).status, 429, 'still the same window');

  clock.t = 1_800_000_010;
  const fresh = await get(sim, '/me');
  t.equal(fresh.status, 200, 'a new window starts at the reset time');
  t.equal(fresh.headers.get('x-ratelimit-remaining'), '9');
  t.equal(fresh.headers.get('x-ratelimit-reset'), '1800000020');
});

t.test('the default limit is 10,000 per minute', async (t) => {
  const sim = await simulator(t);
  const response = await get(sim, '/me');
  t.equal(response.headers.get('x-ratelimit-limit'), '1666');
  t.equal(response.headers.get('x-ratelimit-remaining'), '1665');
});

t.test('null disables rate limiting (and its headers)', async (t) => {
  const sim = await simulator(t, { rateLimitPerMinute: null });
  for (let i = 0; i < 5; i++) t.equal((await get(sim, '/me')).status, 200);
  t.equal((await get(sim, '/me')).headers.get('x-ratelimit-limit'), null);
});

t.test('each token has its own budget', async (t) => {
  const clock = new TestClock(1_800_000_000);
  const sim = await simulator(t, { rateLimitPerMinute: 12, now: clock.now });
  t.equal((await get(sim, '/me')).status, 200);
  t.equal((await get(sim, '/me')).status, 200);
  t.equal((await get(sim, '/me')).status, 429);
  t.equal((await get(sim, '/me', { token: 'sim-token-no-tickets' })).status, 200);
  t.equal((await get(sim, '/me', { token: 'bad' })).status, 401, 'unauthenticated requests are refused before the limit');
});
