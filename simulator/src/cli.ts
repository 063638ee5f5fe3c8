#!/usr/bin/env node
/**
 * Runs the simulated Intercom workspace until SIGINT or SIGTERM.
 *
 *   npm run simulator -- --port 8080 --seed 1 [--contacts N --conversations N ...
 *     --rate-limit N|off --latency MS --jitter MS --fault-rate P --fault-kinds 500,reset
 *     --timezone ZONE --search-lag S --print-url]
 *
 * Prints one line to stderr when listening; with --print-url, also the URL
 * alone on stdout (for scripts), and nothing else on stdout.
 */
import { realpathSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { ALL_FAULT_KINDS, type FaultKind, type SimulatorOptions, type WorkspaceSize } from './options.js';
import { startSimulator } from './index.js';

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

export interface CliOptions {
  simulator: SimulatorOptions;
  printUrl: boolean;
}

function numberArg(flag: string, value: string | undefined): number {
  const n = Number(value);
  if (value === undefined || value === '' || !Number.isFinite(n)) throw new CliUsageError(`${flag} needs a number`);
  return n;
}

export function parseCliArgs(argv: readonly string[]): CliOptions {
  const simulator: SimulatorOptions = {};
  const size: Partial<WorkspaceSize> = {};
  let printUrl = false;
  let latency: number | undefined;
  let jitter: number | undefined;
  let faultRate: number | undefined;
  let faultKinds: FaultKind[] | undefined;
  let stallSeconds: number | undefined;
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
  return { simulator, printUrl };
}

async function main(): Promise<void> {
  let cli: CliOptions;
  try {
    cli = parseCliArgs(process.argv.slice(2));
  } catch (error) {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(2);
  }
  const sim = await startSimulator(cli.simulator);
  process.stderr.write(`simulator listening on ${sim.url} (token sim-token)\n`);
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
