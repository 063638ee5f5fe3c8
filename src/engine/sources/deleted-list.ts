import type { JsonObject } from '../../protocol/types.js';
import { recordsAt } from '../../util/records-path.js';
import { toUnixSeconds } from '../../util/time.js';
import { IdSet } from '../../util/id-set.js';
import type { DeleteFeed } from '../delete-feed.js';
import type { DeletedListSource } from '../definition.js';
import { nextPageUrl, pathWithQuery } from '../pagination.js';

/** Where the feed keeps its cursor in the stream's state (beside `updated_at`). */
export const DELETED_AT_CURSOR = 'deleted_at';
/** A bound on the pages of one read, so a broken `pages` object cannot loop forever. */
const MAX_PAGES = 20_000;

/**
 * Reads a deleted-ids list down to the saved deletion cursor and writes a
 * tombstone for each entry at or after it. The list is newest first with
 * page numbers: a deletion made during the read pushes older entries one
 * place down, so a later page repeats an entry (skipped here) and never
 * skips one. The cursor is compared with >=, so deletions in the cursor's
 * own second are written again rather than missed; a repeated tombstone
 * does no harm. A first sync only sets the cursor where its scan started
 * (less the search lag): older deletions were never seen by the scan, and
 * the next sync reads those made since.
 */
export function deletedListFeed(list: DeletedListSource, family: string): DeleteFeed {
  return {
    name: `GET ${list.path}`,
    family,
    run: async (ctx) => {
      const target = ctx.target(list.stream);
      if (!target) return;
      if (compareVersions(ctx.apiVersion, list.sinceApiVersion) < 0) {
        ctx.warnOnce(
          `deleted-list:${list.path}`,
          `${list.stream}: deletes are read from GET ${list.path}, which needs Intercom API ${list.sinceApiVersion} or later; api_version is ${ctx.apiVersion}, so this sync reports no ${list.stream} deletes from it.`,
        );
        return;
      }
      const saved = toUnixSeconds(target.saved(DELETED_AT_CURSOR));
      if (saved === null) {
        // A first sync: older deletions were never seen by the scan, and those made during it come with the next sync.
        target.advance(DELETED_AT_CURSOR, Math.max(ctx.startDate, ctx.upperBound - ctx.lagSeconds));
        return;
      }
      const floor = Math.max(ctx.startDate, saved - ctx.lookbackDays * 86400);
      const written = new IdSet();
      let newest = saved;
      let url: string | null = pathWithQuery(list.path, { per_page: list.perPage, page: 1 });
      let pages = 0;
      let reachedFloor = false;
      while (url && !reachedFloor) {
        if (++pages > MAX_PAGES) {
          ctx.log('WARN', `${list.stream}: GET ${list.path} still had pages after ${MAX_PAGES}; the deletion cursor stays where it was and the next sync reads on.`);
          return;
        }
        const body = (await ctx.client.get(url)) as JsonObject;
        const entries = recordsAt(body, list.recordsPath);
        for (const entry of entries) {
          const at = toUnixSeconds(entry.deleted_at);
          if (at === null || entry.id === undefined || entry.id === null) continue;
          if (at < floor) {
            reachedFloor = true;
            continue;
          }
          newest = Math.max(newest, at);
          const id = String(entry.id);
          if (!written.add(id)) continue;
          target.tombstone({ key: { id }, deletedAt: at });
        }
        await target.flush();
        url = entries.length > 0 ? nextPageUrl(body, url) : null;
      }
      if (written.size > 0) ctx.log('INFO', `${list.stream}: ${written.size} deletes from GET ${list.path}; tombstones written.`);
      target.advance(DELETED_AT_CURSOR, newest);
    },
  };
}

/** Compares dotted version numbers ("2.9" < "2.15"); a non-numeric version ("Unstable") counts as the newest. */
export function compareVersions(a: string, b: string): number {
  const parse = (v: string): number[] | null => (/^\d+(\.\d+)*$/.test(v) ? v.split('.').map(Number) : null);
  const x = parse(a);
  const y = parse(b);
  if (!x || !y) return x ? -1 : y ? 1 : 0;
  for (let i = 0; i < Math.max(x.length, y.length); i++) {
    const d = (x[i] ?? 0) - (y[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}
