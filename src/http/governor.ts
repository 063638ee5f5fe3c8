/**
 * Decides when a request to Intercom may be sent. One governor per token.
 *
 * Intercom hands out its rate limit in 10-second windows and reports it on
 * every response (`X-RateLimit-Limit`, `-Remaining`, `-Reset`). The governor
 * turns those headers into a budget for the current window, spreads the
 * budget over the window instead of bursting it, keeps enough requests in
 * flight to use it at the observed latency, and pauses every caller at once
 * when Intercom answers 429 or fails repeatedly.
 */
import { TransientError } from '../protocol/errors.js';

export interface RateLimitHeaders {
  /** Requests allowed in the current window. */
  limit: number;
  /** Requests left in the current window after this one. */
  remaining: number;
  /** When the current window ends, Unix seconds. */
  resetAt: number;
}

export interface GovernorOptions {
  /** Our own ceiling, to leave room for other apps on the same workspace. */
  maxRequestsPerMinute?: number;
  /** Hard cap on requests in flight; 1 makes the client strictly sequential. */
  maxConcurrency?: number;
  /** Intercom's window length. */
  windowSeconds?: number;
  /** Share of a window's budget that may be spent ahead of an even pace. */
  burstShare?: number;
  now?: () => number;
  /** Timer functions, replaceable by a fake clock in tests. */
  timers?: Timers;
  /** Longest single pause, whatever reset time Intercom names (a year ahead, or past what a timer can hold). */
  maxPauseMs?: number;
  /** How long the API may stay closed (429s, or a reset beyond maxPauseMs) before every request fails, transient. */
  maxClosedMs?: number;
  /** Told when a pause Intercom asked for was cut to maxPauseMs, once per closed spell. */
  onLongPause?: (info: { requestedMs: number; pauseMs: number; maxClosedMs: number }) => void;
}

export interface Timers {
  set(fn: () => void, ms: number): unknown;
  clear(handle: unknown): void;
}

const REAL_TIMERS: Timers = {
  set: (fn, ms) => setTimeout(fn, ms),
  clear: (handle) => clearTimeout(handle as NodeJS.Timeout),
};

/** Lower numbers go first: scans that discover more work before per-record expansions. */
export type Priority = 0 | 1;

export interface Permit {
  readonly seq: number;
  readonly sentAtMs: number;
}

export interface Outcome {
  status: number | null; // null: no response (connection error, timeout)
  headers: RateLimitHeaders | null;
}

export interface GovernorStats {
  sent: number;
  inFlight: number;
  rateLimited: number;
  serverErrors: number;
  /** Requests per minute the current window allows us, or null before Intercom said. */
  ceilingPerMinute: number | null;
  concurrency: number;
  latencyMs: number;
  /** Until when every caller is held (epoch ms; 0 when not paused), and why. */
  pausedUntilMs: number;
  pauseReason: string | null;
}

interface Window {
  startMs: number;
  resetAtMs: number;
  /** Server's per-window limit, or Infinity when Intercom sends no headers. */
  limit: number;
  /** remaining-now = cap - sent; the tightest of every response's view of this window. */
  cap: number;
  /** Requests we sent since this window began. */
  ownSent: number;
}

/** setTimeout fires at once for delays past this (2^31 - 1 ms), which would turn a long wait into a busy loop. */
const MAX_TIMER_MS = 2 ** 31 - 1;
export const DEFAULT_MAX_PAUSE_MS = 60_000;
export const DEFAULT_MAX_CLOSED_MS = 15 * 60_000;

interface Waiter {
  grant: () => void;
  fail: (err: Error) => void;
}

/** Time after a window's reset before its successor is assumed open, for clock skew. */
const ROLL_MARGIN_MS = 250;
/** After this many consecutive failures the whole client backs off. */
const FAILURE_STORM = 3;

export class RequestGovernor {
  private readonly windowMs: number;
  private readonly localLimit: number;
  private readonly maxConcurrency: number;
  private readonly burstShare: number;
  private readonly now: () => number;
  private readonly timers: Timers;

  private sent = 0;
  private inFlight = 0;
  private window: Window | null = null;
  private headersSeen = false;
  private responses = 0;
  private pausedUntilMs = 0;
  private consecutiveFailures = 0;
  private latencyEwmaMs = 200;
  private rateLimited = 0;
  private pauseReason: string | null = null;
  private serverErrors = 0;
  private readonly queues: Array<Array<Waiter>> = [[], []];
  private readonly maxPauseMs: number;
  private readonly maxClosedMs: number;
  private readonly onLongPause: GovernorOptions['onLongPause'];
  /** When the current closed spell began (first 429, or first reset beyond maxPauseMs), or null while open. */
  private closedSinceMs: number | null = null;
  private longPauseReported = false;
  private failure: Error | null = null;
  private timer: unknown = null;
  private timerAtMs = 0;

