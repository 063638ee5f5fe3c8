/**
 * Builds the Docker image and runs it for real with podman, through scripts/image/ci.sh:
 * the image contract (ENTRYPOINT, AIRBYTE_ENTRYPOINT, labels, user, /airbyte) and
 * spec, check, discover and read through `podman run` against the simulator.
 *
 * Runs only when asked for, with SOURCE_INTERCOM_IMAGE_TEST=1 (.ci/run sets it), and only
 * as root: the script runs rootful podman, installs Debian packages when they are missing
 * and builds a base image with debootstrap (one to three minutes the first time, depending
 * on the mirror; about ten seconds after that). Otherwise, for example on a hosted CI that
 * runs as a normal user, the file reports itself skipped, with the reason.
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import t from 'tap';
import { findRepoRoot } from '../support/vendor.js';

/** Why the image test does not run here, or undefined when it runs. */
function skipReason(): string | undefined {
  if (process.env['SOURCE_INTERCOM_IMAGE_TEST'] !== '1') {
    return 'image test skipped: set SOURCE_INTERCOM_IMAGE_TEST=1 to build and run the image with podman (needs root)';
  }
  if (process.getuid?.() !== 0) return 'image test skipped: SOURCE_INTERCOM_IMAGE_TEST=1, but rootful podman needs root and this is not root';
  return undefined;
}
const skipped = skipReason();

/** Every check ci.sh must report as PASS, by the start of its name. */
const REQUIRED_CHECKS = [
  'tools:',
  'base image:',
  'build:',
  'contract: ENTRYPOINT',
  'contract: AIRBYTE_ENTRYPOINT',
  'contract: label io.airbyte.name',
  'contract: label io.airbyte.version',
  'contract: USER airbyte',
  'contract: runs as airbyte',
  'spec:',
  'simulator:',
  'check:',
  'check with a wrong token:',
  'discover:',
  'read:',
  'errors:',
];

interface ScriptRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

function runCi(): Promise<ScriptRun> {
  const script = join(findRepoRoot(), 'scripts', 'image', 'ci.sh');
  return new Promise((resolve, reject) => {
    const child = spawn('bash', [script], { stdio: ['ignore', 'pipe', 'pipe'] });
    // If this test is stopped (a timeout), stop the script too: its traps stop the simulator.
    const stop = (): void => void child.kill('SIGTERM');
    process.once('exit', stop);
    child.on('close', () => process.off('exit', stop));
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

if (skipped !== undefined) {
  t.plan(0, skipped);
} else {
  // A first run downloads Debian packages and a base system: far beyond the usual
  // per-file limit when the mirror is slow. Later runs take seconds.
  t.setTimeout(15 * 60 * 1000);
  t.test('scripts/image/ci.sh builds the image and runs it with podman', async (t) => {
    const run = await runCi();
    const lines = run.stdout.split('\n').filter((l) => l !== '');
    for (const line of lines) t.comment(line);
    if (run.code !== 0 && run.stderr.trim() !== '') t.comment(`stderr: ${run.stderr.trim().split('\n').slice(-10).join('\n')}`);

    const failures = lines.filter((l) => l.startsWith('FAIL: '));
    for (const failure of failures) t.fail(failure);
    const passes = lines.filter((l) => l.startsWith('PASS: ')).map((l) => l.slice('PASS: '.length));
    for (const check of REQUIRED_CHECKS) {
      t.ok(passes.some((p) => p.startsWith(check)), `PASS: ${check} ...`);
    }
    t.match(lines.at(-1) ?? '', /^SUMMARY: \d+ passed, 0 failed$/, 'the summary reports no failures');
    t.equal(run.code, 0, 'ci.sh exits 0');
  });
}
