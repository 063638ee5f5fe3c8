/** The tests' temporary files live in one folder per test process, removed when that process exits. */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import t from 'tap';

t.test('tempJson: the folder is gone once the process exits', async (t) => {
  const probe = fileURLToPath(new URL('../support/temp-dir-probe.ts', import.meta.url));
  // The same loaders as this test process, so the probe runs as TypeScript.
  const child = spawnSync(process.execPath, [...process.execArgv, probe], { encoding: 'utf8' });
  t.equal(child.status, 0, child.stderr);
  const dir = child.stdout.trim();
  t.match(dir, /source-intercom-test-/);
  t.notOk(existsSync(dir), `${dir} was removed`);
});
