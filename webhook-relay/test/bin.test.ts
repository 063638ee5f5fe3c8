/**
 * The real bin in a child process: flags and secrets at start-up, then the
 * durability run — 2,000 signed deliveries from a sender that retries like
 * Intercom, while the relay is SIGKILLed at random points and restarted on the
 * same data directory. Every acknowledged delivery must be stored exactly once,
 * and every delivery must arrive.
 */
import { readFileSync, writeFileSync, readdirSync } from 'node:fs';
import { Agent } from 'node:http';
import { join } from 'node:path';
import t from 'tap';
import { RELAY_VERSION } from '../src/version.js';
import { buildBin, freePort, relayEnv, runBin, startBin, type RunningBin } from './support/bin.js';
import { deliver, envelope, readAll, SECRET, TOKEN } from './support/http.js';
import { tempDir } from './support/relay.js';

const bin = buildBin(t);

t.test('flags and environment', async (t) => {
  const dir = tempDir(t);
  const help = await runBin(bin, ['--help'], {});
  t.equal(help.code, 0);
  t.match(help.stdout, /--data-dir[\s\S]*--retention-days[\s\S]*INTERCOM_CLIENT_SECRET[\s\S]*RELAY_READ_TOKEN/);
  const version = await runBin(bin, ['--version'], {});
  t.equal(version.stdout.trim(), RELAY_VERSION);
  const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string };
  t.equal(RELAY_VERSION, pkg.version, 'the bin reports the package version');

  const noSecret = await runBin(bin, ['--data-dir', dir, '--port', '0'], { ...relayEnv, INTERCOM_CLIENT_SECRET: '' });
  t.equal(noSecret.code, 2);
  t.match(noSecret.stderr, /INTERCOM_CLIENT_SECRET is not set/);
  const noToken = await runBin(bin, ['--data-dir', dir, '--port', '0'], { ...relayEnv, RELAY_READ_TOKEN: undefined });
  t.equal(noToken.code, 2);
  t.match(noToken.stderr, /RELAY_READ_TOKEN is not set/);
  t.notOk(noToken.stderr.includes(SECRET), 'the message does not echo the other secret');
  const shortToken = await runBin(bin, ['--data-dir', dir, '--port', '0'], { ...relayEnv, RELAY_READ_TOKEN: 'short' });
  t.equal(shortToken.code, 2);
  t.notOk(shortToken.stderr.includes('short '), 'the short token itself is not printed');
  for (const args of [['--port', '0'], ['--data-dir', dir, '--bogus'], ['--data-dir', dir, '--port', '70000'], ['--data-dir', dir, '--tls-cert', 'x.pem']]) {
    const run = await runBin(bin, args, relayEnv);
    t.equal(run.code, 2, `${args.join(' ')} is a usage error`);
    t.match(run.stderr, /^intercom-webhook-relay: /);
  }
});

t.test('a corrupt log stops the bin with a clear message and exit 1', async (t) => {
  const dir = tempDir(t);
  const relay = await startBin(bin, ['--data-dir', dir, '--port', '0']);
  for (let i = 0; i < 3; i += 1) await deliver(relay.url, envelope(i));
  relay.child.kill('SIGTERM');
  t.same(await relay.exited, { code: 0, signal: null }, 'SIGTERM exits 0');
  t.match(relay.stderr(), /counters received=3 stored=3/, 'the counters line is written at shutdown');
  const file = join(dir, readdirSync(dir).sort()[0]!);
  writeFileSync(file, readFileSync(file, 'utf8').replace('contact_0', 'contact_Z'));
  const run = await runBin(bin, ['--data-dir', dir, '--port', '0'], relayEnv);
  t.equal(run.code, 1);
  t.match(run.stderr, /the event log is corrupt: events-\d+\.log/);
  t.notMatch(run.stderr, /\n\s+at /, 'no stack trace');
});

