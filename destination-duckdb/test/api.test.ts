import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import tap from 'tap';
import { formatTable, loadSavedState, runQuery } from '../src/index.js';
import { openDatabase, ROW_GROUP_SIZE, rows } from '../src/database.js';
import { CLI, runCli } from './cli.js';
import { CDC, config, record, state, stream, t, write } from './helpers.js';

const contacts = stream('contacts', { id: t('string'), updated_at: t('integer'), name: t('string'), ...CDC }, { cursor: 'updated_at', history: 'versioned' });
const admins = stream('admins', { id: t('string'), name: t('string') }, { mode: 'overwrite', history: 'snapshot' });

tap.test('loadSavedState returns the last committed state of each stream', async (tt) => {
  const cfg = config(tt.testdir());
  tt.same(await loadSavedState(cfg), [], 'no database yet: nothing to resume from');
  await write(cfg, [contacts, admins], [
    record('contacts', { id: 'a', updated_at: 1 }),
    state('contacts', { updated_at: 1 }),
    record('contacts', { id: 'b', updated_at: 2 }),
    state('contacts', { updated_at: 2 }),
    record('admins', { id: 'x' }),
    state('admins', { done: true }),
  ]);
  tt.same(await loadSavedState(cfg), [
    { type: 'STREAM', stream: { stream_descriptor: { name: 'admins' }, stream_state: { done: true } } },
    { type: 'STREAM', stream: { stream_descriptor: { name: 'contacts' }, stream_state: { updated_at: 2 } } },
  ]);
});

tap.test('formatTable aligns columns, right-aligns numbers and counts rows', async (tt) => {
  tt.equal(
    formatTable([
      { name: 'Alice', closed: 12, note: null },
      { name: 'Bo', closed: 3, note: 'on\nleave' },
    ]),
    ['name  | closed | note', '------+--------+----------', 'Alice |     12 |', 'Bo    |      3 | on\\nleave', '(2 rows)'].join('\n'),
  );
  tt.equal(formatTable([], ['a']), ['a', '-', '(0 rows)'].join('\n'));
});

tap.test('runQuery reads a database read-only, and the query command prints a table', async (tt) => {
  const dir = tt.testdir();
  const cfg = config(dir);
  await write(cfg, [contacts], [record('contacts', { id: 'a', updated_at: 1, name: 'Ann' }), record('contacts', { id: 'b', updated_at: 2, name: 'Ben' }), state('contacts', {})]);
  const result = await runQuery(cfg.database, 'SELECT id, updated_at FROM contacts ORDER BY id');
  tt.same(result, { columns: ['id', 'updated_at'], rows: [{ id: 'a', updated_at: '1' }, { id: 'b', updated_at: '2' }] });
  await tt.rejects(runQuery(cfg.database, 'DELETE FROM contacts'), /read-only/i);
  const [setting] = (await runQuery(cfg.database, "SELECT current_setting('memory_limit') AS m")).rows;
  tt.not(setting?.m, '122.0 MiB', "a query is not held to a write's 128 MB ceiling");
  const run = runCli(['query', '--database', cfg.database, 'SELECT id, name FROM contacts ORDER BY id']);
  tt.equal(run.status, 0, run.stderr);
  tt.equal(run.stdout, ['id | name', '---+-----', 'a  | Ann', 'b  | Ben', '(2 rows)', ''].join('\n'));
  const bad = runCli(['query', '--database', cfg.database, 'SELECT nope FROM contacts']);
  tt.equal(bad.status, 1);
  tt.match(bad.stderr, /query failed: .*nope/);
  tt.equal(bad.stdout, '');
});

tap.test('the models command builds the models on demand', async (tt) => {
  const dir = tt.testdir();
  const cfg = config(dir);
  await write(cfg, [contacts], [record('contacts', { id: 'a', updated_at: 1, name: 'Ann' }), state('contacts', {})]);
  const configPath = join(dir, 'config.json');
  writeFileSync(configPath, JSON.stringify({ database: cfg.database }));
  const run = runCli(['models', '--config', configPath]);
  tt.equal(run.status, 0, run.stderr);
  const result = await runQuery(cfg.database, 'SELECT contact_id, contact_name FROM intercom__contact_enhanced');
  tt.same(result.rows, [{ contact_id: 'a', contact_name: 'Ann' }]);
});

tap.test("DuckDB's allocator returns freed memory at once unless the user configured it", async (tt) => {
  // This process imported the package above: the setting was made before DuckDB's library loaded.
  tt.equal(process.env.DUCKDB_JE_MALLOC_CONF, 'dirty_decay_ms:0,muzzy_decay_ms:0');
  // The allocator reads the variable when the library loads, and a user's own value is the one it reads.
  const run = spawnSync(process.execPath, [...process.execArgv, CLI, 'spec'], {
    encoding: 'utf8',
    env: { ...process.env, DUCKDB_JE_MALLOC_CONF: 'abort_conf:true,no_such_option:1' },
  });
  tt.not(run.status, 0, 'an invalid setting of the user stops the program');
  tt.match(run.stderr, /no_such_option/);
});

tap.test('a write keeps row groups small, and the file keeps its own name and spill folder', async (tt) => {
  const dir = tt.testdir();
  // A file named like DuckDB's in-memory database, which a write starts from.
  const cfg = config(dir, { database: join(dir, 'memory.duckdb'), models: true });
  const n = ROW_GROUP_SIZE + 5_000;
  const lines = Array.from({ length: n }, (_, i) => record('contacts', { id: `c${i}`, updated_at: i, name: `contact ${i}` }));
  await write(cfg, [contacts], [...lines, state('contacts', { updated_at: n })], 1_000_000);
  const groups = await runQuery(cfg.database, "SELECT row_group_id, max(count) AS n FROM pragma_storage_info('contacts') WHERE column_id = 0 GROUP BY ALL ORDER BY 1");
  tt.ok(groups.rows.length >= 2, `${groups.rows.length} row groups for ${n} rows`);
  tt.ok(groups.rows.every((g) => Number(g.n) <= ROW_GROUP_SIZE), `none holds more than ${ROW_GROUP_SIZE} rows`);
  tt.same((await runQuery(cfg.database, 'SELECT count(*) AS n FROM contacts_history')).rows, [{ n: String(n) }]);
  const [model] = (await runQuery(cfg.database, 'SELECT DISTINCT source_relation FROM intercom__contact_enhanced')).rows;
  tt.equal(model?.source_relation, 'memory.main', "the models' source_relation names the file as DuckDB does");
  const db = await openDatabase(cfg.database);
  try {
    const [setting] = await rows(db.connection, "SELECT current_setting('temp_directory') AS t");
    tt.equal(setting?.t, `${cfg.database}.tmp`, 'DuckDB spills beside the file, not into the working folder');
  } finally {
    db.close();
  }
});
