import { SystemError } from '../protocol/errors.js';
import type { JsonObject } from '../protocol/types.js';
import { IdSet } from '../util/id-set.js';

/** Pages in a row with nothing new after which a paginator is taken to be looping. */
export const STALE_PAGES = 2;

/** A paginator that goes round in circles: a system_error, and never a reason to start it over. */
export class PaginationLoopError extends SystemError {}

/**
 * Ends a paginator that goes round in circles: a next page equal to one
 * already read, or pages that bring no record not already seen, fail the
 * stream with a system_error naming the endpoint, a few pages in at most.
 * One guard per walk over one endpoint.
 */
export class LoopGuard {
  private readonly requested = new Set<string>();
  private readonly seen = new IdSet();
  private stale = 0;

  constructor(private readonly endpoint: string) {}

  /** Call before requesting a page; `key` identifies it (its URL, cursor or page number). */
  request(key: string): void {
    if (this.requested.has(key)) {
      throw new PaginationLoopError(`${this.endpoint}: Intercom pointed to a page that was already read (${key.slice(0, 200)}); the pagination loops, so the stream stops here.`);
    }
    this.requested.add(key);
  }

  /** Call with each page's records and whether it says more follow; returns the records not seen before. */
  page(records: JsonObject[], more: boolean): JsonObject[] {
    const fresh = records.filter((r) => this.seen.add(recordKey(r)));
    this.stale = fresh.length === 0 ? this.stale + 1 : 0;
    if (more && this.stale >= STALE_PAGES) {
      throw new PaginationLoopError(`${this.endpoint}: ${STALE_PAGES} pages in a row brought no record not already read, yet Intercom says more follow; the pagination loops, so the stream stops here.`);
    }
    return fresh;
  }
}

/** A record's identity for loop detection: its id, or the whole record when it has none. */
export function recordKey(r: JsonObject): string {
  return r.id === undefined || r.id === null ? JSON.stringify(r) : String(r.id);
}
