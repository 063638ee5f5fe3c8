import tap from 'tap';
import { CDC, config, record, select, state, stream, t, write } from './helpers.js';

const conversations = stream('conversations', { id: t('string'), updated_at: t('integer'), state: t('string'), ...CDC }, { cursor: 'updated_at', history: 'versioned' });
const history = (cfg: ReturnType<typeof config>, table = 'conversations_history', extra = '') =>
  select(
    cfg,
    `SELECT id, ${extra} CAST(_valid_from AS VARCHAR) AS valid_from, CAST(_valid_to AS VARCHAR) AS valid_to, _is_active AS active, _is_deleted AS deleted FROM ${table} ORDER BY id, _valid_from`,
  );

tap.test('SCD2: versions in cursor order whatever the arrival order; valid_to is the next start minus 1 ms', async (tt) => {
  const cfg = config(tt.testdir());
  await write(cfg, [conversations], [
    record('conversations', { id: '1', updated_at: 300, state: 'closed' }),
    record('conversations', { id: '1', updated_at: 100, state: 'open' }),
    state('conversations', { updated_at: 300 }),
  ]);
  // A version that arrives late, in a later write, is slotted in between.
  await write(cfg, [conversations], [record('conversations', { id: '1', updated_at: 200, state: 'snoozed' }), state('conversations', { updated_at: 300 })]);
  tt.same(await history(cfg, 'conversations_history', 'state,'), [
    { id: '1', state: 'open', valid_from: '1970-01-01 00:01:40+00', valid_to: '1970-01-01 00:03:19.999+00', active: false, deleted: false },
    { id: '1', state: 'snoozed', valid_from: '1970-01-01 00:03:20+00', valid_to: '1970-01-01 00:04:59.999+00', active: false, deleted: false },
    { id: '1', state: 'closed', valid_from: '1970-01-01 00:05:00+00', valid_to: null, active: true, deleted: false },
  ]);
  tt.same(await select(cfg, 'SELECT state FROM conversations'), [{ state: 'closed' }], 'the late version does not replace the current row');
});

tap.test('a re-sent identical version is not a new version; a delete closes the key at the deletion time', async (tt) => {
  const cfg = config(tt.testdir());
  const lines = [record('conversations', { id: '1', updated_at: 100, state: 'open' }), record('conversations', { id: '2', updated_at: 100, state: 'open' }), state('conversations', { updated_at: 100 })];
  await write(cfg, [conversations], lines);
  await write(cfg, [conversations], lines);
  await write(cfg, [conversations], [
    record('conversations', { id: '1', updated_at: 500, state: 'open', _ab_cdc_deleted_at: '1970-01-01T00:08:20Z' }),
    state('conversations', { updated_at: 500 }),
  ]);
  tt.same(await history(cfg), [
    { id: '1', valid_from: '1970-01-01 00:01:40+00', valid_to: '1970-01-01 00:08:20+00', active: false, deleted: true },
    { id: '2', valid_from: '1970-01-01 00:01:40+00', valid_to: null, active: true, deleted: false },
  ]);
  // The key comes back: a new active version after the deletion, the deleted one stays closed.
  await write(cfg, [conversations], [record('conversations', { id: '1', updated_at: 900, state: 'open' }), state('conversations', { updated_at: 900 })]);
  tt.same((await history(cfg)).filter((r) => r.id === '1'), [
    { id: '1', valid_from: '1970-01-01 00:01:40+00', valid_to: '1970-01-01 00:08:20+00', active: false, deleted: true },
    { id: '1', valid_from: '1970-01-01 00:15:00+00', valid_to: null, active: true, deleted: false },
  ]);
});

tap.test('snapshot streams: an unchanged row re-read each sync stays one version', async (tt) => {
  const cfg = config(tt.testdir());
  const admins = stream('admins', { id: t('string'), name: t('string'), ...CDC }, { cursor: '_ab_cdc_updated_at', history: 'snapshot' });
  await write(cfg, [admins], [record('admins', { id: 'a', name: 'Ann', _ab_cdc_updated_at: '2026-01-01T00:00:00Z' }), state('admins', {})]);
  await write(cfg, [admins], [record('admins', { id: 'a', name: 'Ann', _ab_cdc_updated_at: '2026-01-02T00:00:00Z' }), state('admins', {})]);
  await write(cfg, [admins], [record('admins', { id: 'a', name: 'Anne', _ab_cdc_updated_at: '2026-01-03T00:00:00Z' }), state('admins', {})]);
  tt.same(await history(cfg, 'admins_history', 'name,'), [
    { id: 'a', name: 'Ann', valid_from: '2026-01-01 00:00:00+00', valid_to: '2026-01-02 23:59:59.999+00', active: false, deleted: false },
    { id: 'a', name: 'Anne', valid_from: '2026-01-03 00:00:00+00', valid_to: null, active: true, deleted: false },
  ]);
});

