/**
 * The bench's `sync` rows: what writing into DuckDB costs beside reading.
 * Destination throughput on the connector's own recorded output, `sync` wall
 * time against `read` piped to /dev/null for the same workspace, and the peak
 * resident memory of `sync` as the workspace grows. Every figure is measured
 * in this one run, side by side, so ratios hold across machines.
 */
import type { StdioOptions } from 'node:child_process';
import { closeSync, openSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startSimulator, type Simulator } from 'intercom-simulator';
import { configureCatalog, CONNECTOR_CLI, spawnNode, type AirbyteStream } from '../connector.js';

/** The destination's command-line program, as a user runs it. */
const DESTINATION_CLI = fileURLToPath(new URL('../../../destination-duckdb/dist/src/cli.js', import.meta.url));

/** The contact search family: one scan, three streams. */
const CONTACT_STREAMS = ['contacts', 'contact_tags', 'contact_companies'];

export interface SyncBenchOptions {
  /** Temp directory for configs, catalogs, recordings and databases (the caller removes it). */
  dir: string;
  /** Contacts of the read-versus-sync workspace (20,000 in a full run). */
  contacts: number;
  /** Contact counts at which `sync`'s peak RSS is measured. */
  memorySizes: number[];
  /** The latency and rate limit of the second read-versus-sync comparison: what a real workspace answers with. */
  latency: { mean: number; jitter: number; perMinute: number };
  log: (line: string) => void;
}

export interface SyncBenchResult {
  records: number;
  readSeconds: number;
  syncSeconds: number;
  /** Best `sync` ÷ best `read` over the rounds. */
  syncOverRead: number;
  /** The same at the bench's latency and rate limit, where the read waits on the network as it does on Intercom. */
  latency: { readSeconds: number; syncSeconds: number; syncOverRead: number };
  destinationSeconds: number;
  destinationRecordsPerSecond: number;
  readRecordsPerSecond: number;
  /** `sync` of contacts alone at each size, beside a `read` of the same workspace to /dev/null. */
  memory: Array<{ contacts: number; peakRssMb: number; seconds: number; readSeconds: number; exitCode: number | null }>;
  failures: string[];
}

interface Timed {
  seconds: number;
  peakRssMb: number;
  code: number | null;
  stderr: string;
}

/** Peak resident memory of a live process (Linux VmHWM), in MB. */
export function vmHwmMb(pid: number): number {
  try {
    const match = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) / 1024 : 0;
  } catch {
    return 0;
  }
}

/** Runs a node program to its end, timing it and polling its peak RSS. */
function timed(script: string, args: string[], stdio: [StdioOptions | number | 'ignore', number | 'ignore']): Promise<Timed> {
  const started = process.hrtime.bigint();
  const child = spawnNode(script, args, [stdio[0] as 'ignore', stdio[1], 'pipe']);
  let peak = 0;
  let stderr = '';
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (stderr = (stderr + chunk).slice(-4000)));
  const poll = setInterval(() => (peak = Math.max(peak, vmHwmMb(child.pid!))), 50);
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('exit', (code) => {
      clearInterval(poll);
      resolve({ seconds: Number(process.hrtime.bigint() - started) / 1e9, peakRssMb: peak, code, stderr });
    });
  });
}

async function discover(dir: string, configPath: string): Promise<AirbyteStream[]> {
  const out = join(dir, 'catalog-discovered.jsonl');
  const fd = openSync(out, 'w');
  try {
    await timed(CONNECTOR_CLI, ['discover', '--config', configPath], ['ignore', fd]);
  } finally {
    closeSync(fd);
  }
  for (const line of readFileSync(out, 'utf8').split('\n')) {
    if (line.startsWith('{"type":"CATALOG"')) return (JSON.parse(line) as { catalog: { streams: AirbyteStream[] } }).catalog.streams;
  }
  throw new Error('discover printed no catalog');
}

function writeConfig(dir: string, sim: Simulator, name: string): string {
  const path = join(dir, `${name}.json`);
  writeFileSync(path, JSON.stringify({ access_token: 'sim-token', start_date: '2020-01-01T00:00:00Z', api_base_url: sim.url, search_lag_seconds: 0 }));
  return path;
}

let databases = 0;
function freshDatabase(dir: string): string {
  databases += 1;
  return join(dir, `bench-${databases}.duckdb`);
}

