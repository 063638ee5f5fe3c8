import tap from 'tap';
import { config, record, select, state, stream, t, write } from './helpers.js';

tap.test('a later catalog adds columns and widens types; nothing is dropped', async (tt) => {
  const cfg = config(tt.testdir());
  const v1 = stream('companies', { id: t('string'), updated_at: t('integer'), size: t('integer'), note: t('string') }, { cursor: 'updated_at', history: 'versioned' });
  await write(cfg, [v1], [record('companies', { id: '1', updated_at: 1, size: 10, note: 'kept' }), state('companies', {})]);
  const v2 = stream('companies', { id: t('string'), updated_at: t('integer'), size: t('number'), plan: t('object'), created: t('string', 'date-time') }, { cursor: 'updated_at', history: 'versioned' });
  const { logs } = await write(cfg, [v2], [record('companies', { id: '2', updated_at: 2, size: 2.5, plan: { name: 'pro' }, created: '2026-03-04T05:06:07Z' }), state('companies', {})]);
  const types = await select(cfg, "SELECT table_name, column_name, data_type FROM information_schema.columns WHERE table_name IN ('companies', 'companies_history') AND column_name IN ('size', 'plan', 'created', 'note') ORDER BY ALL");
  tt.same(types, [
    { table_name: 'companies', column_name: 'created', data_type: 'TIMESTAMP WITH TIME ZONE' },
    { table_name: 'companies', column_name: 'note', data_type: 'VARCHAR' },
    { table_name: 'companies', column_name: 'plan', data_type: 'JSON' },
    { table_name: 'companies', column_name: 'size', data_type: 'DOUBLE' },
    { table_name: 'companies_history', column_name: 'created', data_type: 'TIMESTAMP WITH TIME ZONE' },
    { table_name: 'companies_history', column_name: 'note', data_type: 'VARCHAR' },
    { table_name: 'companies_history', column_name: 'plan', data_type: 'JSON' },
    { table_name: 'companies_history', column_name: 'size', data_type: 'DOUBLE' },
  ]);
  tt.same(await select(cfg, "SELECT id, size, note, plan->>'name' AS plan, CAST(created AS VARCHAR) AS created FROM companies ORDER BY id"), [
    { id: '1', size: 10, note: 'kept', plan: null, created: null },
    { id: '2', size: 2.5, note: null, plan: 'pro', created: '2026-03-04 05:06:07+00' },
  ]);
  tt.ok(logs.some(([level, m]) => level === 'INFO' && /companies: widened column size from BIGINT to DOUBLE/.test(m)), 'the widening is logged');
  tt.ok(logs.some(([, m]) => /companies: added column plan JSON/.test(m)));
  // A type change with no common numeric type falls back to text, still keeping the values.
  const v3 = stream('companies', { id: t('string'), updated_at: t('integer'), size: t('boolean') }, { cursor: 'updated_at', history: 'versioned' });
  await write(cfg, [v3], [record('companies', { id: '3', updated_at: 3, size: true }), state('companies', {})]);
  tt.same(await select(cfg, 'SELECT id, size FROM companies ORDER BY id'), [
    { id: '1', size: '10.0' },
    { id: '2', size: '2.5' },
    { id: '3', size: 'true' },
  ]);
});

tap.test('the column types follow the JSON schema', async (tt) => {
  const cfg = config(tt.testdir());
  const s = stream('kinds', {
    id: t('string'),
    n: t('integer'),
    x: t('number'),
    b: t('boolean'),
    ts: t('string', 'date-time'),
    o: t('object'),
    a: t('array'),
    mixed: { type: ['string', 'integer'] },
    untyped: {},
  });
  await write(cfg, [s], [record('kinds', { id: '1', n: 1, x: 1.5, b: false, ts: '2026-01-01T00:00:00.123456Z', o: { k: 1 }, a: [1], mixed: 'x', untyped: [true] }), state('kinds', {})]);
  const types = await select(cfg, "SELECT column_name, data_type FROM information_schema.columns WHERE table_name = 'kinds' ORDER BY ordinal_position");
  tt.same(types.slice(0, 9), [
    { column_name: 'id', data_type: 'VARCHAR' },
    { column_name: 'n', data_type: 'BIGINT' },
    { column_name: 'x', data_type: 'DOUBLE' },
    { column_name: 'b', data_type: 'BOOLEAN' },
    { column_name: 'ts', data_type: 'TIMESTAMP WITH TIME ZONE' },
    { column_name: 'o', data_type: 'JSON' },
    { column_name: 'a', data_type: 'JSON' },
    { column_name: 'mixed', data_type: 'JSON' },
    { column_name: 'untyped', data_type: 'JSON' },
  ]);
  tt.same(await select(cfg, 'SELECT CAST(ts AS VARCHAR) AS ts, CAST(o AS VARCHAR) AS o, CAST(mixed AS VARCHAR) AS mixed FROM kinds'), [
    { ts: '2026-01-01 00:00:00.123456+00', o: '{"k":1}', mixed: '"x"' },
  ]);
});
