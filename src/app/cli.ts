import { readFile } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import { PassThrough, type Writable } from 'node:stream';
import { configWarnings, parseConfig, secretValues, type Config } from '../config/config.js';
import { connectorSpec } from '../config/spec.js';
import { discoverStreams } from '../engine/discover.js';
import { runRead } from '../engine/read.js';
import { IntercomApiError, TransportError } from '../http/errors.js';
import { configureCatalog, parseConfiguredCatalog } from '../protocol/catalog.js';
import { asConnectorError, ConfigError } from '../protocol/errors.js';
import { Output } from '../protocol/output.js';
import { lastStates, parseInputState } from '../protocol/state.js';
import type { SyncMode } from '../protocol/types.js';
import { STREAMS } from '../streams/registry.js';
import { checkConnection } from './check.js';
import { connect } from './connect.js';
import { loadDestination } from './destination.js';
import { readBindings } from './readers.js';
import { runSync } from './sync.js';
import { packageVersion, USAGE } from './usage.js';

type Command = 'spec' | 'check' | 'discover' | 'read' | 'catalog' | 'state' | 'sync' | 'query' | 'help' | 'version';

type FileFlag = 'config' | 'catalog' | 'state' | 'database';

interface Invocation {
  command: Command;
  files: { config?: string; catalog?: string; state?: string; database?: string };
  /** `catalog --streams a,b`, `sync --streams a,b`. */
  streams?: string[];
  /** `catalog --mode`; `sync --full-refresh` is full_refresh. */
  mode?: SyncMode;
  /** `query`'s statement. */
  sql?: string;
}

/** Where the helper commands read and write plain text. */
export interface Terminal {
  stdin: NodeJS.ReadableStream;
  stdout: Writable;
  stderr: Writable;
}

const PROCESS_TERMINAL: Terminal = { stdin: process.stdin, stdout: process.stdout, stderr: process.stderr };

/**
 * Runs one protocol command and resolves with the process exit code. Every
 * failure becomes an ERROR trace with a failure type; nothing is thrown.
 */
export async function main(argv: string[], output?: Output, terminal: Terminal = PROCESS_TERMINAL): Promise<number> {
  let invocation: Invocation | null = null;
  try {
    invocation = parseArgs(argv);
  } catch (err) {
    if (!isHelperArgv(argv)) return protocolFailure(output ?? new Output(terminal.stdout, undefined, terminal.stderr), err);
    terminal.stderr.write(`source-intercom: ${asConnectorError(err).message}\n`);
    return 2;
  }
  if (HELPERS.has(invocation.command)) return runHelper(invocation, terminal);
  // The process's own output echoes errors and the read summary to stderr; a caller's Output decides for itself.
  const out = output ?? new Output(terminal.stdout, undefined, terminal.stderr);
  out.startAutoFlush();
  let code: number;
  try {
    code = await run(invocation, out);
  } catch (err) {
    out.error(asConnectorError(err));
    code = 1;
  }
  await out.close();
  return code;
}

/** Commands for a person at a terminal: plain text out, errors on stderr, no protocol messages. */
const HELPERS = new Set<Command>(['catalog', 'state', 'sync', 'query', 'help', 'version']);

function isHelperArgv(argv: string[]): boolean {
  return argv[0] !== undefined && (HELPERS.has(argv[0] as Command) || HELP_WORDS.has(argv[0]) || argv[0] === '--version');
}

async function protocolFailure(output: Output, err: unknown): Promise<number> {
  output.error(asConnectorError(err));
  await output.close();
  return 1;
}

async function runHelper(invocation: Invocation, terminal: Terminal): Promise<number> {
  try {
    switch (invocation.command) {
      case 'help':
        terminal.stdout.write(USAGE);
        return 0;
      case 'version':
        terminal.stdout.write(`source-intercom ${packageVersion()}\n`);
        return 0;
      case 'catalog':
        return await printCatalog(invocation, terminal);
      case 'sync':
        return await syncIntoDuckDb(invocation, terminal);
      case 'query':
        return await printQuery(invocation, terminal);
      default:
        return await printState(terminal);
    }
  } catch (err) {
    terminal.stderr.write(`source-intercom ${invocation.command}: ${asConnectorError(err).message}\n`);
    return 1;
  }
}

