/**
 * src/transform/project.ts: records are projected onto the configured
 * schema's top-level properties (reference: airbyte-protocol-and-acceptance-tests.md A5).
 * src/transform/custom-attributes.ts: custom attributes nested or flattened
 * into warehouse-safe, stable columns; dates become ISO strings; mismatched
 * values pass through and are reported.
 */
import t from 'tap';
import { projectorFor } from '../../src/transform/project.js';
import {
  attributeFromIntercom,
  CustomAttributeTyper,
  flattenedColumns,
  flattenedColumnsFor,
  withCustomAttributes,
  type AttributeKind,
  type CustomAttribute,
} from '../../src/transform/custom-attributes.js';
import type { JsonObject, JsonSchema } from '../../src/protocol/types.js';
import { createAjv } from '../../src/util/ajv.js';
import { pick, randInt, rng } from './helpers.js';

/* ------------------------------------------------------------------ projection */

t.test('projectorFor: keeps only the schema top-level properties, nested values whole', (tt) => {
  const project = projectorFor({ type: 'object', properties: { id: {}, name: {}, location: { type: 'object', properties: { city: {} } } } });
  const record = { id: '1', name: 'A', email: 'a@x', location: { city: 'Paris', country: 'FR' }, custom_attributes: { x: 1 } };
  const out = project(record);
  tt.same(out, { id: '1', name: 'A', location: { city: 'Paris', country: 'FR' } });
  tt.same(Object.keys(record).sort(), ['custom_attributes', 'email', 'id', 'location', 'name'], 'the input is not modified');
  tt.end();
});

t.test('projectorFor: does not add missing properties', (tt) => {
  const project = projectorFor({ properties: { id: {}, name: {} } });
  tt.same(project({ id: '1', other: 2 }), { id: '1' });
  tt.same(project({}), {});
  tt.end();
});

t.test('projectorFor: a record that already fits is returned as it is', (tt) => {
  const project = projectorFor({ properties: { id: {}, name: {} } });
  const record = { id: '1', name: 'x' };
  tt.equal(project(record), record, 'same object');
  tt.end();
});

t.test('projectorFor: without properties in the schema, records pass unchanged', (tt) => {
  const record = { a: 1, b: { c: 2 } };
  tt.equal(projectorFor({ type: 'object' })(record), record);
  tt.end();
});

t.test('projectorFor property: output keys = record keys that the schema declares; values identical', (tt) => {
  const random = rng(41);
  const keys = ['id', 'name', 'email', 'updated_at', 'custom_attributes', 'tags', 'x', 'y'];
  for (let i = 0; i < 300; i++) {
    const declared = keys.filter(() => random() < 0.5);
    const record: JsonObject = {};
    for (const k of keys) if (random() < 0.6) record[k] = { v: randInt(random, 0, 9) };
    const out = projectorFor({ properties: Object.fromEntries(declared.map((k) => [k, {}])) })(record);
    const expectedKeys = Object.keys(record).filter((k) => declared.includes(k));
    if (JSON.stringify(Object.keys(out)) !== JSON.stringify(expectedKeys)) tt.fail(`keys ${Object.keys(out)} != ${expectedKeys}`);
    for (const k of expectedKeys) if (out[k] !== record[k]) tt.fail(`value of ${k} was copied or changed`);
  }
  tt.pass('300 random records');
  tt.end();
});

/* ------------------------------------------------------------------ custom attributes */

const BASE_SCHEMA: JsonSchema = {
  type: 'object',
  additionalProperties: true,
  properties: {
    id: { type: ['string', 'null'] },
    updated_at: { type: ['integer', 'null'] },
    custom_attributes: { type: ['object', 'null'] },
  },
};

const ATTRS: CustomAttribute[] = [
  { name: 'Plan Type', kind: 'string', id: 11 },
  { name: 'seats', kind: 'integer', id: 12 },
  { name: 'MRR', kind: 'number', id: 13 },
  { name: 'is_vip', kind: 'boolean', id: 14 },
  { name: 'renewal date', kind: 'date-time', id: 15 },
  { name: 'blob', kind: 'unknown', id: 16 },
];

const SAFE = /^[a-z_][a-z0-9_]*$/;