tap.test('history off: no _history tables', async (tt) => {
  const cfg = config(tt.testdir(), { history_tables: false });
  await write(cfg, [conversations], [record('conversations', { id: '1', updated_at: 1 }), state('conversations', {})]);
  tt.same(await select(cfg, "SELECT count(*) AS n FROM information_schema.tables WHERE table_name LIKE '%_history'"), [{ n: '0' }]);
});

const tags = stream(
  'conversation_tags',
  { conversation_id: t('string'), tag_id: t('string'), conversation_updated_at: t('integer'), ...CDC },
  { pk: ['conversation_id', 'tag_id'], cursor: 'conversation_updated_at', history: 'versioned', link: { parent: 'conversations', parent_key: 'conversation_id', parent_cursor: 'conversation_updated_at' } },
);

for (const mode of ['hard', 'soft'] as const) {
  tap.test(`current-link rule (${mode} deletes): a link left behind by a newer parent, or of a deleted parent, is gone`, async (tt) => {
    const cfg = config(tt.testdir(), { cdc_deletion_mode: mode });
    await write(cfg, [conversations, tags], [
      record('conversations', { id: 'c1', updated_at: 100 }),
      record('conversation_tags', { conversation_id: 'c1', tag_id: 't1', conversation_updated_at: 100 }),
      record('conversation_tags', { conversation_id: 'c1', tag_id: 't2', conversation_updated_at: 100 }),
      record('conversations', { id: 'c2', updated_at: 100 }),
      record('conversation_tags', { conversation_id: 'c2', tag_id: 't1', conversation_updated_at: 100 }),
      state('conversations', { updated_at: 100 }),
    ]);
    // c1 changes and keeps only t1; c2 is deleted.
    await write(cfg, [conversations, tags], [
      record('conversations', { id: 'c1', updated_at: 200 }),
      record('conversation_tags', { conversation_id: 'c1', tag_id: 't1', conversation_updated_at: 200 }),
      record('conversations', { id: 'c2', updated_at: 300, _ab_cdc_deleted_at: '1970-01-01T00:05:00Z' }),
      state('conversations', { updated_at: 300 }),
    ]);
    tt.same(await select(cfg, 'SELECT conversation_id, tag_id, conversation_updated_at FROM conversation_tags ORDER BY ALL'), [
      { conversation_id: 'c1', tag_id: 't1', conversation_updated_at: '200' },
    ]);
    tt.same(
      await select(
        cfg,
        'SELECT conversation_id, tag_id, CAST(_valid_from AS VARCHAR) AS valid_from, CAST(_valid_to AS VARCHAR) AS valid_to, _is_active AS active FROM conversation_tags_history ORDER BY ALL',
      ),
      [
        { conversation_id: 'c1', tag_id: 't1', valid_from: '1970-01-01 00:01:40+00', valid_to: null, active: true },
        { conversation_id: 'c1', tag_id: 't2', valid_from: '1970-01-01 00:01:40+00', valid_to: '1970-01-01 00:03:19.999+00', active: false },
        { conversation_id: 'c2', tag_id: 't1', valid_from: '1970-01-01 00:01:40+00', valid_to: mode === 'hard' ? '1970-01-01 00:05:00+00' : '1970-01-01 00:05:00+00', active: false },
      ],
    );
  });
}

