/**
 * Column hashing against the simulated workspace: hashed fields leave the
 * connector only as digests (nothing of the original in stdout or stderr),
 * equal values join across streams, the salt changes every digest, discover
 * declares hashed columns as strings, suffix mode renames, and hashing a
 * primary key needs the `!` override.
 */
import { createHash } from 'node:crypto';
import t from 'tap';
import type { AirbyteStream, JsonObject } from '../../src/protocol/types.js';
import { createAjv } from '../../src/util/ajv.js';
import { isoFromSeconds } from '../../src/util/time.js';
import { runInProcess, runProcess, type RunResult } from '../support/connector.js';
import { workspace, type TestWorkspace } from '../support/workspace.js';

const SALT = 'test-salt-7f3a';
const HASHED = [
  '*.email',
  'conversations.source.author.email',
  'conversation_parts.author.email',
  'tickets.ticket_parts.ticket_parts.author.email',
  'activity_logs.performed_by.email',
  'contacts.phone',
  'contacts.custom_attributes.seats',
  'contacts.custom_attributes.account-id',
  'contacts.custom_attributes.trial_ends_at',
];
const SIZE = { contacts: 60, conversations: 40, companies: 15, tickets: 15, activityLogs: 60 };
const HEX = /^[0-9a-f]{64}$/;

const sha256 = (text: string): string => createHash('sha256').update(text, 'utf8').digest('hex');
const prop = (schema: JsonObject, path: string[]): JsonObject | undefined =>
  path.reduce<JsonObject | undefined>((node, key) => ((node?.properties as JsonObject | undefined)?.[key] as JsonObject | undefined), schema);
const byId = (records: JsonObject[]): Map<string, JsonObject> => new Map(records.map((r) => [String(r.id), r]));

let ws: TestWorkspace;
let streams: AirbyteStream[];
let run: RunResult;

t.before(async () => {
  ws = await workspace(t, { seed: 3, size: SIZE }, { hashed_fields: HASHED, hash_salt: SALT });
  streams = await ws.streams();
  // A child process, so stderr is scanned too.
  run = await runProcess(['read', '--config', ws.configPath, '--catalog', await ws.catalogPath()]);
});

t.test('the read succeeds with every stream complete', async (t) => {
  t.equal(run.code, 0, JSON.stringify(run.errors()));
  for (const s of streams) t.same(run.statuses(s.name), ['STARTED', 'RUNNING', 'COMPLETE'], s.name);
});

t.test('nothing of a hashed field appears anywhere in stdout or stderr', async (t) => {
  const store = ws.sim.store;
  const originals = new Set<string>();
  for (const c of store.all('contacts')) {
    for (const v of [c.email, c.phone, (c.custom_attributes as JsonObject | undefined)?.['account-id']]) if (typeof v === 'string' && v.length > 3) originals.add(v);
  }
  for (const a of store.all('admins')) if (typeof a.email === 'string') originals.add(a.email);
  t.ok(originals.size > 100, `${originals.size} original values to look for`);

  // The scan can fail: without hashing, the same values are in the output.
  const plain = await runInProcess(['read', '--config', ws.configWith({ hashed_fields: [] }), '--catalog', await ws.catalogPath(['contacts', 'admins'])]);
  const plainText = plain.text();
  t.ok([...originals].filter((v) => plainText.includes(v)).length > 100, 'an unhashed read carries them');

  const text = run.text();
  const leaked = [...originals].filter((v) => text.includes(v));
  t.same(leaked, [], 'no original value in any message or on stderr');
  t.notOk(text.includes(SALT), 'nor the salt');
  t.ok(run.records('contacts').length > 0 && run.records('conversation_parts').length > 0, 'records were read');
});

t.test('the same email gives the same digest in contacts and in a conversation author', async (t) => {
  const contacts = byId(run.records('contacts'));
  const storeContacts = byId(ws.sim.store.all('contacts'));
  let joined = 0;
  for (const conversation of run.records('conversations')) {
    const author = (conversation.source as JsonObject).author as JsonObject;
    const contact = contacts.get(String(author.id));
    if (author.type === 'admin' || !contact) continue;
    t.match(author.email, HEX, 'a digest');
    t.equal(author.email, contact.email, `conversation ${String(conversation.id)}: its author's email joins contact ${String(author.id)}`);
    t.equal(author.email, sha256(SALT + String(storeContacts.get(String(author.id))!.email)), 'SHA-256 of the salt followed by the email');
    joined += 1;
  }
  t.ok(joined > 10, `${joined} conversations joined to their contact on the hashed email`);
  const admins = byId(ws.sim.store.all('admins'));
  for (const admin of run.records('admins')) t.equal(admin.email, sha256(SALT + String(admins.get(String(admin.id))!.email)), '*.email reaches admins too');
});

