/**
 * The companies scroll API's server-side state.
 *
 * One scroll per token at a time. A scroll pages over a snapshot of the
 * companies taken when it was opened (rows are replaced on write, so holding
 * the row references is a snapshot). The same scroll_param is returned on
 * every page and the position lives here. A scroll expires after ttl seconds
 * without use; the page after the last one is empty and closes it.
 */
import { randomUUID } from 'node:crypto';
import { ApiError, notFound } from './errors.js';
import type { CompanyRow } from './store/rows.js';

interface Scroll {
  param: string;
  rows: readonly CompanyRow[];
  /** user_count of each company when the scroll opened. */
  userCounts: readonly number[];
  position: number;
  lastUsed: number;
}

export interface ScrollPage {
  param: string;
  rows: readonly CompanyRow[];
  userCounts: readonly number[];
}

export class ScrollRegistry {
  private readonly byToken = new Map<string, Scroll>();

  constructor(
    private readonly ttlSeconds: number,
    private readonly pageSize: number,
  ) {}

  private current(token: string, now: number): Scroll | undefined {
    const scroll = this.byToken.get(token);
    if (scroll && now - scroll.lastUsed >= this.ttlSeconds) {
      this.byToken.delete(token);
      return undefined;
    }
    return scroll;
  }

  /** Whether the token has a scroll open (not expired). */
  isOpen(token: string, now: number): boolean {
    return this.current(token, now) !== undefined;
  }

  /**
   * Opens a scroll over `rows` and serves its first page. With `dryRun` the
   * page is computed but nothing is opened (a faulted request changes nothing).
   */
  open(token: string, rows: readonly CompanyRow[], userCounts: readonly number[], now: number, dryRun = false): ScrollPage {
    if (this.current(token, now)) throw new ApiError(400, 'scroll_exists', 'scroll already exists for this workspace');
    const scroll: Scroll = { param: randomUUID(), rows, userCounts, position: 0, lastUsed: now };
    if (!dryRun) this.byToken.set(token, scroll);
    return this.serve(token, scroll, now, dryRun);
  }

  /** Serves the next page of the token's scroll identified by `param`. */
  next(token: string, param: string, now: number, dryRun = false): ScrollPage {
    const scroll = this.current(token, now);
    if (!scroll || scroll.param !== param) throw notFound('scroll parameter not found or expired');
    return this.serve(token, scroll, now, dryRun);
  }

  /** Ends the token's scroll (an internal error kills it: the client must start over). */
  kill(token: string): void {
    this.byToken.delete(token);
  }

  private serve(token: string, scroll: Scroll, now: number, dryRun: boolean): ScrollPage {
    const start = scroll.position;
    const end = Math.min(scroll.rows.length, start + this.pageSize);
    const page: ScrollPage = { param: scroll.param, rows: scroll.rows.slice(start, end), userCounts: scroll.userCounts.slice(start, end) };
    if (dryRun) return page;
    if (end === start) this.byToken.delete(token);
    scroll.position = end;
    scroll.lastUsed = now;
    return page;
  }
}
