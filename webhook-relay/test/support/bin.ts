import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Test } from 'tap';
import { SECRET, TOKEN } from './http.js';
import { tempDir } from './relay.js';

const packageDir = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

/**
 * Compiles the package into a private temporary directory and returns the path
 * of its bin, so test files running in parallel never read a half-written build.
 */
export function buildBin(t: Test): string {
  const out = tempDir(t, 'relay-build-');
  const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
  execFileSync(process.execPath, [tsc, '-p', join(packageDir, 'tsconfig.json'), '--outDir', out, '--declaration', 'false', '--sourceMap', 'false'], {
    stdio: 'inherit',
  });
  return join(out, 'src', 'cli.js');
}

export const relayEnv = { ...process.env, INTERCOM_CLIENT_SECRET: SECRET, RELAY_READ_TOKEN: TOKEN };

export interface BinRun {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** Runs the bin to completion (for flag and start-up checks). */
export function runBin(bin: string, args: string[], env: NodeJS.ProcessEnv): Promise<BinRun> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [bin, ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr });
    });
  });
}

export interface RunningBin {
  child: ChildProcess;
  url: string;
  stderr: () => string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** Starts the bin and resolves once it says it is listening. */
export function startBin(bin: string, args: string[], env: NodeJS.ProcessEnv = relayEnv): Promise<RunningBin> {
  const child = spawn(process.execPath, [bin, ...args], { env, stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on('exit', (code, signal) => resolve({ code, signal })),
  );
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`the relay did not start: ${stderr}`));
    }, 20_000);
    child.stderr!.on('data', (d: Buffer) => {
      stderr += d.toString();
      const match = /listening on (https?:\/\/\S+)/.exec(stderr);
      if (match) {
        clearTimeout(timer);
        resolve({ child, url: match[1]!, stderr: () => stderr, exited });
      }
    });
    void exited.then(({ code }) => {
      clearTimeout(timer);
      reject(new Error(`the relay exited with ${code} before listening: ${stderr}`));
    });
  });
}

/** A loopback port that was free a moment ago, so restarts can reuse one URL. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}
