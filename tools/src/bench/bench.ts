/**
 * `npm run bench`: how close a sync gets to Intercom's rate limit, side by
 * side with a sequential client, plus CPU and memory ratios, and the webhook
 * relay's durable deliveries per second and p99 answer time. Everything runs
 * against the simulated workspace in one run; the figures are ratios, so
 * they hold on slower or faster machines.
 *
 *   npm run bench                  the full benchmark (several minutes)
 *   npm run bench -- --smoke       a tiny run that checks the script works
 *   npm run bench -- --large       also the peak RSS of `sync` at 500,000 contacts (minutes more)
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { startSimulator, type SimulatorOptions } from 'intercom-simulator';
import { CONNECTOR_CLI as CLI, spawnNode, type AirbyteMessage, type AirbyteStream } from '../connector.js';
import { HASHED_FIELDS, measurePipeline, median } from './pipeline.js';
import { relayBench } from './relay.js';
import { measureSync, vmHwmMb, type SyncBenchResult } from './sync-bench.js';

const smoke = process.argv.includes('--smoke');
const large = process.argv.includes('--large');
const dir = mkdtempSync(join(tmpdir(), 'source-intercom-bench-'));
// The configs and catalogs of the runs; removed when the benchmark ends.
process.once('exit', () => rmSync(dir, { recursive: true, force: true }));

interface SyncRun {
  seconds: number;
  /** Requests answered in each whole 10-second rate-limit window of the sync. */
  fullWindows: number[];
  requests: number;
  rateLimited: number;
  records: number;
  peakRssMb: number;
  exitCode: number | null;
  finished: boolean;
}

function log(line: string): void {
  process.stderr.write(line + '\n');
}

function runCli(args: string[], onMessage: (m: AirbyteMessage) => void, maxSeconds = Infinity): Promise<{ code: number | null; peakRssMb: number; finished: boolean }> {
  const child = spawnNode(CLI, args, ['ignore', 'pipe', 'ignore']);
  let peak = 0;
  let finished = true;
  const poll = setInterval(() => (peak = Math.max(peak, vmHwmMb(child.pid!))), 100);
  const cap = Number.isFinite(maxSeconds)
    ? setTimeout(() => {
        finished = false;
        child.kill('SIGTERM');
      }, maxSeconds * 1000)
    : null;
  createInterface({ input: child.stdout! }).on('line', (line) => {
    // Only the kinds of message we count are parsed; records are counted from their prefix.
    if (line.startsWith('{"type":"RECORD"')) onMessage({ type: 'RECORD' } as AirbyteMessage);
    else onMessage(JSON.parse(line) as AirbyteMessage);
  });
  return new Promise((resolve) =>
    child.on('exit', (code) => {
      clearInterval(poll);
      if (cap) clearTimeout(cap);
      resolve({ code, peakRssMb: peak, finished });
    }),
  );
}

async function discover(configPath: string): Promise<AirbyteStream[]> {
  let streams: AirbyteStream[] = [];
  await runCli(['discover', '--config', configPath], (m) => {
    if (m.type === 'CATALOG') streams = m.catalog.streams;
  });
  return streams;
}

/** One full sync (no state) of the named streams against a simulator with these options. */
async function sync(options: SimulatorOptions, streamNames: string[] | 'all', config: Record<string, unknown> = {}, maxSeconds = Infinity): Promise<SyncRun> {
  const sim = await startSimulator(options);
  try {
    const configPath = join(dir, `config-${Date.now()}.json`);
    writeFileSync(configPath, JSON.stringify({ access_token: 'sim-token', start_date: '2020-01-01T00:00:00Z', api_base_url: sim.url, ...config }));
    const streams = (await discover(configPath)).filter((s) => streamNames === 'all' || streamNames.includes(s.name));
    const catalogPath = join(dir, `catalog-${Date.now()}.json`);
    writeFileSync(
      catalogPath,
      JSON.stringify({
        streams: streams.map((stream) => ({
          stream,
          sync_mode: stream.supported_sync_modes.includes('incremental') ? 'incremental' : 'full_refresh',
          destination_sync_mode: 'append',
        })),
      }),
    );
    sim.stats.reset();
    const windows = new Map<number, number>();
    sim.onRequest(() => {
      const w = Math.floor(Date.now() / 10_000);
      windows.set(w, (windows.get(w) ?? 0) + 1);
    });
    let records = 0;
    const started = process.hrtime.bigint();
    const run = await runCli(['read', '--config', configPath, '--catalog', catalogPath], (m) => {
      if (m.type === 'RECORD') records += 1;
    }, maxSeconds);
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    // The first and last windows are partly outside the sync.
    const fullWindows = [...windows.entries()].sort(([a], [b]) => a - b).slice(1, -1).map(([, n]) => n);
    return {
      seconds,
      fullWindows,
      requests: sim.stats.total,
      rateLimited: sim.stats.byStatus.get(429) ?? 0,
      records,
      peakRssMb: run.peakRssMb,
      exitCode: run.code,
      finished: run.finished,
    };
  } finally {
    await sim.close();
  }
}

