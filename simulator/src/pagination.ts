/**
 * Pagination objects and cursors.
 *
 * `starting_after` cursors are opaque strings but mean a plain offset into the
 * current ordering, and they are stateless: each page re-runs the query on the
 * live store. That is the worst case Intercom allows ("the starting_after
 * context is stateless"): a record that moves or disappears before the cursor
 * shifts every later record, so offset paging skips or repeats records.
 */
import { badRequest } from './errors.js';
import type { Json } from './store/rows.js';

interface CursorPayload {
  /** Offset of the first record of the next page. */
  o: number;
  /** What the cursor pages over, so a cursor from one listing is refused by another. */
  k: string;
}

export function encodeCursor(kind: string, offset: number): string {
  const payload: CursorPayload = { o: offset, k: kind };
  return Buffer.from(JSON.stringify(payload)).toString('base64url');
}

/** The offset a cursor stands for; 0 without a cursor; 400 for one we did not issue. */
export function decodeCursor(kind: string, cursor: string | null | undefined): number {
  if (cursor === undefined || cursor === null || cursor === '') return 0;
  let payload: unknown;
  try {
    payload = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    payload = null;
  }
  const p = payload as Partial<CursorPayload> | null;
  if (!p || typeof p.o !== 'number' || !Number.isInteger(p.o) || p.o < 0 || p.k !== kind) {
    throw badRequest(`starting_after ${JSON.stringify(cursor)} is not a valid cursor`);
  }
  return p.o;
}

/** Validates per_page: an integer in [1, max]. */
export function perPage(raw: unknown, fallback: number, max: number): number {
  if (raw === undefined || raw === null || raw === '') return fallback;
  const n = typeof raw === 'number' ? raw : Number(raw);
  if (!Number.isInteger(n) || n < 1 || n > max) throw badRequest(`per_page must be an integer between 1 and ${max}`);
  return n;
}

/** Validates a 1-based page number. */
export function pageNumber(raw: string | null): number {
  if (raw === null || raw === '') return 1;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1) throw badRequest('page must be a positive integer');
  return n;
}

/** `cursor_pages` for a cursor-paged listing; `next` only while records remain. */
export function cursorPages(kind: string, offset: number, size: number, total: number): Json {
  const pages: Json = {
    type: 'pages',
    page: Math.floor(offset / size) + 1,
    per_page: size,
    total_pages: Math.ceil(total / size),
  };
  if (offset + size < total) pages['next'] = { per_page: size, starting_after: encodeCursor(kind, offset + size) };
  return pages;
}

/**
 * Pages of a page-numbered listing: `next` is the URL of the following page
 * (or null on the last one), as the API sends it for page-based lists.
 */
export function linkPages(baseUrl: string, path: string, query: URLSearchParams, page: number, size: number, total: number): Json {
  const totalPages = Math.ceil(total / size);
  let next: string | null = null;
  if (page < totalPages) {
    const params = new URLSearchParams(query);
    params.set('per_page', String(size));
    params.set('page', String(page + 1));
    next = `${baseUrl}${path}?${params.toString()}`;
  }
  return { type: 'pages', next, page, per_page: size, total_pages: totalPages };
}
