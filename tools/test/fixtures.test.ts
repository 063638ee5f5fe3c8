/** The committed catalogs and acceptance-test fixtures match what the seeded simulator gives today. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import t from 'tap';
import { FIXTURE_FILES, generateFixtures } from '../../test/support/fixtures.js';
import { findRepoRoot } from '../../test/support/vendor.js';

t.test('fixtures are up to date (regenerate with npm run fixtures)', async (t) => {
  const fresh = await generateFixtures();
  for (const path of FIXTURE_FILES) {
    t.equal(readFileSync(join(findRepoRoot(), path), 'utf8'), fresh[path], path);
  }
  t.ok(fresh['integration_tests/expected_records.jsonl'].split('\n').length > 40, 'expected records cover the streams');
});