  constructor(options: GovernorOptions = {}) {
    this.windowMs = (options.windowSeconds ?? 10) * 1000;
    this.localLimit = options.maxRequestsPerMinute
      ? Math.max(1, Math.floor((options.maxRequestsPerMinute * this.windowMs) / 60_000))
      : Infinity;
    this.maxConcurrency = Math.max(1, options.maxConcurrency ?? 64);
    this.burstShare = options.burstShare ?? 0.2;
    this.now = options.now ?? Date.now;
    this.timers = options.timers ?? REAL_TIMERS;
    this.maxPauseMs = Math.min(MAX_TIMER_MS, Math.max(1, options.maxPauseMs ?? DEFAULT_MAX_PAUSE_MS));
    this.maxClosedMs = options.maxClosedMs ?? DEFAULT_MAX_CLOSED_MS;
    this.onLongPause = options.onLongPause;
  }

  /** Resolves when a request may be sent; the caller must pass the permit to `complete`. */
  acquire(priority: Priority = 0): Promise<Permit> {
    if (this.failure) return Promise.reject(this.failure);
    return new Promise<Permit>((resolve, reject) => {
      this.queues[priority]!.push({
        grant: () => {
          this.sent += 1;
          this.inFlight += 1;
          if (this.window) this.window.ownSent += 1;
          resolve({ seq: this.sent, sentAtMs: this.now() });
        },
        fail: reject,
      });
      this.pump();
    });
  }

  /** Reports how a request ended, so the budget, the pace and the pool size follow Intercom. */
  complete(permit: Permit, outcome: Outcome): void {
    this.inFlight -= 1;
    this.responses += 1;
    const now = this.now();
    if (outcome.status !== null) {
      this.latencyEwmaMs = this.latencyEwmaMs * 0.9 + (now - permit.sentAtMs) * 0.1;
    }
    const farReset = outcome.headers !== null && outcome.headers.resetAt * 1000 - now > this.maxPauseMs;
    if (outcome.headers) this.observe(permit, this.capReset(outcome.headers, now));

    if (outcome.status === 429 || (farReset && outcome.headers!.remaining < 1)) {
      this.closedSinceMs ??= now;
    } else if (outcome.status !== null && outcome.status < 500) {
      this.closedSinceMs = null;
      this.longPauseReported = false;
    }
    if (this.closedSinceMs !== null && now - this.closedSinceMs > this.maxClosedMs) {
      this.failAll(
        new TransientError(
          `Intercom's rate limit stayed closed for more than ${(this.maxClosedMs / 1000).toFixed(this.maxClosedMs < 10_000 ? 1 : 0)} s${farReset ? ` (it names a reset at ${describeReset(outcome.headers!.resetAt)})` : ''}; the sync stops here. Retry later, or check the app's rate limit in the Intercom Developer Hub.`,
        ),
      );
      return;
    }

    if (outcome.status === 429) {
      this.rateLimited += 1;
      if (this.window) this.window.cap = Math.min(this.window.cap, this.sent);
      const resetMs = outcome.headers ? outcome.headers.resetAt * 1000 : now + 2000;
      this.pauseUntil(Math.max(resetMs, now) + ROLL_MARGIN_MS, 'the rate-limit window to reset after HTTP 429');
    } else if (outcome.status === null || outcome.status >= 500) {
      this.serverErrors += 1;
      this.consecutiveFailures += 1;
      if (this.consecutiveFailures >= FAILURE_STORM) {
        const backoff = Math.min(30_000, 500 * 2 ** (this.consecutiveFailures - FAILURE_STORM));
        this.pauseUntil(now + backoff, 'a backoff after repeated server errors');
      }
    } else {
      this.consecutiveFailures = 0;
    }
    this.pump();
  }

  /** Holds every caller until the given time, or for maxPauseMs at most. */
  pauseUntil(untilMs: number, reason = 'a pause'): void {
    const now = this.now();
    const capped = Math.min(untilMs, now + this.maxPauseMs);
    if (capped < untilMs && !this.longPauseReported) {
      this.longPauseReported = true;
      this.onLongPause?.({ requestedMs: untilMs - now, pauseMs: this.maxPauseMs, maxClosedMs: this.maxClosedMs });
    }
    if (capped > this.pausedUntilMs) this.pauseReason = reason;
    this.pausedUntilMs = Math.max(this.pausedUntilMs, capped);
    this.pump();
  }

  /** A reset beyond maxPauseMs counts as one maxPauseMs ahead: the window is retried then, not a year later. */
  private capReset(h: RateLimitHeaders, now: number): RateLimitHeaders {
    const latest = Math.floor((now + this.maxPauseMs) / 1000);
    if (h.resetAt <= latest) return h;
    if (!this.longPauseReported) {
      this.longPauseReported = true;
      this.onLongPause?.({ requestedMs: h.resetAt * 1000 - now, pauseMs: this.maxPauseMs, maxClosedMs: this.maxClosedMs });
    }
    return { ...h, resetAt: latest };
  }

  /** Rejects every waiting and future request: the API stayed closed too long. */
  private failAll(err: Error): void {
    this.failure = err;
    if (this.timer !== null) this.timers.clear(this.timer);
    this.timer = null;
    for (const queue of this.queues) for (const waiter of queue.splice(0)) waiter.fail(err);
  }

