import { readFile } from 'node:fs/promises';
import { parseConfig, secretValues } from '../config/config.js';
import { asConnectorError, ConfigError } from '../protocol/errors.js';
import { loadDestination } from './destination.js';
import { runSync } from './sync.js';

export const HUMAN_COMMANDS = ['sync', 'query'] as const;

export const HUMAN_USAGE = [
  'source-intercom sync --config FILE [--database intercom.duckdb] [--streams a,b] [--full-refresh]',
  'source-intercom query --database FILE "SQL"',
].join('\n  ');

/**
 * Commands for people rather than for Airbyte: their output is text, never
 * protocol messages. Errors are one line on stderr with what to fix, and a
 * non-zero exit.
 */
export async function runHumanCommand(argv: string[], stdout: NodeJS.WritableStream, stderr: NodeJS.WritableStream): Promise<number> {
  const secrets: string[] = [];
  try {
    const [command, ...rest] = argv;
    const { flags, positional } = parseFlags(rest, command === 'sync' ? ['config', 'database', 'streams'] : ['database'], ['full-refresh']);
    if (command === 'query') {
      const database = required(flags, 'database', command);
      if (positional.length !== 1) throw new ConfigError(`'query' takes one SQL statement in quotes. Usage:\n  ${HUMAN_USAGE}`);
      const destination = await loadDestination();
      const result = await destination.runQuery(database, positional[0]!);
      stdout.write(`${destination.formatTable(result.rows, result.columns)}\n`);
      return 0;
    }
    if (positional.length) throw new ConfigError(`Unexpected argument '${positional[0]}'. Usage:\n  ${HUMAN_USAGE}`);
    const configPath = required(flags, 'config', 'sync');
    const raw = await readConfig(configPath);
    secrets.push(...secretValues(raw));
    return await runSync({
      config: parseConfig(raw),
      database: typeof flags.database === 'string' ? flags.database : 'intercom.duckdb',
      ...(typeof flags.streams === 'string' ? { streams: flags.streams.split(',').map((s) => s.trim()).filter(Boolean) } : {}),
      fullRefresh: flags['full-refresh'] === true,
      stderr,
      secrets,
    });
  } catch (err) {
    const e = asConnectorError(err);
    const message = secrets.reduce((t, s) => (s ? t.split(s).join('***') : t), e.message);
    stderr.write(`Error (${e.failureType}): ${message}\n`);
    return 1;
  }
}

function parseFlags(args: string[], valued: string[], switches: string[]): { flags: Record<string, string | true>; positional: string[] } {
  const flags: Record<string, string | true> = {};
  const positional: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (!arg.startsWith('--')) {
      positional.push(arg);
      continue;
    }
    const name = arg.slice(2);
    if (switches.includes(name)) {
      flags[name] = true;
    } else if (valued.includes(name)) {
      const value = args[i + 1];
      if (value === undefined || value.startsWith('--')) throw new ConfigError(`${arg} needs a value. Usage:\n  ${HUMAN_USAGE}`);
      flags[name] = value;
      i += 1;
    } else {
      throw new ConfigError(`Unknown argument '${arg}'. Usage:\n  ${HUMAN_USAGE}`);
    }
  }
  return { flags, positional };
}

function required(flags: Record<string, string | true>, name: string, command: string): string {
  const value = flags[name];
  if (typeof value !== 'string') throw new ConfigError(`'${command}' needs --${name}. Usage:\n  ${HUMAN_USAGE}`);
  return value;
}

async function readConfig(path: string): Promise<unknown> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch {
    throw new ConfigError(`Cannot read the config file ${path}.`);
  }
  try {
    return JSON.parse(text);
  } catch {
    throw new ConfigError(`The config file ${path} is not valid JSON.`);
  }
}
