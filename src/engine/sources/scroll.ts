import { IntercomApiError, NotFoundError, UnavailableError } from '../../http/errors.js';
import { TransientError } from '../../protocol/errors.js';
import type { JsonObject } from '../../protocol/types.js';
import type { ScrollSource } from '../definition.js';
import { recordsAt } from '../../util/records-path.js';
import { toUnixSeconds } from '../../util/time.js';
import type { SourceContext } from '../source-context.js';

export interface ScrollOptions {
  /** Every this many days every record is emitted again, changed or not. */
  fullResyncDays: number;
  /** Wait between attempts while another scroll is open (Intercom allows one per app). */
  busyWaitMs?: number;
  busyAttempts?: number;
  /** Restarts after the scroll expired or broke mid-way. */
  maxRestarts?: number;
}

/**
 * Reads every company through the scroll API and filters on updated_at
 * client-side (the endpoint cannot filter). A scroll cannot be resumed: when
 * it expires or fails mid-way it is restarted from the beginning, and records
 * already emitted in this sync are not emitted twice.
 */
export async function readScroll(source: ScrollSource, ctx: SourceContext, options: ScrollOptions): Promise<void> {
  const lastFull = toUnixSeconds(ctx.previousState.last_full_resync_at);
  const fullResync = lastFull === null || ctx.upperBound - lastFull >= options.fullResyncDays * 86400;
  if (fullResync) ctx.log('INFO', `${source.name}: full re-sync (every ${options.fullResyncDays} days): every record is emitted.`);
  const seen = new Set<string>();
  const busyAttempts = options.busyAttempts ?? 8;
  const maxRestarts = options.maxRestarts ?? 5;
  let busy = 0;
  let restarts = 0;

  for (;;) {
    let param: string | null = null;
    try {
      for (;;) {
        const body = (await ctx.client.get(source.path, { query: param ? { scroll_param: param } : {} })) as JsonObject;
        const records = recordsAt(body, source.recordsPath);
        if (records.length === 0) {
          ctx.checkpoint(ctx.upperBound, { last_full_resync_at: fullResync ? ctx.upperBound : lastFull });
          return;
        }
        if (typeof body.scroll_param !== 'string') throw new TransientError(`${source.name}: Intercom returned a scroll page without scroll_param.`);
        param = body.scroll_param;
        const fresh = records.filter((r) => {
          const id = String(r.id);
          if (seen.has(id)) return false;
          seen.add(id);
          return (toUnixSeconds(r[source.cursorField]) ?? Infinity) >= (fullResync ? ctx.startDate : ctx.lowerBound);
        });
        if (fresh.length > 0) await ctx.emit(fresh, { everyRecord: fullResync });
      }
    } catch (err) {
      if (err instanceof IntercomApiError && err.detail.code === 'scroll_exists') {
        busy += 1;
        if (busy > busyAttempts) throw new TransientError(`${source.name}: another companies scroll stayed open on this Intercom app; Intercom allows one at a time. Run companies in one connection only, or retry later.`);
        const wait = options.busyWaitMs ?? 20_000;
        ctx.log('WARN', `${source.name}: another companies scroll is open on this Intercom app (Intercom allows one per app at a time); waiting ${Math.round(wait / 1000)} s before trying again (${busy}/${busyAttempts}).`);
        await ctx.client.wait('another companies scroll to close', wait);
        continue;
      }
      const broken = param !== null && (err instanceof NotFoundError || err instanceof UnavailableError);
      if (!broken) throw err;
      restarts += 1;
      if (restarts > maxRestarts) throw err;
      ctx.log('WARN', `${source.name}: the scroll expired or failed mid-way (${err.message}); restarting it from the beginning (${restarts}/${maxRestarts}); records already emitted are skipped.`);
    }
  }
}
