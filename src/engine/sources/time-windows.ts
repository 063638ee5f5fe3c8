import type { JsonObject } from '../../protocol/types.js';
import type { TimeWindowSource } from '../definition.js';
import { recordsAt } from '../../util/records-path.js';
import { toUnixSeconds } from '../../util/time.js';
import { nextPageUrl, pathWithQuery } from '../pagination.js';
import type { SourceContext } from '../source-context.js';

/**
 * Reads append-only events window by window, [lo, lo + step), checkpointing
 * after each window. Every window ends before the sync's frozen upper bound,
 * so the set it pages over can no longer change.
 */
export async function readTimeWindows(source: TimeWindowSource, ctx: SourceContext, stepDays: number): Promise<void> {
  const step = stepDays * 86400;
  for (let lo = ctx.lowerBound; lo < ctx.upperBound; ) {
    const hi = Math.min(lo + step, ctx.upperBound);
    // One second outside each bound covers inclusive and exclusive readings; the exact window is kept below.
    // Intercom refuses a negative bound, and nothing lies before the epoch.
    let url: string | null = pathWithQuery(source.path, { [source.afterParam]: Math.max(0, lo - 1), [source.beforeParam]: hi, per_page: 150 });
    while (url) {
      const body = (await ctx.client.get(url)) as JsonObject;
      const inside = recordsAt(body, source.recordsPath).filter((r) => {
        const t = toUnixSeconds(r[source.cursorField]);
        return t === null || (t >= lo && t < hi);
      });
      await ctx.emit(inside);
      url = nextPageUrl(body, url);
    }
    ctx.checkpoint(hi);
    lo = hi;
  }
  ctx.checkpoint(ctx.upperBound);
}