t.test('nested paths through arrays, and custom attributes hashed as their typed value', async (t) => {
  const parts = run.records('tickets').flatMap((ticket) => ((ticket.ticket_parts as JsonObject | null)?.ticket_parts as JsonObject[] | undefined) ?? []);
  const emails = parts.map((p) => (p.author as JsonObject | null)?.email).filter((e) => e !== null && e !== undefined);
  t.ok(emails.length > 10, `${emails.length} ticket part authors`);
  t.ok(emails.every((e) => HEX.test(String(e))), 'every element of the array is hashed');

  const store = byId(ws.sim.store.all('contacts'));
  let dates = 0;
  let seats = 0;
  for (const contact of run.records('contacts')) {
    const custom = contact.custom_attributes as JsonObject;
    const original = store.get(String(contact.id))!.custom_attributes as JsonObject;
    if (typeof original.trial_ends_at === 'number') {
      t.equal(custom.trial_ends_at, sha256(SALT + isoFromSeconds(original.trial_ends_at)), 'a date is typed to ISO 8601, then hashed');
      dates += 1;
    }
    if (original.seats !== undefined && original.seats !== null) {
      t.equal(custom.seats, sha256(SALT + (typeof original.seats === 'string' ? original.seats : JSON.stringify(original.seats))));
      seats += 1;
    }
  }
  t.ok(dates > 0 && seats > 0, `${dates} dates and ${seats} seat counts checked`);

  const warnings = run.logs('WARN');
  const seatsWarning = warnings.find((w) => w.includes("'seats'"));
  t.ok(seatsWarning, 'a mistyped hashed attribute is still reported');
  t.match(seatsWarning, 'hashed, not shown', 'without its value');
  t.notOk(seatsWarning?.includes('n/a'), 'the mistyped value is not quoted');
  t.match(warnings.find((w) => w.includes("'is_vip'")) ?? '', '"yes"', 'an unhashed attribute is still quoted');
});

t.test('discover declares hashed columns as strings that say so; every record fits its schema', async (t) => {
  const schemaOf = (name: string): JsonObject => streams.find((s) => s.name === name)!.json_schema;
  for (const [stream, path] of [
    ['contacts', ['email']],
    ['contacts', ['phone']],
    ['admins', ['email']],
    ['conversations', ['source', 'author', 'email']],
    ['conversation_parts', ['author', 'email']],
    ['contacts', ['custom_attributes', 'seats']],
    ['contacts', ['custom_attributes', 'trial_ends_at']],
  ] as const) {
    const column = prop(schemaOf(stream), [...path]);
    t.same(column?.type, ['string', 'null'], `${stream}.${path.join('.')} is a string`);
    t.match(column?.description, /^Hashed by the connector: lowercase hex SHA-256 of the salt/, 'described as hashed');
    t.notOk(column && 'format' in column, 'no format');
  }
  t.same(prop(schemaOf('contacts'), ['name'])?.type, ['string', 'null'], 'unhashed columns keep their schema');
  t.notOk(prop(schemaOf('contacts'), ['name'])?.description?.toString().startsWith('Hashed'));

  // Mistyped values of unhashed custom attributes pass through unchanged, and are reported (as in full-sync).
  const warned = run.logs('WARN').flatMap((m) => /^(\w+): custom attribute '([^']+)'/.exec(m)?.slice(1, 3).join('/') ?? []);
  const ajv = createAjv();
  for (const s of streams) {
    const validate = ajv.compile({ ...s.json_schema, additionalProperties: false });
    const problems = new Set<string>();
    for (const r of run.records(s.name)) {
      if (validate(r)) continue;
      for (const e of validate.errors ?? []) {
        const attribute = /^\/custom_attributes\/([^/]+)$/.exec(e.instancePath)?.[1];
        if (!attribute || !warned.includes(`${s.name}/${attribute}`) || HASHED.some((h) => h.endsWith(`.${attribute}`))) problems.add(`${e.instancePath} ${e.message ?? ''}`);
      }
    }
    t.same([...problems], [], `${s.name}: every record fits its discovered schema`);
  }
});

t.test('a salt changes every digest; no salt is plain SHA-256', async (t) => {
  const names = ['contacts', 'conversations'];
  const other = await runInProcess(['read', '--config', ws.configWith({ hash_salt: 'another-salt' }), '--catalog', await ws.catalogPath(names)]);
  const unsalted = await runInProcess(['read', '--config', ws.configWith({ hash_salt: '' }), '--catalog', await ws.catalogPath(names)]);
  t.equal(other.code, 0);
  const first = byId(run.records('contacts'));
  const store = byId(ws.sim.store.all('contacts'));
  let compared = 0;
  for (const contact of other.records('contacts')) {
    if (contact.email === null) continue;
    t.not(contact.email, first.get(String(contact.id))!.email, 'another salt, another digest');
    compared += 1;
  }
  t.ok(compared > 10);
  for (const contact of unsalted.records('contacts')) {
    if (contact.email !== null) t.equal(contact.email, sha256(String(store.get(String(contact.id))!.email)), 'unsalted');
  }
});

