/**
 * The common part of the three search endpoints: parse, compile, execute,
 * and cut the requested page out of the ordered result.
 */
import { cursorPages } from '../pagination.js';
import { compileQuery } from '../search/compile.js';
import type { SearchableRow, SearchTarget } from '../search/execute.js';
import { parseSearchRequest } from '../search/request.js';
import type { Json } from '../store/rows.js';
import type { RequestContext, SimState } from './context.js';

export interface SearchSpec<R extends SearchableRow> {
  cursorKind: string;
  defaultPerPage: number;
  sortable: boolean;
  target: SearchTarget<R>;
  render(row: R): Json;
}

export interface SearchPage {
  items: Json[];
  total: number;
  pages: Json;
}

export function searchPage<R extends SearchableRow>(req: RequestContext, sim: SimState, spec: SearchSpec<R>): SearchPage {
  const request = parseSearchRequest(req.body, spec.cursorKind, spec.defaultPerPage, spec.sortable);
  const compiled = compileQuery(request.query, spec.target.resource, sim.store.timezone);
  const seqs = sim.search.run(spec.target, compiled, request.sort, request.cacheKey, {
    now: sim.now(),
    lagSeconds: sim.options.searchLagSeconds,
    lastWriteAt: sim.store.lastWriteAt,
  });
  const items: Json[] = [];
  for (const seq of seqs.slice(request.offset, request.offset + request.perPage)) {
    const row = spec.target.table.at(seq);
    if (row) items.push(spec.render(row));
  }
  return { items, total: seqs.length, pages: cursorPages(spec.cursorKind, request.offset, request.perPage, seqs.length) };
}
