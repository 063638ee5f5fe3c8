import type { IntercomClient } from '../http/client.js';
import { NotFoundError } from '../http/errors.js';
import type { JsonObject } from '../protocol/types.js';
import type { MapperContext } from './definition.js';
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
      for (let next: string | null = url; next; ) {
        const body = await fetchChild(next, what);
        if (body === null) return null;
        pages.push(body);
        next = nextPageUrl(body, next);
      }
      return pages;
    },
    warnOnce,
    log,
  };
}
