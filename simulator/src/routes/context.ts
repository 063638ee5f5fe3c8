/**
 * What a route handler gets: the parsed request and the simulator's state.
 */
import type { ResolvedOptions } from '../options.js';
import type { ScrollRegistry } from '../scroll.js';
import type { SearchExecutor } from '../search/execute.js';
import type { WorkspaceStore } from '../store/store.js';

export interface RequestContext {
  method: string;
  path: string;
  /** Path parameters by template name (`{id}`). */
  params: Record<string, string>;
  query: URLSearchParams;
  body: unknown;
  token: string;
  /** Origin the client used (`http://host:port`), for `next` links. */
  baseUrl: string;
  /**
   * Set when the response will be replaced by an injected fault: handlers
   * must then leave all state (scroll positions) untouched.
   */
  dryRun: boolean;
}

export interface SimState {
  store: WorkspaceStore;
  options: ResolvedOptions;
  search: SearchExecutor;
  scrolls: ScrollRegistry;
  /** The clock, Unix seconds (fractional). */
  now(): number;
}

export interface RouteResult {
  status?: number;
  body: unknown;
  headers?: Record<string, string>;
}

export type Handler = (req: RequestContext, sim: SimState) => RouteResult;

export interface Route {
  method: 'GET' | 'POST';
  /** Path template, e.g. `/contacts/{id}`; also the route's label in stats and hooks. */
  template: string;
  /** Scope the token needs; null when any valid token will do. */
  scope: string | null;
  handler: Handler;
}

/** Boolean query flags: `true` and `1` are on. */
export function flag(query: URLSearchParams, name: string): boolean {
  const value = query.get(name);
  return value === 'true' || value === '1';
}
