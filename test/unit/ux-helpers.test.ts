/** The small pure pieces behind the user-facing fixes: JSON error text, field selection, state and catalog helpers, timestamps. */
import t from 'tap';
import { describeJsonError } from '../../src/app/cli.js';
import { configureCatalog } from '../../src/protocol/catalog.js';
import { ConfigError } from '../../src/protocol/errors.js';
import { lastStates } from '../../src/protocol/state.js';
import type { AirbyteStream } from '../../src/protocol/types.js';
import { projectorFor } from '../../src/transform/project.js';
import { isoTimestampSchema, timestampPlan, withIsoTimestamps } from '../../src/transform/timestamps.js';

const SECRET = 'sk_live_abcdef123456';

function parseError(text: string): Error {
  try {
    JSON.parse(text);
  } catch (err) {
    return err as Error;
  }
  throw new Error('parsed');
}

t.test('describeJsonError: where and why, never the text around it', async (t) => {
  for (const text of [SECRET, `{"a": "${SECRET}" "b": 1}`, `{"a": '${SECRET}'}`, `{"a": "${SECRET}`, `["${SECRET}",]`, `{"a": ${SECRET}}`]) {
    const message = describeJsonError(text, parseError(text));
    t.notMatch(message, SECRET.slice(3, 12), `no piece of the secret: ${message}`);
    t.ok(message.length > 5);
  }
  t.match(describeJsonError('{\n  "a": 1\n  "b": 2}', parseError('{\n  "a": 1\n  "b": 2}')), /line 3, column 3/);
});

t.test('projectorFor: required fields are kept even when the schema leaves them out', async (t) => {
  const project = projectorFor({ properties: { email: {} } }, ['id', 'updated_at']);
  t.same(project({ id: '1', updated_at: 5, email: 'a@b', name: 'x' }), { id: '1', updated_at: 5, email: 'a@b' });
  const all = projectorFor({}, ['id']);
  const record = { id: '1', x: 2 };
  t.equal(all(record), record, 'no properties: everything, uncopied');
});

t.test('lastStates: the last state of each stream, without sourceStats, in the order last written', async (t) => {
  const state = (name: string, blob: unknown): string =>
    JSON.stringify({ type: 'STATE', state: { type: 'STREAM', stream: { stream_descriptor: { name }, stream_state: blob }, sourceStats: { recordCount: 1 } } });
  const { states, skipped } = lastStates([state('a', { c: 1 }), 'garbage', state('b', { c: 2 }), '{"type":"RECORD","record":{}}', state('a', { c: 3 }), state('z', null), '']);
  t.equal(skipped, 1);
  t.same(states, [
    { type: 'STREAM', stream: { stream_descriptor: { name: 'b' }, stream_state: { c: 2 } } },
    { type: 'STREAM', stream: { stream_descriptor: { name: 'a' }, stream_state: { c: 3 } } },
  ]);
});

t.test('configureCatalog: modes by support, unknown names refused', async (t) => {
  const streams: AirbyteStream[] = [
    { name: 'admins', json_schema: {}, supported_sync_modes: ['full_refresh'], source_defined_primary_key: [['id']] },
    { name: 'contacts', json_schema: {}, supported_sync_modes: ['full_refresh', 'incremental'], default_cursor_field: ['updated_at'], source_defined_primary_key: [['id']] },
  ];
  const catalog = configureCatalog(streams, null, 'incremental');
  t.same(catalog.streams.map((s) => [s.stream.name, s.sync_mode, s.cursor_field]), [['admins', 'full_refresh', undefined], ['contacts', 'incremental', ['updated_at']]]);
  t.same(configureCatalog(streams, ['contacts'], 'full_refresh').streams.map((s) => [s.stream.name, s.sync_mode, s.destination_sync_mode]), [['contacts', 'full_refresh', 'overwrite']]);
  t.throws(() => configureCatalog(streams, ['contact'], 'incremental'), ConfigError);
});

t.test('timestamps: *_at integers become ISO strings at any depth; durations and strings stay', async (t) => {
  const schema = {
    properties: {
      id: { type: ['string', 'null'] },
      updated_at: { type: ['integer', 'null'], description: 'When.' },
      waiting_since: { type: ['integer', 'null'] },
      statistics: { type: ['object', 'null'], properties: { first_close_at: { type: ['integer', 'null'] }, time_to_admin_reply: { type: ['integer', 'null'] } } },
      parts: { type: ['array', 'null'], items: { type: ['object', 'null'], properties: { created_at: { type: ['integer', 'null'] } } } },
      label_at: { type: ['string', 'null'] },
    },
  };
  const plan = timestampPlan(schema)!;
  t.same(plan, { updated_at: true, waiting_since: true, statistics: { first_close_at: true }, parts: { created_at: true } });
  const iso = isoTimestampSchema(schema, plan) as { properties: Record<string, Record<string, unknown>> };
  t.same(iso.properties.updated_at, { type: ['string', 'null'], description: 'When.', format: 'date-time' });
  t.same(iso.properties.statistics!.properties, { first_close_at: { type: ['string', 'null'], format: 'date-time' }, time_to_admin_reply: { type: ['integer', 'null'] } });
  const record = { id: '1', updated_at: 1700000000, waiting_since: null, statistics: { first_close_at: 1700000060, time_to_admin_reply: 30 }, parts: [{ created_at: 1700000001 }], label_at: 'x' };
  const before = JSON.stringify(record);
  const formatted = withIsoTimestamps(record, plan);
  t.equal(JSON.stringify(record), before, 'the record itself is left as it is');
  t.same(formatted, {
    id: '1',
    updated_at: '2023-11-14T22:13:20Z',
    waiting_since: null,
    statistics: { first_close_at: '2023-11-14T22:14:20Z', time_to_admin_reply: 30 },
    parts: [{ created_at: '2023-11-14T22:13:21Z' }],
    label_at: 'x',
  });
  t.equal(withIsoTimestamps(formatted, plan).updated_at, '2023-11-14T22:13:20Z', 'applying twice changes nothing');
});
