import tap from 'tap';
import { CDC, config, record, select, state, stream, t, write } from './helpers.js';

const props = { id: t('string'), updated_at: t('integer'), name: t('string'), ...CDC };
const contacts = stream('contacts', props, { cursor: 'updated_at', history: 'versioned' });
const rowsOf = (cfg: ReturnType<typeof config>, table = 'contacts') =>
  select(cfg, `SELECT id, updated_at, name, CAST(_ab_cdc_deleted_at AS VARCHAR) AS deleted FROM ${table} ORDER BY id`);

tap.test('append_dedup keeps the latest version by cursor, then by arrival, across checkpoints and writes', async (tt) => {
  const cfg = config(tt.testdir());
  await write(cfg, [contacts], [
    record('contacts', { id: 'a', updated_at: 20, name: 'a@20' }),
    record('contacts', { id: 'a', updated_at: 10, name: 'a@10 (older, later arrival)' }),
    record('contacts', { id: 'b', updated_at: 5, name: 'b first' }),
    record('contacts', { id: 'b', updated_at: 5, name: 'b second (tie: later arrival wins)' }),
    state('contacts', { updated_at: 20 }),
  ]);
  tt.same(await rowsOf(cfg), [
    { id: 'a', updated_at: '20', name: 'a@20', deleted: null },
    { id: 'b', updated_at: '5', name: 'b second (tie: later arrival wins)', deleted: null },
  ]);
  await write(cfg, [contacts], [
    record('contacts', { id: 'a', updated_at: 15, name: 'stale in a later write' }),
    record('contacts', { id: 'b', updated_at: 5, name: 'b re-sent in a later write (tie: later wins)' }),
    record('contacts', { id: 'c', updated_at: 1, name: 'c' }),
    state('contacts', { updated_at: 20 }),
  ]);
  tt.same(await rowsOf(cfg), [
    { id: 'a', updated_at: '20', name: 'a@20', deleted: null },
    { id: 'b', updated_at: '5', name: 'b re-sent in a later write (tie: later wins)', deleted: null },
    { id: 'c', updated_at: '1', name: 'c', deleted: null },
  ]);
});

tap.test('hard mode: a tombstone removes the row; an older tombstone is ignored', async (tt) => {
  const cfg = config(tt.testdir());
  await write(cfg, [contacts], [
    record('contacts', { id: 'a', updated_at: 100, name: 'a' }),
    record('contacts', { id: 'b', updated_at: 100, name: 'b' }),
    state('contacts', { updated_at: 100 }),
    record('contacts', { id: 'a', updated_at: 200, _ab_cdc_deleted_at: '1970-01-01T00:03:20Z' }),
    record('contacts', { id: 'b', updated_at: 50, _ab_cdc_deleted_at: '1970-01-01T00:00:50Z' }),
    record('contacts', { id: 'zz', updated_at: 60, _ab_cdc_deleted_at: '1970-01-01T00:01:00Z' }),
    state('contacts', { updated_at: 200 }),
  ]);
  tt.same(await rowsOf(cfg), [{ id: 'b', updated_at: '100', name: 'b', deleted: null }]);
  const [sync] = await select(cfg, 'SELECT CAST(tombstones AS VARCHAR) AS t FROM _airbyte_syncs');
  tt.equal(sync?.t, '{"contacts":3}');
});

tap.test('soft mode: a tombstone keeps the row with _ab_cdc_deleted_at set and its own columns', async (tt) => {
  const cfg = config(tt.testdir(), { cdc_deletion_mode: 'soft' });
  await write(cfg, [contacts], [
    record('contacts', { id: 'a', updated_at: 100, name: 'a' }),
    record('contacts', { id: 'b', updated_at: 100, name: 'b' }),
    state('contacts', { updated_at: 100 }),
    record('contacts', { id: 'a', updated_at: 200, name: 'a (last known)', _ab_cdc_deleted_at: '1970-01-01T00:03:20Z' }),
    record('contacts', { id: 'b', updated_at: 50, _ab_cdc_deleted_at: '1970-01-01T00:00:50Z' }),
    state('contacts', { updated_at: 200 }),
  ]);
  tt.same(await rowsOf(cfg), [
    { id: 'a', updated_at: '200', name: 'a (last known)', deleted: '1970-01-01 00:03:20+00' },
    { id: 'b', updated_at: '100', name: 'b', deleted: null },
  ]);
});