/** `catalog`: discover, then a configured catalog of the chosen streams, as read takes it. */
async function printCatalog(invocation: Invocation, terminal: Terminal): Promise<number> {
  const rawConfig = await readJson(invocation.files.config!, 'config');
  const silent = new Output(new PassThrough().resume());
  for (const secret of secretValues(rawConfig)) silent.redactor.add(secret);
  const warn = (m: string): void => {
    terminal.stderr.write(`${silent.redactor.redact(m)}\n`);
  };
  for (const w of configWarnings(rawConfig)) warn(w);
  const config = parseConfig(rawConfig);
  const streams = await discoverStreams(connect(config, silent), config, STREAMS, warn);
  const catalog = configureCatalog(streams, invocation.streams ?? null, invocation.mode ?? 'incremental');
  terminal.stdout.write(`${JSON.stringify(catalog, null, 2)}\n`);
  terminal.stderr.write(`${catalog.streams.length} streams: ${catalog.streams.map((s) => `${s.stream.name} (${s.sync_mode})`).join(', ')}\n`);
  return 0;
}

/** `sync`: the whole job into a DuckDB file, resumed from the state the file holds. */
async function syncIntoDuckDb(invocation: Invocation, terminal: Terminal): Promise<number> {
  const rawConfig = await readJson(invocation.files.config!, 'config');
  const secrets = secretValues(rawConfig);
  for (const w of configWarnings(rawConfig)) terminal.stderr.write(`WARN ${w}\n`);
  return runSync({
    config: parseConfig(rawConfig),
    database: invocation.files.database ?? 'intercom.duckdb',
    ...(invocation.streams ? { streams: invocation.streams } : {}),
    fullRefresh: invocation.mode === 'full_refresh',
    stderr: terminal.stderr,
    secrets,
  });
}

/** `query`: one SQL statement on a DuckDB file, printed as a table. */
async function printQuery(invocation: Invocation, terminal: Terminal): Promise<number> {
  const destination = await loadDestination();
  const result = await destination.runQuery(invocation.files.database!, invocation.sql!);
  terminal.stdout.write(`${destination.formatTable(result.rows, result.columns)}\n`);
  return 0;
}

/** `state`: the last state of each stream of a read's output, for the next read's --state. */
async function printState(terminal: Terminal): Promise<number> {
  const lines: string[] = [];
  const reader = createInterface({ input: terminal.stdin, crlfDelay: Infinity });
  for await (const line of reader) lines.push(line);
  const { states, skipped } = lastStates(lines);
  if (skipped > 0) terminal.stderr.write(`Skipped ${skipped} lines that are not JSON.\n`);
  if (states.length === 0) {
    terminal.stderr.write('No STATE message found on stdin: pipe in the stdout of a read (source-intercom state < read-output.jsonl).\n');
    return 1;
  }
  terminal.stdout.write(`${JSON.stringify(states, null, 2)}\n`);
  terminal.stderr.write(`States of ${states.length} streams.\n`);
  return 0;
}

async function run(invocation: Invocation, output: Output): Promise<number> {
  const { command, files } = invocation;
  if (command === 'spec') {
    output.spec(connectorSpec);
    return 0;
  }
  const rawConfig = await readJson(files.config!, 'config');
  for (const secret of secretValues(rawConfig)) output.redactor.add(secret);
  for (const warning of configWarnings(rawConfig)) output.log('WARN', warning);

  if (command === 'check') {
    // A config or connection problem is a FAILED status, not a crash: the user can fix it.
    try {
      const config = parseConfig(rawConfig);
      const message = await checkConnection(connect(config, output, { maxAttempts: 2 }), config);
      output.connectionStatus('SUCCEEDED', message);
    } catch (err) {
      const e = asConnectorError(err);
      // Any answer of the API (or none) is something the user can act on; only a bug is a crash.
      const fromApi = e instanceof IntercomApiError || e instanceof TransportError;
      if (e.failureType === 'system_error' && !fromApi) throw e;
      const message = fromApi && e.failureType === 'system_error' ? `${e.message}. Check the config fields 'api_base_url' and 'region'.` : e.message;
      output.connectionStatus('FAILED', message);
      output.say(`Connection check FAILED: ${message}`);
    }
    return 0;
  }

  const config: Config = parseConfig(rawConfig);
  if (command === 'discover') {
    const streams = await discoverStreams(connect(config, output), config, STREAMS, (m) => output.log('WARN', m));
    output.catalog(streams);
    return 0;
  }

  const catalog = parseConfiguredCatalog(await readJson(files.catalog!, 'catalog'), files.catalog!);
  const state = files.state ? parseInputState(await readJson(files.state, 'state'), files.state) : new Map();
  const client = connect(config, output);
  const ok = await runRead({ config, catalog, state, output, client, ...readBindings(config) });
  return ok ? 0 : 1;
}

