import { PassThrough } from 'node:stream';
import { setFlagsFromString } from 'node:v8';
import type { Config } from '../config/config.js';
import { discoverStreams, loadAttributes } from '../engine/discover.js';
import { runRead } from '../engine/read.js';
import { fetchWorkspace } from '../engine/workspace.js';
import { configureCatalog } from '../protocol/catalog.js';
import { Output } from '../protocol/output.js';
import { parseInputState } from '../protocol/state.js';
import type { JsonObject } from '../protocol/types.js';
import { STREAMS } from '../streams/registry.js';
import { connect } from './connect.js';
import { assertDestinationInstalled, loadDestination, type WriteSummary } from './destination.js';
import { readBindings } from './readers.js';

export interface SyncOptions {
  config: Config;
  database: string;
  /** Stream names to sync; all when absent. */
  streams?: string[];
  fullRefresh: boolean;
  /** Where progress, warnings and the summary go. */
  stderr: NodeJS.WritableStream;
  /** Secrets to keep out of everything written to stderr. */
  secrets: string[];
}

/**
 * `sync`: discover, read and write into DuckDB in one process, resuming from
 * the state the database holds, so running it again is an incremental sync.
 * The source's messages flow through an in-process pipe of text chunks with
 * backpressure: the read runs no further ahead than the destination takes
 * lines, and no line is encoded to bytes and decoded again on the way.
 */
export async function runSync(options: SyncOptions): Promise<number> {
  const { config, stderr } = options;
  // The read's garbage and DuckDB's buffers share this one process: a heap that grows by half of
  // what survives (not the default of up to four times) cut a 500,000-contact sync's peak memory
  // by 140 MB, for about a tenth more CPU in the read. `read` alone keeps V8's default.
  setFlagsFromString('--heap-growing-percent=50');
  // Object mode: the Output's chunks of lines pass as the strings they are.
  const pipe = new PassThrough({ objectMode: true, highWaterMark: 16 });
  const output = new Output(pipe);
  for (const secret of options.secrets) output.redactor.add(secret);
  const say = (text: string): void => void stderr.write(`${output.redactor.redact(text)}\n`);
  // Before any request: the requests below would otherwise keep a failed `sync` alive until they end.
  assertDestinationInstalled();
  const started = Date.now();
  output.startAutoFlush();
  const client = connect(config, output);
  // Asked for at once, so that `sync` is no slower to its first page than `read`: the workspace (which
  // the read needs) and the custom attributes (which the catalog and the read need) wait on Intercom
  // while the DuckDB library loads from disk and the database gives its saved state.
  const workspace = fetchWorkspace(client);
  // The read awaits it and reports its failure; a sync that fails before the read leaves it unawaited.
  workspace.catch(() => undefined);
  const [{ destination, destinationConfig, saved }, attributes] = await Promise.all([
    loadDestination().then(async (destination) => {
      const destinationConfig = destination.parseConfig({ database: options.database });
      return { destination, destinationConfig, saved: options.fullRefresh ? [] : await destination.loadSavedState(destinationConfig) };
    }),
    loadAttributes(client, STREAMS, (m) => say(`WARN ${m}`)),
  ]);
  const streams = await discoverStreams(client, config, STREAMS, (m) => say(`WARN ${m}`), attributes);
  const catalog = configureCatalog(streams, options.streams ?? null, options.fullRefresh ? 'full_refresh' : 'incremental');
  const state = parseInputState(saved, options.database);
  say(`Syncing ${catalog.streams.length} streams into ${options.database}${saved.length ? ` (incremental, from the state of ${saved.length} streams)` : ' (full)'}.`);

  const failures: string[] = [];
  const reading = runRead({ config, catalog, state, output, client, preloaded: { attributes, workspace }, ...readBindings(config) })
    .finally(async () => {
      await output.close();
      pipe.end();
    });
  const writing = destination.writeMessages({
    config: destinationConfig,
    catalog,
    input: watch(pipe, (line) => failures.push(line), say),
    log: (level, message) => {
      if (level !== 'INFO' && level !== 'DEBUG' && level !== 'TRACE') say(`${level} ${message}`);
    },
  });
  // A failed write ends the read too: its next write into the closed pipe fails its streams at once.
  writing.catch(() => pipe.destroy());
  const [readOk, summary] = await Promise.all([reading, writing]);
  say(describeSummary(summary, options.database, Date.now() - started, client.stats().sent, failures));
  return readOk ? 0 : 1;
}

/** The lines of the Output's chunks (each a run of whole lines, each ending in a newline). */
async function* linesOf(pipe: PassThrough): AsyncIterable<string> {
  for await (const chunk of pipe as AsyncIterable<string>) {
    const lines = chunk.split('\n');
    lines.pop();
    yield* lines;
  }
}

/**
 * Passes every line on, and shows on stderr what a person running `sync`
 * should see: warnings, errors, progress. Lines are split only once the
 * destination asks for the first one: until then the pipe holds the read back.
 */
async function* watch(pipe: PassThrough, onError: (message: string) => void, say: (text: string) => void): AsyncIterable<string> {
  for await (const line of linesOf(pipe)) {
    if (line.startsWith('{"type":"LOG"') || line.startsWith('{"type":"TRACE"')) {
      const message = JSON.parse(line) as JsonObject;
      const log = message.log as { level: string; message: string } | undefined;
      const error = (message.trace as { error?: { message: string; stream_descriptor?: { name: string } } } | undefined)?.error;
      if (log && (log.level !== 'INFO' || log.message.startsWith('Progress:'))) say(`${log.level} ${log.message}`);
      if (error) {
        const text = `${error.stream_descriptor ? `${error.stream_descriptor.name}: ` : ''}${error.message}`;
        onError(text);
        say(`ERROR ${text}`);
      }
    }
    yield line;
  }
}

function describeSummary(summary: WriteSummary, database: string, ms: number, requests: number, failures: string[]): string {
  const names = Object.keys(summary.records).sort();
  const width = Math.max(6, ...names.map((n) => n.length));
  const rows = names.map((n) => `  ${n.padEnd(width)}  ${String(summary.records[n] ?? 0).padStart(9)}  ${String(summary.tombstones[n] ?? 0).padStart(10)}`);
  return [
    `Sync ${failures.length ? 'ended with errors' : 'finished'} in ${(ms / 1000).toFixed(1)} s: ${requests} requests; database ${database}` +
      (summary.models.length ? `; ${summary.models.length} models built` : ''),
    `  ${'stream'.padEnd(width)}  ${'records'.padStart(9)}  ${'tombstones'.padStart(10)}`,
    ...rows,
    ...failures.map((f) => `  error: ${f}`),
  ].join('\n');
}
