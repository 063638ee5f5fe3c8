import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const USAGE = `Usage: source-intercom COMMAND [OPTIONS]

Airbyte protocol commands (stdout carries only Airbyte messages, one JSON per line):
  spec                                        print the connector specification
  check    --config FILE                      test the token, the region and the permissions
  discover --config FILE                      print the catalog of streams and their schemas
  read     --config FILE --catalog FILE [--state FILE]
                                              read the streams the configured catalog selects

Helpers for running the connector by hand:
  catalog  --config FILE [--streams a,b] [--mode incremental|full_refresh]
                                              discover, then print a configured catalog for read
                                              (all streams unless --streams; incremental where a
                                              stream supports it unless --mode full_refresh)
  state    < read-output.jsonl > state.json   print the last STATE of each stream of a read's
                                              output, as --state takes it for the next read

  help, --help, -h                            print this text
  --version                                   print the connector's version

Progress, retries and a summary of each read go to stderr.
Documentation: https://github.com/source-intercom/source-intercom#readme
`;

/** The version in the connector's package.json, found above this file in the source tree and in dist/. */
export function packageVersion(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 6; i++) {
    const file = join(dir, 'package.json');
    if (existsSync(file)) {
      const pkg = JSON.parse(readFileSync(file, 'utf8')) as { name?: unknown; version?: unknown };
      if (pkg.name === 'source-intercom' && typeof pkg.version === 'string') return pkg.version;
    }
    dir = dirname(dir);
  }
  return 'unknown';
}
