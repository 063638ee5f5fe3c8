#!/usr/bin/env -S MALLOC_MMAP_THRESHOLD_=131072 node
// glibc's mmap threshold stays fixed, so freed large blocks go back to the system at once (see the README's Memory).
import { readFileSync } from 'node:fs';
import { checkConfig } from './check.js';
import { parseConfig, SPEC, type DestinationConfig } from './config.js';
import { DestinationError, describeError } from './errors.js';
import { buildModels } from './models.js';
import { errorTrace, logMessage, type AirbyteMessage, type FailureType } from './protocol.js';
import { formatTable, runQuery } from './query.js';
import { writeMessages } from './writer.js';

const USAGE = `usage:
  destination-duckdb spec
  destination-duckdb check --config config.json
  destination-duckdb write --config config.json --catalog configured_catalog.json [--commit-every N]  < messages.jsonl
  destination-duckdb models --config config.json
  destination-duckdb query --database intercom.duckdb "SELECT ..."`;

function emit(message: AirbyteMessage): void {
  process.stdout.write(`${JSON.stringify(message)}\n`);
}

function option(args: string[], name: string): string | undefined {
  const i = args.indexOf(name);
  if (i === -1) return undefined;
  const value = args[i + 1];
  if (value === undefined || value.startsWith('--')) throw new DestinationError(`${name} needs a value`, 'config_error');
  return value;
}

function readJsonFile(path: string | undefined, what: string): unknown {
  if (path === undefined) throw new DestinationError(`--${what} F is required\n${USAGE}`, 'config_error');
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new DestinationError(`cannot read ${what} file "${path}": ${describeError(error)}`, 'config_error');
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new DestinationError(`${what} file "${path}" is not JSON: ${describeError(error)}`, 'config_error');
  }
}

function loadConfig(args: string[]): DestinationConfig {
  return parseConfig(readJsonFile(option(args, '--config'), 'config'));
}

async function main(args: string[]): Promise<number> {
  const command = args[0];
  switch (command) {
    case 'spec':
      emit({ type: 'SPEC', spec: SPEC });
      return 0;
    case 'check': {
      let failure: string | undefined;
      try {
        failure = await checkConfig(loadConfig(args));
      } catch (error) {
        failure = describeError(error);
      }
      emit({ type: 'CONNECTION_STATUS', connectionStatus: failure === undefined ? { status: 'SUCCEEDED' } : { status: 'FAILED', message: failure } });
      return 0;
    }
    case 'write': {
      const config = loadConfig(args);
      const catalog = readJsonFile(option(args, '--catalog'), 'catalog');
      const every = option(args, '--commit-every');
      const commitEveryRecords = every === undefined ? undefined : Number(every);
      if (commitEveryRecords !== undefined && !(Number.isInteger(commitEveryRecords) && commitEveryRecords > 0)) {
        throw new DestinationError('--commit-every needs a positive integer (records per commit)', 'config_error');
      }
      const summary = await writeMessages({
        config,
        catalog,
        input: process.stdin,
        ...(commitEveryRecords === undefined ? {} : { commitEveryRecords, commitEveryMs: Number.MAX_SAFE_INTEGER, commitEveryBytes: Number.MAX_SAFE_INTEGER }),
        onState: (state) => emit({ type: 'STATE', state }),
        log: (level, message) => emit(logMessage(level, message)),
      });
      const streams = Object.entries(summary.records).map(([s, n]) => `${s}=${n}${summary.tombstones[s] ? ` (${summary.tombstones[s]} deleted)` : ''}`);
      emit(logMessage('INFO', `sync ${summary.syncId}: ${streams.join(', ') || 'no records'}; ${summary.states} states committed in ${summary.durationMs} ms`));
      return 0;
    }
    case 'models': {
      const config = loadConfig(args);
      const built = await buildModels(config, (level, message) => emit(logMessage(level, message)));
      process.stderr.write(`built ${built.length} models in ${config.database}\n`);
      return 0;
    }
    case 'query': {
      const database = option(args, '--database') ?? 'intercom.duckdb';
      const rest = args.slice(1).filter((a, i, all) => a !== '--database' && all[i - 1] !== '--database');
      const sql = rest.join(' ').trim();
      if (sql === '') throw new DestinationError(`query needs SQL\n${USAGE}`, 'config_error');
      const result = await runQuery(database, sql);
      process.stdout.write(`${formatTable(result.rows, result.columns)}\n`);
      return 0;
    }
    default:
      process.stderr.write(`${USAGE}\n`);
      return command === undefined || command === '--help' || command === 'help' ? 0 : 2;
  }
}

function fail(error: unknown): void {
  const failureType: FailureType = error instanceof DestinationError ? error.failureType : 'system_error';
  const message = describeError(error);
  process.stderr.write(`destination-duckdb: ${message}\n`);
  if (process.argv[2] !== 'query') emit(errorTrace(message, failureType));
  process.exitCode = 1;
}

main(process.argv.slice(2)).then(
  (code) => {
    if (process.exitCode === undefined) process.exitCode = code;
  },
  fail,
);
