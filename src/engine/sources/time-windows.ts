import type { JsonObject } from '../../protocol/types.js';
import type { TimeWindowSource } from '../definition.js';
import { envelopeCheck } from '../envelope.js';
import { LoopGuard } from '../loop-guard.js';
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
  const expect = envelopeCheck(source.recordsPath);
  for (let lo = ctx.lowerBound; lo < ctx.upperBound; ) {
    const hi = Math.min(lo + step, ctx.upperBound);
    // One second outside each bound covers inclusive and exclusive readings; the exact window is kept below.
    // Intercom refuses a negative bound, and nothing lies before the epoch.
    let url: string | null = pathWithQuery(source.path, { [source.afterParam]: Math.max(0, lo - 1), [source.beforeParam]: hi, per_page: 150 });
    const guard = new LoopGuard(`GET ${source.path}`);
    while (url) {
      guard.request(url);
      const body = (await ctx.client.get(url, { expect })) as JsonObject;
      const next = nextPageUrl(body, url);
      const inside = guard.page(recordsAt(body, source.recordsPath), next !== null).filter((r) => {
        const t = toUnixSeconds(r[source.cursorField]);
        return t === null || (t >= lo && t < hi);
      });
      await ctx.emit(inside);
      url = next;
    }
    ctx.checkpoint(hi);
    lo = hi;
  }
  ctx.checkpoint(ctx.upperBound);
}
