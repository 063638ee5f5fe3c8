/**
 * A small run of `npm run bench -- --smoke`: the benchmark script works and
 * prints every row. (The figures of a real run are in the README; tests
 * never judge speed.)
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import t from 'tap';

/** The compiled benchmark of this package (npm test builds it first). */
const BENCH = fileURLToPath(new URL('../dist/bench/bench.js', import.meta.url));

t.test('bench --smoke prints every measure', async (t) => {
  const run = spawnSync(process.execPath, [BENCH, '--smoke'], { encoding: 'utf8', timeout: 240_000 });
  t.equal(run.status, 0, run.stderr);
  for (const measure of [
    'rate-limit use (req/s ÷ ceiling)',
    '429 ratio',
    'records per second',
    'peak RSS, full sync',
    'sequential (concurrency 1): req/s ÷ ceiling',
    'CPU pipeline ÷ bare parse+stringify',
    'CPU pipeline, 3 hashed fields ÷ bare',
    'RSS growth, largest ÷ smallest',
    'relay deliveries per second (durable 200)',
    'relay p99 answer time',
    'destination records per second',
    'destination ÷ read records per second',
    'sync ÷ read wall time',
    'sync ÷ read wall time, with latency',
    'sync RSS growth, largest ÷ smallest',
  ]) {
    const row = run.stdout.split('\n').find((line) => line.startsWith(`| ${measure}`));
    t.ok(row, `${measure} is printed`);
    t.match(row ?? '', /\|\s+[0-9.]+(%| MB| ms)?\s+\|/, `${measure} has a number`);
  }
});