t.test('attributeFromIntercom: data types map to kinds; ids kept when numeric', (tt) => {
  tt.same(attributeFromIntercom({ name: 'a', data_type: 'string', id: 3 }), { name: 'a', kind: 'string', id: 3 });
  tt.same(attributeFromIntercom({ name: 'b', data_type: 'integer' }), { name: 'b', kind: 'integer' });
  tt.same(attributeFromIntercom({ name: 'c', data_type: 'float', id: '42' }), { name: 'c', kind: 'number', id: 42 });
  tt.same(attributeFromIntercom({ name: 'd', data_type: 'boolean' })?.kind, 'boolean');
  tt.same(attributeFromIntercom({ name: 'e', data_type: 'date' })?.kind, 'date-time');
  tt.same(attributeFromIntercom({ name: 'f', data_type: 'datetime' })?.kind, 'date-time');
  tt.same(attributeFromIntercom({ name: 'g', data_type: 'list' })?.kind, 'string');
  tt.same(attributeFromIntercom({ name: 'h', data_type: 'something new' })?.kind, 'unknown');
  tt.equal(attributeFromIntercom({ data_type: 'string' }), null, 'no name');
  tt.equal(attributeFromIntercom({ name: '', data_type: 'string' }), null, 'empty name');
  tt.end();
});

t.test('withCustomAttributes nested: typed properties under an open custom_attributes', (tt) => {
  const schema = withCustomAttributes(BASE_SCHEMA, ATTRS, 'nested');
  const props = schema.properties as Record<string, JsonSchema>;
  tt.same(Object.keys(props).sort(), ['custom_attributes', 'id', 'updated_at']);
  const ca = props.custom_attributes!;
  tt.equal(ca.additionalProperties, true, 'attributes created later still validate');
  const inner = ca.properties as Record<string, JsonSchema>;
  tt.same(Object.keys(inner).sort(), ATTRS.map((a) => a.name).sort());
  tt.same(inner['renewal date'], { type: ['string', 'null'], format: 'date-time' });
  tt.same(inner.seats, { type: ['integer', 'null'] });
  tt.same(inner.blob, {}, 'unknown kinds accept anything');
  tt.same((BASE_SCHEMA.properties as JsonObject).custom_attributes, { type: ['object', 'null'] }, 'the input schema is not modified');
  tt.end();
});

t.test('withCustomAttributes flattened: custom_attributes replaced by one column per attribute', (tt) => {
  const schema = withCustomAttributes(BASE_SCHEMA, ATTRS, 'flattened');
  const props = schema.properties as Record<string, JsonSchema>;
  tt.notOk('custom_attributes' in props);
  const columns = Object.keys(props).filter((k) => k !== 'id' && k !== 'updated_at');
  tt.equal(columns.length, ATTRS.length);
  for (const c of columns) tt.match(c, SAFE, `${c} is warehouse-safe`);
  tt.ok(columns.includes('custom_plan_type'), 'lower snake case with the custom_ prefix');
  tt.ok(columns.includes('custom_renewal_date'));
  tt.end();
});

t.test('flattened column names are warehouse-safe and distinct for awkward names', (tt) => {
  const names = ['Plan Type', 'plan-type', 'ÉTÉ Début', '日本語', '🎉', '', '  ', '__x__', '123abc', 'camelCaseName', 'HTTPServer', 'a.b.c', 'x'.repeat(400), 'drop table;--', 'Ünïcödé'];
  const attrs = names.map((name, i) => ({ name, kind: 'string' as AttributeKind, id: 100 + i }));
  const cols = flattenedColumns(attrs);
  tt.equal(cols.size, names.length, 'one column per attribute');
  tt.equal(new Set(cols.values()).size, names.length, 'all distinct');
  for (const [name, col] of cols) {
    tt.match(col, SAFE, `${JSON.stringify(name).slice(0, 30)} -> ${col.slice(0, 40)}`);
    tt.ok(col.startsWith('custom_'));
    tt.ok(col.length <= 128, `${col.length} characters`);
  }
  tt.equal(cols.get('camelCaseName'), 'custom_camel_case_name');
  tt.equal(cols.get('ÉTÉ Début'), 'custom_ete_debut', 'accents folded');
  tt.end();
});

t.test('flattened columns: the lowest id keeps the plain name; any input order gives the same columns', (tt) => {
  const attrs: CustomAttribute[] = [
    { name: 'plan_type', kind: 'string', id: 30 },
    { name: 'Plan Type', kind: 'string', id: 10 },
    { name: 'plan-type', kind: 'string', id: 20 },
    { name: 'PlanType', kind: 'string', id: 40 },
  ];
  const cols = flattenedColumns(attrs);
  tt.equal(cols.get('Plan Type'), 'custom_plan_type', 'lowest id keeps it');
  tt.equal(new Set(cols.values()).size, 4);
  const random = rng(43);
  for (let i = 0; i < 50; i++) {
    const shuffled = [...attrs].sort(() => random() - 0.5);
    tt.same([...flattenedColumns(shuffled)].sort(), [...cols].sort(), `order ${shuffled.map((a) => a.id).join(',')}`);
  }
  tt.end();
});

