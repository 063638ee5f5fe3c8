/**
 * The progress line: the request rate averaged over the rate-limit window,
 * measured against the effective cap, per-stream percentages and ETAs where
 * an estimate exists, and what a stall waits for. A fake clock drives it.
 */
import { PassThrough } from 'node:stream';
import t from 'tap';
import type { ClientStats } from '../../src/http/client.js';
import { ProgressReporter, formatDuration } from '../../src/engine/progress.js';
import { Output } from '../../src/protocol/output.js';
import { SystemError, ConfigError } from '../../src/protocol/errors.js';

function fixture(stats: Partial<ClientStats> = {}): { clock: { now: number }; stats: ClientStats; output: Output; progress: ProgressReporter } {
  const clock = { now: 1_000_000 };
  const all: ClientStats = {
    sent: 0, inFlight: 0, rateLimited: 0, serverErrors: 0, ceilingPerMinute: 1000, concurrency: 4, latencyMs: 100,
    pausedUntilMs: 0, pauseReason: null, retries: 0, waits: [], ...stats,
  };
  const output = new Output(new PassThrough().resume());
  const progress = new ProgressReporter(output, { stats: () => all }, ['contacts', 'tags'], null, () => clock.now);
  return { clock, stats: all, output, progress };
}

t.test('the rate is averaged over the 10-second window: bursts inside it do not swing the share', async (t) => {
  const { clock, stats, progress } = fixture({ ceilingPerMinute: 600 });
  // A governor spends a window's budget early: 100 requests in the first 2 s of every 10 s window.
  const shares: number[] = [];
  for (let second = 1; second <= 60; second++) {
    clock.now += 1000;
    if (second % 10 === 1 || second % 10 === 2) stats.sent += 50;
    progress.sample();
    if (second >= 10) shares.push(Number(/\((\d+)% of 600\/min\)/.exec(progress.describe(false))![1]));
  }
  t.ok(shares.every((s) => s >= 90 && s <= 110), `every reading near 100% of the cap: ${shares.join(' ')}`);
});

t.test('the share is of the effective cap the governor reports (max_requests_per_minute when lower)', async (t) => {
  const { clock, stats, progress } = fixture({ ceilingPerMinute: 120 });
  for (let i = 0; i < 10; i++) {
    clock.now += 1000;
    stats.sent += 2;
    progress.sample();
  }
  t.match(progress.describe(false), /2\.0 req\/s \(100% of 120\/min\)/);
});

t.test('per-stream progress with a percentage and an ETA where an estimate exists', async (t) => {
  const { clock, output, progress } = fixture();
  output.estimate('contacts', 1000);
  for (let i = 0; i < 250; i++) output.record('contacts', { id: String(i) });
  output.record('tags', { id: 't' });
  clock.now += 10_000;
  const line = progress.describe(true);
  t.match(line, /contacts 250\/1000 \(25%, ETA 30s\)/, 'a quarter in 10 s: 30 s to go');
  t.match(line, /tags 1(,|\])/, 'no estimate, no percentage');
});

t.test('a stall says what it waits for', async (t) => {
  const { clock, stats, progress } = fixture();
  t.equal(progress.stall(), null, 'nothing to say at the start');
  stats.pausedUntilMs = clock.now + 8000;
  stats.pauseReason = 'the rate-limit window to reset after HTTP 429';
  t.match(progress.describe(false), /paused 8s for the rate-limit window to reset after HTTP 429/);
  stats.pausedUntilMs = 0;
  stats.pauseReason = null;
  clock.now += 5000;
  stats.waits = [{ reason: 'another companies scroll to close', untilMs: clock.now + 15_000 }];
  t.match(progress.stall(), /waiting 15s for another companies scroll to close/);
  stats.waits = [{ reason: 'a retry of GET /contacts after HTTP 503', untilMs: clock.now + 2000 }];
  t.match(progress.stall(), /retry of GET \/contacts/);
  stats.waits = [];
  stats.inFlight = 3;
  t.match(progress.stall(), /waiting for Intercom to answer 3 requests/);
  stats.sent += 1;
  progress.sample();
  t.equal(progress.stall(), null, 'requests are flowing again');
});

t.test('the end-of-read report: counts per stream, totals, and each distinct error once with its streams', async (t) => {
  const { output, progress } = fixture({ sent: 42, retries: 3, rateLimited: 2 });
  for (let i = 0; i < 5; i++) output.record('contacts', { id: String(i) });
  const auth = new ConfigError('Intercom rejected the access token (401).');
  const report = progress.report(
    new Map([
      ['contacts', { status: 'COMPLETE' as const, errors: [] }],
      ['tags', { status: 'INCOMPLETE' as const, errors: [auth] }],
      ['teams', { status: 'INCOMPLETE' as const, errors: [auth, new SystemError('boom')] }],
    ]),
    false,
  );
  t.match(report, /^Sync ended with errors in 0s: 5 records from 3 streams, 42 requests, 3 retries, 2 answered 429\./);
  t.match(report, /\n  contacts +COMPLETE +5 records/);
  t.match(report, /\n  tags +INCOMPLETE +0 records/);
  t.match(report, /\n  tags, teams \(config_error: Intercom rejected the access token \(401\)\.\)/);
  t.match(report, /\n  teams \(system_error: boom\)/);
});

t.test('durations read as a person would say them', async (t) => {
  t.equal(formatDuration(4.4), '4s');
  t.equal(formatDuration(75), '1m15s');
  t.equal(formatDuration(3 * 3600 + 120), '3h02m');
});
