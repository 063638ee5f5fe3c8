/**
 * The log across restarts: a torn tail is cut and the valid prefix survives,
 * damage in the middle stops start-up, retention drops old segments and says so,
 * a redelivery after a restart is stored once, and sequence numbers keep rising.
 */
import { appendFileSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import t from 'tap';
import { LogCorruptError } from '../src/errors.js';
import { deliver, envelope, readAll } from './support/http.js';
import { inProcessRelay, tempDir } from './support/relay.js';

function segments(dir: string): string[] {
  return readdirSync(dir).filter((n) => n.endsWith('.log')).sort();
}

function lastNonEmptySegment(dir: string): string {
  const names = segments(dir).filter((n) => statSync(join(dir, n)).size > 0);
  return join(dir, names[names.length - 1]!);
}

async function fill(url: string, from: number, to: number, overrides: Record<string, unknown> = {}): Promise<void> {
  for (let i = from; i < to; i += 1) {
    const answer = await deliver(url, envelope(i, overrides));
    if (answer.status !== 200) throw new Error(`delivery ${i} answered ${answer.status}`);
  }
}

t.test('a torn tail is cut at start-up, the valid prefix survives and new appends work', async (t) => {
  const dir = tempDir(t);
  const first = await inProcessRelay(t, dir);
  await fill(first.url, 0, 10);
  await first.close();
  const file = lastNonEmptySegment(dir);
  const validSize = statSync(file).size;
  const torn = readFileSync(file).subarray(0, 90); // the start of an entry, as a crash mid-write leaves it
  appendFileSync(file, Buffer.concat([torn, Buffer.from([0, 0, 0, 0])]));

  const second = await inProcessRelay(t, dir);
  t.match(second.logs.join('\n'), /cut a torn tail of 94 bytes/, 'the cut is logged with its size');
  t.equal(statSync(file).size, validSize, 'the file is back to its valid prefix');
  const before = await readAll(second.url);
  t.same(before.map((e) => e.id), Array.from({ length: 10 }, (_, i) => `notif_${i}`), 'every acknowledged event survives');
  await fill(second.url, 10, 13);
  const after = await readAll(second.url);
  t.equal(after.length, 13, 'appends after recovery are stored');
  t.ok(after.every((e, i) => i === 0 || e.seq > after[i - 1]!.seq), 'sequence numbers strictly increase');
});

t.test('a last line of garbage without a newline is a torn tail too', async (t) => {
  const dir = tempDir(t);
  const first = await inProcessRelay(t, dir);
  await fill(first.url, 0, 3);
  await first.close();
  appendFileSync(lastNonEmptySegment(dir), 'garbage-bytes');
  const second = await inProcessRelay(t, dir);
  t.equal((await readAll(second.url)).length, 3);
  t.match(second.logs.join('\n'), /unterminated entry/);
});

t.test('a checksum mismatch with valid entries after it stops start-up, naming the place', async (t) => {
  const dir = tempDir(t);
  const first = await inProcessRelay(t, dir);
  await fill(first.url, 0, 5);
  await first.close();
  const file = lastNonEmptySegment(dir);
  const bytes = readFileSync(file);
  const lines = bytes.toString('utf8').split('\n');
  lines[2] = lines[2]!.replace('contact_2', 'contact_X'); // same length, different bytes: bit rot
  writeFileSync(file, lines.join('\n'));
  await t.rejects(inProcessRelay(t, dir), LogCorruptError, 'start-up refuses a corrupt log');
  await t.rejects(inProcessRelay(t, dir), { message: /checksum or shape does not verify at byte \d+.*next valid: seq 4/ });
  t.equal(readFileSync(file).length, bytes.length, 'nothing was cut: the entries after the damage are kept');
});

t.test('corruption that appears while running is caught when the entry is read', async (t) => {
  const dir = tempDir(t);
  const relay = await inProcessRelay(t, dir);
  await fill(relay.url, 0, 3);
  const file = lastNonEmptySegment(dir);
  writeFileSync(file, readFileSync(file).toString('utf8').replace('contact_1', 'contact_Y'));
  await t.rejects(readAll(relay.url), { message: /read API answered 500/ });
  t.match(relay.logs.join('\n'), /does not verify/);
});

t.test('a redelivery is stored once, also across a restart', async (t) => {
  const dir = tempDir(t);
  const first = await inProcessRelay(t, dir);
  const a = await deliver(first.url, envelope(1));
  const again = await deliver(first.url, envelope(1));
  t.same([a.status, again.status], [200, 200], 'both acknowledged');
  t.equal(JSON.parse(again.body).duplicate, true);
  const otherApp = await deliver(first.url, envelope(1, { app_id: 'app_two' }));
  t.equal(JSON.parse(otherApp.body).duplicate, false, 'the same id from another app is another event');
  await first.close();

  const second = await inProcessRelay(t, dir);
  const third = await deliver(second.url, envelope(1));
  t.equal(third.status, 200);
  t.equal(JSON.parse(third.body).duplicate, true, 'still a duplicate after the restart');
  const events = await readAll(second.url);
  t.same(events.map((e) => [e.app_id, e.id]), [['app_one', 'notif_1'], ['app_two', 'notif_1']]);
  t.same((await readAll(second.url, 'app_two')).map((e) => e.app_id), ['app_two'], 'the app_id filter routes by app');
});

t.test('concurrent copies of one notification are stored once', async (t) => {
  const dir = tempDir(t);
  const relay = await inProcessRelay(t, dir);
  const answers = await Promise.all(Array.from({ length: 20 }, () => deliver(relay.url, envelope(7))));
  t.ok(answers.every((a) => a.status === 200));
  t.equal(answers.filter((a) => JSON.parse(a.body).duplicate === false).length, 1, 'one stored, the rest duplicates');
  t.equal((await readAll(relay.url)).length, 1);
});

t.test('retention removes segments older than the period and logs it; sequence numbers keep rising', async (t) => {
  const dir = tempDir(t);
  const day = 86_400_000;
  let clock = Date.parse('2026-01-01T00:00:00Z');
  const now = (): number => clock;
  const first = await inProcessRelay(t, dir, { now, retentionDays: 30 });
  await fill(first.url, 0, 4);
  clock += 10 * day;
  await fill(first.url, 4, 6); // the segment is a day old: this write opens a new one
  await first.close();
  t.equal(segments(dir).length, 2);

  clock += 25 * day; // the first 4 are 35 days old, the next 2 are 25
  const second = await inProcessRelay(t, dir, { now, retentionDays: 30 });
  const left = await readAll(second.url);
  t.same(left.map((e) => e.id), ['notif_4', 'notif_5'], 'only events inside the period remain');
  t.match(second.logs.join('\n'), /retention: removed events-0000000000000001\.log \(4 events up to seq 4/);
  const next = await deliver(second.url, envelope(99));
  t.equal(JSON.parse(next.body).seq, 7, 'the next sequence number follows the last one ever assigned');
  await second.close();

  clock += 40 * day; // everything expired, even the newest segment
  const third = await inProcessRelay(t, dir, { now, retentionDays: 30 });
  t.same(await readAll(third.url), []);
  const after = await deliver(third.url, envelope(100));
  t.equal(JSON.parse(after.body).seq, 8, 'sequence numbers survive a log emptied by retention');
});
