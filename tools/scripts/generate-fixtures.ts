// Writes the catalogs and acceptance-test fixtures made from the seeded simulator.
// Run: npm run fixtures   (tools/test/fixtures.test.ts fails when they are out of date)
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { generateFixtures } from '../../test/support/fixtures.js';
import { findRepoRoot } from '../../test/support/vendor.js';

const files = await generateFixtures();
for (const [path, content] of Object.entries(files)) {
  writeFileSync(join(findRepoRoot(), path), content);
  process.stderr.write(`wrote ${path}\n`);
}
