import type { ErrorObject } from 'ajv';
import { createAjv } from '../util/ajv.js';
import { ConfigError } from '../protocol/errors.js';
import { connectionSpecification } from './spec.js';

export type Region = 'us' | 'eu' | 'au';
export type CustomAttributeMode = 'nested' | 'flattened';
export type TimestampFormat = 'unix' | 'iso8601';

export const REGION_HOSTS: Record<Region, string> = {
  us: 'https://api.intercom.io',
  eu: 'https://api.eu.intercom.io',
  au: 'https://api.au.intercom.io',
};

/** A validated config with every default applied. */
export interface Config {
  accessToken: string;
  /** Unix seconds. */
  startDate: number;
  clientId?: string;
  clientSecret?: string;
  lookbackDays: number;
  activityLogsStepDays: number;
  region: Region;
  baseUrl: string;
  apiVersion: string;
  customAttributes: CustomAttributeMode;
  /** How standard Intercom timestamps (Unix seconds) are written: as they come, or as ISO-8601 strings. */
  timestampFormat: TimestampFormat;
  companiesFullResyncDays: number;
  maxRequestsPerMinute?: number;
  maxConcurrency: number;
  requestTimeoutMs: number;
  searchLagSeconds: number;
  hashing: HashingConfig;
  /** Where the deletes of contacts, companies and conversations are kept as webhooks. */
  webhookRelay?: { url: string; token: string };
}

/** One `hashed_fields` entry, parsed: `contacts.id!` is stream contacts, path [id], intended. */
export interface HashedField {
  /** The entry as the user wrote it, for messages. */
  entry: string;
  /** A stream name, or `*` for every stream that has the path. */
  stream: string;
  /** Property names from the record's top level down. */
  path: string[];
  /** Marked with a trailing `!`: hashing a primary key or cursor is meant. */
  intended: boolean;
}

export interface HashingConfig {
  fields: HashedField[];
  /** Empty when unsalted. */
  salt: string;
  /** Empty: the digest replaces the value in place; otherwise it goes to `<field><suffix>`. */
  suffix: string;
}

/** Config keys whose values must never be printed. */
export const SECRET_FIELDS = ['access_token', 'client_id', 'client_secret', 'hash_salt'] as const;

const ajv = createAjv();
const validateAgainstSpec = ajv.compile(connectionSpecification);

/** Validates a raw config against spec.json and returns it typed, or throws a ConfigError naming the field. */
export function parseConfig(raw: unknown): Config {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
    throw new ConfigError('The config must be a JSON object.');
  }
  if (!validateAgainstSpec(raw)) {
    throw new ConfigError(`Invalid config: ${describeErrors(validateAgainstSpec.errors ?? [])}`);
  }
  const c = raw as Record<string, unknown>;
  // A pasted value often carries a trailing newline or spaces; they are never part of the value.
  const str = (key: string): string | undefined => (typeof c[key] === 'string' && c[key].trim() !== '' ? c[key].trim() : undefined);
  const int = (key: string, fallback: number): number => (typeof c[key] === 'number' ? (c[key] as number) : fallback);

  if (!str('access_token')) throw new ConfigError("Invalid config: field 'access_token' is empty.");
  for (const field of HEADER_FIELDS) checkHeaderValue(field, str(field));
  const apiVersion = str('api_version') ?? '2.16';
  if (!API_VERSION_SHAPE.test(apiVersion)) {
    throw new ConfigError(`Invalid config: field 'api_version' must look like 2.16 (a major.minor version) or Unstable; got '${apiVersion.slice(0, 20)}'.`);
  }
  const startDate = Date.parse(str('start_date') ?? '');
  if (!Number.isFinite(startDate)) throw new ConfigError("Invalid config: field 'start_date' is not a real date.");
  if (startDate > Date.now()) throw new ConfigError("Invalid config: field 'start_date' lies in the future.");

  const region = (str('region') ?? 'us') as Region;
  const baseUrl = str('api_base_url') ? checkBaseUrl(str('api_base_url')!) : REGION_HOSTS[region];
  const maxRequestsPerMinute = typeof c.max_requests_per_minute === 'number' ? c.max_requests_per_minute : undefined;
  return {
    accessToken: str('access_token')!,
    // Intercom refuses negative timestamps: nothing in it predates the Unix epoch.
    startDate: Math.max(0, Math.floor(startDate / 1000)),
    ...(str('client_id') ? { clientId: str('client_id')! } : {}),
    ...(str('client_secret') ? { clientSecret: str('client_secret')! } : {}),
    lookbackDays: int('lookback_window', 0),
    activityLogsStepDays: int('activity_logs_time_step', 30),
    region,
    baseUrl,
    apiVersion,
    customAttributes: (str('custom_attributes') ?? 'nested') as CustomAttributeMode,
    timestampFormat: (str('timestamp_format') ?? 'unix') as TimestampFormat,
    companiesFullResyncDays: int('companies_full_resync_days', 7),
    ...(maxRequestsPerMinute ? { maxRequestsPerMinute } : {}),
    maxConcurrency: int('max_concurrency', 64),
    requestTimeoutMs: int('request_timeout_seconds', 60) * 1000,
    searchLagSeconds: int('search_lag_seconds', 600),
    hashing: {
      fields: Array.isArray(c.hashed_fields) ? parseHashedFields(c.hashed_fields as string[]) : [],
      salt: typeof c.hash_salt === 'string' ? c.hash_salt : '',
      suffix: str('hashed_field_suffix') ?? '',
    },
    ...(c.webhook_relay ? { webhookRelay: parseRelay(c.webhook_relay as Record<string, unknown>) } : {}),
  };
}

