/**
 * What `npm pack` ships, used the way a user would: the connector package is copied
 * into a temporary folder as a fresh clone has it (sources, no dist/), packed there
 * (so `prepack` must build it), installed from the tarball into an empty folder, and
 * run with `npx source-intercom spec` and `check` against the simulator on 127.0.0.1,
 * and with `sync`, which needs the optional DuckDB destination that this install lacks.
 * The tarball must hold only the connector: compiled code, spec.json, README,
 * CHANGELOG, LICENSE and catalogs/; no simulator, bench, demo, tests or source maps.
 *
 * Installing the tarball fetches its dependencies from the registry (the npm cache
 * serves them after the first run).
 */
import { execFile } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import t from 'tap';
import { startSimulator } from 'intercom-simulator';
import { findRepoRoot } from '../support/vendor.js';

const run = promisify(execFile);
const root = findRepoRoot();

/** What the connector package is built from, besides what it ships. */
const BUILD_INPUTS = ['package.json', 'package-lock.json', 'tsconfig.base.json', 'tsconfig.build.json', 'src'];
/** What the connector package ships (package.json's `files`, plus package.json). */
const SHIPPED_INPUTS = ['spec.json', 'README.md', 'CHANGELOG.md', 'LICENSE', 'catalogs'];

/** A path the tarball may hold (section 3 of the layout: the connector and nothing else). */
function allowed(path: string): boolean {
  return (
    ['package.json', 'spec.json', 'README.md', 'CHANGELOG.md', 'LICENSE', 'dist/spec.json'].includes(path) ||
    /^catalogs\/[\w.-]+\.json$/.test(path) ||
    /^dist\/src\/.+\.(js|json)$/.test(path)
  );
}

interface PackResult {
  filename: string;
  files: Array<{ path: string }>;
}

t.test('the packed connector installs into an empty folder and runs spec and check', async (t) => {
  const work = mkdtempSync(join(tmpdir(), 'source-intercom-tarball-'));
  t.teardown(() => rmSync(work, { recursive: true, force: true }));

  // A fresh clone's copy of the package: no dist/, the root's dev tools through node_modules.
  const clone = join(work, 'clone');
  for (const entry of [...BUILD_INPUTS, ...SHIPPED_INPUTS]) cpSync(join(root, entry), join(clone, entry), { recursive: true });
  symlinkSync(join(root, 'node_modules'), join(clone, 'node_modules'), 'dir');
  const packed = await run('npm', ['pack', '--json', '--pack-destination', work], { cwd: clone, maxBuffer: 16 * 1024 * 1024 });
  const [result] = JSON.parse(packed.stdout.slice(packed.stdout.indexOf('['))) as PackResult[];
  t.ok(result, 'npm pack reports the tarball');
  const files = (result?.files ?? []).map((f) => f.path).sort();

  t.ok(files.includes('dist/src/bin/source-intercom.js'), 'prepack built the connector: the bin is in the tarball');
  for (const path of ['package.json', 'spec.json', 'README.md', 'CHANGELOG.md', 'LICENSE', 'catalogs/incremental.json']) {
    t.ok(files.includes(path), `${path} is in the tarball`);
  }
  t.same(files.filter((p) => !allowed(p)), [], 'the tarball holds only compiled connector code, spec.json, README, CHANGELOG, LICENSE and catalogs/');
  t.same(files.filter((p) => /\.map$|\.d\.ts$|\.ts$/.test(p)), [], 'no source maps, declarations or TypeScript sources');
  t.same(files.filter((p) => /simulator|bench|demo|(^|\/)test\//.test(p)), [], 'no simulator, bench, demo or tests');

  // An empty folder, as a user's project would be.
  const user = join(work, 'user');
  mkdirSync(user);
  writeFileSync(join(user, 'package.json'), JSON.stringify({ name: 'tarball-probe', private: true }));
  await run('npm', ['install', '--no-audit', '--no-fund', '--prefer-offline', join(work, result!.filename)], { cwd: user, maxBuffer: 16 * 1024 * 1024 });

  const spec = await run('npx', ['--no-install', 'source-intercom', 'spec'], { cwd: user });
  const specMessages = spec.stdout.trim().split('\n').map((line) => JSON.parse(line) as { type: string; spec?: unknown });
  t.same(specMessages.map((m) => m.type), ['SPEC'], 'spec prints one SPEC message');
  t.same(specMessages[0]?.spec, JSON.parse(readFileSync(join(root, 'spec.json'), 'utf8')), 'equal to spec.json');

  const sim = await startSimulator({ seed: 1 });
  t.teardown(() => sim.close());
  t.match(sim.url, /^http:\/\/127\.0\.0\.1:\d+$/, 'the simulator listens on 127.0.0.1');
  const config = JSON.parse(readFileSync(join(root, 'integration_tests', 'sample_config.json'), 'utf8')) as Record<string, unknown>;
  const configPath = join(work, 'config.json');
  writeFileSync(configPath, JSON.stringify({ ...config, api_base_url: sim.url }));
  const check = await run('npx', ['--no-install', 'source-intercom', 'check', '--config', configPath], { cwd: user });
  const statuses = check.stdout
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as { type: string; connectionStatus?: { status: string } })
    .filter((m) => m.type === 'CONNECTION_STATUS')
    .map((m) => m.connectionStatus?.status);
  t.same(statuses, ['SUCCEEDED'], 'check against the simulator succeeds');

  // The DuckDB destination is an optional dependency that this install lacks: `sync` says so before it asks Intercom anything.
  sim.stats.reset();
  const sync = await run('npx', ['--no-install', 'source-intercom', 'sync', '--config', configPath, '--database', join(work, 'probe.duckdb')], { cwd: user }).then(
    () => ({ code: 0, stdout: '', stderr: '' }),
    (err: { code: number; stdout: string; stderr: string }) => err,
  );
  t.not(sync.code, 0, 'sync without the destination package fails');
  t.match(`${sync.stdout}${sync.stderr}`, /intercom-destination-duckdb, which is not installed/, 'and names the package to install');
  t.equal(sim.stats.total, 0, 'before any request to Intercom');
});
