#!/usr/bin/env node
/**
 * Runs the simulated Intercom workspace until SIGINT or SIGTERM (USAGE below
 * lists the options). Prints one line to stderr when listening; with
 * --print-url, also the URL alone on stdout (for scripts), and nothing else.
 */
import { realpathSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { ALL_FAULT_KINDS, DEFAULT_SIZE, defaultTokens, type FaultKind, type SimulatorOptions, type WorkspaceSize } from './options.js';
import { startSimulator } from './index.js';

/** The simulator's version: the Intercom API version it imitates, and its own revision. */
export const SIMULATOR_VERSION = '0.1.0 (Intercom API 2.16)';

export class CliUsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CliUsageError';
  }
}

const SIZE_FLAGS: Record<string, keyof WorkspaceSize> = {
  '--admins': 'admins',
  '--teams': 'teams',
  '--tags': 'tags',
  '--segments': 'segments',
  '--companies': 'companies',
  '--contacts': 'contacts',
  '--conversations': 'conversations',
  '--tickets': 'tickets',
  '--activity-logs': 'activityLogs',
  '--help-centers': 'helpCenters',
  '--collections': 'collections',
  '--articles': 'articles',
  '--deleted-conversations': 'deletedConversations',
};

export const USAGE = `Usage: intercom-simulator [OPTIONS]

A seeded, deterministic fake of the Intercom REST API (2.16) on 127.0.0.1, until Ctrl-C or SIGTERM.

Server:
  --port N              port to listen on (default 0: any free port)
  --print-url           also print the URL alone on stdout, for scripts
  --seed N              seed of the generated workspace (default 1)
  --timezone ZONE       workspace time zone, e.g. Europe/Dublin (default America/Los_Angeles)
  --anchor UNIX         "now" of the generated history, Unix seconds (default 2026-11-01)
  --history-days N      days of history before the anchor (default 400)

Workspace size (defaults in brackets):
${Object.entries(SIZE_FLAGS)
  .map(([flag, key]) => `  ${`${flag} N`.padEnd(28)}[${DEFAULT_SIZE[key]}]`)
  .join('\n')}

Behaviour of the API:
  --rate-limit N|off    requests per minute per token, in 10-second windows (default 10000)
  --latency MS          mean response latency (default 0)
  --jitter MS           latency jitter (default 0)
  --fault-rate P        probability 0..1 that a request gets a fault (default 0)
  --fault-kinds LIST    comma-separated: ${ALL_FAULT_KINDS.join(', ')} (default all)
  --stall-seconds S     how long a 'stall' fault hangs (default 30)
  --search-lag S        seconds before a write is visible to search (default 0)
  --scroll-ttl S        seconds an unused companies scroll lives (default 60)
  --parts-cap N         conversation parts returned per conversation (default 500)

Webhooks (deletes of contacts, companies and conversations, signed and retried with backoff):
  --webhook-url URL     POST notifications there, e.g. http://127.0.0.1:8080/intercom/webhooks
  --webhook-secret S    HMAC-SHA1 key of X-Hub-Signature (or env INTERCOM_CLIENT_SECRET); never printed

  -h, --help, help      print this text
  --version             print the version

Tokens (send as Authorization: Bearer TOKEN; any other token gets 401):
${Object.entries(defaultTokens())
  .map(([token, scopes]) => `  ${token.padEnd(28)}${scopes.length} scopes${token === 'sim-token' ? ' (all)' : `, without ${['read_tickets', 'read_conversations'].find((s) => !scopes.includes(s as never)) ?? ''}`}`)
  .join('\n')}

Example: intercom-simulator --port 8080 --contacts 20000 --latency 150 --jitter 50 --fault-rate 0.05
`;

/** `--help` and `--version` answer before anything starts; null for a normal run. */
export function cliAction(argv: readonly string[]): 'help' | 'version' | null {
  if (argv.some((a) => a === '--help' || a === '-h') || argv[0] === 'help') return 'help';
  if (argv.includes('--version')) return 'version';
  return null;
}

export interface CliOptions {
  simulator: SimulatorOptions;
  printUrl: boolean;
}

function numberArg(flag: string, value: string | undefined): number {
  const n = Number(value);
  if (value === undefined || value === '' || !Number.isFinite(n)) throw new CliUsageError(`${flag} needs a number`);
  return n;
}