/**
 * `stream.field[.field...]` with an optional trailing `!`. Names are split on
 * dots, so a property whose name holds a dot cannot be addressed (flattened
 * custom attributes give such names a plain column).
 */
export function parseHashedFields(entries: readonly string[]): HashedField[] {
  return entries.map((raw) => {
    const text = raw.trim();
    const intended = text.endsWith('!');
    const [stream, ...path] = (intended ? text.slice(0, -1) : text).split('.');
    const problem = entryProblem(stream!, path);
    if (problem) throw new ConfigError(`Invalid config: hashed_fields entry '${raw}' ${problem}.`);
    return { entry: text, stream: stream!, path, intended };
  });
}

function entryProblem(stream: string, path: string[]): string | null {
  if (path.length === 0) return 'needs a stream and a field, like contacts.email or *.email';
  if (stream !== '*' && !/^[a-z0-9_]+$/.test(stream)) return `names stream '${stream}', which is neither a stream name (lowercase letters, digits and _) nor *`;
  if (path.some((segment) => segment === '')) return 'has an empty field name (two dots in a row, or a dot at the end)';
  if (path.some((segment) => segment === '*')) return 'uses * as a field; * may only stand for the stream';
  if (path.some((segment) => segment.includes('!'))) return 'has a ! that is not at the end (only a trailing ! marks a key or cursor as meant to be hashed)';
  return null;
}

/** The secret values of a raw config (as given and trimmed), for redaction. Safe to call on invalid input. */
export function secretValues(raw: unknown): string[] {
  if (raw === null || typeof raw !== 'object') return [];
  const c = raw as Record<string, unknown>;
  const relay = c.webhook_relay as Record<string, unknown> | null | undefined;
  const nested = relay && typeof relay === 'object' ? [relay.token] : [];
  return [...SECRET_FIELDS.map((k) => c[k]), ...nested]
    .filter((v): v is string => typeof v === 'string')
    .flatMap((v) => (v.trim() === v ? [v] : [v, v.trim()]))
    .filter((v) => v !== '');
}

/**
 * Warnings about a raw config that is valid: fields spec.json does not know
 * are accepted (an older or newer connector may know them) but may be typos.
 */
export function configWarnings(raw: unknown): string[] {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) return [];
  const known = Object.keys(connectionSpecification.properties as Record<string, unknown>);
  return Object.keys(raw)
    .filter((key) => !known.includes(key))
    .map((key) => {
      const near = known.find((k) => editDistance(k, key) <= 2);
      return `The config field '${key.slice(0, 60)}' is not one this connector knows, so it is ignored${near ? `; did you mean '${near}'?` : ' (a typo?)'}`;
    });
}

