import type { IntercomClient } from '../http/client.js';
import type { Output } from '../protocol/output.js';

/** The point a request rate is measured from. */
interface Mark {
  at: number;
  sent: number;
}

/**
 * Reports a running sync: a LOG line every few seconds (records per stream,
 * requests per second, share of the rate limit in use) and, when stderr is a
 * terminal, a one-line display updated every second.
 */
export class ProgressReporter {
  private readonly start: Mark = { at: Date.now(), sent: 0 };
  private timers: NodeJS.Timeout[] = [];

  constructor(
    private readonly output: Output,
    private readonly client: IntercomClient,
    private readonly streams: string[],
    private readonly tty: NodeJS.WriteStream | null = process.stderr.isTTY ? process.stderr : null,
  ) {}

  begin(logEveryMs = 5000): void {
    const logMark = { ...this.start };
    this.timers.push(setInterval(() => this.output.log('INFO', `Progress: ${this.describe(logMark, true)}`), logEveryMs));
    if (this.tty) {
      const ttyMark = { ...this.start };
      this.timers.push(setInterval(() => this.tty!.write(`\r\x1b[K${this.describe(ttyMark, false)}`), 1000));
    }
    for (const t of this.timers) t.unref();
  }

  end(): void {
    for (const t of this.timers) clearInterval(t);
    this.timers = [];
    if (this.tty) this.tty.write('\r\x1b[K');
  }

  /** The whole run so far. */
  summary(): string {
    return this.describe({ ...this.start }, true);
  }

  /** Rates are measured since `mark`, which then moves to now. */
  private describe(mark: Mark, perStream: boolean): string {
    const stats = this.client.stats();
    const now = Date.now();
    const perSecond = (stats.sent - mark.sent) / Math.max(0.001, (now - mark.at) / 1000);
    mark.at = now;
    mark.sent = stats.sent;
    const share = stats.ceilingPerMinute ? ` (${Math.round((perSecond * 6000) / stats.ceilingPerMinute)}% of the rate limit)` : '';
    const counts = this.streams.map((s) => [s, this.output.recordCount(s)] as const);
    const total = counts.reduce((n, [, c]) => n + c, 0);
    const detail = perStream ? ` [${counts.filter(([, c]) => c > 0).map(([s, c]) => `${s} ${c}`).join(', ')}]` : '';
    return (
      `${total} records${detail}, ${stats.sent} requests, ${perSecond.toFixed(1)} req/s${share}, ` +
      `${stats.rateLimited} answered 429, ${Math.round((now - this.start.at) / 1000)} s`
    );
  }
}
