#!/usr/bin/env node
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
