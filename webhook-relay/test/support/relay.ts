import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Test } from 'tap';
import { startRelay, type RunningRelay } from '../../src/server.js';
import type { RelayOptions } from '../../src/options.js';
import { SECRET, TOKEN } from './http.js';

/** A temporary directory removed when the test ends. */
export function tempDir(t: Test, prefix = 'relay-test-'): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

export interface InProcessRelay extends RunningRelay {
  logs: string[];
}

/** Starts the relay in this process on a free loopback port, capturing its log lines. */
export async function inProcessRelay(t: Test, dataDir: string, extra: Partial<RelayOptions> = {}): Promise<InProcessRelay> {
  const logs: string[] = [];
  const relay = await startRelay({
    clientSecret: SECRET,
    readToken: TOKEN,
    dataDir,
    port: 0,
    host: '127.0.0.1',
    statsIntervalMs: 0,
    log: (line) => logs.push(line),
    ...extra,
  });
  let closed = false;
  const close = async (): Promise<void> => {
    if (closed) return;
    closed = true;
    await relay.close();
  };
  t.teardown(close);
  return { ...relay, close, logs };
}