tap.test('append appends every record; overwrite replaces the table on each write', async (tt) => {
  const cfg = config(tt.testdir());
  const events = stream('activity_logs', { id: t('string'), created_at: t('integer') }, { mode: 'append', cursor: 'created_at', history: 'events' });
  const admins = stream('admins', { id: t('string'), name: t('string') }, { mode: 'overwrite', history: 'snapshot' });
  await write(cfg, [events, admins], [
    record('activity_logs', { id: '1', created_at: 1 }),
    record('activity_logs', { id: '1', created_at: 1 }),
    record('admins', { id: 'x', name: 'X' }),
    record('admins', { id: 'y', name: 'Y' }),
    state('activity_logs', { created_at: 1 }),
  ]);
  await write(cfg, [events, admins], [record('activity_logs', { id: '2', created_at: 2 }), record('admins', { id: 'y', name: 'Y2' }), state('activity_logs', { created_at: 2 })]);
  tt.same(await select(cfg, 'SELECT id FROM activity_logs ORDER BY id'), [{ id: '1' }, { id: '1' }, { id: '2' }]);
  tt.same(await select(cfg, 'SELECT id, name FROM admins ORDER BY id'), [{ id: 'y', name: 'Y2' }]);
  tt.same(await select(cfg, "SELECT count(*) AS n FROM information_schema.tables WHERE table_name = 'activity_logs_history'"), [{ n: '0' }], 'events keep no history');
  await write(cfg, [events, admins], [state('activity_logs', { created_at: 2 })]);
  tt.same(await select(cfg, 'SELECT count(*) AS n FROM admins'), [{ n: '1' }], 'no records and no word that the stream completed: the table stays');
  const complete = JSON.stringify({ type: 'TRACE', trace: { type: 'STREAM_STATUS', emitted_at: 1, stream_status: { stream_descriptor: { name: 'admins' }, status: 'COMPLETE' } } });
  await write(cfg, [events, admins], [complete, state('activity_logs', { created_at: 2 })]);
  tt.same(await select(cfg, 'SELECT count(*) AS n FROM admins'), [{ n: '0' }], 'a completed overwrite stream with no records leaves the table empty');
});

tap.test('records of several streams in one checkpoint, and ISO cursors', async (tt) => {
  const cfg = config(tt.testdir());
  const tags = stream('tags', { id: t('string'), name: t('string'), ...CDC }, { cursor: '_ab_cdc_updated_at', history: 'snapshot' });
  await write(cfg, [contacts, tags], [
    record('tags', { id: '1', name: 'old', _ab_cdc_updated_at: '2026-01-02T00:00:00Z' }),
    record('contacts', { id: 'a', updated_at: 1, name: 'a' }),
    record('tags', { id: '1', name: 'older but later', _ab_cdc_updated_at: '2026-01-01T00:00:00Z' }),
    state('tags', {}),
  ]);
  tt.same(await select(cfg, 'SELECT id, name FROM tags'), [{ id: '1', name: 'old' }]);
  tt.same(await select(cfg, 'SELECT id FROM contacts'), [{ id: 'a' }]);
});

tap.test('a configured stream without primary_key or cursor_field uses the source-defined ones', async (tt) => {
  const cfg = config(tt.testdir());
  const bare = stream('contacts', props, { cursor: 'updated_at' });
  delete bare.primary_key;
  delete bare.cursor_field;
  bare.stream.source_defined_primary_key = [['id']];
  bare.stream.default_cursor_field = ['updated_at'];
  await write(cfg, [bare], [record('contacts', { id: 'a', updated_at: 2, name: 'new' }), record('contacts', { id: 'a', updated_at: 1, name: 'old' }), state('contacts', {})]);
  tt.same(await select(cfg, 'SELECT id, name FROM contacts'), [{ id: 'a', name: 'new' }]);
});

tap.test('bad input after an overwrite stream\'s records keeps the table it replaces', async (tt) => {
  const cfg = config(tt.testdir());
  const admins = stream('admins', { id: t('string'), name: t('string') }, { mode: 'overwrite', history: 'snapshot' });
  await write(cfg, [contacts, admins], [record('admins', { id: 'x', name: 'X' }), state('admins', {})]);
  await tt.rejects(write(cfg, [contacts, admins], [record('contacts', { id: 'a', updated_at: 1 }), state('contacts', { updated_at: 1 }), record('admins', { id: 'y' }), 'not json'], 1000));
  tt.same(await select(cfg, 'SELECT id FROM admins'), [{ id: 'x' }], 'the half-read overwrite did not empty the table');
  tt.same(await select(cfg, 'SELECT id FROM contacts'), [{ id: 'a' }], 'the complete checkpoint was committed');
});

const status = (name: string, value: 'STARTED' | 'COMPLETE' | 'INCOMPLETE') =>
  JSON.stringify({ type: 'TRACE', trace: { type: 'STREAM_STATUS', emitted_at: 1, stream_status: { stream_descriptor: { name }, status: value } } });
