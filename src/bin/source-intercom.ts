#!/usr/bin/env -S MALLOC_MMAP_THRESHOLD_=131072 node --max-semi-space-size=4
// The variable and the flag keep peak memory flat (see node-flags.ts); the Dockerfile sets them too.
import { main } from '../app/cli.js';

/** The last line of defence: anything that escapes `main` becomes an ERROR trace, never a bare stack trace. */
function crash(err: unknown): void {
  const message = err instanceof Error ? err.message : String(err);
  const trace = {
    type: 'TRACE',
    trace: { type: 'ERROR', emitted_at: Date.now(), error: { message: `Unexpected error: ${message}`, failure_type: 'system_error' } },
  };
  process.stdout.write(`${JSON.stringify(trace)}\n`, () => process.exit(1));
}

// `read | head`: once the reader of stdout is gone, nothing more can be delivered; stop at once.
process.stdout.on('error', (err: NodeJS.ErrnoException) => {
  if (err.code !== 'EPIPE') return crash(err);
  process.stderr.write('source-intercom: stdout was closed before the output was complete (EPIPE); stopped. The output that was read is incomplete.\n');
  process.exit(1);
});

process.on('uncaughtException', crash);
process.on('unhandledRejection', crash);

// Until main says otherwise: a run that ends without finishing (a promise left waiting on nothing) is a failure, not a success.
process.exitCode = 1;
main(process.argv.slice(2)).then((code) => {
  process.exitCode = code;
}, crash);