t.test('flattened columns property: adding newer attributes (higher ids) never renames an existing column', (tt) => {
  const random = rng(44);
  const stems = ['plan', 'Plan', 'PLAN', 'plan_2', 'plan 2', 'plan-2', 'plan_11', 'plan 11', 'Plan__2', 'seats', 'Seats', 'seats_3', 'x', 'X', ''];
  let nextId = 1;
  for (let run = 0; run < 200; run++) {
    const existing: CustomAttribute[] = [];
    const used = new Set<string>();
    for (let i = randInt(random, 0, 8); i > 0; i--) {
      const name = pick(random, stems) + (random() < 0.3 ? ` ${randInt(random, 0, 30)}` : '');
      if (used.has(name)) continue;
      used.add(name);
      existing.push({ name, kind: 'string', id: (nextId += randInt(random, 1, 20)) });
    }
    const before = flattenedColumns(existing, ['id', 'updated_at']);
    const added: CustomAttribute[] = [];
    for (let i = randInt(random, 1, 5); i > 0; i--) {
      const name = pick(random, stems) + (random() < 0.5 ? `_${randInt(random, 0, 150)}` : '');
      if (used.has(name)) continue;
      used.add(name);
      added.push({ name, kind: 'string', id: (nextId += randInt(random, 1, 20)) });
    }
    const after = flattenedColumns([...added, ...existing].sort(() => random() - 0.5), ['id', 'updated_at']);
    for (const [name, col] of before) {
      if (after.get(name) !== col) {
        tt.fail(`run ${run}: adding ${JSON.stringify(added)} renamed ${name} from ${col} to ${after.get(name)}`);
        break;
      }
    }
    if (new Set(after.values()).size !== after.size) tt.fail(`run ${run}: duplicate columns`);
  }
  tt.pass('200 runs');
  tt.end();
});

t.test('flattened columns never take a column the stream schema already has', (tt) => {
  const schema: JsonSchema = { properties: { id: {}, custom_plan: {}, custom_attributes: {} } };
  const cols = flattenedColumnsFor(schema, [{ name: 'plan', kind: 'string', id: 1 }, { name: 'attributes', kind: 'string', id: 2 }]);
  tt.not(cols.get('plan'), 'custom_plan', 'custom_plan is taken by the schema');
  tt.equal(cols.get('attributes'), 'custom_attributes', 'custom_attributes itself is replaced, so free');
  tt.end();
});

t.test('CustomAttributeTyper nested: dates become ISO strings, other values pass', (tt) => {
  const mismatches: Array<[string, unknown, AttributeKind]> = [];
  const typer = new CustomAttributeTyper(BASE_SCHEMA, ATTRS, 'nested', (a, v, k) => mismatches.push([a, v, k]));
  const record = {
    id: '1',
    custom_attributes: { 'Plan Type': 'pro', seats: 5, MRR: 9.5, is_vip: true, 'renewal date': 1676462031, blob: { any: 1 }, 'created later': 'x' },
  };
  const out = typer.apply(record);
  tt.same(out, {
    id: '1',
    custom_attributes: {
      'Plan Type': 'pro',
      seats: 5,
      MRR: 9.5,
      is_vip: true,
      'renewal date': new Date(1676462031 * 1000).toISOString().replace('.000Z', 'Z'),
      blob: { any: 1 },
      'created later': 'x',
    },
  });
  tt.same(mismatches, []);
  tt.same(typer.apply({ id: '2', custom_attributes: { 'renewal date': 1676462031000 } }).custom_attributes, { 'renewal date': '2023-02-15T11:53:51Z' }, 'milliseconds');
  tt.same(
    typer.apply({ id: '3', custom_attributes: { 'renewal date': '2023-02-15T11:53:51Z', seats: null } }).custom_attributes,
    { 'renewal date': '2023-02-15T11:53:51Z', seats: null },
    'ISO date-times and nulls pass',
  );
  tt.same(
    typer.apply({ id: '4', custom_attributes: { 'renewal date': '2023-02-15T12:53:51+01:00' } }).custom_attributes,
    { 'renewal date': '2023-02-15T11:53:51Z' },
    'an ISO date-time with an offset becomes a UTC date-time',
  );
  tt.same(typer.apply({ id: '5', custom_attributes: { 'renewal date': '2023-02-15' } }).custom_attributes, { 'renewal date': '2023-02-15T00:00:00Z' }, 'an ISO date becomes a full date-time');
  tt.same(mismatches, []);
  tt.same(typer.apply({ id: '6' }), { id: '6' }, 'no custom_attributes');
  tt.end();
});