tap.test('current-link rule across commits: later commits check the links of the parents they touch, and those are enough', async (tt) => {
  const cfg = config(tt.testdir());
  const links = () => select(cfg, 'SELECT conversation_id, tag_id, conversation_updated_at FROM conversation_tags ORDER BY ALL');
  const { summary } = await write(cfg, [conversations, tags], [
    record('conversations', { id: 'c1', updated_at: 100 }),
    record('conversation_tags', { conversation_id: 'c1', tag_id: 't1', conversation_updated_at: 100 }),
    record('conversation_tags', { conversation_id: 'c1', tag_id: 't2', conversation_updated_at: 100 }),
    record('conversations', { id: 'c3', updated_at: 300 }),
    record('conversations', { id: 'c4', updated_at: 100 }),
    record('conversation_tags', { conversation_id: 'c4', tag_id: 't1', conversation_updated_at: 100 }),
    state('conversations', { updated_at: 300 }),
    // Later commits: c2 and its tag arrive; c1 moves on without its tags; c4 moves on and keeps t1;
    // a stale tag of c3 arrives on its own.
    record('conversations', { id: 'c2', updated_at: 100 }),
    record('conversation_tags', { conversation_id: 'c2', tag_id: 't1', conversation_updated_at: 100 }),
    state('conversations', { updated_at: 300 }),
    record('conversations', { id: 'c1', updated_at: 200 }),
    state('conversations', { updated_at: 300 }),
    record('conversations', { id: 'c4', updated_at: 200 }),
    record('conversation_tags', { conversation_id: 'c4', tag_id: 't1', conversation_updated_at: 200 }),
    state('conversations', { updated_at: 300 }),
    record('conversation_tags', { conversation_id: 'c3', tag_id: 't9', conversation_updated_at: 200 }),
    state('conversations', { updated_at: 300 }),
  ]);
  tt.ok(summary.commits >= 2, `${summary.commits} commits`);
  tt.same(await links(), [
    { conversation_id: 'c2', tag_id: 't1', conversation_updated_at: '100' },
    { conversation_id: 'c4', tag_id: 't1', conversation_updated_at: '200' },
  ]);
});

tap.test("current-link rule across writes: a write's first check sees links an earlier write left behind", async (tt) => {
  const cfg = config(tt.testdir());
  await write(cfg, [conversations, tags], [
    record('conversations', { id: 'c1', updated_at: 100 }),
    record('conversation_tags', { conversation_id: 'c1', tag_id: 't1', conversation_updated_at: 100 }),
    state('conversations', { updated_at: 100 }),
  ]);
  // A write of the parent alone (say `sync --streams conversations`) moves c1 on; its tag is not in that catalog.
  await write(cfg, [conversations], [record('conversations', { id: 'c1', updated_at: 200 }), state('conversations', { updated_at: 200 })]);
  tt.same(await select(cfg, 'SELECT count(*) AS n FROM conversation_tags'), [{ n: '1' }], 'untouched while the links were not synced');
  // The next write with both touches another conversation only.
  await write(cfg, [conversations, tags], [record('conversations', { id: 'c2', updated_at: 300 }), state('conversations', { updated_at: 300 })]);
  tt.same(await select(cfg, 'SELECT count(*) AS n FROM conversation_tags'), [{ n: '0' }], "c1's tag from before its update is gone");
});

tap.test('current-link rule after an overwrite: the swapped-in parent table is checked against every link', async (tt) => {
  const cfg = config(tt.testdir());
  await write(cfg, [conversations, tags], [
    record('conversations', { id: 'c1', updated_at: 100 }),
    record('conversation_tags', { conversation_id: 'c1', tag_id: 't1', conversation_updated_at: 100 }),
    record('conversation_tags', { conversation_id: 'c1', tag_id: 't2', conversation_updated_at: 100 }),
    state('conversations', { updated_at: 100 }),
  ]);
  // A full refresh of the parent alone (its links kept incremental): c1 has moved on and kept t1 only.
  const fullParent = { ...conversations, sync_mode: 'full_refresh' as const, destination_sync_mode: 'overwrite' as const };
  const complete = JSON.stringify({ type: 'TRACE', trace: { type: 'STREAM_STATUS', emitted_at: 1, stream_status: { stream_descriptor: { name: 'conversations' }, status: 'COMPLETE' } } });
  await write(cfg, [fullParent, tags], [
    record('conversations', { id: 'c1', updated_at: 200 }),
    state('conversations', {}),
    record('conversation_tags', { conversation_id: 'c1', tag_id: 't1', conversation_updated_at: 200 }),
    state('conversation_tags', {}),
    complete,
  ]);
  tt.same(await select(cfg, 'SELECT conversation_id, tag_id, conversation_updated_at FROM conversation_tags ORDER BY ALL'), [
    { conversation_id: 'c1', tag_id: 't1', conversation_updated_at: '200' },
  ]);
  tt.same(await select(cfg, 'SELECT id, updated_at FROM conversations'), [{ id: 'c1', updated_at: '200' }]);
});
