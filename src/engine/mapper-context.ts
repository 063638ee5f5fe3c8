import type { IntercomClient } from '../http/client.js';
import { NotFoundError } from '../http/errors.js';
import type { JsonObject } from '../protocol/types.js';
import type { MapperContext } from './definition.js';
import { LoopGuard } from './loop-guard.js';
import { nextPageUrl } from './pagination.js';

/**
 * The I/O a mapper may ask for. Child calls go out at priority 1, behind the
 * scans, so expansions never starve the scans that feed them. A parent deleted
 * between the scan and the child call answers 404: that is not an error, the
 * parent is simply gone, so it is skipped with a log line.
 */
export function createMapperContext(
  client: IntercomClient,
  log: (message: string) => void,
  warnOnce: (key: string, message: string) => void,
): Omit<MapperContext, 'recordGone'> {
  const fetchChild = async (path: string, what: string): Promise<JsonObject | null> => {
    try {
      return (await client.get(path, { priority: 1 })) as JsonObject;
    } catch (err) {
      if (!(err instanceof NotFoundError)) throw err;
      log(`${what} no longer exists (HTTP ${err.status}); skipped.`);
      return null;
    }
  };
  return {
    fetchChild,
    fetchPages: async (url, what) => {
      const pages: JsonObject[] = [];
      const guard = new LoopGuard(`GET ${new URL(url, 'http://placeholder').pathname} (${what})`);
      for (let next: string | null = url; next; ) {
        guard.request(next);
        const body = await fetchChild(next, what);
        if (body === null) return null;
        pages.push(body);
        const current = next;
        next = nextPageUrl(body, current);
        guard.page(itemsOf(body), next !== null);
      }
      return pages;
    },
    warnOnce,
    log,
  };
}

/** The objects in a page's top-level arrays: the page's items, whatever the list names them. */
function itemsOf(body: JsonObject): JsonObject[] {
  return Object.values(body).flatMap((v) => (Array.isArray(v) ? v.filter((x): x is JsonObject => x !== null && typeof x === 'object' && !Array.isArray(x)) : []));
}
