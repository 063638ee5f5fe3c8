/**
 * The relay row of `npm run bench`: runs the webhook relay's own benchmark
 * (signed deliveries to the real bin, each 200 after fdatasync) as a child
 * process and reads its one JSON line.
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { BenchResult } from 'intercom-webhook-relay';

/** The compiled relay benchmark (the root build builds every workspace). */
const RELAY_BENCH = fileURLToPath(new URL('../../../webhook-relay/dist/src/bench.js', import.meta.url));

/** The figures the relay's bench prints as its one JSON line. */
export type RelayBenchFigures = BenchResult;

export function relayBench(options: { deliveries: number; concurrency: number; maxSeconds: number }): Promise<RelayBenchFigures> {
  const args = [RELAY_BENCH, '--json', '--deliveries', String(options.deliveries), '--concurrency', String(options.concurrency), '--max-seconds', String(options.maxSeconds)];
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (c: string) => (stdout += c));
    child.stderr.setEncoding('utf8').on('data', (c: string) => (stderr += c));
    child.on('error', reject);
    child.on('close', (code) => {
      const line = stdout.trim().split('\n').at(-1) ?? '';
      try {
        if (code !== 0) throw new Error(`exit ${code}`);
        resolve(JSON.parse(line) as RelayBenchFigures);
      } catch (error) {
        reject(new Error(`the relay bench failed (${error instanceof Error ? error.message : String(error)}): ${stderr.trim()}`));
      }
    });
  });
}
