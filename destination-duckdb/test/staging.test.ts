import tap from 'tap';
import { writeMessages } from '../src/index.js';
import { ROW_GROUP_SIZE } from '../src/database.js';
import { splitRecordLine } from '../src/record-line.js';
import { config, record, select, state, stream, t, write } from './helpers.js';

const events = stream(
  'events',
  { id: t('string'), updated_at: t('integer'), seen_at: t('string', 'date-time'), score: t('number'), ok: t('boolean'), note: t('string'), tags: { type: ['null', 'array'] } },
  { cursor: 'updated_at' },
);

const rows = [
  { id: 'a', updated_at: 1, seen_at: '2024-01-02T03:04:05.123456Z', score: 1.5, ok: true, note: 'plain', tags: ['x'] },
  { id: 'b', updated_at: 2, seen_at: 1_700_000_000.25, score: 2, ok: false, note: 7, tags: [] },
  { id: 'c', updated_at: 3, seen_at: null, score: null, ok: null, note: { nested: ['é', '"q"'] } },
];
const ALL = `SELECT id, updated_at, CAST(seen_at AS VARCHAR) AS seen_at, score, ok, note, CAST(tags AS VARCHAR) AS tags, CAST(_airbyte_extracted_at AS VARCHAR) AS x FROM events ORDER BY id`;

tap.test('the canonical layout is split without parsing; any other layout is parsed in full', async (tt) => {
  const line = record('events', { id: 'a' }, 5);
  tt.same(splitRecordLine(line), { stream: 'events', dataText: '{"id":"a"}', emittedAt: 5 });
  tt.equal(splitRecordLine(' ' + line), undefined);
  tt.equal(splitRecordLine('{"type":"RECORD","record":{"stream":"a\\"b","data":{},"emitted_at":1}}'), undefined, 'an escaped name');
  tt.equal(splitRecordLine('{"type":"RECORD","record":{"stream":"s","data":{"a":{"emitted_at":1}}}}'), undefined, 'no emitted_at of the record');
  tt.equal(splitRecordLine('{"type":"RECORD","record":{"stream":"s","data":[],"emitted_at":1}}'), undefined, 'data that is no object');
});

tap.test('records in any layout land as the same typed rows', async (tt) => {
  const canonical = rows.map((r) => record('events', r));
  const other = rows.map((r) => JSON.stringify({ record: { emitted_at: 1_700_000_000_000, data: r, stream: 'events' }, type: 'RECORD' }, null, 1).replaceAll('\n', ' '));
  const a = config(tt.testdir());
  const b = config(tt.testdir());
  await write(a, [events], [...canonical, state('events', { updated_at: 3 })]);
  await write(b, [events], [...other, state('events', { updated_at: 3 })]);
  const got = await select(a, ALL);
  tt.same(got, await select(b, ALL));
  tt.same(got, [
    { id: 'a', updated_at: '1', seen_at: '2024-01-02 03:04:05.123456+00', score: 1.5, ok: true, note: 'plain', tags: '["x"]', x: '2023-11-14 22:13:20+00' },
    { id: 'b', updated_at: '2', seen_at: '2023-11-14 22:13:20.25+00', score: 2, ok: false, note: '7', tags: '[]', x: '2023-11-14 22:13:20+00' },
    { id: 'c', updated_at: '3', seen_at: null, score: null, ok: null, note: '{"nested":["é","\\"q\\""]}', tags: null, x: '2023-11-14 22:13:20+00' },
  ]);
});

const refused: Array<[string, Record<string, unknown>, RegExp]> = [
  ['a fraction in an integer field is not rounded', { id: 'x', updated_at: 1.5 }, /field "updated_at" must be an integer/],
  ['a numeric string in an integer field', { id: 'x', updated_at: '12' }, /field "updated_at" must be an integer/],
  ['a string in a boolean field', { id: 'x', ok: 'yes' }, /field "ok" must be a boolean/],
  ['a string in a number field', { id: 'x', score: '1.5' }, /field "score" must be a number/],
  ['text that is no date-time', { id: 'x', seen_at: 'soon' }, /field "seen_at" must be an ISO-8601 date-time/],
];

for (const [what, data, expected] of refused) {
  tap.test(`${what}: the write fails naming the line and field`, async (tt) => {
    const cfg = config(tt.testdir());
    await tt.rejects(write(cfg, [events], [record('events', data as never), state('events', { updated_at: 1 })]), { name: 'InputError', message: expected });
    tt.match(String((await select(cfg, 'SELECT error FROM _airbyte_syncs'))[0]?.error), /input line 1 \(stream "events"\)/);
  });
}

tap.test('a canonical line with broken data is refused by its line', async (tt) => {
  const cfg = config(tt.testdir());
  const broken = '{"type":"RECORD","record":{"stream":"events","data":{"id":"x",,"updated_at":1},"emitted_at":1}}';
  await tt.rejects(write(cfg, [events], [record('events', { id: 'a', updated_at: 1 }), state('events', { updated_at: 1 }), broken, state('events', { updated_at: 2 })]), {
    name: 'InputError',
    message: /input line 3 \(stream "events"\): not a JSON message/,
  });
  tt.same(await select(cfg, 'SELECT id FROM events'), [{ id: 'a' }], 'the checkpoint before it stays committed');
});