export function parseCliArgs(argv: readonly string[], env: Readonly<Record<string, string | undefined>> = process.env): CliOptions {
  const simulator: SimulatorOptions = {};
  const size: Partial<WorkspaceSize> = {};
  let printUrl = false;
  let latency: number | undefined;
  let jitter: number | undefined;
  let faultRate: number | undefined;
  let faultKinds: FaultKind[] | undefined;
  let stallSeconds: number | undefined;
  let webhookUrl: string | undefined;
  let webhookSecret: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i] ?? '';
    const value = (): string | undefined => argv[++i];
    const sizeKey = SIZE_FLAGS[flag];
    if (sizeKey) {
      size[sizeKey] = numberArg(flag, value());
      continue;
    }
    switch (flag) {
      case '--port':
        simulator.port = numberArg(flag, value());
        break;
      case '--seed':
        simulator.seed = numberArg(flag, value());
        break;
      case '--timezone':
        simulator.timezone = value();
        break;
      case '--anchor':
        simulator.anchor = numberArg(flag, value());
        break;
      case '--history-days':
        simulator.historyDays = numberArg(flag, value());
        break;
      case '--rate-limit': {
        const v = value();
        simulator.rateLimitPerMinute = v === 'off' || v === '0' ? null : numberArg(flag, v);
        break;
      }
      case '--latency':
        latency = numberArg(flag, value());
        break;
      case '--jitter':
        jitter = numberArg(flag, value());
        break;
      case '--fault-rate':
        faultRate = numberArg(flag, value());
        break;
      case '--fault-kinds': {
        const kinds = (value() ?? '').split(',').filter((k) => k !== '');
        for (const k of kinds) if (!(ALL_FAULT_KINDS as readonly string[]).includes(k)) throw new CliUsageError(`unknown fault kind ${k}`);
        faultKinds = kinds as FaultKind[];
        break;
      }
      case '--stall-seconds':
        stallSeconds = numberArg(flag, value());
        break;
      case '--search-lag':
        simulator.searchLagSeconds = numberArg(flag, value());
        break;
      case '--scroll-ttl':
        simulator.scrollTtlSeconds = numberArg(flag, value());
        break;
      case '--parts-cap':
        simulator.partsCap = numberArg(flag, value());
        break;
      case '--print-url':
        printUrl = true;
        break;
      case '--webhook-url':
        webhookUrl = value();
        if (!webhookUrl) throw new CliUsageError('--webhook-url needs a URL');
        break;
      case '--webhook-secret':
        webhookSecret = value();
        if (!webhookSecret) throw new CliUsageError('--webhook-secret needs a value');
        break;
      default:
        throw new CliUsageError(`unknown option ${flag}`);
    }
  }
  if (Object.keys(size).length > 0) simulator.size = size;
  if (latency !== undefined || jitter !== undefined) simulator.latencyMs = { mean: latency ?? 0, jitter: jitter ?? 0 };
  if (faultRate !== undefined) {
    simulator.faults = { rate: faultRate };
    if (faultKinds) simulator.faults.kinds = faultKinds;
    if (stallSeconds !== undefined) simulator.faults.stallSeconds = stallSeconds;
  }
  if (webhookSecret !== undefined && webhookUrl === undefined) throw new CliUsageError('--webhook-secret needs --webhook-url');
  if (webhookUrl !== undefined) {
    const clientSecret = webhookSecret ?? env['INTERCOM_CLIENT_SECRET'];
    if (!clientSecret) throw new CliUsageError('--webhook-url needs --webhook-secret or INTERCOM_CLIENT_SECRET in the environment');
    simulator.webhooks = { url: webhookUrl, clientSecret };
  }
  return { simulator, printUrl };
}

async function main(): Promise<void> {
  const action = cliAction(process.argv.slice(2));
  if (action === 'help') {
    process.stdout.write(USAGE);
    return;
  }
  if (action === 'version') {
    process.stdout.write(`intercom-simulator ${SIMULATOR_VERSION}\n`);
    return;
  }
  let cli: CliOptions;
  try {
    cli = parseCliArgs(process.argv.slice(2));
  } catch (error) {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\nRun with --help for the options.\n`);
    process.exit(2);
  }
  const sim = await startSimulator(cli.simulator);
  process.stderr.write(`simulator listening on ${sim.url} (token sim-token)\n`);
  if (cli.simulator.webhooks) process.stderr.write(`simulator sends delete webhooks to ${new URL(cli.simulator.webhooks.url).origin}\n`);
  if (cli.printUrl) process.stdout.write(`${sim.url}\n`);
  let stopping = false;
  const stop = (): void => {
    if (stopping) return;
    stopping = true;
    sim.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

/** True when this file is the program node runs, also through the npm bin symlink. */
function isEntryPoint(): boolean {
  const script = process.argv[1];
  if (script === undefined) return false;
  try {
    return import.meta.url === pathToFileURL(realpathSync(script)).href;
  } catch {
    return false;
  }
}

if (isEntryPoint()) {
  main().catch((error: unknown) => {
    process.stderr.write(`simulator failed: ${error instanceof Error ? error.stack : String(error)}\n`);
    process.exit(1);
  });
}
