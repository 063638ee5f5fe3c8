import type { MapperContext } from '../engine/definition.js';
import type { JsonObject } from '../protocol/types.js';
import { recordsAt } from '../util/records-path.js';

/**
 * Every item of a record's embedded list (tags, companies, notes). Intercom
 * embeds at most 10 items; when `has_more` is set the list's own URL is read,
 * page by page, so no link is lost. Returns the items' objects.
 */
export async function embeddedListItems(owner: JsonObject, key: string, ctx: MapperContext): Promise<JsonObject[]> {
  const list = owner[key];
  if (list === null || typeof list !== 'object' || Array.isArray(list)) return [];
  const embedded = recordsAt(list, '$.data[*]');
  const { has_more: hasMore, url } = list as JsonObject;
  if (hasMore !== true || typeof url !== 'string' || url === '') return embedded;
  const pages = await ctx.fetchPages(url, `the ${key} list of ${String(owner.id)}`);
  if (pages === null) return embedded;
  // The spec names this array `companies` for contact companies; the API sends `data`.
  return pages.flatMap((body) => [...recordsAt(body, '$.data[*]'), ...recordsAt(body, '$.companies[*]')]);
}