// Loads start at every record, or whenever DuckDB has nothing else to run.
const loadTriggers = { 'every record': { loadEveryBytes: 1 }, 'when idle': { loadEveryBytes: 2 ** 40, loadWhenIdleBytes: 1 } };
for (const [when, trigger] of Object.entries(loadTriggers)) {
  for (const commitEveryRecords of [1, 1_000]) {
    tap.test(`a bad record found by a background load (${when}, commits every ${commitEveryRecords} records): the checkpoints before it are committed, nothing after`, async (tt) => {
      const cfg = config(tt.testdir());
      const lines: string[] = [];
      for (let i = 1; i <= 40; i++) {
        lines.push(record('events', i === 23 ? { id: `r${i}`, updated_at: 0.5 } : { id: `r${i}`, updated_at: i }));
        if (i % 5 === 0) lines.push(state('events', { updated_at: i }));
      }
      const states: unknown[] = [];
      await tt.rejects(
        writeMessages({
          config: cfg,
          catalog: { streams: [events] },
          input: (async function* () {
            yield* lines;
          })(),
          onState: (s) => states.push(s.stream?.stream_state),
          // Commits run in the background at every STATE, or wait for the end.
          ...trigger,
          commitEveryRecords,
          commitEveryMs: 60_000,
        }),
        { name: 'InputError', message: /input line 27 \(stream "events"\): record does not fit the stream's schema: field "updated_at" must be an integer/ },
      );
      tt.same(states, [{ updated_at: 5 }, { updated_at: 10 }, { updated_at: 15 }, { updated_at: 20 }]);
      tt.same(await select(cfg, 'SELECT count(*) AS n, max(updated_at) AS last FROM events'), [{ n: '20', last: '20' }]);
      tt.same(await select(cfg, "SELECT json_extract(state, '$.stream.stream_state.updated_at') AS v FROM _airbyte_state"), [{ v: '20' }]);
    });
  }
}

tap.test('a STATE that comes while a commit runs, from a source that then goes quiet, is committed without waiting for more input', async (tt) => {
  const cfg = config(tt.testdir());
  const echoed: unknown[] = [];
  let sawSecond: () => void = () => undefined;
  const second = new Promise<void>((resolve) => (sawSecond = resolve));
  let quiet = '';
  await writeMessages({
    config: cfg,
    catalog: { streams: [events] },
    input: (async function* () {
      // The first STATE starts a commit; the second comes at once, while that commit runs.
      yield record('events', { id: 'a', updated_at: 1 });
      yield state('events', { updated_at: 1 });
      yield record('events', { id: 'b', updated_at: 2 });
      yield state('events', { updated_at: 2 });
      // Then nothing more until the second state is echoed (or 20 s pass).
      let timer: NodeJS.Timeout | undefined;
      quiet = await Promise.race([second.then(() => 'ended by the echo'), new Promise<string>((resolve) => (timer = setTimeout(() => resolve('ended by the timeout'), 20_000)))]);
      clearTimeout(timer);
    })(),
    onState: (s) => {
      echoed.push(s.stream?.stream_state);
      if (echoed.length === 2) sawSecond();
    },
    commitEveryRecords: 1,
    commitEveryMs: 200,
  });
  tt.equal(quiet, 'ended by the echo', 'the second state was committed while the source was quiet');
  tt.same(echoed, [{ updated_at: 1 }, { updated_at: 2 }]);
});

tap.test('a commit of more than a row group waits for a STATE that leaves its last row group more than half full', async (tt) => {
  const G = ROW_GROUP_SIZE;
  const total = 4 * G;
  const lines: string[] = [];
  for (let n = 1; n <= total; n += 1) {
    lines.push(record('events', { id: `e${n}`, updated_at: n }));
    if (n % 1_000 === 0 || n === total) lines.push(state('events', { updated_at: n }));
  }
  // States echoed in one synchronous run came from one commit.
  const commits: number[][] = [];
  let open = false;
  const cfg = config(tt.testdir());
  const summary = await writeMessages({
    config: cfg,
    catalog: { streams: [events] },
    input: (async function* () {
      yield* lines;
    })(),
    onState: (s) => {
      if (!open) {
        commits.push([]);
        open = true;
        setImmediate(() => (open = false));
      }
      commits[commits.length - 1]?.push(Number((s.stream?.stream_state as { updated_at: number }).updated_at));
    },
    commitEveryRecords: G + 1_000,
  });
  tt.ok(summary.commits >= 3, `${summary.commits} commits`);
  const ends = commits.map((c) => c[c.length - 1] ?? 0);
  tt.same(commits.flat(), Array.from({ length: Math.ceil(total / 1_000) }, (_, i) => Math.min(total, (i + 1) * 1_000)), 'every state, once, in order');
  for (const [i, end] of ends.slice(0, -1).entries()) {
    const rowsIn = end - (i === 0 ? 0 : (ends[i - 1] ?? 0));
    tt.ok(rowsIn % G > G / 2, `commit ${i + 1} took ${rowsIn} rows, leaving ${rowsIn % G} in its last row group`);
  }
  tt.same(await select(cfg, 'SELECT count(*)::INT AS n, count(DISTINCT id)::INT AS ids FROM events'), [{ n: total, ids: total }]);
});
