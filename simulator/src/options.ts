/**
 * Options of the simulated Intercom workspace and their defaults.
 */
import { assertTimeZone } from './calendar.js';
import type { WebhookOptions } from './webhooks.js';

export interface WorkspaceSize {
  admins: number;
  teams: number;
  tags: number;
  segments: number;
  companies: number;
  contacts: number;
  conversations: number;
  tickets: number;
  activityLogs: number;
  helpCenters: number;
  collections: number;
  articles: number;
  deletedConversations: number;
}

export type FaultKind = '500' | '502' | '503' | 'reset' | 'truncated' | 'invalid_json' | 'stall';

export const ALL_FAULT_KINDS: readonly FaultKind[] = ['500', '502', '503', 'reset', 'truncated', 'invalid_json', 'stall'];

export interface FaultOptions {
  /** Probability per request that a fault is injected, 0..1. */
  rate: number;
  kinds?: FaultKind[];
  /** How long a stalled response hangs before the socket is destroyed. Default 30. */
  stallSeconds?: number;
  /** Only requests whose path matches. */
  pathPattern?: RegExp;
  /** Faults are drawn from their own seeded PRNG. */
  seed?: number;
}

export interface Latency {
  mean: number;
  jitter: number;
}

export interface SimulatorOptions {
  seed?: number;
  port?: number;
  timezone?: string;
  anchor?: number;
  historyDays?: number;
  size?: Partial<WorkspaceSize>;
  rateLimitPerMinute?: number | null;
  latencyMs?: Latency;
  faults?: FaultOptions;
  searchLagSeconds?: number;
  scrollTtlSeconds?: number;
  scrollPageSize?: number;
  partsCap?: number;
  companiesListCap?: number;
  tokens?: Record<string, string[]>;
  now?: () => number;
  /** Where deletes of contacts, companies and conversations are sent as signed webhook notifications. */
  webhooks?: WebhookOptions;
}

export const ALL_SCOPES = [
  'read_admins',
  'read_tags',
  'read_users_companies',
  'read_conversations',
  'read_tickets',
  'read_admin_activity_logs',
  'read_articles',
] as const;

export const DEFAULT_SIZE: WorkspaceSize = {
  admins: 8,
  teams: 4,
  tags: 20,
  segments: 8,
  companies: 120,
  contacts: 600,
  conversations: 300,
  tickets: 60,
  activityLogs: 400,
  helpCenters: 2,
  collections: 10,
  articles: 40,
  deletedConversations: 5,
};

/** 2026-11-01T00:00:00Z: a fixed anchor keeps seeded data identical across runs and machines. */
export const DEFAULT_ANCHOR = 1793491200;

export function defaultTokens(): Record<string, string[]> {
  return {
    'sim-token': [...ALL_SCOPES],
    'sim-token-no-tickets': ALL_SCOPES.filter((s) => s !== 'read_tickets'),
    'sim-token-no-conversations': ALL_SCOPES.filter((s) => s !== 'read_conversations'),
  };
}

/** What the workspace generator needs; fixed at start. */
export interface GenerationOptions {
  seed: number;
  timezone: string;
  anchor: number;
  historyDays: number;
  size: WorkspaceSize;
}

export interface ResolvedOptions extends GenerationOptions {
  port: number;
  rateLimitPerMinute: number | null;
  latencyMs: Latency | null;
  faults: FaultOptions | null;
  searchLagSeconds: number;
  scrollTtlSeconds: number;
  scrollPageSize: number;
  partsCap: number;
  companiesListCap: number;
  tokens: Record<string, string[]>;
  now: () => number;
}

export class InvalidOptionError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InvalidOptionError';
  }
}

function nonNegativeInt(name: string, value: number): number {
  if (!Number.isInteger(value) || value < 0) throw new InvalidOptionError(`${name} must be a non-negative integer, got ${value}`);
  return value;
}

export function resolveOptions(options: SimulatorOptions = {}): ResolvedOptions {
  const size: WorkspaceSize = { ...DEFAULT_SIZE, ...options.size };
  for (const [key, value] of Object.entries(size)) nonNegativeInt(`size.${key}`, value);
  if (size.admins < 1) throw new InvalidOptionError('size.admins must be at least 1 (GET /me needs an admin)');
  const timezone = options.timezone ?? 'America/Los_Angeles';
  try {
    assertTimeZone(timezone);
  } catch {
    throw new InvalidOptionError(`unknown time zone ${timezone}`);
  }
  const rate = options.rateLimitPerMinute === undefined ? 10000 : options.rateLimitPerMinute;
  if (rate !== null && (!Number.isFinite(rate) || rate < 6)) {
    throw new InvalidOptionError('rateLimitPerMinute must be at least 6 (one request per 10-second window) or null');
  }
  const historyDays = options.historyDays ?? 400;
  if (!(historyDays >= 2)) throw new InvalidOptionError('historyDays must be at least 2');
  return {
    seed: options.seed ?? 1,
    port: options.port ?? 0,
    timezone,
    anchor: options.anchor ?? DEFAULT_ANCHOR,
    historyDays,
    size,
    rateLimitPerMinute: rate,
    latencyMs: options.latencyMs ?? null,
    faults: options.faults ?? null,
    searchLagSeconds: options.searchLagSeconds ?? 0,
    scrollTtlSeconds: options.scrollTtlSeconds ?? 60,
    scrollPageSize: Math.max(1, options.scrollPageSize ?? 100),
    partsCap: Math.max(1, options.partsCap ?? 500),
    companiesListCap: Math.max(1, options.companiesListCap ?? 10000),
    tokens: options.tokens ?? defaultTokens(),
    now: options.now ?? (() => Date.now() / 1000),
  };
}
