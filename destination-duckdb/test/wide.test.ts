import { join } from 'node:path';
import tap from 'tap';
import { openDatabase, rows } from '../src/database.js';
import { MemoryCeiling } from '../src/memory.js';
import type { JsonObject } from '../src/protocol.js';
import { CDC, config, record, select, state, stream, t, write } from './helpers.js';

// A workspace with many custom attributes, flattened into columns: DuckDB needs far more
// than its default memory ceiling to load and merge such rows.
const COLUMNS = 300;
const props: Record<string, JsonObject> = { id: t('string'), updated_at: t('integer'), ...CDC };
for (let i = 0; i < COLUMNS; i++) props[`custom_${i}`] = i % 3 === 0 ? t('integer') : i % 3 === 1 ? t('string') : t('boolean');
const contacts = stream('contacts', props, { cursor: 'updated_at', history: 'versioned' });

function contact(n: number): JsonObject {
  const data: JsonObject = { id: `c${n}`, updated_at: 1_700_000_000 + n };
  for (let i = 0; i < COLUMNS; i++) data[`custom_${i}`] = i % 3 === 0 ? n * i : i % 3 === 1 ? `value ${n} of attribute ${i}` : n % 2 === 0;
  return data;
}

tap.test('a stream of 300 columns is written whole: DuckDB gets the memory it needs, and the write says so', async (tt) => {
  const cfg = config(tt.testdir());
  const lines: string[] = [];
  const count = 12_000;
  for (let n = 0; n < count; n++) {
    lines.push(record('contacts', contact(n)));
    if (n % 4_000 === 3_999) lines.push(state('contacts', { updated_at: 1_700_000_000 + n }));
  }
  const { summary, logs } = await write(cfg, [contacts], lines, 100_000);
  tt.equal(summary.records.contacts, count);
  tt.same(await select(cfg, 'SELECT count(*) AS n, count(DISTINCT id) AS ids, sum(custom_3) AS s FROM contacts'), [{ n: String(count), ids: String(count), s: String(3 * ((count - 1) * count) / 2) }]);
  tt.same(await select(cfg, 'SELECT count(*) AS n FROM contacts_history WHERE _is_active'), [{ n: String(count) }]);
  tt.same(await select(cfg, "SELECT custom_1, custom_2 FROM contacts WHERE id = 'c7'"), [{ custom_1: 'value 7 of attribute 1', custom_2: false }]);
  tt.ok(logs.some(([level, m]) => level === 'WARN' && /memory_limit/.test(m)), 'the raised memory ceiling is reported');
});

tap.test('the memory ceiling doubles on DuckDB out-of-memory errors, undoing each attempt, and stops with a clear error', async (tt) => {
  const db = await openDatabase(join(tt.testdir(), 'ceiling.duckdb'));
  tt.teardown(() => db.close());
  const logs: string[] = [];
  const limit = async () => (await rows(db.connection, "SELECT current_setting('memory_limit') AS m"))[0]?.m;
  const oom = () => new Error('Out of Memory Error: could not allocate block of size 256.0 KiB (122.0 MiB/122.0 MiB used)');

  const ceiling = new MemoryCeiling(db.connection, (_, m) => logs.push(m), 512);
  let attempts = 0;
  let undone = 0;
  const result = await ceiling.run(
    'loading stream "contacts"',
    async () => {
      attempts += 1;
      if (attempts < 3) throw oom();
      return 'loaded';
    },
    async () => void (undone += 1),
  );
  tt.equal(result, 'loaded');
  tt.equal(attempts, 3);
  tt.equal(undone, 2, 'each failed attempt was undone before the next');
  tt.equal(ceiling.limitMb, 512);
  tt.match(await limit(), /^(512\.0 MiB|488\.2 MiB)$/, "DuckDB's setting follows");
  tt.same(logs, [
    `loading stream "contacts" needed more than 128 MB: DuckDB's memory_limit is now 256 MB for the rest of this write`,
    `loading stream "contacts" needed more than 256 MB: DuckDB's memory_limit is now 512 MB for the rest of this write`,
  ]);

  await tt.rejects(
    ceiling.run('merging staged records', async () => {
      throw oom();
    }),
    { name: 'DestinationError', failureType: 'system_error', message: /^merging staged records: DuckDB ran out of memory even at 512 MB, half of this machine's memory\. Give the machine more memory/ },
    'at the top no more tries: a message that says what to do',
  );
  await tt.rejects(
    ceiling.run('x', async () => {
      throw new Error('Conversion Error: not a number');
    }),
    { message: 'Conversion Error: not a number' },
    'any other error passes through untouched',
  );
});
