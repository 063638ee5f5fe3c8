/**
 * The body of POST /contacts|conversations|tickets/search:
 * `{query, pagination: {per_page, starting_after}, sort}`.
 */
import { ApiError, badRequest } from '../errors.js';
import { decodeCursor, perPage } from '../pagination.js';
import type { SearchSort } from './execute.js';
import { parseQuery, type QueryNode } from './query.js';

export const MAX_SEARCH_PAGE = 150;

export interface SearchRequest {
  query: QueryNode;
  sort: SearchSort | null;
  perPage: number;
  offset: number;
  /** Identifies the query and sort (not the page) for result caching. */
  cacheKey: string;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function parseSearchRequest(body: unknown, cursorKind: string, defaultPerPage: number, sortable: boolean): SearchRequest {
  if (!isRecord(body)) throw badRequest('The request body must be a JSON object with a query');
  if (!('query' in body)) throw new ApiError(400, 'parameter_not_found', 'query is required');
  const query = parseQuery(body['query']);
  const pagination = body['pagination'];
  if (pagination !== undefined && pagination !== null && !isRecord(pagination)) throw badRequest('pagination must be an object');
  const size = perPage(isRecord(pagination) ? pagination['per_page'] : undefined, defaultPerPage, MAX_SEARCH_PAGE);
  const after = isRecord(pagination) ? pagination['starting_after'] : undefined;
  if (after !== undefined && after !== null && typeof after !== 'string') throw badRequest('starting_after must be a string');
  const offset = decodeCursor(cursorKind, after);
  // Conversation and ticket search have no sort: a sort in the body is silently ignored, as by the API.
  const sort = sortable ? parseSort(body['sort']) : null;
  return { query, sort, perPage: size, offset, cacheKey: JSON.stringify([body['query'], sort]) };
}

function parseSort(raw: unknown): SearchSort | null {
  if (raw === undefined || raw === null) return null;
  if (!isRecord(raw)) throw badRequest('sort must be an object with field and order');
  const field = raw['field'];
  if (typeof field !== 'string' || field === '') throw badRequest('sort.field is required');
  const order = raw['order'] ?? 'descending';
  if (order !== 'ascending' && order !== 'descending') {
    throw new ApiError(400, 'invalid_sort_order', `Invalid sort order '${String(order)}'. Must be one of: ascending, descending`);
  }
  return { field, order };
}
