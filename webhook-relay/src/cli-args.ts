import { readFileSync } from 'node:fs';
import { RelayConfigError } from './errors.js';
import { DEFAULTS, type RelayOptions } from './options.js';

export const USAGE = `Usage: intercom-webhook-relay --data-dir DIR [options]

Receives Intercom webhooks at POST /intercom/webhooks, verifies X-Hub-Signature,
stores each notification durably and serves them at GET /v1/events.

Options:
  --data-dir DIR             where the event log lives (required)
  --port N                   port to listen on (default ${DEFAULTS.port}; 0 picks a free one)
  --host ADDR                address to bind (default ${DEFAULTS.host}; use 0.0.0.0 in a container)
  --retention-days N         drop events older than N days (default ${DEFAULTS.retentionDays})
  --max-body-bytes N         larger webhook bodies get 413 (default ${DEFAULTS.maxBodyBytes})
  --tls-cert FILE            PEM certificate: serve HTTPS (needs --tls-key)
  --tls-key FILE             PEM private key for --tls-cert
  --stats-interval-seconds N counters line on stderr every N seconds (default ${DEFAULTS.statsIntervalMs / 1000}; 0: only at exit)
  --help                     this text
  --version                  the relay's version

Environment (required):
  INTERCOM_CLIENT_SECRET     the Intercom app's client secret; keys the webhook signatures
  RELAY_READ_TOKEN           bearer token for the read API (at least 16 characters)
`;

export type Command = { kind: 'help' } | { kind: 'version' } | { kind: 'run'; options: RelayOptions };

const VALUE_FLAGS = new Set([
  'data-dir',
  'port',
  'host',
  'retention-days',
  'max-body-bytes',
  'tls-cert',
  'tls-key',
  'stats-interval-seconds',
]);

const MIN_TOKEN_LENGTH = 16;

/** Turns argv and the environment into options; every mistake is a RelayConfigError naming the flag or variable. */
export function parseCommand(argv: string[], env: NodeJS.ProcessEnv): Command {
  const values = new Map<string, string>();
  for (let i = 0; i < argv.length; i += 1) {
    const arg = argv[i]!;
    if (arg === '--help' || arg === '-h') return { kind: 'help' };
    if (arg === '--version') return { kind: 'version' };
    const match = /^--([a-z-]+)(?:=(.*))?$/s.exec(arg);
    if (match === null || !VALUE_FLAGS.has(match[1]!)) throw new RelayConfigError(`unknown argument ${JSON.stringify(arg)} (see --help)`);
    const name = match[1]!;
    let value = match[2];
    if (value === undefined) {
      value = argv[i + 1];
      i += 1;
      if (value === undefined || value.startsWith('--')) throw new RelayConfigError(`--${name} needs a value`);
    }
    values.set(name, value);
  }

  const dataDir = values.get('data-dir');
  if (dataDir === undefined || dataDir === '') throw new RelayConfigError('--data-dir is required: the directory that holds the event log');
  const clientSecret = env.INTERCOM_CLIENT_SECRET ?? '';
  if (clientSecret === '') {
    throw new RelayConfigError('INTERCOM_CLIENT_SECRET is not set: the relay needs the Intercom app client secret to verify webhook signatures');
  }
  const readToken = env.RELAY_READ_TOKEN ?? '';
  if (readToken === '') throw new RelayConfigError('RELAY_READ_TOKEN is not set: the relay needs the bearer token that guards its read API');
  if (readToken.length < MIN_TOKEN_LENGTH) throw new RelayConfigError(`RELAY_READ_TOKEN is too short: use at least ${MIN_TOKEN_LENGTH} characters`);

  const cert = values.get('tls-cert');
  const key = values.get('tls-key');
  if ((cert === undefined) !== (key === undefined)) throw new RelayConfigError('--tls-cert and --tls-key go together');
  const statsSeconds = integerFlag(values, 'stats-interval-seconds', 0, 86_400);

  const options: RelayOptions = {
    clientSecret,
    readToken,
    dataDir,
    port: integerFlag(values, 'port', 0, 65_535) ?? DEFAULTS.port,
    host: values.get('host') ?? DEFAULTS.host,
    retentionDays: numberFlag(values, 'retention-days') ?? DEFAULTS.retentionDays,
    maxBodyBytes: integerFlag(values, 'max-body-bytes', 1, 1024 * 1024 * 1024) ?? DEFAULTS.maxBodyBytes,
    statsIntervalMs: statsSeconds === undefined ? DEFAULTS.statsIntervalMs : statsSeconds * 1000,
  };
  if (cert !== undefined && key !== undefined) options.tls = { cert: readPem(cert, '--tls-cert'), key: readPem(key, '--tls-key') };
  return { kind: 'run', options };
}

function integerFlag(values: Map<string, string>, name: string, min: number, max: number): number | undefined {
  const raw = values.get(name);
  if (raw === undefined) return undefined;
  const n = Number(raw);
  if (!/^\d+$/.test(raw) || n < min || n > max) throw new RelayConfigError(`--${name} must be an integer from ${min} to ${max}, got ${JSON.stringify(raw)}`);
  return n;
}

function numberFlag(values: Map<string, string>, name: string): number | undefined {
  const raw = values.get(name);
  if (raw === undefined) return undefined;
  const n = Number(raw);
  if (!/^\d+(\.\d+)?$/.test(raw) || !(n > 0)) throw new RelayConfigError(`--${name} must be a positive number, got ${JSON.stringify(raw)}`);
  return n;
}

function readPem(path: string, flag: string): Buffer {
  try {
    return readFileSync(path);
  } catch (error) {
    throw new RelayConfigError(`${flag}: cannot read ${path} (${(error as NodeJS.ErrnoException).code ?? 'error'})`);
  }
}
