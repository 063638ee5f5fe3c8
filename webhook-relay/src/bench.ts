/**
 * Relay bench: starts the real bin on loopback with a temporary data directory,
 * sends signed deliveries from concurrent senders over keep-alive connections,
 * and reports deliveries per second with durable acknowledgement (each 200 comes
 * after fdatasync) and the answer-time percentiles. Bounded in count and time.
 *
 *   node dist/src/bench.js [--deliveries N] [--concurrency C] [--max-seconds S] [--json]
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { signBody } from './signature.js';

interface BenchArgs {
  deliveries: number;
  concurrency: number;
  maxSeconds: number;
  json: boolean;
}

export interface BenchResult {
  deliveries: number;
  acknowledged: number;
  stored: number;
  concurrency: number;
  seconds: number;
  deliveries_per_s: number;
  p50_ms: number;
  p99_ms: number;
  max_ms: number;
  commits: number;
}

function parseArgs(argv: string[]): BenchArgs {
  const args: BenchArgs = { deliveries: 20_000, concurrency: 64, maxSeconds: 60, json: false };
  for (let i = 0; i < argv.length; i += 1) {
    const flag = argv[i];
    if (flag === '--json') {
      args.json = true;
      continue;
    }
    const value = Number(argv[i + 1]);
    i += 1;
    if (!Number.isSafeInteger(value) || value < 1) throw new Error(`${flag} needs a positive integer`);
    if (flag === '--deliveries') args.deliveries = value;
    else if (flag === '--concurrency') args.concurrency = value;
    else if (flag === '--max-seconds') args.maxSeconds = value;
    else throw new Error(`unknown argument ${flag}`);
  }
  return args;
}

function post(agent: Agent, port: number, path: string, body: string, headers: Record<string, string>): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, method: body === '' ? 'GET' : 'POST', agent, headers, timeout: 10_000 }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
    });
    req.on('timeout', () => req.destroy(new Error('timed out')));
    req.on('error', reject);
    req.end(body === '' ? undefined : body);
  });
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

function startRelayBin(dataDir: string, secret: string, token: string): Promise<{ port: number; stop: () => Promise<void> }> {
  const cli = join(dirname(fileURLToPath(import.meta.url)), 'cli.js');
  const child = spawn(process.execPath, [cli, '--data-dir', dataDir, '--port', '0', '--stats-interval-seconds', '0'], {
    env: { ...process.env, INTERCOM_CLIENT_SECRET: secret, RELAY_READ_TOKEN: token },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  let stderr = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('the relay did not start in 20 s')), 20_000);
    child.once('exit', (code) => reject(new Error(`the relay exited (${code}) before listening: ${stderr}`)));
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString();
      const match = /listening on http:\/\/127\.0\.0\.1:(\d+)/.exec(stderr);
      if (match) {
        clearTimeout(timer);
        resolve({
          port: Number(match[1]),
          stop: async () => {
            child.kill('SIGTERM');
            await exited;
          },
        });
      }
    });
  });
}

export async function runBench(args: BenchArgs): Promise<BenchResult> {
  const secret = randomBytes(16).toString('hex');
  const token = randomBytes(16).toString('hex');
  const dataDir = mkdtempSync(join(tmpdir(), 'relay-bench-'));
  const relay = await startRelayBin(dataDir, secret, token);
  const agent = new Agent({ keepAlive: true, maxSockets: args.concurrency });
  try {
    // Signed before the clock starts, so the figures measure the relay, not the sender.
    const bodies = Array.from({ length: args.deliveries }, (_, i) => {
      const body = JSON.stringify({
        type: 'notification_event',
        id: `notif_bench_${i}`,
        topic: ['contact.deleted', 'company.deleted', 'conversation.deleted', 'contact.archived'][i % 4],
        app_id: `app_${i % 3}`,
        created_at: 1_767_000_000 + i,
        delivery_attempts: 1,
        data: { type: 'notification_event_data', item: { type: 'contact', id: `6${String(i).padStart(23, '0')}`, external_id: null } },
      });
      return { body, signature: signBody(secret, body) };
    });
    const latencies: number[] = [];
    let next = 0;
    const deadline = Date.now() + args.maxSeconds * 1000;
    const started = process.hrtime.bigint();
    const sender = async (): Promise<void> => {
      while (next < bodies.length && Date.now() < deadline) {
        const { body, signature } = bodies[next++]!;
        const t0 = process.hrtime.bigint();
        const answer = await post(agent, relay.port, '/intercom/webhooks', body, {
          'content-type': 'application/json',
          'x-hub-signature': signature,
        });
        if (answer.status !== 200) throw new Error(`a delivery was answered ${answer.status}`);
        latencies.push(Number(process.hrtime.bigint() - t0) / 1e6);
      }
    };
    await Promise.all(Array.from({ length: args.concurrency }, sender));
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    const health = JSON.parse((await post(agent, relay.port, '/healthz', '', {})).body) as { events: number; commits: number };
    if (health.events !== latencies.length) throw new Error(`${latencies.length} deliveries were acknowledged but ${health.events} are stored`);
    latencies.sort((a, b) => a - b);
    const round = (n: number): number => Math.round(n * 10) / 10;
    return {
      deliveries: args.deliveries,
      acknowledged: latencies.length,
      stored: health.events,
      concurrency: args.concurrency,
      seconds: round(seconds),
      deliveries_per_s: Math.round(latencies.length / seconds),
      p50_ms: round(percentile(latencies, 50)),
      p99_ms: round(percentile(latencies, 99)),
      max_ms: round(latencies[latencies.length - 1] ?? 0),
      commits: health.commits,
    };
  } finally {
    agent.destroy();
    await relay.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

function report(r: BenchResult): string {
  return [
    `relay bench: ${r.acknowledged} of ${r.deliveries} deliveries acknowledged in ${r.seconds} s, ${r.concurrency} concurrent senders, loopback`,
    `  durable acknowledgement: ${r.deliveries_per_s} deliveries/s (target >= 2500)`,
    `  answer time: p50 ${r.p50_ms} ms, p99 ${r.p99_ms} ms (target < 500), max ${r.max_ms} ms`,
    `  fsync commits: ${r.commits} (${r.commits === 0 ? 0 : Math.round((r.stored / r.commits) * 10) / 10} deliveries per commit); stored ${r.stored}`,
  ].join('\n');
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const args = parseArgs(process.argv.slice(2));
  runBench(args).then(
    (result) => process.stdout.write(`${args.json ? JSON.stringify({ bench: 'relay', ...result }) : report(result)}\n`),
    (error: unknown) => {
      process.stderr.write(`relay bench failed: ${(error as Error).message}\n`);
      process.exit(1);
    },
  );
}
