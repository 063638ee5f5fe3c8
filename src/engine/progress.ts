import type { ClientStats, IntercomClient } from '../http/client.js';
import type { ConnectorError } from '../protocol/errors.js';
import type { Output } from '../protocol/output.js';

/** Requests sent by a given time. */
interface Sample {
  at: number;
  sent: number;
}

/** Intercom counts its rate limit in 10-second windows; a rate averaged over less swings with each window. */
const RATE_WINDOW_MS = 10_000;

/** No request for this long and something is waited for: the progress says what. */
const STALL_MS = 3_000;

/** How one stream ended, for the summary. */
export interface StreamOutcome {
  status: 'COMPLETE' | 'INCOMPLETE' | 'NOT READ';
  errors: ConnectorError[];
}

/**
 * Reports a running sync: a LOG line every few seconds (records per stream,
 * request rate averaged over the rate-limit window, share of the effective
 * request cap) and, when stderr is a terminal, a one-line display updated
 * every second, with per-stream percentages and ETAs where Intercom gave an
 * estimate, and what a stall waits for. At the end, a summary for stderr.
 */
export class ProgressReporter {
  private readonly startedAt: number;
  private samples: Sample[] = [];
  private lastSentChangeAt: number;
  private timers: NodeJS.Timeout[] = [];

  constructor(
    private readonly output: Output,
    private readonly client: Pick<IntercomClient, 'stats'>,
    private readonly streams: string[],
    private readonly tty: NodeJS.WriteStream | null = process.stderr.isTTY ? process.stderr : null,
    private readonly now: () => number = Date.now,
  ) {
    this.startedAt = now();
    this.lastSentChangeAt = this.startedAt;
    this.samples.push({ at: this.startedAt, sent: 0 });
  }

  begin(logEveryMs = 5000): void {
    this.timers.push(setInterval(() => this.sample(), 1000));
    this.timers.push(setInterval(() => this.output.log('INFO', `Progress: ${this.describe(true)}`), logEveryMs));
    if (this.tty) this.timers.push(setInterval(() => this.tty!.write(`\r\x1b[K${this.describe(false)}`), 1000));
    for (const t of this.timers) t.unref();
  }

  /** Stops the reports and erases the terminal line, which the summary replaces. */
  end(): void {
    for (const t of this.timers) clearInterval(t);
    this.timers = [];
    if (this.tty) this.tty.write('\r\x1b[K');
  }

  /** Takes a sample of requests sent; the rate is averaged over the samples of the last window. */
  sample(): void {
    const at = this.now();
    const sent = this.client.stats().sent;
    const last = this.samples[this.samples.length - 1]!;
    if (sent !== last.sent) this.lastSentChangeAt = at;
    this.samples.push({ at, sent });
    // Keep one sample at or before the window's start as its baseline.
    while (this.samples.length > 2 && this.samples[1]!.at <= at - RATE_WINDOW_MS) this.samples.shift();
  }

  /** Requests per second over the last window (or since the start, when younger). */
  requestRate(): number {
    this.sample();
    const first = this.samples[0]!;
    const last = this.samples[this.samples.length - 1]!;
    const seconds = (last.at - first.at) / 1000;
    return seconds > 0 ? (last.sent - first.sent) / seconds : 0;
  }