function row(label: string, value: string, note = ''): string {
  return `| ${label.padEnd(46)} | ${value.padStart(12)} | ${note}`;
}

async function main(): Promise<void> {
  const perMinute = 10_000;
  const ceiling = perMinute / 60;
  const perWindow = Math.floor(perMinute / 6);
  const size = smoke ? { contacts: 400, conversations: 120, companies: 60 } : { contacts: 20_000, conversations: 5_000, companies: 2_000 };
  const latencyMs = smoke ? { mean: 10, jitter: 5 } : { mean: 150, jitter: 50 };
  const workspace: SimulatorOptions = { seed: 7, size, latencyMs, rateLimitPerMinute: perMinute };
  log(`Workspace: ${size.contacts} contacts, ${size.conversations} conversations (with parts), ${size.companies} companies; latency ${latencyMs.mean}±${latencyMs.jitter} ms; limit ${perMinute}/min.`);

  log('1/6 full sync of every stream, adaptive concurrency ...');
  const full = await sync(workspace, 'all');
  log(`    ${full.requests} requests, ${full.records} records in ${full.seconds.toFixed(1)} s (exit ${full.exitCode})`);

  const sequentialCap = smoke ? 5 : 60;
  log(`2/6 the same sync with concurrency forced to 1 (stopped after ${sequentialCap} s) ...`);
  const sequential = await sync(workspace, 'all', { max_concurrency: 1 }, sequentialCap);
  log(`    ${sequential.requests} requests in ${sequential.seconds.toFixed(1)} s${sequential.finished ? '' : ' (stopped)'}`);

  log('3/6 CPU: the record pipeline against bare JSON.parse + JSON.stringify of the same bytes ...');
  const cpu = await measurePipeline(smoke ? 0.75 : 7.5);

  const memorySizes = smoke ? [1_000, 4_000] : [50_000, 500_000];
  log(`4/6 memory: contacts only, ${memorySizes.join(' and ')} contacts ...`);
  const memory: SyncRun[] = [];
  for (const contacts of memorySizes) {
    const run = await sync({ seed: 3, size: { contacts, conversations: 10, companies: 10 }, rateLimitPerMinute: null }, ['contacts']);
    log(`    ${contacts} contacts: ${run.records} records in ${run.seconds.toFixed(1)} s, peak RSS ${run.peakRssMb.toFixed(0)} MB`);
    memory.push(run);
  }

  const relayLoad = smoke ? { deliveries: 400, concurrency: 16, maxSeconds: 20 } : { deliveries: 20_000, concurrency: 64, maxSeconds: 60 };
  log(`5/6 webhook relay: ${relayLoad.deliveries} signed deliveries, ${relayLoad.concurrency} senders, 200 only after fdatasync ...`);
  const relay = await relayBench(relayLoad);
  log(`    ${relay.acknowledged} acknowledged, ${relay.stored} stored in ${relay.seconds.toFixed(1)} s, ${relay.commits} commits`);
  const intoDuckdb = await syncIntoDuckdb({ ...latencyMs, perMinute });

  const fullRate = full.requests / full.seconds;
  const seqRate = sequential.requests / sequential.seconds;
  const lines = [
    row('measure', 'value', 'note'),
    `|${'-'.repeat(48)}|${'-'.repeat(14)}|------`,
    row('rate-limit use (req/s ÷ ceiling)', (fullRate / ceiling).toFixed(3), `${fullRate.toFixed(1)} req/s of ${ceiling.toFixed(1)}`),
    row(
      'budget used in each whole 10 s window, lowest',
      full.fullWindows.length ? (Math.min(...full.fullWindows) / perWindow).toFixed(3) : 'n/a',
      `${full.fullWindows.length} windows, median ${full.fullWindows.length ? (median(full.fullWindows) / perWindow).toFixed(3) : 'n/a'} of ${perWindow}`,
    ),
    row('429 ratio', `${((100 * full.rateLimited) / Math.max(1, full.requests)).toFixed(2)}%`, `${full.rateLimited} of ${full.requests} requests`),
    row('records per second', (full.records / full.seconds).toFixed(0), `${full.records} records in ${full.seconds.toFixed(1)} s`),
    row('peak RSS, full sync', `${full.peakRssMb.toFixed(0)} MB`, ''),
    row('sequential (concurrency 1): req/s ÷ ceiling', (seqRate / ceiling).toFixed(3), `${seqRate.toFixed(1)} req/s; the full sync would take ~${((full.requests / seqRate) / 60).toFixed(0)} min`),
    row('adaptive ÷ sequential throughput', (fullRate / seqRate).toFixed(1), ''),
    row('CPU pipeline ÷ bare parse+stringify', cpu.ratio.toFixed(2), `${cpu.pipelineMbPerSecond.toFixed(0)} vs ${cpu.bareMbPerSecond.toFixed(0)} MB/s`),
    row('CPU pipeline, 3 hashed fields ÷ bare', cpu.hashedRatio.toFixed(2), `${cpu.hashedMbPerSecond.toFixed(0)} MB/s; ${HASHED_FIELDS.join(', ')}, salted`),
    ...memory.map((m, i) => row(`peak RSS, ${memorySizes[i]} contacts`, `${m.peakRssMb.toFixed(0)} MB`, `${m.records} records`)),
    row('relay deliveries per second (durable 200)', relay.deliveries_per_s.toFixed(0), `${relay.acknowledged} of ${relay.deliveries} acknowledged, ${relay.concurrency} senders; aim 2500/s`),
    row('relay p99 answer time', `${relay.p99_ms.toFixed(1)} ms`, `p50 ${relay.p50_ms.toFixed(1)} ms; aim under 500 ms`),
    row('RSS growth, largest ÷ smallest', (memory[memory.length - 1]!.peakRssMb / memory[0]!.peakRssMb).toFixed(2), `${memorySizes[memorySizes.length - 1]! / memorySizes[0]!}x the contacts`),
    ...syncRows(intoDuckdb),
  ];
  process.stdout.write(lines.join('\n') + '\n');
  if (full.exitCode !== 0) {
    log('the full sync did not succeed');
    process.exitCode = 1;
  }
  if (intoDuckdb.failures.length) {
    for (const failure of intoDuckdb.failures) log(failure);
    process.exitCode = 1;
  }
}

