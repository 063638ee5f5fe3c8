/**
 * Intercom's rate limit: the per-minute allowance is spread over fixed
 * 10-second windows (aligned to multiples of 10 s of the clock), so the
 * per-window limit is floor(perMinute / 6). Counted per access token (an app).
 */

export const WINDOW_SECONDS = 10;

export interface RateLimitDecision {
  allowed: boolean;
  limit: number;
  remaining: number;
  /** Unix seconds at which the current window ends. */
  reset: number;
}

export class RateLimiter {
  private readonly windows = new Map<string, { start: number; used: number }>();

  constructor(private perMinute: number | null) {}

  /** Null when rate limiting is off. */
  get limit(): number | null {
    return this.perMinute === null ? null : Math.floor(this.perMinute / 6);
  }

  setPerMinute(perMinute: number | null): void {
    this.perMinute = perMinute;
    this.windows.clear();
  }

  /** Spends one request of the token's current window, if any is left. */
  take(token: string, now: number): RateLimitDecision | null {
    const limit = this.limit;
    if (limit === null) return null;
    const start = Math.floor(now / WINDOW_SECONDS) * WINDOW_SECONDS;
    let window = this.windows.get(token);
    if (!window || window.start !== start) {
      window = { start, used: 0 };
      this.windows.set(token, window);
    }
    const reset = start + WINDOW_SECONDS;
    if (window.used >= limit) return { allowed: false, limit, remaining: 0, reset };
    window.used++;
    return { allowed: true, limit, remaining: limit - window.used, reset };
  }
}

export function rateLimitHeaders(decision: RateLimitDecision): Record<string, string> {
  return {
    'X-RateLimit-Limit': String(decision.limit),
    'X-RateLimit-Remaining': String(decision.remaining),
    'X-RateLimit-Reset': String(decision.reset),
  };
}
