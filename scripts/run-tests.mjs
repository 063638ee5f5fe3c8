#!/usr/bin/env node
// Runs the test suite with tap and ends with one line: "N passed, M failed"
// (N and M count test files; skipped files are listed just before and counted
// in neither). Extra arguments go to tap (e.g. a test file).
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';

const args = ['tap', '--reporter=tap', '--disable-coverage', ...process.argv.slice(2)];
const child = spawn('npx', args, { stdio: ['ignore', 'pipe', 'inherit'] });
let passed = 0;
let failed = 0;
const failures = [];
const skipped = [];
createInterface({ input: child.stdout }).on('line', (line) => {
  process.stdout.write(line + '\n');
  const top = /^(not )?ok \d+ - (.*?)(?: # (.*))?$/.exec(line);
  if (!top) return;
  if (!top[1] && /^SKIP/i.test(top[3] ?? '')) {
    skipped.push(top[2]);
  } else if (top[1]) {
    failed += 1;
    failures.push(top[2]);
  } else {
    passed += 1;
  }
});
child.on('close', (code) => {
  if (skipped.length) process.stdout.write(`\nSkipped: ${skipped.join(', ')}\n`);
  if (failures.length) process.stdout.write(`\nFailed: ${failures.join(', ')}\n`);
  if (code !== 0 && failed === 0) failed = 1;
  process.stdout.write(`${passed} passed, ${failed} failed\n`);
  process.exit(failed > 0 ? 1 : 0);
});