t.test('CustomAttributeTyper: a mismatched value passes through unchanged and is reported', (tt) => {
  const mismatches: Array<[string, unknown, AttributeKind]> = [];
  const typer = new CustomAttributeTyper(BASE_SCHEMA, ATTRS, 'nested', (a, v, k) => mismatches.push([a, v, k]));
  const bad = { 'Plan Type': 7, seats: 'five', MRR: 'lots', is_vip: 'yes', 'renewal date': 'someday' };
  const out = typer.apply({ custom_attributes: { ...bad } });
  tt.same(out.custom_attributes, bad, 'unchanged');
  tt.same(
    mismatches.map(([a, v, k]) => [a, v, k]).sort(),
    [
      ['MRR', 'lots', 'number'],
      ['Plan Type', 7, 'string'],
      ['is_vip', 'yes', 'boolean'],
      ['renewal date', 'someday', 'date-time'],
      ['seats', 'five', 'integer'],
    ],
  );
  mismatches.length = 0;
  typer.apply({ custom_attributes: { seats: 2.5 } });
  tt.same(mismatches, [['seats', 2.5, 'integer']], 'a fraction is not an integer');
  mismatches.length = 0;
  const loose = typer.apply({ custom_attributes: { 'renewal date': '1' } });
  tt.same(loose.custom_attributes, { 'renewal date': '1' }, 'a loose string is not a date: unchanged');
  tt.same(mismatches, [['renewal date', '1', 'date-time']], 'and reported');
  tt.end();
});

t.test('CustomAttributeTyper flattened: columns agree with withCustomAttributes and the record validates', (tt) => {
  const attrs: CustomAttribute[] = [
    ...ATTRS,
    { name: 'plan_type', kind: 'integer', id: 50 }, // collides with "Plan Type"
    { name: 'Seats', kind: 'string', id: 51 }, // collides with "seats"
  ];
  const schema = withCustomAttributes(BASE_SCHEMA, attrs, 'flattened');
  const typer = new CustomAttributeTyper(BASE_SCHEMA, attrs, 'flattened', () => tt.fail('no mismatch expected'));
  const record = {
    id: '1',
    updated_at: 5,
    custom_attributes: { 'Plan Type': 'pro', plan_type: 3, seats: 5, Seats: 'five', MRR: 1.5, is_vip: false, 'renewal date': 1676462031, blob: [1], 'created after discovery': 1 },
  };
  const ca = { ...record.custom_attributes };
  // What reaches stdout is the serialised record.
  const out = JSON.parse(JSON.stringify(typer.apply(record))) as JsonObject;
  const props = schema.properties as Record<string, JsonSchema>;
  for (const k of Object.keys(out)) tt.ok(k in props, `${k} is a column of the discovered schema`);
  tt.notOk('custom_attributes' in out, 'custom_attributes itself is not written');
  const columns = flattenedColumnsFor(BASE_SCHEMA, attrs);
  for (const a of attrs) tt.same(out[columns.get(a.name)!], a.name === 'renewal date' ? '2023-02-15T11:53:51Z' : ca[a.name as keyof typeof ca], `${a.name} -> ${columns.get(a.name)}`);
  tt.equal(Object.keys(out).length, 2 + attrs.length, 'an attribute without a column is dropped');
  const validate = createAjv().compile({ ...schema, additionalProperties: false });
  tt.ok(validate(out), `validates: ${JSON.stringify(validate.errors)}`);
  tt.end();
});

t.test('nested output validates against the nested schema', (tt) => {
  const schema = withCustomAttributes(BASE_SCHEMA, ATTRS, 'nested');
  const typer = new CustomAttributeTyper(BASE_SCHEMA, ATTRS, 'nested', () => tt.fail('no mismatch expected'));
  const out = typer.apply({ id: '1', updated_at: 3, custom_attributes: { 'Plan Type': 'a', seats: 1, MRR: 2, is_vip: true, 'renewal date': 0, blob: 'z' } });
  const validate = createAjv().compile(schema);
  tt.ok(validate(out), JSON.stringify(validate.errors));
  tt.end();
});
