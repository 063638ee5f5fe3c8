import type { JsonObject } from '../../protocol/types.js';
import type { SearchSource } from '../definition.js';
import { recordsAt } from '../../util/records-path.js';
import { SystemError } from '../../protocol/errors.js';
import { envelopeCheck } from '../envelope.js';
import { LoopGuard } from '../loop-guard.js';
import type { SourceContext } from '../source-context.js';
import { Watermark } from '../watermark.js';
import { drainQueue } from '../work-queue.js';
import { afterSortedPage } from '../search/sorted.js';
import { splitWindow } from '../search/split.js';
import { describeWindow, inWindow, windowQuery, type DateGrid, type Range, type SearchWindow } from '../search/window.js';
import { IdSet } from '../../util/id-set.js';

/** Intercom's largest search page. */
export const SEARCH_PAGE_SIZE = 150;

export interface SearchScanOptions {
  /** Windows read at the same time. */
  concurrency?: number;
  pageSize?: number;
}

/**
 * Deepest chain of splits from the root window that read nothing new. A window whose page brought records not
 * seen before made progress, so its children do not go deeper: a dense day of contacts is read by a long chain of
 * keyset pages, each one a step, not a split. Real splits that find nothing new end far sooner (ids end within
 * 24 characters).
 */
export const MAX_SPLIT_DEPTH = 64;
/** Windows a scan may read: a floor, plus this many per page of distinct records it found. A backstop, far above real scans. */
export const WINDOW_BUDGET_FLOOR = 200;
export const WINDOWS_PER_PAGE_FOUND = 20;

interface Page {
  records: JsonObject[];
  /**
   * Matches of the whole query, reconciled with the page itself: at least one
   * more than the page holds when the page says more follow, and no more than
   * it holds when it says none do.
   */
  total: number;
  next: string | null;
  /** What Intercom's total_count said, for messages. */
  said: number;
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
  type Item = { window: SearchWindow; token: number; depth: number };
  const hold = (window: SearchWindow, depth: number): Item => ({ window, token: watermark.hold(window.updated.lo), depth });
  const expect = envelopeCheck(source.recordsPath, 'search');
  const disagreed = new Set<string>();
  /** Says once per scan and direction that total_count and the pages disagree, and which one was believed. */
  const noteDisagreement = (direction: 'over' | 'under', page: Page): void => {
    if (disagreed.has(direction)) return;
    disagreed.add(direction);
    ctx.log(
      'WARN',
      direction === 'over'
        ? `${source.name}: Intercom's total_count (${page.said}) counts more records than its last page holds (${page.records.length}, no next page); believing the page (records deleted moments ago are still counted).`
        : `${source.name}: Intercom's total_count (${page.said}) is no more than the page holds, yet pages.next says more follow; believing pages.next.`,
    );
  };

  const query = async (w: SearchWindow, startingAfter?: string): Promise<Page> => {
    const body = (await ctx.client.post(
      source.path,
      {
        query: windowQuery(w, grid, createdFull),
        pagination: { per_page: pageSize, ...(startingAfter ? { starting_after: startingAfter } : {}) },
        ...(source.sortable ? { sort: { field: source.cursorField, order: w.ascending ? 'ascending' : 'descending' } } : {}),
      },
      { priority: 0, expect },
    )) as JsonObject;
    const records = recordsAt(body, source.recordsPath);
    const next = nextCursor(body);
    const said = body.total_count as number;
    const page: Page = { records, next, said, total: said };
    // The page's own signals are the more complete ones: a next page means more, however low the count;
    // a page that is not full and has no next holds everything, however high the count.
    if (records.length === 0) {
      // Nothing on the page: nothing to split on, and no record of the window can be shown to exist.
      page.total = 0;
      if (next !== null || said > 0) noteDisagreement('over', page);
    } else if (next !== null && said <= records.length) {
      page.total = records.length + 1;
      noteDisagreement('under', page);
    } else if (next === null && records.length < pageSize && said > records.length) {
      page.total = records.length;
      noteDisagreement('over', page);
    }
    return page;
  };

  const found = new IdSet();
  let windowsRead = 0;
  const readWindow = async ({ window: w, token, depth }: Item, push: (item: Item) => void): Promise<void> => {
    windowsRead += 1;
    const budget = WINDOW_BUDGET_FLOOR + WINDOWS_PER_PAGE_FOUND * Math.ceil(found.size / pageSize);
    if (windowsRead > budget) {
      throw new SystemError(
        `${source.name}: POST ${source.path} took ${windowsRead} searches for ${found.size} records; total_count and the pages cannot be reconciled, so the stream stops here rather than split without end.`,
      );
    }
    const page = await query(w);
    const seenBefore = found.size;
    for (const r of page.records) found.add(String(r.id));
    const childDepth = found.size > seenBefore ? depth : depth + 1;
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
    if (rest.length > 0 && childDepth > MAX_SPLIT_DEPTH) {
      throw new SystemError(
        `${source.name}: POST ${source.path} still answers ${describeWindow(w)} with a full page (total_count ${page.said}, ${page.records.length} records) after ${MAX_SPLIT_DEPTH} splits that found nothing new; total_count and the pages cannot be reconciled, so the stream stops here rather than split without end.`,
      );
    }
    // The rest holds the watermark before this window lets go of it.
    for (const next of rest) push(hold(next, childDepth));
    if (emitNow.length > 0) await ctx.emit(emitNow);
    watermark.release(token);
    ctx.checkpoint(watermark.value);
  };

  /** Last resort for a cell no split can shrink: follow the cursor and say so. */
  const pageThrough = async (w: SearchWindow, first: Page): Promise<JsonObject[]> => {
    ctx.log('WARN', `${source.name}: ${describeWindow(w)} holds more than one page and cannot be split further; reading it with Intercom's cursor, which can miss records that change meanwhile.`);
    const guard = new LoopGuard(`POST ${source.path}`);
    const out = guard.page(first.records, first.next !== null).filter((r) => inWindow(r, w));
    let next = first.next;
    while (next) {
      guard.request(next);
      const page = await query(w, next);
      out.push(...guard.page(page.records, page.next !== null).filter((r) => inWindow(r, w)));
      next = page.next;
    }
    return out;
  };

  await drainQueue([hold(root, 0)], (item) => item.window.updated.lo, options.concurrency ?? 8, readWindow);
  ctx.checkpoint(hi);
}

/** `pages.next.starting_after` of a search response, if there is a next page. */
function nextCursor(body: JsonObject): string | null {
  const pages = body.pages as { next?: { starting_after?: unknown } | null } | null | undefined;
  const after = pages?.next?.starting_after;
  return typeof after === 'string' && after !== '' ? after : null;
}