t.test('the bench runs the bin and reports what it stored', async (t) => {
  const run = await runBin(join(bin, '..', 'bench.js'), ['--deliveries', '300', '--concurrency', '8', '--json'], process.env);
  t.equal(run.code, 0, run.stderr);
  const result = JSON.parse(run.stdout) as Record<string, number | string>;
  t.equal(result.bench, 'relay');
  t.equal(result.acknowledged, 300);
  t.equal(result.stored, 300);
  t.ok((result.deliveries_per_s as number) > 0 && (result.commits as number) > 0);
  t.ok((result.p99_ms as number) >= (result.p50_ms as number));
});

const DELIVERIES = 2000;
const CONCURRENCY = 16;
const MAX_ATTEMPTS = 200;

t.test('SIGKILL at random points during 2,000 deliveries: nothing acknowledged is lost or doubled', async (t) => {
  const dir = tempDir(t);
  const port = await freePort();
  const args = ['--data-dir', dir, '--port', String(port), '--stats-interval-seconds', '1'];
  const url = `http://127.0.0.1:${port}`;
  const killPoints = Array.from({ length: 4 }, () => 100 + Math.floor(Math.random() * (DELIVERIES - 200))).sort((a, b) => a - b);
  t.comment(`SIGKILL after ${killPoints.join(', ')} acknowledgements`);

  let relay: RunningBin = await startBin(bin, args);
  const stderrs: string[] = [];
  let restarting: Promise<void> | null = null;
  let kills = 0;
  const acknowledged = new Set<number>();
  let retries = 0;

  const maybeKill = (): void => {
    if (restarting !== null || kills >= killPoints.length || acknowledged.size < killPoints[kills]!) return;
    kills += 1;
    const victim = relay;
    restarting = (async () => {
      victim.child.kill('SIGKILL');
      await victim.exited;
      stderrs.push(victim.stderr());
      await new Promise((r) => setTimeout(r, Math.floor(Math.random() * 100)));
      relay = await startBin(bin, args);
      restarting = null;
    })();
  };

  const agent = new Agent({ keepAlive: true, maxSockets: CONCURRENCY });
  t.teardown(() => agent.destroy());
  // Like Intercom: retry on a non-2xx answer or a connection error, with capped exponential backoff.
  const sendOne = async (i: number): Promise<void> => {
    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt += 1) {
      try {
        const answer = await deliver(url, envelope(i, { app_id: i % 3 === 0 ? 'app_b' : 'app_a' }), { agent, timeoutMs: 5000 });
        if (answer.status === 200) {
          acknowledged.add(i);
          maybeKill();
          return;
        }
      } catch {
        // connection refused or reset: the relay is down; back off and retry
      }
      retries += 1;
      await new Promise((r) => setTimeout(r, Math.min(10 * 2 ** attempt, 250) + Math.random() * 10));
    }
    throw new Error(`delivery ${i} never got a 200`);
  };

  let nextIndex = 0;
  const worker = async (): Promise<void> => {
    while (nextIndex < DELIVERIES) await sendOne(nextIndex++);
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  while (restarting !== null) await restarting;
  t.equal(kills, killPoints.length, `the relay was killed ${kills} times`);
  t.ok(retries > 0, `the sender retried ${retries} times`);
  t.equal(acknowledged.size, DELIVERIES, 'every delivery was eventually acknowledged');

  const events = await readAll(url);
  const ids = events.map((e) => `${e.app_id}/${e.id}`);
  t.equal(new Set(ids).size, ids.length, 'no notification is stored twice');
  t.equal(events.length, DELIVERIES, 'every delivery is stored');
  const expected = Array.from({ length: DELIVERIES }, (_, i) => `${i % 3 === 0 ? 'app_b' : 'app_a'}/notif_${i}`).sort();
  t.same([...ids].sort(), expected, 'exactly the deliveries sent');
  t.ok(events.every((e, i) => i === 0 || e.seq > events[i - 1]!.seq), 'sequence numbers strictly increase');

  relay.child.kill('SIGTERM');
  t.same(await relay.exited, { code: 0, signal: null }, 'SIGTERM exits 0');
  stderrs.push(relay.stderr());
  const allStderr = stderrs.join('\n');
  t.match(allStderr, /counters received=\d+ stored=\d+ duplicate=\d+/);
  t.notOk(allStderr.includes(SECRET) || allStderr.includes(TOKEN), 'no secret in any stderr');
});
