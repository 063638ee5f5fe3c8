/**
 * `npm run demo`: the whole job against the bundled simulated Intercom
 * workspace. spec, check and discover as Airbyte runs them, then `sync` into
 * .demo/intercom.duckdb twice: a full sync, a few changes and deletes in the
 * workspace, and an incremental sync that picks them up. Then the top rows of
 * the admin metrics model. Messages and the database stay in .demo/.
 *
 * `npm run demo -- --config FILE` does the same against a real workspace
 * (without the changes in between).
 */
import { createWriteStream, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve, sep } from 'node:path';
import { createInterface } from 'node:readline';
import { startSimulator, type Simulator } from 'intercom-simulator';
import { CONNECTOR_CLI as CLI, spawnNode, type AirbyteMessage } from '../connector.js';

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
  const child = spawnNode(CLI, args, ['ignore', 'pipe', 'inherit']);
  const result: StepResult = { code: null, counts: new Map(), statuses: new Map(), lastState: new Map(), lines: [], seconds: 0 };
  createInterface({ input: child.stdout! }).on('line', (line) => {
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

/** Runs a human command of the CLI with its output on this terminal; resolves with its exit code. */
function runText(title: string, args: string[]): Promise<number | null> {
  say();
  say(`== ${title}: source-intercom ${args.join(' ')}`);
  const child = spawnNode(CLI, args, ['ignore', 'inherit', 'inherit']);
  return new Promise((done) => child.on('close', done));
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
    const database = join(OUT_DIR, 'intercom.duckdb');
    const full = await runText('sync (full)', ['sync', '--config', configPath, '--database', database]);
    if (sim) {
      // What happens in a workspace between two syncs: edits, a new reply, deletes.
      const store = sim.store;
      for (const id of store.ids('contacts').slice(0, 5)) store.updateContact(id);
      for (const id of store.ids('conversations').slice(0, 3)) store.addConversationPart(id);
      store.deleteConversation(store.ids('conversations')[10]!);
      store.deleteCatalogObject('tags', store.ids('tags')[0]!);
      say('changed 5 contacts and 3 conversations, deleted a conversation and a tag');
      await new Promise((done) => setTimeout(done, 1100));
    }
    const incremental = await runText('sync (incremental)', ['sync', '--config', configPath, '--database', database]);
    await runText('intercom__admin_metrics', [
      'query',
      '--database',
      database,
      'select admin_name, team_name, total_conversations_closed, median_time_to_first_response_time_minutes from intercom__admin_metrics order by total_conversations_closed desc limit 5',
    ]);
    say();
    if (sim) say(`requests answered by the simulator: ${sim.stats.total}`);
    say(`everything took ${((Date.now() - started) / 1000).toFixed(1)} s; the database is ${database}`);
    say(`look around: npx source-intercom query --database ${database} "select * from intercom__conversation_metrics limit 5"`);
    if (full !== 0 || incremental !== 0) process.exitCode = 1;
  } finally {
    await sim?.close();
  }
}

main().catch((err: unknown) => {
  say(`demo failed: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
