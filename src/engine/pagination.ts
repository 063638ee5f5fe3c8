import type { JsonObject } from '../protocol/types.js';

/**
 * The request for the page after `current`, from a response's `pages`:
 * a `next` URL (pages_link), `next.starting_after` (cursor_pages), or the
 * next page number while `page < total_pages`. Null on the last page.
 */
export function nextPageUrl(body: JsonObject, current: string): string | null {
  const pages = body.pages;
  if (pages === null || typeof pages !== 'object' || Array.isArray(pages)) return null;
  const p = pages as JsonObject;
  const next = p.next;
  if (typeof next === 'string' && next !== '') return next;
  if (next && typeof next === 'object' && typeof (next as JsonObject).starting_after === 'string') {
    return withParam(current, 'starting_after', (next as JsonObject).starting_after as string);
  }
  if (typeof p.page === 'number' && typeof p.total_pages === 'number' && p.page < p.total_pages) {
    return withParam(current, 'page', String(p.page + 1));
  }
  return null;
}

function withParam(pathWithQuery: string, key: string, value: string): string {
  const url = new URL(pathWithQuery, 'http://placeholder');
  url.searchParams.set(key, value);
  return /^https?:\/\//.test(pathWithQuery) ? url.toString() : `${url.pathname}${url.search}`;
}

/** A path with its query string, for requests that page by rewriting it. */
export function pathWithQuery(path: string, query: Record<string, string | number | boolean> = {}): string {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) params.set(k, String(v));
  const qs = params.toString();
  return qs ? `${path}?${qs}` : path;
}