const HELP_WORDS = new Set(['help', '--help', '-h']);

function parseArgs(argv: string[]): Invocation {
  const [first, ...rest] = argv;
  if (first !== undefined && (HELP_WORDS.has(first) || rest.some((a) => HELP_WORDS.has(a) && a !== 'help'))) return { command: 'help', files: {} };
  if (first === '--version' || first === 'version') return { command: 'version', files: {} };
  const commands: Command[] = ['spec', 'check', 'discover', 'read', 'catalog', 'state', 'sync', 'query'];
  if (!first || !commands.includes(first as Command)) {
    throw new ConfigError(first ? `Unknown command '${first}'. ${SHORT_USAGE}` : `No command given. ${SHORT_USAGE}`);
  }
  const command = first as Command;
  const allowed: Record<string, string[]> = {
    spec: [],
    check: ['config'],
    discover: ['config'],
    read: ['config', 'catalog', 'state'],
    catalog: ['config', 'streams', 'mode'],
    state: [],
    sync: ['config', 'database', 'streams', 'full-refresh'],
    query: ['database'],
  };
  const invocation: Invocation = { command, files: {} };
  for (let i = 0; i < rest.length; i++) {
    const flag = rest[i]!;
    const name = flag.replace(/^--/, '');
    if (command === 'query' && !flag.startsWith('--') && invocation.sql === undefined) {
      invocation.sql = flag;
      continue;
    }
    if (!flag.startsWith('--') || !allowed[command]!.includes(name)) throw new ConfigError(`Unknown argument '${flag}' for '${command}'. ${SHORT_USAGE}`);
    if (name === 'full-refresh') {
      invocation.mode = 'full_refresh';
      continue;
    }
    const value = rest[i + 1];
    if (value === undefined || value.startsWith('--')) throw new ConfigError(`${flag} needs a value. ${SHORT_USAGE}`);
    i += 1;
    if (name === 'streams') invocation.streams = value.split(',').map((v) => v.trim()).filter((v) => v !== '');
    else if (name === 'mode') {
      if (value !== 'incremental' && value !== 'full_refresh') throw new ConfigError(`--mode must be incremental or full_refresh, not '${value}'.`);
      invocation.mode = value;
    } else invocation.files[name as FileFlag] = value;
  }
  const needs: Record<Command, FileFlag[]> = {
    spec: [],
    check: ['config'],
    discover: ['config'],
    read: ['config', 'catalog'],
    catalog: ['config'],
    state: [],
    sync: ['config'],
    query: ['database'],
    help: [],
    version: [],
  };
  for (const required of needs[command]) {
    if (!invocation.files[required]) throw new ConfigError(`'${command}' needs --${required} FILE. ${SHORT_USAGE}`);
  }
  if (command === 'query' && !invocation.sql) throw new ConfigError(`'query' needs one SQL statement in quotes. ${SHORT_USAGE}`);
  return invocation;
}

const SHORT_USAGE = 'Usage: source-intercom spec | check --config FILE | discover --config FILE | read --config FILE --catalog FILE [--state FILE] | catalog --config FILE | state | sync --config FILE | query --database FILE SQL; --help for more.';

async function readJson(path: string, what: string): Promise<unknown> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'it does not exist' : code === 'EACCES' ? 'permission denied' : code === 'EISDIR' ? 'it is a directory' : (err as Error).message;
    throw new ConfigError(`Cannot read the ${what} file ${path}: ${why}.`);
  }
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new ConfigError(`The ${what} file ${path} is not valid JSON: ${describeJsonError(text, err as Error)}.`);
  }
}

/**
 * Where and why JSON.parse failed, without quoting the text: the file may hold
 * a secret, and an unparsable file cannot say which of its strings are secret.
 */
export function describeJsonError(text: string, err: Error): string {
  // V8 appends the text around the error after a comma and a quote; keep only what comes before.
  const reason = err.message.replace(/,?\s*".*$/s, '').replace(/\s*in JSON at position \d+.*$/s, '').replace(/'[^']{2,}'/g, '').trim();
  const position = /at position (\d+)/.exec(err.message)?.[1];
  if (position === undefined) return reason || 'it cannot be parsed';
  const before = text.slice(0, Number(position));
  const line = before.split('\n').length;
  const column = Number(position) - before.lastIndexOf('\n');
  return `${reason || 'it cannot be parsed'} at line ${line}, column ${column}`;
}
