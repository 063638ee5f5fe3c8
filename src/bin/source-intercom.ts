#!/usr/bin/env -S node --max-semi-space-size=4
// The flag keeps peak memory flat (see node-flags.ts); the Dockerfile's ENTRYPOINT passes it too.
import { main } from '../protocol/cli.js';

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  () => {
    // main never rejects; this is the last line of defence against a bare stack trace.
    process.exitCode = 1;
  },
);