/** Config values sent in HTTP headers. */
const HEADER_FIELDS = ['access_token', 'api_version'] as const;

/** Intercom's versions: 2.16, 1.4, ..., and Unstable. */
const API_VERSION_SHAPE = /^(\d+\.\d+|Unstable)$/;

/**
 * Node refuses to send a header holding a control character or anything
 * outside Latin-1 (a pasted emoji, a line break inside the value); refuse it
 * here, naming the field and the position but not the secret.
 */
function checkHeaderValue(field: string, value: string | undefined): void {
  if (value === undefined) return;
  const at = [...value].findIndex((ch) => !/^[\x21-\x7e \t]$/.test(ch));
  if (at < 0) return;
  throw new ConfigError(
    `Invalid config: field '${field}' holds a character that does not belong in an HTTP header (character ${at + 1} of ${[...value].length}). ` +
      'Copy the value again, without line breaks, spaces inside it or other special characters.',
  );
}

function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let diagonal = row[0]!;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const above = row[j]!;
      row[j] = Math.min(row[j]! + 1, row[j - 1]! + 1, diagonal + (a[i - 1] === b[j - 1] ? 0 : 1));
      diagonal = above;
    }
  }
  return row[b.length]!;
}

/** The relay's URL (https, or http on loopback) and token. */
function parseRelay(relay: Record<string, unknown>): { url: string; token: string } {
  const url = typeof relay.url === 'string' ? relay.url.trim() : '';
  const token = typeof relay.token === 'string' ? relay.token.trim() : '';
  if (!token) throw new ConfigError("Invalid config: field 'webhook_relay.token' is empty.");
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new ConfigError("Invalid config: field 'webhook_relay.url' is not a URL.");
  }
  if (parsed.username || parsed.password) {
    throw new ConfigError("Invalid config: field 'webhook_relay.url' must not carry credentials; the token goes in 'webhook_relay.token'.");
  }
  const loopback = ['localhost', '127.0.0.1', '[::1]'].includes(parsed.hostname);
  if (parsed.protocol !== 'https:' && !(parsed.protocol === 'http:' && loopback)) {
    throw new ConfigError("Invalid config: field 'webhook_relay.url' must use https (http is accepted only for localhost).");
  }
  return { url: url.replace(/\/+$/, ''), token };
}

function checkBaseUrl(value: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new ConfigError(`Invalid config: field 'api_base_url' is not a URL.`);
  }
  const loopback = ['localhost', '127.0.0.1', '[::1]'].includes(url.hostname);
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && loopback)) {
    throw new ConfigError(`Invalid config: field 'api_base_url' must use https (http is accepted only for localhost).`);
  }
  if (url.search || url.hash || url.username || url.password) {
    throw new ConfigError(`Invalid config: field 'api_base_url' must not carry a query, a fragment or credentials; give the host and, for a proxy, its path.`);
  }
  // A proxy may serve the API under a path: requests go below it, never to the host's root.
  return url.origin + url.pathname.replace(/\/+$/, '');
}

function describeErrors(errors: ErrorObject[]): string {
  const seen = new Set<string>();
  return errors
    .filter((e) => {
      // One message per field: a bad start_date fails both its pattern and its format.
      const field = e.keyword === 'required' ? String(e.params.missingProperty) : e.instancePath;
      if (seen.has(field)) return false;
      seen.add(field);
      return true;
    })
    .map((e) => {
      if (e.keyword === 'required') return `missing required field '${String(e.params.missingProperty)}'`;
      const field = e.instancePath.replace(/^\//, '').replace(/\//g, '.') || '(root)';
      if (e.keyword === 'enum') return `field '${field}' must be one of ${(e.params.allowedValues as unknown[]).join(', ')}`;
      if (e.keyword === 'pattern' && field === 'start_date') return `field 'start_date' must look like 2020-11-16T00:00:00Z`;
      if (e.keyword === 'pattern' && field === 'hashed_field_suffix') return `field 'hashed_field_suffix' may hold only letters, digits and _`;
      return `field '${field}' ${e.message ?? 'is invalid'}`;
    })
    .join('; ');
}
