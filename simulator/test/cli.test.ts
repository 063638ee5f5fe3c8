/**
 * The command line: argument parsing, the listening line, --print-url, and a
 * clean exit on SIGTERM.
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import t from 'tap';
import { cliAction, CliUsageError, parseCliArgs, USAGE } from '../src/cli.js';

t.test('arguments', async (t) => {
  const parsed = parseCliArgs([
    '--port', '8080', '--seed', '3', '--contacts', '2000', '--conversations', '50', '--rate-limit', '600',
    '--latency', '150', '--jitter', '50', '--fault-rate', '0.05', '--fault-kinds', '500,reset', '--timezone', 'Europe/Dublin',
    '--search-lag', '30', '--print-url',
  ]);
  t.same(parsed, {
    printUrl: true,
    simulator: {
      port: 8080,
      seed: 3,
      size: { contacts: 2000, conversations: 50 },
      rateLimitPerMinute: 600,
      latencyMs: { mean: 150, jitter: 50 },
      faults: { rate: 0.05, kinds: ['500', 'reset'] },
      timezone: 'Europe/Dublin',
      searchLagSeconds: 30,
    },
  });
  t.same(parseCliArgs(['--rate-limit', 'off']).simulator.rateLimitPerMinute, null);
  t.throws(() => parseCliArgs(['--bogus']), CliUsageError);
  t.throws(() => parseCliArgs(['--contacts', 'many']), CliUsageError);
  t.throws(() => parseCliArgs(['--fault-rate', '0.1', '--fault-kinds', 'meteor']), CliUsageError);
});

t.test('runs until SIGTERM', async (t) => {
  const cli = fileURLToPath(new URL('../src/cli.ts', import.meta.url));
  const child = spawn(process.execPath, ['--no-warnings', '--loader', 'ts-node/esm', cli, '--port', '0', '--print-url', '--contacts', '50'], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = once(child, 'exit');
  t.teardown(() => {
    if (child.exitCode === null) child.kill('SIGKILL');
  });
  for (let i = 0; i < 600 && !stdout.includes('\n'); i++) await new Promise((resolve) => setTimeout(resolve, 100));
  const url = stdout.trim();
  t.match(url, /^http:\/\/127\.0\.0\.1:\d+$/, 'the URL alone on stdout');
  t.equal(stderr, `simulator listening on ${url} (token sim-token)\n`);
  const response = await fetch(`${url}/contacts`, { headers: { Authorization: 'Bearer sim-token' } });
  t.equal(((await response.json()) as { total_count: number }).total_count, 50);
  child.kill('SIGTERM');
  const [code] = (await exited) as [number | null];
  t.equal(code, 0, 'exits cleanly');
  t.equal(stdout, `${url}\n`, 'nothing else on stdout');
});

t.test('--help, -h, help and --version answer and exit 0; the usage documents every option and token', async (t) => {
  for (const argv of [['--help'], ['-h'], ['help'], ['--port', '8080', '--help']]) t.equal(cliAction(argv), 'help', argv.join(' '));
  t.equal(cliAction(['--version']), 'version');
  t.equal(cliAction(['--port', '8080', '--help-centers', '3']), null, '--help-centers is an option, not help');
  for (const flag of ['--port', '--seed', '--contacts', '--rate-limit', '--latency', '--fault-rate', '--fault-kinds', '--search-lag', '--print-url', '--timezone']) {
    t.match(USAGE, flag, `usage documents ${flag}`);
  }
  for (const token of ['sim-token', 'sim-token-no-tickets', 'sim-token-no-conversations']) t.match(USAGE, token, `usage names the token ${token}`);
  const cli = fileURLToPath(new URL('../src/cli.ts', import.meta.url));
  for (const [argv, expected] of [[['--help'], /Usage: intercom-simulator/], [['--version'], /^intercom-simulator \d/]] as const) {
    const child = spawn(process.execPath, ['--no-warnings', '--loader', 'ts-node/esm', cli, ...argv], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    const [code] = (await once(child, 'exit')) as [number | null];
    t.equal(code, 0, `${argv.join(' ')} exits 0`);
    t.match(stdout, expected);
  }
});
