/**
 * `npm run demo`: a full sync of the bundled simulated Intercom workspace,
 * the way Airbyte runs the connector: spec, check, discover, then read of
 * every stream, then an incremental read from the saved state. Messages go
 * to files under .demo/; a readable summary goes to stderr.
 *
 * `npm run demo -- --config FILE` does the same against a real workspace.
 */
import { spawn } from 'node:child_process';
import { createWriteStream, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve, sep } from 'node:path';
import { createInterface } from 'node:readline';
import { startSimulator, type Simulator } from 'intercom-simulator';
import { CONNECTOR_CLI as CLI, type AirbyteMessage } from '../connector.js';

const OUT_DIR = resolve('.demo');

interface StepResult {
  code: number | null;
  counts: Map<string, number>;
  statuses: Map<string, string>;
  lastState: Map<string, unknown>;
  lines: AirbyteMessage[];
  seconds: number;
}

function say(line = ''): void {
  process.stderr.write(line + '\n');
}

/** Runs one CLI command, writing its messages to a file and tallying them. */
function runStep(name: string, args: string[], keep = false): Promise<StepResult> {
  const started = Date.now();
  const file = createWriteStream(join(OUT_DIR, `${name}.jsonl`));
  const child = spawn(process.execPath, [CLI, ...args], { stdio: ['ignore', 'pipe', 'inherit'] });
  const result: StepResult = { code: null, counts: new Map(), statuses: new Map(), lastState: new Map(), lines: [], seconds: 0 };
  createInterface({ input: child.stdout }).on('line', (line) => {
    file.write(line + '\n');
    const m = JSON.parse(line) as AirbyteMessage;
    if (keep || m.type !== 'RECORD') result.lines.push(m);
    if (m.type === 'RECORD') result.counts.set(m.record.stream, (result.counts.get(m.record.stream) ?? 0) + 1);
    if (m.type === 'STATE') result.lastState.set(m.state.stream.stream_descriptor.name, m.state);
    if (m.type === 'TRACE' && m.trace.type === 'STREAM_STATUS') result.statuses.set(m.trace.stream_status.stream_descriptor.name, m.trace.stream_status.status);
    if (m.type === 'TRACE' && m.trace.type === 'ERROR') say(`  error: ${m.trace.error.message}`);
  });
  return new Promise((done) =>
    child.on('close', (code) => {
      file.end();
      result.code = code;
      result.seconds = (Date.now() - started) / 1000;
      done(result);
    }),
  );
}

function table(streams: string[], full: StepResult, incremental: StepResult): void {
  const width = Math.max(...streams.map((s) => s.length));
  say(`  ${'stream'.padEnd(width)}  ${'full sync'.padStart(9)}  ${'incremental'.padStart(11)}  status`);
  for (const s of streams) {
    say(
      `  ${s.padEnd(width)}  ${String(full.counts.get(s) ?? 0).padStart(9)}  ${String(incremental.counts.get(s) ?? 0).padStart(11)}  ${full.statuses.get(s) ?? '-'}`,
    );
  }
}

async function main(): Promise<void> {
  const configArg = process.argv.indexOf('--config');
  const userConfig = configArg >= 0 && process.argv[configArg + 1] ? resolve(process.argv[configArg + 1]!) : null;
  // Files of an earlier demo would mix with this one's; a config the user keeps in the folder is spared.
  if (!userConfig?.startsWith(OUT_DIR + sep)) rmSync(OUT_DIR, { recursive: true, force: true });
  mkdirSync(OUT_DIR, { recursive: true });
  let sim: Simulator | null = null;
  let configPath: string;
  if (configArg >= 0 && process.argv[configArg + 1]) {
    configPath = resolve(process.argv[configArg + 1]!);
    say(`Syncing the Intercom workspace of ${configPath}`);
  } else {
    sim = await startSimulator({ seed: 1 });
    configPath = join(OUT_DIR, 'config.json');
    writeFileSync(configPath, JSON.stringify({ access_token: 'sim-token', start_date: '2024-01-01T00:00:00Z', api_base_url: sim.url }, null, 2));
    say(`Simulated Intercom workspace listening on ${sim.url} (seed 1)`);
  }
  const started = Date.now();
  try {
    await runStep('spec', ['spec']);
    const check = await runStep('check', ['check', '--config', configPath]);
    const status = check.lines.find((m) => m.type === 'CONNECTION_STATUS')?.connectionStatus;
    say(`check: ${status?.status} ${status?.message ?? ''}`);
    if (status?.status !== 'SUCCEEDED') process.exit(1);

    const discover = await runStep('discover', ['discover', '--config', configPath]);
    const streams = discover.lines.find((m) => m.type === 'CATALOG')?.catalog.streams;
    if (!streams) throw new Error('discover printed no catalog');
    say(`discover: ${streams.length} streams`);
    const catalogPath = join(OUT_DIR, 'configured_catalog.json');
    writeFileSync(
      catalogPath,
      JSON.stringify({
        streams: streams.map((stream) => {
          const incremental = stream.supported_sync_modes.includes('incremental');
          return { stream, sync_mode: incremental ? 'incremental' : 'full_refresh', destination_sync_mode: incremental ? 'append_dedup' : 'overwrite' };
        }),
      }),
    );

    const full = await runStep('read', ['read', '--config', configPath, '--catalog', catalogPath]);
    const statePath = join(OUT_DIR, 'state.json');
    writeFileSync(statePath, JSON.stringify([...full.lastState.values()], null, 2));
    const incremental = await runStep('read-incremental', ['read', '--config', configPath, '--catalog', catalogPath, '--state', statePath]);

    say();
    table(streams.map((s) => s.name), full, incremental);
    const total = [...full.counts.values()].reduce((a, b) => a + b, 0);
    say();
    say(`full sync: ${total} records in ${full.seconds.toFixed(1)} s (exit ${full.code}); incremental sync: ${[...incremental.counts.values()].reduce((a, b) => a + b, 0)} records in ${incremental.seconds.toFixed(1)} s (exit ${incremental.code})`);
    if (sim) say(`requests answered by the simulator: ${sim.stats.total}`);
    say(`everything took ${((Date.now() - started) / 1000).toFixed(1)} s; messages are in ${OUT_DIR}/ (read.jsonl, state.json, ...)`);
    if (full.code !== 0 || incremental.code !== 0) process.exitCode = 1;
  } finally {
    await sim?.close();
  }
}

main().catch((err: unknown) => {
  say(`demo failed: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
