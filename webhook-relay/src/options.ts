/** Everything startRelay needs; the bin fills it from flags and the environment. */
export interface RelayOptions {
  /** HMAC-SHA1 key of the webhook signatures: the Intercom app's client secret. */
  clientSecret: string;
  /** Bearer token the connector presents to the read API. */
  readToken: string;
  dataDir: string;
  port?: number;
  host?: string;
  retentionDays?: number;
  maxBodyBytes?: number;
  /** PEM certificate and key: when both are given the relay serves HTTPS. */
  tls?: { cert: Buffer | string; key: Buffer | string };
  /** Time allowed to receive the request headers, and the whole request. */
  headersTimeoutMs?: number;
  requestTimeoutMs?: number;
  /** How often the counters line is written to the log (0: only at shutdown). */
  statsIntervalMs?: number;
  retentionIntervalMs?: number;
  segmentMaxBytes?: number;
  segmentMaxAgeMs?: number;
  /** Where human log lines go; stderr by default. */
  log?: (line: string) => void;
  /** Wall clock in ms; tests move it to exercise retention. */
  now?: () => number;
}

export const DEFAULTS = {
  port: 8080,
  host: '127.0.0.1',
  retentionDays: 30,
  maxBodyBytes: 1024 * 1024,
  headersTimeoutMs: 10_000,
  requestTimeoutMs: 30_000,
  statsIntervalMs: 60_000,
  retentionIntervalMs: 3_600_000,
  segmentMaxBytes: 64 * 1024 * 1024,
  segmentMaxAgeMs: 86_400_000,
} as const;

/** The read API never returns more than this many events per page. */
export const MAX_PAGE = 1000;
export const DEFAULT_PAGE = 100;
