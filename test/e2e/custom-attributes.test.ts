/**
 * Custom attributes arrive typed: discover declares each attribute with its
 * Intercom data type, nested under custom_attributes or flattened into
 * warehouse-safe columns; dates become date-time strings; a value that does
 * not match its type passes through unchanged with one warning per attribute.
 */
import t from 'tap';
import { createAjv } from '../../src/util/ajv.js';
import type { JsonObject } from '../../src/protocol/types.js';
import { runInProcess } from '../support/connector.js';
import { workspace } from '../support/workspace.js';

const TYPE_OF: Record<string, string> = { string: 'string', integer: 'integer', float: 'number', boolean: 'boolean', date: 'string' };

t.test('nested (default): typed properties under custom_attributes', async (t) => {
  const ws = await workspace(t);
  const attributes = ws.sim.store.all('contact_attributes').filter((a) => a.custom === true);
  t.ok(attributes.length >= 5, 'the workspace declares custom contact attributes');
  const contacts = (await ws.streams()).find((s) => s.name === 'contacts')!;
  const nested = ((contacts.json_schema.properties as JsonObject).custom_attributes as JsonObject).properties as JsonObject;
  for (const a of attributes) {
    const schema = nested[String(a.name)] as JsonObject;
    t.ok(schema, `${String(a.name)} is declared`);
    t.same(schema.type, [TYPE_OF[String(a.data_type)], 'null'], `${String(a.name)} is typed ${String(a.data_type)}`);
    if (a.data_type === 'date') t.equal(schema.format, 'date-time');
  }

  const run = await runInProcess(['read', '--config', ws.configPath, '--catalog', await ws.catalogPath(['contacts', 'companies'])]);
  t.equal(run.code, 0);
  const dateNames = attributes.filter((a) => a.data_type === 'date').map((a) => String(a.name));
  const values = run.records('contacts').flatMap((r) => Object.entries((r.custom_attributes ?? {}) as JsonObject));
  const dates = values.filter(([name, v]) => dateNames.includes(name) && v !== null);
  t.ok(dates.length > 0, 'records carry date attributes');
  t.ok(
    dates.every(([, v]) => typeof v !== 'number'),
    'no date arrives as Unix seconds',
  );
  t.ok(
    dates.filter(([, v]) => typeof v === 'string' && /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/.test(v)).length > 0,
    'dates arrive as ISO 8601 date-time strings',
  );

  // Values that do not match their declared type: passed through, one warning per attribute.
  const mismatchWarnings = run.logs('WARN').filter((m) => m.includes('custom attribute'));
  t.ok(mismatchWarnings.length >= 1, 'a mismatched value is reported');
  t.equal(new Set(mismatchWarnings).size, mismatchWarnings.length, 'once per attribute');
  const raw = ws.sim.store.all('contacts');
  const mismatched = raw.flatMap((c) =>
    Object.entries((c.custom_attributes ?? {}) as JsonObject)
      .filter(([name, v]) => {
        const a = attributes.find((x) => x.name === name);
        return a && v !== null && ((a.data_type === 'integer' && !Number.isInteger(v)) || (a.data_type === 'boolean' && typeof v !== 'boolean'));
      })
      .map(([name, v]) => ({ id: String(c.id), name, v })),
  );
  t.ok(mismatched.length > 0, 'the workspace has values that do not match their type');
  const byId = new Map(run.records('contacts').map((r) => [String(r.id), r]));
  for (const m of mismatched) {
    const emitted = byId.get(m.id);
    if (emitted) t.same((emitted.custom_attributes as JsonObject)[m.name], m.v, `${m.name} of ${m.id} passes through unchanged`);
  }
});

t.test('flattened: custom_<name> columns, safe names, stable collisions', async (t) => {
  const ws = await workspace(t, {}, { custom_attributes: 'flattened' });
  const contacts = (await ws.streams()).find((s) => s.name === 'contacts')!;
  const properties = contacts.json_schema.properties as JsonObject;
  t.notOk(properties.custom_attributes, 'no nested object');
  const columns = Object.keys(properties).filter((k) => k.startsWith('custom_'));
  const listed = (await (
    await fetch(`${ws.sim.url}/data_attributes?model=contact&include_archived=true`, { headers: { authorization: 'Bearer sim-token' } })
  ).json()) as { data: JsonObject[] };
  const attributes = listed.data.filter((a) => a.custom === true);
  t.ok(attributes.some((a) => a.archived === true), 'archived attributes are typed too: old records still hold their values');
  t.equal(columns.length, attributes.length, 'one column per attribute');
  for (const c of columns) t.match(c, /^custom_[a-z0-9_]+$/, `${c} is warehouse-safe`);
  t.equal(new Set(columns).size, columns.length, 'collisions resolved');

  const again = await runInProcess(['discover', '--config', ws.configPath]);
  const columnsAgain = Object.keys(again.ofType('CATALOG')[0]!.catalog.streams.find((s) => s.name === 'contacts')!.json_schema.properties as JsonObject).filter((k) =>
    k.startsWith('custom_'),
  );
  t.same(columnsAgain, columns, 'discover is stable');

  const run = await runInProcess(['read', '--config', ws.configPath, '--catalog', await ws.catalogPath(['contacts'])]);
  t.equal(run.code, 0);
  const records = run.records('contacts');
  t.ok(records.every((r) => !('custom_attributes' in r)), 'records carry no nested object');
  t.ok(records.some((r) => columns.some((c) => r[c] !== undefined && r[c] !== null)), 'records carry the columns');
  const validate = createAjv().compile({ ...contacts.json_schema, additionalProperties: false });
  const problems = records.flatMap((r) => (validate(r) ? [] : (validate.errors ?? []).map((e) => e.instancePath)));
  t.ok(
    problems.every((path) => path.startsWith('/custom_')),
    'records fit the schema except values Intercom sent with the wrong type',
  );
});