t.test('suffix mode: the digest in <field>_hashed, the original removed (Airbyte mapper parity)', async (t) => {
  const suffixed = await workspace(t, { seed: 3, size: SIZE }, { hashed_fields: ['contacts.email', 'conversations.source.author.email'], hashed_field_suffix: '_hashed' });
  const schemas = await suffixed.streams();
  const contactsSchema = schemas.find((s) => s.name === 'contacts')!.json_schema;
  t.notOk(prop(contactsSchema, ['email']), 'discover drops email');
  t.same(prop(contactsSchema, ['email_hashed'])?.type, ['string', 'null'], 'and declares email_hashed');
  t.match(prop(contactsSchema, ['email_hashed'])?.description, 'SHA-256 of the value');
  const conversationsSchema = schemas.find((s) => s.name === 'conversations')!.json_schema;
  t.ok(prop(conversationsSchema, ['source', 'author', 'email_hashed']), 'nested: source.author.email_hashed');

  const result = await runInProcess(['read', '--config', suffixed.configPath, '--catalog', await suffixed.catalogPath(['contacts', 'conversations'])]);
  t.equal(result.code, 0);
  const store = byId(suffixed.sim.store.all('contacts'));
  const ajv = createAjv();
  const validate = ajv.compile({ ...contactsSchema, additionalProperties: false });
  for (const contact of result.records('contacts')) {
    t.notOk('email' in contact, 'no email column');
    const email = store.get(String(contact.id))!.email;
    t.equal(contact.email_hashed, email === null ? null : sha256(String(email)), 'unsalted SHA-256 of the email');
    // Mistyped custom attribute values pass through unchanged (see custom-attributes.test.ts): not this test's subject.
    const { custom_attributes: _custom, ...columns } = contact;
    t.ok(validate(columns), `fits the schema ${JSON.stringify(validate.errors)}`);
  }
  for (const conversation of result.records('conversations')) {
    const author = (conversation.source as JsonObject).author as JsonObject;
    t.notOk('email' in author);
    t.match(author.email_hashed, HEX);
  }
});

t.test('a hashed primary key is refused, unless marked with !', async (t) => {
  const catalog = await ws.catalogPath(['contacts', 'contact_tags']);
  for (const command of ['discover', 'read'] as const) {
    const args = ['--config', ws.configWith({ hashed_fields: ['contacts.email', 'contacts.id'] }), ...(command === 'read' ? ['--catalog', catalog] : [])];
    const refused = await runInProcess([command, ...args]);
    t.not(refused.code, 0, `${command} fails`);
    t.equal(refused.records().length, 0, 'and emits no record');
    const error = refused.errors()[0];
    t.equal(error?.failure_type, 'config_error');
    t.match(error?.message, "'contacts.id'", 'naming the entry');
    t.match(error?.message, 'primary key', 'and why');
    t.match(error?.message, "'contacts.id!'", 'and the override');
  }
  const cursor = await runInProcess(['discover', '--config', ws.configWith({ hashed_fields: ['contact_tags.contact_updated_at'] })]);
  t.match(cursor.errors()[0]?.message, 'cursor of stream', 'a cursor too');
  const typo = await runInProcess(['discover', '--config', ws.configWith({ hashed_fields: ['contacts.emial'] })]);
  t.match(typo.errors()[0], { failure_type: 'config_error', message: /'contacts.emial'.*no field emial/ });

  const meant = await runInProcess(['read', '--config', ws.configWith({ hashed_fields: ['contacts.id!', '*.no_such_field'] }), '--catalog', catalog]);
  t.equal(meant.code, 0, JSON.stringify(meant.errors()));
  const ids = meant.records('contacts').map((r) => r.id);
  t.ok(ids.length > 0 && ids.every((id) => HEX.test(String(id))), 'with ! the ids are hashed');
  t.equal(new Set(ids).size, ids.length, 'and stay distinct');
  t.ok(meant.states('contacts').length > 0, 'the sync still checkpoints');
  t.ok(meant.logs('WARN').some((w) => w.includes("'*.no_such_field' matches no field")), 'a * entry that matches nothing is a warning');
});

t.test('flattened custom attributes are hashed by their column name', async (t) => {
  const flat = await workspace(t, { seed: 3, size: SIZE }, { custom_attributes: 'flattened', hashed_fields: ['contacts.custom_seats'], hash_salt: SALT });
  const schema = (await flat.streams()).find((s) => s.name === 'contacts')!.json_schema;
  t.match(prop(schema, ['custom_seats']), { type: ['string', 'null'], description: /^Hashed by the connector/ });
  const result = await runInProcess(['read', '--config', flat.configPath, '--catalog', await flat.catalogPath(['contacts'])]);
  t.equal(result.code, 0);
  const store = byId(flat.sim.store.all('contacts'));
  let checked = 0;
  for (const contact of result.records('contacts')) {
    const seats = (store.get(String(contact.id))!.custom_attributes as JsonObject).seats;
    if (seats === undefined || seats === null) continue;
    t.equal(contact.custom_seats, sha256(SALT + (typeof seats === 'string' ? seats : JSON.stringify(seats))));
    checked += 1;
  }
  t.ok(checked > 10, `${checked} contacts with seats`);
  const warning = result.logs('WARN').find((w) => w.includes("'seats'"));
  t.match(warning, 'hashed, not shown');
  t.notOk(warning?.includes('n/a'));
});
