/**
 * Shared helpers for the simulator tests: start a simulator for one test and
 * call it over HTTP like a client would.
 */
import type { Test } from 'tap';
import { startSimulator, type Simulator, type SimulatorOptions } from '../src/index.js';

export interface ApiResponse {
  status: number;
  headers: Headers;
  text: string;
  /** Parsed JSON body, or undefined when the body is not JSON. */
  json: unknown;
}

export interface CallOptions {
  body?: unknown;
  /** Bearer token; null sends no Authorization header. Default sim-token. */
  token?: string | null;
  headers?: Record<string, string>;
}

/** Starts a simulator that is closed when the test ends. */
export async function simulator(t: Test, options: SimulatorOptions = {}): Promise<Simulator> {
  const sim = await startSimulator(options);
  t.teardown(() => sim.close());
  return sim;
}

export async function call(sim: Simulator, method: 'GET' | 'POST', path: string, options: CallOptions = {}): Promise<ApiResponse> {
  const headers: Record<string, string> = { Accept: 'application/json', 'Intercom-Version': '2.16', ...options.headers };
  const token = options.token === undefined ? 'sim-token' : options.token;
  if (token !== null) headers['Authorization'] = `Bearer ${token}`;
  if (options.body !== undefined) headers['Content-Type'] = 'application/json';
  const response = await fetch(`${sim.url}${path}`, {
    method,
    headers,
    body: options.body === undefined ? undefined : JSON.stringify(options.body),
  });
  const text = await response.text();
  let json: unknown;
  try {
    json = JSON.parse(text) as unknown;
  } catch {
    json = undefined;
  }
  return { status: response.status, headers: response.headers, text, json };
}

export const get = (sim: Simulator, path: string, options?: CallOptions): Promise<ApiResponse> => call(sim, 'GET', path, options);
export const post = (sim: Simulator, path: string, body: unknown, options: CallOptions = {}): Promise<ApiResponse> =>
  call(sim, 'POST', path, { ...options, body });

export interface ErrorBody {
  type: string;
  request_id: string;
  errors: Array<{ code: string; message: string }>;
}

export function errorOf(response: ApiResponse): { code: string; message: string } {
  const body = response.json as ErrorBody | undefined;
  const first = body?.errors?.[0];
  if (!first) throw new Error(`expected an error.list body, got ${response.text.slice(0, 200)}`);
  return first;
}

export interface ListBody<T> {
  type: string;
  data: T[];
  total_count: number;
  pages: { page: number; per_page: number; total_pages: number; next?: { per_page: number; starting_after: string } | string | null };
}

export interface SearchFilter {
  field: string;
  operator: string;
  value: unknown;
}

export interface SearchGroup {
  operator: 'AND' | 'OR';
  value: Array<SearchFilter | SearchGroup>;
}

/** Runs a search through every page and returns the ids in order. */
export async function searchAll(
  sim: Simulator,
  resource: 'contacts' | 'conversations' | 'tickets',
  query: SearchFilter | SearchGroup,
  options: { perPage?: number; sort?: { field: string; order: string } } = {},
): Promise<string[]> {
  const ids: string[] = [];
  let after: string | undefined;
  for (let guard = 0; guard < 10_000; guard++) {
    const body: Record<string, unknown> = { query, pagination: { per_page: options.perPage ?? 150, starting_after: after } };
    if (options.sort) body['sort'] = options.sort;
    const response = await post(sim, `/${resource}/search`, body);
    if (response.status !== 200) throw new Error(`search failed: ${response.status} ${response.text}`);
    const page = response.json as Record<string, unknown> & { pages: ListBody<unknown>['pages'] };
    const items = (page[resource === 'contacts' ? 'data' : resource] as Array<{ id: string }>) ?? [];
    ids.push(...items.map((i) => i.id));
    const next = page.pages.next;
    if (!next || typeof next === 'string') return ids;
    after = next.starting_after;
  }
  throw new Error('search did not finish');
}

/** A mutable clock for tests that must control time. */
export class TestClock {
  constructor(public t: number) {}
  readonly now = (): number => this.t;
  advance(seconds: number): void {
    this.t += seconds;
  }
}