/** `sync` into DuckDB: the destination's throughput, `sync` ÷ `read`, and `sync`'s memory as the workspace grows. */
async function syncIntoDuckdb(latency: { mean: number; jitter: number; perMinute: number }): Promise<SyncBenchResult> {
  const contacts = smoke ? 1_000 : 20_000;
  const memorySizes = smoke ? [1_000, 4_000] : large ? [50_000, 500_000] : [5_000, 50_000];
  log(`sync into DuckDB: read ÷ sync at ${contacts} contacts (no latency, then ${latency.mean} ± ${latency.jitter} ms), destination throughput, sync memory at ${memorySizes.join(' and ')} contacts ...`);
  return measureSync({ dir, contacts, memorySizes, latency, log });
}

function syncRows(s: SyncBenchResult): string[] {
  const first = s.memory[0]!;
  const last = s.memory[s.memory.length - 1]!;
  return [
    row('destination records per second', s.destinationRecordsPerSecond.toFixed(0), `${s.records} recorded records in ${s.destinationSeconds.toFixed(1)} s; read makes ${s.readRecordsPerSecond.toFixed(0)}/s`),
    row('destination ÷ read records per second', (s.destinationRecordsPerSecond / s.readRecordsPerSecond).toFixed(2), 'above 1: the destination keeps up with the source'),
    row('sync ÷ read wall time', s.syncOverRead.toFixed(3), `${s.syncSeconds.toFixed(2)} vs ${s.readSeconds.toFixed(2)} s (read to /dev/null), target ≤ 1.15`),
    row(
      'sync ÷ read wall time, with latency',
      s.latency.syncOverRead.toFixed(3),
      `${s.latency.syncSeconds.toFixed(2)} vs ${s.latency.readSeconds.toFixed(2)} s at the workspace's latency and limit, target ≤ 1.15`,
    ),
    ...s.memory.map((m) => row(`sync ÷ read wall time, ${m.contacts} contacts`, (m.seconds / m.readSeconds).toFixed(3), `${m.seconds.toFixed(1)} vs ${m.readSeconds.toFixed(1)} s, contacts only`)),
    ...s.memory.map((m) => row(`sync peak RSS, ${m.contacts} contacts`, `${m.peakRssMb.toFixed(0)} MB`, `${m.seconds.toFixed(1)} s; target ≤ 300 MB`)),
    row('sync RSS growth, largest ÷ smallest', (last.peakRssMb / first.peakRssMb).toFixed(2), `${last.contacts / first.contacts}x the contacts`),
  ];
}

main().catch((err: unknown) => {
  log(`bench failed: ${err instanceof Error ? err.stack : String(err)}`);
  process.exit(1);
});
