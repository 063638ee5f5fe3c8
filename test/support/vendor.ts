/**
 * Locates the repository root and the official reference files copied into
 * vendor/ (Intercom OpenAPI, Airbyte protocol, Airbyte metadata schema).
 * Nothing outside the repository is read.
 */
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export class VendorFileMissingError extends Error {
  constructor(readonly path: string) {
    super(`The vendored reference file ${path} is missing; vendor/ must be complete (see vendor/*/SOURCE.txt).`);
    this.name = 'VendorFileMissingError';
  }
}

/** The nearest ancestor of this module that holds package.json: the repository root. */
export function findRepoRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    if (existsSync(join(dir, 'package.json'))) return dir;
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`No package.json above ${fileURLToPath(import.meta.url)}`);
    dir = parent;
  }
}

/** The path of a file under vendor/, e.g. vendorFile('airbyte-protocol', 'airbyte_protocol.yaml'). */
export function vendorFile(...segments: string[]): string {
  const path = join(findRepoRoot(), 'vendor', ...segments);
  if (!existsSync(path)) throw new VendorFileMissingError(path);
  return path;
}

/** The official Intercom OpenAPI description (API 2.16). */
export const OPENAPI_FILE = ['intercom-openapi', 'api.intercom.io.yaml'] as const;
