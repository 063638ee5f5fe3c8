import type { JsonObject } from '../../protocol/types.js';
import type { ListSource } from '../definition.js';
import { recordsAt } from '../../util/records-path.js';
import { toUnixSeconds } from '../../util/time.js';
import { nextPageUrl, pathWithQuery } from '../pagination.js';
import type { SourceContext } from '../source-context.js';

/** Reads at most this many passes over a paged list while it keeps changing. */
const MAX_PASSES = 3;
export const LIST_PAGE_SIZE = 150;

/**
 * Reads a GET list. Lists are small, so a list of more than one page is read
 * again until a pass finds nothing new: page-number and cursor paging skip a
 * record when one before it is deleted mid-read, and a second pass finds it.
 */
export async function readList(source: ListSource, ctx: SourceContext): Promise<void> {
  const seen = new Set<string>();
  const start = pathWithQuery(source.path, {
    ...(source.pagination === 'pages' ? { per_page: LIST_PAGE_SIZE } : {}),
    ...source.query,
  });
  for (let pass = 1; pass <= MAX_PASSES; pass++) {
    let url: string | null = start;
    let pages = 0;
    let found = 0;
    while (url) {
      const body = (await ctx.client.get(url)) as JsonObject;
      pages += 1;
      const fresh = recordsAt(body, source.recordsPath).filter((r) => {
        const id = r.id === undefined || r.id === null ? JSON.stringify(r) : String(r.id);
        if (seen.has(id)) return false;
        seen.add(id);
        return true;
      });
      found += fresh.length;
      await ctx.emit(source.cursorField ? fresh.filter((r) => (toUnixSeconds(r[source.cursorField!]) ?? Infinity) >= ctx.lowerBound) : fresh);
      url = source.pagination === 'pages' ? nextPageUrl(body, url) : null;
    }
    if (pages <= 1 || (pass > 1 && found === 0)) break;
  }
  // Reached only when every page was read: a failed request has thrown.
  await ctx.endOfList();
  ctx.checkpoint(ctx.upperBound);
}