  /** One line: records, per-stream progress, request rate against the effective cap, and any stall. */
  describe(allStreams: boolean): string {
    const perSecond = this.requestRate();
    const stats = this.client.stats();
    const elapsed = (this.now() - this.startedAt) / 1000;
    const counts = this.streams.map((s) => [s, this.output.recordCount(s)] as const);
    const total = counts.reduce((n, [, c]) => n + c, 0);
    const shown = counts.filter(([s, c]) => c > 0 || (allStreams && this.output.estimateOf(s) !== undefined));
    const detail = shown.length ? ` [${shown.map(([s, c]) => this.streamProgress(s, c, elapsed)).join(', ')}]` : '';
    // The governor's ceiling already is the lower of Intercom's limit and max_requests_per_minute.
    const share = stats.ceilingPerMinute ? ` (${Math.round((perSecond * 6000) / stats.ceilingPerMinute)}% of ${Math.round(stats.ceilingPerMinute)}/min)` : '';
    const stall = this.stall(stats);
    return (
      `${total} records${detail}, ${stats.sent} requests, ${perSecond.toFixed(1)} req/s${share}, ` +
      `${stats.retries} retries, ${stats.rateLimited} answered 429, ${formatDuration(elapsed)}${stall ? `; ${stall}` : ''}`
    );
  }

  /** What the sync is waiting for, when no request has gone out for a while. */
  stall(stats: ClientStats = this.client.stats()): string | null {
    const now = this.now();
    if (stats.pausedUntilMs > now) return `paused ${formatDuration((stats.pausedUntilMs - now) / 1000)} for ${stats.pauseReason ?? 'the rate limit'}`;
    if (now - this.lastSentChangeAt < STALL_MS) return null;
    const wait = stats.waits[0];
    if (wait) return `waiting ${formatDuration(Math.max(0, wait.untilMs - now) / 1000)} for ${wait.reason}`;
    if (stats.inFlight > 0) return `waiting for Intercom to answer ${stats.inFlight} request${stats.inFlight > 1 ? 's' : ''}`;
    return null;
  }

  private streamProgress(stream: string, count: number, elapsed: number): string {
    const estimate = this.output.estimateOf(stream);
    if (!estimate || estimate <= 0) return `${stream} ${count}`;
    const pct = Math.min(100, Math.round((count / estimate) * 100));
    const rate = elapsed > 0 ? count / elapsed : 0;
    const eta = count < estimate && rate > 0 ? `, ETA ${formatDuration((estimate - count) / rate)}` : '';
    return `${stream} ${count}/${estimate} (${pct}%${eta})`;
  }

  /** The LOG line at the end of the sync. */
  summary(): string {
    return this.describe(true);
  }

  /** The end-of-read report for stderr: records per stream, time, requests, retries, 429s, and each error with what to fix. */
  report(outcomes: Map<string, StreamOutcome>, ok: boolean): string {
    const stats = this.client.stats();
    const elapsed = (this.now() - this.startedAt) / 1000;
    const total = this.streams.reduce((n, s) => n + this.output.recordCount(s), 0);
    const width = Math.max(6, ...[...outcomes.keys()].map((s) => s.length));
    const lines = [
      `Sync ${ok ? 'finished' : 'ended with errors'} in ${formatDuration(elapsed)}: ${total} records from ${outcomes.size} streams, ` +
        `${stats.sent} requests, ${stats.retries} retries, ${stats.rateLimited} answered 429.`,
    ];
    for (const [stream, outcome] of outcomes) {
      lines.push(`  ${stream.padEnd(width)}  ${outcome.status.padEnd(10)}  ${String(this.output.recordCount(stream)).padStart(8)} records`);
    }
    const errors = [...outcomes].flatMap(([stream, o]) => o.errors.map((e) => ({ stream, e })));
    if (errors.length) {
      lines.push('Errors (what to fix):');
      // One line per distinct message: an auth failure ends every stream with the same text.
      const seen = new Map<string, string[]>();
      for (const { stream, e } of errors) {
        const key = `${e.failureType}: ${e.message}`;
        seen.set(key, [...(seen.get(key) ?? []), stream]);
      }
      for (const [key, streams] of seen) lines.push(`  ${streams.join(', ')} (${key})`);
    }
    return lines.join('\n');
  }
}

/** 75 -> "1m15s", 4 -> "4s". */
export function formatDuration(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m${String(s % 60).padStart(2, '0')}s`;
  return `${Math.floor(m / 60)}h${String(m % 60).padStart(2, '0')}m`;
}
