/** Run as a child process by test/unit/temp-dirs.test.ts: writes a temporary file, prints its folder, exits. */
import { dirname } from 'node:path';
import { tempJson } from './connector.js';

process.stdout.write(`${dirname(tempJson('probe.json', { ok: true }))}\n`);
