import { NotFoundError } from '../http/errors.js';
import type { MapperContext } from './definition.js';

/**
 * GETs a record's child resource. A parent deleted between the search and
 * this call answers 404; that is not an error, the parent is simply gone,
 * so it is skipped with a log line and null is returned.
 */
export async function fetchUnlessGone(ctx: MapperContext, path: string, what: string): Promise<unknown> {
  try {
    return await ctx.client.get(path, { priority: 1 });
  } catch (err) {
    if (!(err instanceof NotFoundError)) throw err;
    ctx.log(`${what} no longer exists (HTTP ${err.status}); skipped.`);
    return null;
  }
}