  stats(): GovernorStats {
    const perWindow = this.effectiveLimit();
    return {
      sent: this.sent,
      inFlight: this.inFlight,
      rateLimited: this.rateLimited,
      serverErrors: this.serverErrors,
      ceilingPerMinute: Number.isFinite(perWindow) ? (perWindow * 60_000) / this.windowMs : null,
      concurrency: this.concurrencyLimit(),
      latencyMs: Math.round(this.latencyEwmaMs),
      pausedUntilMs: this.pausedUntilMs > this.now() ? this.pausedUntilMs : 0,
      pauseReason: this.pausedUntilMs > this.now() ? this.pauseReason : null,
    };
  }

  private observe(permit: Permit, h: RateLimitHeaders): void {
    this.headersSeen = true;
    const resetAtMs = h.resetAt * 1000;
    const w = this.window;
    if (!w || resetAtMs > w.resetAtMs) {
      // A window we had not opened yet: everything from this request on counts in it.
      this.window = {
        startMs: resetAtMs - this.windowMs,
        resetAtMs,
        limit: h.limit,
        cap: h.remaining + permit.seq,
        ownSent: this.sent - permit.seq + 1,
      };
    } else if (resetAtMs === w.resetAtMs) {
      w.limit = h.limit;
      w.cap = Math.min(w.cap, h.remaining + permit.seq);
    }
  }

  private effectiveLimit(): number {
    return Math.min(this.window?.limit ?? Infinity, this.localLimit);
  }

  /** Enough requests in flight to spend the window's budget at the observed latency. */
  private concurrencyLimit(): number {
    const perWindow = this.effectiveLimit();
    if (!Number.isFinite(perWindow)) return Math.min(this.maxConcurrency, 16);
    const perMs = perWindow / this.windowMs;
    const needed = Math.ceil(perMs * this.latencyEwmaMs * 1.25) + 1;
    return Math.max(1, Math.min(this.maxConcurrency, Math.max(2, needed)));
  }

  /** Opens the next window once the current one has reset. */
  private rollWindow(now: number): void {
    const w = this.window;
    if (!w) {
      if (this.headersSeen || this.responses === 0) return;
      // Intercom sent no rate-limit headers: pace on our own ceiling alone.
      this.window = { startMs: now, resetAtMs: now + this.windowMs, limit: Infinity, cap: Infinity, ownSent: 0 };
      return;
    }
    if (now < w.resetAtMs + ROLL_MARGIN_MS) return;
    const periods = Math.floor((now - w.resetAtMs) / this.windowMs) + 1;
    const resetAtMs = w.resetAtMs + periods * this.windowMs;
    this.window = {
      startMs: resetAtMs - this.windowMs,
      resetAtMs,
      limit: w.limit,
      // Requests still in flight may land in the new window.
      cap: this.sent + w.limit - this.inFlight,
      ownSent: 0,
    };
  }

  /** Milliseconds until one more request may go, 0 if now, Infinity if only a completion can help. */
  private waitMs(now: number): number {
    if (now < this.pausedUntilMs) return this.pausedUntilMs - now;
    if (this.inFlight >= this.concurrencyLimit()) return Infinity;
    this.rollWindow(now);
    const w = this.window;
    if (!w) {
      // Until Intercom has told us the limit, probe with one request at a time.
      return this.inFlight === 0 ? 0 : Infinity;
    }
    const limit = this.effectiveLimit();
    const untilReset = w.resetAtMs + ROLL_MARGIN_MS - now;
    if (w.cap - this.sent < 1 || w.ownSent >= this.localLimit) return Math.max(1, untilReset);
    if (!Number.isFinite(limit)) return 0;
    const elapsed = Math.max(0, (now - w.startMs) / this.windowMs);
    const paced = Math.ceil(limit * Math.min(1, elapsed + this.burstShare));
    if (w.ownSent < paced) return 0;
    // Next slot on the even pace.
    const nextAtMs = w.startMs + ((w.ownSent + 1) / limit - this.burstShare) * this.windowMs;
    return Math.max(1, Math.min(nextAtMs - now, untilReset));
  }

  private pump(): void {
    if (this.failure) return;
    for (;;) {
      const queue = this.queues.find((q) => q.length > 0);
      if (!queue) return;
      const now = this.now();
      const wait = this.waitMs(now);
      if (wait === 0) {
        queue.shift()!.grant();
        continue;
      }
      if (Number.isFinite(wait)) this.wakeAt(now + wait);
      return;
    }
  }

  private wakeAt(atMs: number): void {
    if (this.timer !== null && this.timerAtMs <= atMs) return;
    if (this.timer !== null) this.timers.clear(this.timer);
    this.timerAtMs = atMs;
    this.timer = this.timers.set(() => {
      this.timer = null;
      this.pump();
    }, Math.min(MAX_TIMER_MS, Math.max(1, atMs - this.now())));
  }
}

/** A reset time for messages; values past what a Date holds are shown as they came. */
export function describeReset(resetAt: number): string {
  const date = new Date(resetAt * 1000);
  return Number.isNaN(date.getTime()) ? `Unix time ${resetAt}` : date.toISOString();
}
