import { IntercomApiError, NotFoundError, TransportError, UnavailableError, UnexpectedResponseError } from '../../http/errors.js';
import { TransientError } from '../../protocol/errors.js';
import type { JsonObject } from '../../protocol/types.js';
import type { ScrollSource } from '../definition.js';
import { envelopeCheck } from '../envelope.js';
import { LoopGuard, recordKey } from '../loop-guard.js';
import { IdSet } from '../../util/id-set.js';
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
 * client-side (the endpoint cannot filter). A scroll cannot be resumed, and
 * a page request that failed may still have moved it on (a truncated body,
 * a timeout): repeating it with the same scroll_param would skip a page. So
 * no scroll page is ever retried; any failure breaks the whole scroll, which
 * restarts from the beginning. The read ends only at the empty page of one
 * unbroken scroll, which has served every page from the first, so no page
 * can be missing. Records already emitted in this sync are not emitted twice.
 */
export async function readScroll(source: ScrollSource, ctx: SourceContext, options: ScrollOptions): Promise<void> {
  const lastFull = toUnixSeconds(ctx.previousState.last_full_resync_at);
  const fullResync = lastFull === null || ctx.upperBound - lastFull >= options.fullResyncDays * 86400;
  if (fullResync) ctx.log('INFO', `${source.name}: full re-sync (every ${options.fullResyncDays} days): every record is emitted.`);
  const emitted = new IdSet();
  const busyAttempts = options.busyAttempts ?? 8;
  const maxRestarts = options.maxRestarts ?? 5;
  const expect = envelopeCheck(source.recordsPath, 'scroll');
  let busy = 0;
  let restarts = 0;

  for (;;) {
    let param: string | null = null;
    // Per scroll: after a restart the first pages repeat what was emitted, which is no loop.
    const guard = new LoopGuard(`GET ${source.path}`);
    try {
      for (;;) {
        const body = (await ctx.client.get(source.path, { query: param ? { scroll_param: param } : {}, retry: false, expect })) as JsonObject;
        const records = recordsAt(body, source.recordsPath);
        if (records.length === 0) {
          ctx.checkpoint(ctx.upperBound, { last_full_resync_at: fullResync ? ctx.upperBound : lastFull });
          return;
        }
        param = body.scroll_param as string;
        const fresh = guard.page(records, true).filter((r) => {
          if (!emitted.add(recordKey(r))) return false;
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
      if (!breaksScroll(err, param !== null)) throw err;
      restarts += 1;
      if (restarts > maxRestarts) throw err;
      ctx.log('WARN', `${source.name}: the scroll expired or failed mid-way (${err.message}); restarting it from the beginning (${restarts}/${maxRestarts}); records already emitted are skipped.`);
    }
  }
}

/**
 * Failures after which the scroll is read again from the start: an expired
 * scroll (404 mid-way), 5xx, timeouts and dropped connections, and bodies
 * that are not a scroll page. Permissions, bad requests and loops are not.
 */
function breaksScroll(err: unknown, midway: boolean): err is Error {
  if (err instanceof NotFoundError) return midway;
  if (err instanceof UnavailableError || err instanceof TransportError || err instanceof UnexpectedResponseError) return true;
  return err instanceof IntercomApiError && err.status >= 500;
}