export async function measureSync(options: SyncBenchOptions): Promise<SyncBenchResult> {
  const { dir, log } = options;
  const failures: string[] = [];
  const check = (what: string, run: Timed): Timed => {
    if (run.code !== 0) failures.push(`${what} exited ${run.code}: ${run.stderr.slice(-500)}`);
    return run;
  };

  const size = { contacts: options.contacts, conversations: 10, companies: 200 };
  const sim = await startSimulator({ seed: 11, size, rateLimitPerMinute: null });
  let result: Omit<SyncBenchResult, 'memory' | 'failures' | 'latency'>;
  try {
    const configPath = writeConfig(dir, sim, 'sync-config');
    // The catalog `sync` builds for itself: every named stream, incremental where it can be.
    const catalog = configureCatalog(await discover(dir, configPath), CONTACT_STREAMS, 'incremental');
    const catalogPath = join(dir, 'sync-catalog.json');
    writeFileSync(catalogPath, JSON.stringify(catalog));
    const readArgs = ['read', '--config', configPath, '--catalog', catalogPath];
    const { reads, syncs } = await readBesideSync(configPath, catalogPath, 'no latency', check, log);

    // The destination alone, on the read's own output recorded to a file.
    const recording = join(dir, 'read-output.jsonl');
    const out = openSync(recording, 'w');
    try {
      check('read (recorded)', await timed(CONNECTOR_CLI, readArgs, ['ignore', out]));
    } finally {
      closeSync(out);
    }
    const records = readFileSync(recording, 'utf8').split('\n').filter((l) => l.startsWith('{"type":"RECORD"')).length;
    const destinationConfig = join(dir, 'destination-config.json');
    writeFileSync(destinationConfig, JSON.stringify({ database: freshDatabase(dir) }));
    const input = openSync(recording, 'r');
    let destination: Timed;
    try {
      destination = check('destination write', await timed(DESTINATION_CLI, ['write', '--config', destinationConfig, '--catalog', catalogPath], [input, 'ignore']));
    } finally {
      closeSync(input);
    }
    result = {
      records,
      readSeconds: reads,
      syncSeconds: syncs,
      syncOverRead: syncs / reads,
      destinationSeconds: destination.seconds,
      destinationRecordsPerSecond: records / destination.seconds,
      readRecordsPerSecond: records / reads,
    };
  } finally {
    await sim.close();
  }

  const { mean, jitter, perMinute } = options.latency;
  const slow = await startSimulator({ seed: 11, size, latencyMs: { mean, jitter }, rateLimitPerMinute: perMinute });
  let latency: SyncBenchResult['latency'];
  try {
    const configPath = writeConfig(dir, slow, 'latency-config');
    const catalogPath = join(dir, 'latency-catalog.json');
    writeFileSync(catalogPath, JSON.stringify(configureCatalog(await discover(dir, configPath), CONTACT_STREAMS, 'incremental')));
    const { reads, syncs } = await readBesideSync(configPath, catalogPath, `${mean} ± ${jitter} ms, ${perMinute}/min`, check, log);
    latency = { readSeconds: reads, syncSeconds: syncs, syncOverRead: syncs / reads };
  } finally {
    await slow.close();
  }

  const memory: SyncBenchResult['memory'] = [];
  for (const contacts of options.memorySizes) {
    const big = await startSimulator({ seed: 3, size: { contacts, conversations: 10, companies: 10 }, rateLimitPerMinute: null });
    try {
      const configPath = writeConfig(dir, big, `memory-${contacts}`);
      const catalogPath = join(dir, `memory-${contacts}-catalog.json`);
      writeFileSync(catalogPath, JSON.stringify(configureCatalog(await discover(dir, configPath), ['contacts'], 'incremental')));
      const read = check(`read at ${contacts} contacts`, await timed(CONNECTOR_CLI, ['read', '--config', configPath, '--catalog', catalogPath], ['ignore', 'ignore']));
      const run = check(`sync at ${contacts} contacts`, await timed(CONNECTOR_CLI, ['sync', '--config', configPath, '--database', freshDatabase(dir), '--streams', 'contacts'], ['ignore', 'ignore']));
      log(`    sync at ${contacts} contacts: ${run.seconds.toFixed(1)} s (read ${read.seconds.toFixed(1)} s), peak RSS ${run.peakRssMb.toFixed(0)} MB`);
      memory.push({ contacts, peakRssMb: run.peakRssMb, seconds: run.seconds, readSeconds: read.seconds, exitCode: run.code });
    } finally {
      await big.close();
    }
  }
  return { ...result, latency, memory, failures };
}

/**
 * `read` of the contact streams to /dev/null, then `sync` of the same into a
 * fresh database, twice, alternating so that drift in the machine's load
 * touches both alike. The best time of each.
 */
async function readBesideSync(
  configPath: string,
  catalogPath: string,
  what: string,
  check: (what: string, run: Timed) => Timed,
  log: (line: string) => void,
): Promise<{ reads: number; syncs: number }> {
  const dir = dirname(configPath);
  const readArgs = ['read', '--config', configPath, '--catalog', catalogPath];
  const syncArgs = (database: string) => ['sync', '--config', configPath, '--database', database, '--streams', CONTACT_STREAMS.join(',')];
  const reads: number[] = [];
  const syncs: number[] = [];
  for (let round = 0; round < 2; round++) {
    reads.push(check('read', await timed(CONNECTOR_CLI, readArgs, ['ignore', 'ignore'])).seconds);
    syncs.push(check('sync', await timed(CONNECTOR_CLI, syncArgs(freshDatabase(dir)), ['ignore', 'ignore'])).seconds);
    log(`    ${what}, round ${round + 1}: read ${reads[round]!.toFixed(2)} s, sync ${syncs[round]!.toFixed(2)} s`);
  }
  return { reads: Math.min(...reads), syncs: Math.min(...syncs) };
}
