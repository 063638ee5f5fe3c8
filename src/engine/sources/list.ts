import { TransientError } from '../../protocol/errors.js';
import type { JsonObject } from '../../protocol/types.js';
import type { ListSource } from '../definition.js';
import { envelopeCheck } from '../envelope.js';
import { LoopGuard, recordKey } from '../loop-guard.js';
import { recordsAt } from '../../util/records-path.js';
import { toUnixSeconds } from '../../util/time.js';
import { nextPageUrl, pathWithQuery } from '../pagination.js';
import type { SourceContext } from '../source-context.js';
import { IdSet } from '../../util/id-set.js';

/** Passes over a paged list before a read that cannot be shown complete fails. */
export const MAX_PASSES = 3;
export const LIST_PAGE_SIZE = 150;

/**
 * Reads a GET list, and proves the read complete before it checkpoints.
 *
 * Paged lists (articles, collections) are ordered most recently updated
 * first, so a record created or updated during the read lands ahead of every
 * page still to come and pushes the unread records back: they are served
 * again, never skipped. Only a deletion ahead of the reader pulls them
 * forward, past a page boundary; and a deletion between two page requests
 * shows as a `total_count` that fell, since a record pushed back needs a
 * creation or an update, which cannot lower it. So a pass whose every page
 * reports a total_count no lower than the page before read every record that
 * existed throughout it. A pass that cannot show this is read again, at most
 * MAX_PASSES times, and then the stream fails (transient) without saving a
 * state past records it may not have read. Records are emitted once.
 */
export async function readList(source: ListSource, ctx: SourceContext): Promise<void> {
  const emitted = new IdSet();
  const expect = envelopeCheck(source.recordsPath);
  const start = pathWithQuery(source.path, {
    ...(source.pagination === 'pages' ? { per_page: LIST_PAGE_SIZE } : {}),
    ...source.query,
  });
  for (let pass = 1; ; pass++) {
    const guard = new LoopGuard(`GET ${source.path}`);
    const counts: Array<number | null> = [];
    let found = 0;
    for (let url: string | null = start; url; ) {
      guard.request(url);
      const body = (await ctx.client.get(url, { expect })) as JsonObject;
      const next: string | null = source.pagination === 'pages' ? nextPageUrl(body, url) : null;
      counts.push(typeof body.total_count === 'number' ? body.total_count : null);
      const fresh = guard.page(recordsAt(body, source.recordsPath), next !== null).filter((r) => emitted.add(recordKey(r)));
      found += fresh.length;
      await ctx.emit(source.cursorField ? fresh.filter((r) => (toUnixSeconds(r[source.cursorField!]) ?? Infinity) >= ctx.lowerBound) : fresh);
      url = next;
    }
    const verdict = passVerdict(counts, pass, found);
    if (verdict === null) break;
    if (pass >= MAX_PASSES) {
      throw new TransientError(
        `${source.name}: GET ${source.path} kept changing while it was read (${verdict}, on each of ${MAX_PASSES} passes), so the read cannot be shown complete; the state is not advanced. The next sync reads it again.`,
      );
    }
    ctx.log('INFO', `${source.name}: GET ${source.path} changed while it was read (${verdict}); reading it again (pass ${pass + 1}/${MAX_PASSES}); records already emitted are skipped.`);
  }
  // Reached only when every page was read: a failed request has thrown.
  await ctx.endOfList();
  ctx.checkpoint(ctx.upperBound);
}

/** Null when the pass read every record that existed throughout it; otherwise why it may not have. */
function passVerdict(counts: Array<number | null>, pass: number, found: number): string | null {
  if (counts.length <= 1) return null;
  for (let i = 1; i < counts.length; i++) {
    const before = counts[i - 1];
    const after = counts[i];
    if (before === null || after === null || before === undefined || after === undefined) {
      // Without counts nothing shows deletions: accept a later pass that found nothing new.
      return pass > 1 && found === 0 ? null : 'a page without total_count';
    }
    if (after < before) return `total_count fell from ${before} to ${after} between pages ${i} and ${i + 1}`;
  }
  return null;
}
