import { readFile } from 'node:fs/promises';
import { parseConfig, secretValues, type Config } from '../config/config.js';
import { connectorSpec } from '../config/spec.js';
import { discoverStreams } from '../engine/discover.js';
import { runRead } from '../engine/read.js';
import { parseConfiguredCatalog } from '../protocol/catalog.js';
import { asConnectorError, ConfigError } from '../protocol/errors.js';
import { Output } from '../protocol/output.js';
import { parseInputState } from '../protocol/state.js';
import { DELETED_LISTS, STREAMS, WEBHOOK_TOPICS } from '../streams/registry.js';
import { checkConnection } from './check.js';
import { connect } from './connect.js';
import { HUMAN_COMMANDS, runHumanCommand } from './human-commands.js';
import { checkpointEvery, deleteFeeds, sourceReaders } from './readers.js';

const USAGE = 'Usage: source-intercom spec | check --config FILE | discover --config FILE | read --config FILE --catalog FILE [--state FILE]';

type Command = 'spec' | 'check' | 'discover' | 'read';

interface Invocation {
  command: Command;
  files: { config?: string; catalog?: string; state?: string };
}

/**
 * Runs one protocol command and resolves with the process exit code. Every
 * failure becomes an ERROR trace with a failure type; nothing is thrown.
 */
export async function main(argv: string[], output = new Output(process.stdout)): Promise<number> {
  if ((HUMAN_COMMANDS as readonly string[]).includes(argv[0] ?? '')) return runHumanCommand(argv, process.stdout, process.stderr);
  output.startAutoFlush();
  let code: number;
  try {
    code = await run(parseArgs(argv), output);
  } catch (err) {
    const e = asConnectorError(err);
    output.error(e);
    code = 1;
  }
  await output.close();
  return code;
}

async function run(invocation: Invocation, output: Output): Promise<number> {
  const { command, files } = invocation;
  if (command === 'spec') {
    output.spec(connectorSpec);
    return 0;
  }
  const rawConfig = await readJson(files.config!, 'config');
  for (const secret of secretValues(rawConfig)) output.redactor.add(secret);

  if (command === 'check') {
    // A config or connection problem is a FAILED status, not a crash: the user can fix it.
    try {
      const config = parseConfig(rawConfig);
      const message = await checkConnection(connect(config, output, { maxAttempts: 2 }), config);
      output.connectionStatus('SUCCEEDED', message);
    } catch (err) {
      const e = asConnectorError(err);
      if (e.failureType === 'system_error') throw e;
      output.connectionStatus('FAILED', e.message);
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
  const ok = await runRead({
    config,
    catalog,
    state,
    output,
    client,
    streams: STREAMS,
    readers: sourceReaders(config),
    checkpointEvery: checkpointEvery(),
    feeds: deleteFeeds(config, STREAMS, DELETED_LISTS, WEBHOOK_TOPICS),
  });
  return ok ? 0 : 1;
}

function parseArgs(argv: string[]): Invocation {
  const [command, ...rest] = argv;
  if (!command || !['spec', 'check', 'discover', 'read'].includes(command)) {
    throw new ConfigError(command ? `Unknown command '${command}'. ${USAGE}` : `No command given. ${USAGE}`);
  }
  const files: Invocation['files'] = {};
  for (let i = 0; i < rest.length; i++) {
    const flag = rest[i]!;
    const name = flag.replace(/^--/, '');
    if (!flag.startsWith('--') || !['config', 'catalog', 'state'].includes(name)) throw new ConfigError(`Unknown argument '${flag}'. ${USAGE}`);
    const value = rest[i + 1];
    if (value === undefined || value.startsWith('--')) throw new ConfigError(`${flag} needs a file path. ${USAGE}`);
    files[name as keyof Invocation['files']] = value;
    i += 1;
  }
  const needs: Record<Command, Array<keyof Invocation['files']>> = {
    spec: [],
    check: ['config'],
    discover: ['config'],
    read: ['config', 'catalog'],
  };
  for (const required of needs[command as Command]) {
    if (!files[required]) throw new ConfigError(`'${command}' needs --${required} FILE. ${USAGE}`);
  }
  return { command: command as Command, files };
}

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
    throw new ConfigError(`The ${what} file ${path} is not valid JSON: ${(err as Error).message}.`);
  }
}
