import type { JsonObject } from '../../protocol/types.js';
import type { SearchSource } from '../definition.js';
import { recordsAt } from '../../util/records-path.js';
import type { SourceContext } from '../source-context.js';
import { Watermark } from '../watermark.js';
import { drainQueue } from '../work-queue.js';
import { afterSortedPage } from '../search/sorted.js';
import { splitWindow } from '../search/split.js';
import { describeWindow, inWindow, windowQuery, type DateGrid, type Range, type SearchWindow } from '../search/window.js';

/** Intercom's largest search page. */
export const SEARCH_PAGE_SIZE = 150;

export interface SearchScanOptions {
  /** Windows read at the same time. */
  concurrency?: number;
  pageSize?: number;
}

interface Page {
  records: JsonObject[];
  /** Matches of the whole query; Infinity when Intercom did not say and more pages exist. */
  total: number;
  next: string | null;
}

/**
 * Reads every record whose cursor lies in [lowerBound, upperBound) from a
 * search endpoint, without ever following a pagination cursor.
 *
 * Intercom's search cursors are stateless: each page re-runs the query, so
 * when records change during a scan, offset-like cursors skip records that
 * did not change. A single page, though, is a consistent snapshot. So the
 * range is partitioned into windows that each fit in one page (split along
 * updated_at, then created_at, then id suffix), every window is read with one
 * request, and an unchanged record is read exactly once. Records that change
 * during the scan move past the frozen upper bound and are read by the next
 * sync. When the endpoint sorts (contacts), a page sorted by updated_at
 * descending completes the top of its window and the next request reads
 * below it (keyset pages, with no cursor), so pages are rarely wasted and an
 * incremental sync with few changes costs one request.
 */
export async function scanSearch(source: SearchSource, ctx: SourceContext, options: SearchScanOptions = {}): Promise<void> {
  const pageSize = options.pageSize ?? SEARCH_PAGE_SIZE;
  const grid: DateGrid = {
    resolution: source.dateResolution,
    timeZone: ctx.timeZone,
    ...(ctx.timeZoneKnown ? {} : { queryMargin: 86400 }),
  };
  const { lowerBound: lo, upperBound: hi } = ctx;
  if (lo >= hi) {
    ctx.checkpoint(hi);
    return;
  }
  // created_at never exceeds updated_at, so [0, hi) covers every record.
  const createdFull: Range = { lo: 0, hi };
  const root: SearchWindow = { updated: { lo, hi }, created: createdFull, ids: [] };
  const watermark = new Watermark(hi);
  type Item = { window: SearchWindow; token: number };
  const hold = (window: SearchWindow): Item => ({ window, token: watermark.hold(window.updated.lo) });

  const query = async (w: SearchWindow, startingAfter?: string): Promise<Page> => {
    const body = (await ctx.client.post(
      source.path,
      {
        query: windowQuery(w, grid, createdFull),
        pagination: { per_page: pageSize, ...(startingAfter ? { starting_after: startingAfter } : {}) },
        ...(source.sortable ? { sort: { field: source.cursorField, order: w.ascending ? 'ascending' : 'descending' } } : {}),
      },
      { priority: 0 },
    )) as JsonObject;
    const records = recordsAt(body, source.recordsPath);
    const next = nextCursor(body);
    const total = typeof body.total_count === 'number' ? body.total_count : next ? Infinity : records.length;
    return { records, total, next };
  };

  const readWindow = async ({ window: w, token }: Item, push: (item: Item) => void): Promise<void> => {
    const page = await query(w);
    if (w === root && Number.isFinite(page.total)) ctx.estimate(page.total);
    let complete: SearchWindow | null = null;
    let rest: SearchWindow[] | null;
    if (page.total <= page.records.length) {
      complete = w;
      rest = [];
    } else if (source.sortable) {
      ({ complete, rest } = afterSortedPage(w, page, grid, pageSize, source.idAlphabet));
    } else {
      rest = null;
    }
    rest ??= splitWindow({ window: w, sample: page.records, estimate: page.total, pageSize, grid, idAlphabet: source.idAlphabet });

    let emitNow = complete ? page.records.filter((r) => inWindow(r, complete)) : [];
    if (rest === null) {
      emitNow = await pageThrough(w, page);
      rest = [];
    }
    // The rest holds the watermark before this window lets go of it.
    for (const next of rest) push(hold(next));
    if (emitNow.length > 0) await ctx.emit(emitNow);
    watermark.release(token);
    ctx.checkpoint(watermark.value);
  };

  /** Last resort for a cell no split can shrink: follow the cursor and say so. */
  const pageThrough = async (w: SearchWindow, first: Page): Promise<JsonObject[]> => {
    ctx.log('WARN', `${source.name}: ${describeWindow(w)} holds more than one page and cannot be split further; reading it with Intercom's cursor, which can miss records that change meanwhile.`);
    const out = first.records.filter((r) => inWindow(r, w));
    let next = first.next;
    while (next) {
      const page = await query(w, next);
      out.push(...page.records.filter((r) => inWindow(r, w)));
      next = page.next;
    }
    return out;
  };

  await drainQueue([hold(root)], (item) => item.window.updated.lo, options.concurrency ?? 8, readWindow);
  ctx.checkpoint(hi);
}

/** `pages.next.starting_after` of a search response, if there is a next page. */
function nextCursor(body: JsonObject): string | null {
  const pages = body.pages as { next?: { starting_after?: unknown } | null } | null | undefined;
  const after = pages?.next?.starting_after;
  return typeof after === 'string' && after !== '' ? after : null;
}
