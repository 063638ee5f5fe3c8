/**
 * timestamp_format: standard Intercom timestamps are Unix seconds by default
 * (as Intercom sends them, as Airbyte's official connector writes them) and
 * ISO-8601 strings with iso8601, declared format date-time; cursors and state
 * work in both modes.
 */
import t from 'tap';
import type { JsonObject } from '../../src/protocol/types.js';
import { createAjv } from '../../src/util/ajv.js';
import { runInProcess, tempJson } from '../support/connector.js';
import { workspace } from '../support/workspace.js';

const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/;
const STREAMS = ['contacts', 'conversations', 'conversation_tags', 'tickets', 'admins', 'activity_logs'];

t.test('unix (default): standard timestamps are integers', async (t) => {
  const ws = await workspace(t);
  const contacts = (await ws.streams()).find((s) => s.name === 'contacts')!;
  t.match((contacts.json_schema.properties as JsonObject).updated_at, { type: ['integer', 'null'] }, 'declared an integer');
  t.notOk('format' in ((contacts.json_schema.properties as JsonObject).updated_at as JsonObject));
  const run = await runInProcess(['read', '--config', ws.configPath, '--catalog', await ws.catalogPath(['contacts'])]);
  t.ok(run.records('contacts').every((r) => typeof r.updated_at === 'number'));
});

t.test('iso8601: timestamps are ISO strings declared date-time; records fit the schema; state and the next read work', async (t) => {
  const ws = await workspace(t, {}, { timestamp_format: 'iso8601', custom_attributes: 'flattened' });
  const streams = (await ws.streams()).filter((s) => STREAMS.includes(s.name));
  const contacts = streams.find((s) => s.name === 'contacts')!;
  const props = contacts.json_schema.properties as JsonObject;
  t.match(props.updated_at, { type: ['string', 'null'], format: 'date-time' });
  const statistics = (streams.find((s) => s.name === 'conversations')!.json_schema.properties as JsonObject).statistics as JsonObject;
  t.match((statistics.properties as JsonObject).first_contact_reply_at, { format: 'date-time' }, 'nested timestamps too');
  t.match((statistics.properties as JsonObject).time_to_admin_reply, { type: ['integer', 'null'] }, 'durations stay integers');

  const catalog = await ws.catalogPath(STREAMS);
  const first = await runInProcess(['read', '--config', ws.configPath, '--catalog', catalog]);
  t.equal(first.code, 0, JSON.stringify(first.errors()));
  const ajv = createAjv();
  for (const s of streams) {
    const records = first.records(s.name);
    t.ok(records.length > 0, `${s.name} has records`);
    const validate = ajv.compile(s.json_schema);
    // The seeded workspace has a few custom attribute values of the wrong type on purpose; those pass through.
    const problems = records.flatMap((r) => (validate(r) ? [] : (validate.errors ?? []).filter((e) => !/^\/custom_/.test(e.instancePath))));
    t.same(problems.slice(0, 2), [], `${s.name}: every record fits its iso8601 schema`);
  }
  t.ok(first.records('contacts').every((r) => typeof r.created_at === 'string' && ISO.test(r.created_at)), 'contacts created_at as ISO');
  const links = first.records('conversation_tags');
  t.ok(links.every((r) => typeof r.conversation_updated_at === 'string'), 'link rows carry the parent cursor in the same format');
  const customDates = first.records('contacts').flatMap((r) => Object.entries(r).filter(([k, v]) => k.startsWith('custom_') && typeof v === 'string' && ISO.test(v)));
  t.ok(customDates.length > 0, 'custom dates stay ISO strings');

  const lastContactState = first.states('contacts').at(-1)!.state;
  t.type(lastContactState.updated_at, 'number', 'the cursor in state stays Unix seconds');
  const state = tempJson('state.json', first.stateArray());
  const second = await runInProcess(['read', '--config', ws.configPath, '--catalog', catalog, '--state', state]);
  t.equal(second.code, 0);
  t.ok(second.records('contacts').length < first.records('contacts').length, 'the next read is incremental');
});
