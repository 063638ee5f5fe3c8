/**
 * Locates the repository root and the read-only shared reference directory
 * (the official Intercom OpenAPI description lives there). Works from the
 * TypeScript sources and from the compiled copy under dist/.
 */
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The file whose presence marks a directory as the shared reference directory. */
export const OPENAPI_RELATIVE_PATH = join('intercom-openapi', 'api.intercom.io.yaml');

export class SharedDirNotFoundError extends Error {
  constructor(readonly triedPaths: readonly string[]) {
    super(
      `Cannot find the shared reference directory (it must contain ${OPENAPI_RELATIVE_PATH}). ` +
        `Tried, in order: ${triedPaths.join(', ')}. Set SHARED_DIR to point at it.`,
    );
    this.name = 'SharedDirNotFoundError';
  }
}

/** The nearest ancestor of this module that holds package.json (dist/ has none). */
export function findRepoRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    if (existsSync(join(dir, 'package.json'))) return dir;
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`No package.json above ${fileURLToPath(import.meta.url)}`);
    dir = parent;
  }
}

/** First of $SHARED_DIR, <repo>/../shared, /work/shared that holds the OpenAPI file. */
export function findSharedDir(): string {
  const candidates: string[] = [];
  const fromEnv = process.env['SHARED_DIR'];
  if (fromEnv) candidates.push(resolve(fromEnv));
  candidates.push(resolve(findRepoRoot(), '..', 'shared'), '/work/shared');
  const found = candidates.find((dir) => existsSync(join(dir, OPENAPI_RELATIVE_PATH)));
  if (found === undefined) throw new SharedDirNotFoundError(candidates);
  return found;
}
