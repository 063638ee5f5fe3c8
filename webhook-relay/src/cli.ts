#!/usr/bin/env node
import { parseCommand, USAGE } from './cli-args.js';
import { RelayConfigError } from './errors.js';
import { startRelay, type RunningRelay } from './server.js';
import { RELAY_VERSION } from './version.js';

function fail(message: string, code: number): never {
  process.stderr.write(`intercom-webhook-relay: ${message}\n`);
  process.exit(code);
}

async function main(): Promise<void> {
  let command;
  try {
    command = parseCommand(process.argv.slice(2), process.env);
  } catch (error) {
    if (error instanceof RelayConfigError) fail(error.message, 2);
    throw error;
  }
  if (command.kind === 'help') {
    process.stdout.write(USAGE);
    return;
  }
  if (command.kind === 'version') {
    process.stdout.write(`${RELAY_VERSION}\n`);
    return;
  }
  let relay: RunningRelay;
  try {
    relay = await startRelay(command.options);
  } catch (error) {
    const e = error as NodeJS.ErrnoException;
    fail(`cannot start: ${e.code === 'EADDRINUSE' ? `port ${command.options.port} is already in use` : e.message}`, 1);
  }
  const stop = (signal: string): void => {
    process.stderr.write(`intercom-webhook-relay: ${signal}: finishing in-flight deliveries\n`);
    relay.close().then(
      () => process.exit(0),
      (error: unknown) => fail(`shutdown failed: ${(error as Error).message}`, 1),
    );
  };
  process.once('SIGTERM', () => stop('SIGTERM'));
  process.once('SIGINT', () => stop('SIGINT'));
}

process.on('uncaughtException', (error) => fail(`unexpected failure: ${error.message}`, 1));
process.on('unhandledRejection', (reason) => fail(`unexpected failure: ${(reason as Error)?.message ?? String(reason)}`, 1));
void main();