const savedState = async (cfg: ReturnType<typeof config>, name: string) =>
  (await select(cfg, `SELECT CAST(json_extract(state, '$.stream.stream_state') AS VARCHAR) AS s FROM _airbyte_state WHERE stream_name = '${name}'`))[0]?.s;
const echoed = (states: Array<{ stream?: { stream_descriptor: { name: string }; stream_state?: unknown } }>) =>
  states.map((s) => `${s.stream?.stream_descriptor.name}:${JSON.stringify(s.stream?.stream_state)}`);

tap.test('overwrite: the new table is swapped in by the commit that ends a write that completed the stream, and its states wait for the swap', async (tt) => {
  const cfg = config(tt.testdir());
  const admins = stream('admins', { id: t('string'), name: t('string') }, { mode: 'overwrite', history: 'snapshot' });
  await write(cfg, [contacts, admins], [record('admins', { id: 'x', name: 'X' }), record('admins', { id: 'y', name: 'Y' }), status('admins', 'COMPLETE'), state('admins', { n: 1 })]);
  tt.same(await select(cfg, 'SELECT id FROM admins ORDER BY id'), [{ id: 'x' }, { id: 'y' }]);

  // Several commits (one per STATE), then the source gives up on the stream.
  const failed = await write(cfg, [contacts, admins], [
    status('admins', 'STARTED'),
    record('admins', { id: 'z', name: 'Z' }),
    state('admins', { n: 2 }),
    record('contacts', { id: 'a', updated_at: 1, name: 'a' }),
    state('contacts', { updated_at: 1 }),
    record('admins', { id: 'w', name: 'W' }),
    state('admins', { n: 3 }),
    status('admins', 'INCOMPLETE'),
  ]);
  tt.ok(failed.summary.commits >= 2, `${failed.summary.commits} commits`);
  tt.same(await select(cfg, 'SELECT id FROM admins ORDER BY id'), [{ id: 'x' }, { id: 'y' }], 'the table of the last complete write stays whole');
  tt.equal(await savedState(cfg, 'admins'), '{"n":1}', "the saved state still describes that table: the next write starts the stream over");
  tt.same(echoed(failed.states), ['contacts:{"updated_at":1}'], "the overwrite stream's states were never echoed; the other stream's were");
  tt.same(await select(cfg, 'SELECT id FROM contacts'), [{ id: 'a' }]);
  tt.match(failed.logs.find(([level]) => level === 'WARN')?.[1] ?? '', /stream "admins": the source did not report it complete.*2 records/);
  tt.same(await select(cfg, "SELECT count(*) AS n FROM information_schema.tables WHERE table_name LIKE '_airbyte_overwrite_%'"), [{ n: '0' }], 'no table is left behind');

  const done = await write(cfg, [contacts, admins], [record('admins', { id: 'q', name: 'Q' }), state('admins', { n: 4 }), record('admins', { id: 'r', name: 'R' }), state('admins', { n: 5 }), status('admins', 'COMPLETE')]);
  tt.same(await select(cfg, 'SELECT id FROM admins ORDER BY id'), [{ id: 'q' }, { id: 'r' }], 'a completed write replaces the table');
  tt.equal(await savedState(cfg, 'admins'), '{"n":5}');
  tt.same(echoed(done.states), ['admins:{"n":4}', 'admins:{"n":5}'], 'the held states are echoed, in order, once the swap is committed');
  tt.same(await select(cfg, 'SELECT string_agg(id, \',\' ORDER BY id) AS ids FROM admins_history'), [{ ids: 'q,r,w,x,y,z' }], 'history keeps every version read, swapped in or not');
});

tap.test('overwrite: a write that fails on bad input after several commits leaves the table and its state as they were', async (tt) => {
  const cfg = config(tt.testdir());
  const admins = stream('admins', { id: t('string'), name: t('string') }, { mode: 'overwrite', history: 'snapshot' });
  await write(cfg, [admins], [record('admins', { id: 'x', name: 'X' }), state('admins', { n: 1 })]);
  const lines = [record('admins', { id: 'y', name: 'Y' }), state('admins', { n: 2 }), record('admins', { id: 'z', name: 'Z' }), state('admins', { n: 3 }), 'not json'];
  await tt.rejects(write(cfg, [admins], lines), /line 5/);
  tt.same(await select(cfg, 'SELECT id FROM admins'), [{ id: 'x' }]);
  tt.equal(await savedState(cfg, 'admins'), '{"n":1}');
  tt.same(await select(cfg, "SELECT count(*) AS n FROM information_schema.tables WHERE table_name LIKE '_airbyte_overwrite_%'"), [{ n: '0' }]);
});
