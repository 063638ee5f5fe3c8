/**
 * Writes the committed stream schemas src/schemas/intercom/<component>.json from the official
 * Intercom OpenAPI description (see test/support/openapi.ts for the conversion rules).
 *
 * Run from the repository root: npm run gen-schemas (what the files' $comment names).
 * test/schemas/openapi-schemas.test.ts fails when a committed file differs from what this
 * script would write now, so rerun it after changing the converter or the OpenAPI copy.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  serializeSchemaFile,
  STREAM_SCHEMA_COMPONENTS,
  STREAM_SCHEMA_DIR,
  streamSchemaDocument,
} from '../../test/support/openapi.js';
import { findRepoRoot } from '../../test/support/vendor.js';

const outDir = join(findRepoRoot(), STREAM_SCHEMA_DIR);
mkdirSync(outDir, { recursive: true });
for (const component of STREAM_SCHEMA_COMPONENTS) {
  const schema = streamSchemaDocument(component);
  const file = join(outDir, `${component}.json`);
  writeFileSync(file, serializeSchemaFile(schema));
  const properties = schema['properties'];
  const count = typeof properties === 'object' && properties !== null ? Object.keys(properties).length : 0;
  process.stdout.write(`${file}: ${count} top-level properties\n`);
}
