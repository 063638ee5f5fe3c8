/**
 * Column hashing as a unit: the digest formula, the syntax of hashed_fields
 * entries, how entries resolve against stream schemas (nested paths, arrays,
 * `*`, keys and the `!` override, suffix mode) and how records are rewritten.
 */
import { createHash } from 'node:crypto';
import t, { type Test } from 'tap';
import { parseConfig, parseHashedFields, secretValues, type HashingConfig } from '../../src/config/config.js';
import { ConfigError } from '../../src/protocol/errors.js';
import type { JsonObject, JsonSchema } from '../../src/protocol/types.js';
import { canonicalJson, compileHashPlans, hashValue, type HashPlan, type HashTarget } from '../../src/transform/hashing.js';
import { createAjv } from '../../src/util/ajv.js';

const sha256 = (text: string): string => createHash('sha256').update(text, 'utf8').digest('hex');
const base = { access_token: 'tok-1234567890', start_date: '2020-11-16T00:00:00Z' };

const str = { type: ['string', 'null'] };
const schema: JsonSchema = {
  type: 'object',
  properties: {
    id: str,
    updated_at: { type: ['integer', 'null'] },
    email: { type: ['string', 'null'], format: 'email', description: 'The email.' },
    name: str,
    age: { type: ['integer', 'null'] },
    source: { type: ['object', 'null'], properties: { author: { type: ['object', 'null'], properties: { email: { type: ['string', 'null'], format: 'email' }, name: str } } } },
    parts: {
      type: ['array', 'null'],
      items: { type: ['object', 'null'], properties: { author: { type: ['object', 'null'], properties: { email: { type: ['string', 'null'], format: 'email' } } } } },
    },
    location: { type: ['object', 'null'], properties: { city: str, country: str } },
  },
};
const users: HashTarget = { name: 'users', schema, primaryKey: ['id'], cursor: 'updated_at' };
const teams: HashTarget = { name: 'teams', schema: { type: 'object', properties: { id: str, name: str } }, primaryKey: ['id'] };

function plans(fields: string[], options: Partial<HashingConfig> = {}, warnings: string[] = []): Map<string, HashPlan> {
  const hashing: HashingConfig = { fields: parseHashedFields(fields), salt: options.salt ?? '', suffix: options.suffix ?? '' };
  return compileHashPlans([users, teams], ['users', 'teams', 'unread'], hashing, (m) => warnings.push(m));
}

function refused(tt: Test, run: () => unknown, ...parts: string[]): void {
  try {
    run();
    tt.fail(`accepted; expected an error naming ${parts.join(', ')}`);
  } catch (err) {
    tt.ok(err instanceof ConfigError, 'a ConfigError (config_error)');
    for (const part of parts) tt.match((err as Error).message, part, `the message names ${part}`);
  }
}

t.test('the digest: lowercase hex SHA-256 of the salt followed by the UTF-8 text; null stays null', (tt) => {
  tt.equal(hashValue('', ''), 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855', 'SHA-256 of nothing');
  tt.equal(hashValue('abc', ''), 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad', 'the FIPS 180-2 test vector');
  tt.equal(hashValue('ana@example.com', 's3cret'), sha256('s3cretana@example.com'), 'salt first');
  tt.equal(hashValue('Zoë 北京', 'é'), sha256('éZoë 北京'), 'UTF-8 text');
  tt.not(hashValue('ana@example.com', 'a'), hashValue('ana@example.com', 'b'), 'the salt changes the digest');
  tt.equal(hashValue(null, 's'), null);
  tt.equal(hashValue(undefined, 's'), null);
  tt.equal(hashValue(42, 's'), sha256('s42'), 'numbers as their JSON text');
  tt.equal(hashValue(true, ''), sha256('true'));
  tt.equal(hashValue({ b: 1, a: [2, { d: null, c: 'x' }] }, ''), sha256('{"a":[2,{"c":"x","d":null}],"b":1}'), 'objects as canonical JSON');
  tt.equal(canonicalJson({ b: 1, a: 2 }), canonicalJson({ a: 2, b: 1 }), 'key order does not matter');
  tt.match(hashValue('x', ''), /^[0-9a-f]{64}$/);
  tt.end();
});

t.test('config: hashed_fields, hash_salt and hashed_field_suffix', (tt) => {
  const none = parseConfig(base);
  tt.same(none.hashing, { fields: [], salt: '', suffix: '' }, 'nothing hashed by default');
  const c = parseConfig({ ...base, hashed_fields: ['contacts.email', ' *.email ', 'conversations.source.author.email', 'contacts.id!'], hash_salt: 'pepper', hashed_field_suffix: '_hashed' });
  tt.same(
    c.hashing.fields.map((f) => [f.stream, f.path, f.intended]),
    [
      ['contacts', ['email'], false],
      ['*', ['email'], false],
      ['conversations', ['source', 'author', 'email'], false],
      ['contacts', ['id'], true],
    ],
  );
  tt.equal(c.hashing.salt, 'pepper');
  tt.equal(c.hashing.suffix, '_hashed');
  tt.ok(secretValues({ ...base, hash_salt: 'pepper-long' }).includes('pepper-long'), 'the salt is redacted like every secret');
  tt.end();
});

t.test('config: a malformed entry is a config error naming it', (tt) => {
  for (const [entry, why] of [
    ['email', 'needs a stream and a field'],
    ['.email', 'neither a stream name'],
    ['Contacts.email', 'neither a stream name'],
    ['contacts..email', 'empty field name'],
    ['contacts.email.', 'empty field name'],
    ['contacts.*', '* may only stand for the stream'],
    ['contacts.id!!', 'not at the end'],
    ['', 'needs a stream and a field'],
  ] as const) {
    refused(tt, () => parseConfig({ ...base, hashed_fields: ['contacts.name', entry] }), `'${entry}'`, why);
  }
  refused(tt, () => parseConfig({ ...base, hashed_fields: 'contacts.email' }), 'hashed_fields');
  refused(tt, () => parseConfig({ ...base, hashed_fields: [5] }), 'hashed_fields');
  refused(tt, () => parseConfig({ ...base, hashed_field_suffix: '-hashed' }), 'hashed_field_suffix', 'letters, digits and _');
  tt.end();
});

t.test('entries resolve against the streams: unknown stream or field, keys, overlaps', (tt) => {
  refused(tt, () => plans(['userz.email']), "'userz.email'", "stream 'userz'", 'does not offer');
  refused(tt, () => plans(['users.emial']), "'users.emial'", 'no field emial');
  refused(tt, () => plans(['users.source.author.mail']), 'no field source.author.mail');
  tt.same([...plans(['unread.email']).keys()], [], 'an offered stream that is not read: nothing to do');

  refused(tt, () => plans(['users.id']), "'users.id'", "'id', the primary key of stream 'users'", 'dedup would break', "'users.id!'");
  refused(tt, () => plans(['users.updated_at']), "the cursor of stream 'users'", 'ordering and dedup would break', "'users.updated_at!'");
  refused(tt, () => plans(['*.id']), "'*.id'", 'primary key', "'*.id!'");
  const intended = plans(['users.id!', 'users.updated_at!']).get('users')!;
  const row = intended.apply({ id: '7', updated_at: 100 });
  tt.same(row, { id: sha256('7'), updated_at: sha256('100') }, 'with ! the key and cursor are hashed');

  refused(tt, () => plans(['users.source', 'users.source.author.email']), "'users.source.author.email'", 'inside a field');
  refused(tt, () => plans(['users.source.author.email', 'users.source']), "'users.source'", 'hashes whole');
  tt.equal(plans(['users.email', '*.email']).get('users')!.apply({ email: 'a' }).email, sha256('a'), 'the same field twice is hashed once');
  tt.end();
});

t.test('* patterns reach every stream that has the field; one that matches nothing warns', (tt) => {
  const warnings: string[] = [];
  const byStream = plans(['*.name', '*.nickname'], {}, warnings);
  tt.same([...byStream.keys()].sort(), ['teams', 'users']);
  tt.equal(byStream.get('teams')!.apply({ id: '1', name: 'Support' }).name, sha256('Support'));
  tt.equal(warnings.length, 1);
  tt.match(warnings[0], "'*.nickname' matches no field");
  tt.end();
});

t.test('records: nested paths, arrays walked element by element, whole objects, copies', (tt) => {
  const plan = plans(['users.source.author.email', 'users.parts.author.email', 'users.location', 'users.age'], { salt: 'pep' }).get('users')!;
  const record: JsonObject = {
    id: 'u1',
    email: 'keep@example.com',
    source: { author: { email: 'ana@example.com', name: 'Ana' } },
    parts: [{ author: { email: 'bo@example.com' } }, { author: null }, { author: { email: null } }],
    location: { city: 'Lyon', country: 'FR' },
    age: 41,
  };
  const before = JSON.stringify(record);
  const out = plan.apply(record);
  tt.same(out, {
    id: 'u1',
    email: 'keep@example.com',
    source: { author: { email: sha256('pepana@example.com'), name: 'Ana' } },
    parts: [{ author: { email: sha256('pepbo@example.com') } }, { author: null }, { author: { email: null } }],
    location: sha256('pep{"city":"Lyon","country":"FR"}'),
    age: sha256('pep41'),
  });
  tt.equal(JSON.stringify(record), before, 'the input record is not changed (no digest of a digest)');
  tt.equal(plan.apply({ id: 'u2' }).source, undefined, 'an absent field stays absent');
  tt.same(plan.apply({ id: 'u3', source: null, parts: null }), { id: 'u3', source: null, parts: null }, 'null parents stay null');
  const untouched = { id: 'u4', name: 'x' };
  tt.equal(plan.apply(untouched), untouched, 'a record without hashed fields is not copied');
  tt.end();
});

t.test('suffix mode: the digest goes to <field><suffix>, the original is removed', (tt) => {
  const plan = plans(['users.email', 'users.source.author.email'], { suffix: '_hashed' }).get('users')!;
  const out = JSON.parse(JSON.stringify(plan.apply({ id: 'u1', email: 'ana@example.com', source: { author: { email: null, name: 'Ana' } } }))) as JsonObject;
  tt.same(out, { id: 'u1', email_hashed: sha256('ana@example.com'), source: { author: { name: 'Ana', email_hashed: null } } }, 'unsalted, renamed, original gone');
  const hashedSchema = plan.schema(schema);
  const properties = hashedSchema.properties as JsonObject;
  tt.notOk('email' in properties, 'the schema drops the original');
  tt.match(properties.email_hashed, { type: ['string', 'null'], description: /Hashed by the connector/ });
  tt.ok(((properties.source as JsonObject).properties as JsonObject).author, 'nested schema kept');
  tt.ok(createAjv().compile(hashedSchema)(out), 'the record fits the rewritten schema');
  refused(
    tt,
    () => compileHashPlans([{ ...users, schema: { properties: { email: str, email_hashed: str } } }], ['users'], { fields: parseHashedFields(['users.email']), salt: '', suffix: '_hashed' }, () => undefined),
    'already has a field email_hashed',
  );
  tt.end();
});

t.test('schema: hashed fields become strings that say they are hashed; records fit it', (tt) => {
  const plan = plans(['users.email', 'users.parts.author.email', 'users.age', 'users.location'], { salt: 'x' }).get('users')!;
  const hashedSchema = plan.schema(schema);
  const properties = hashedSchema.properties as JsonObject;
  tt.same((properties.email as JsonObject).type, ['string', 'null']);
  tt.notOk('format' in (properties.email as JsonObject), 'no email format on a digest');
  tt.match((properties.email as JsonObject).description, /SHA-256 of the salt followed by the value.*Original: The email\./);
  tt.same((properties.age as JsonObject).type, ['string', 'null'], 'an integer becomes a string');
  tt.same((properties.location as JsonObject).type, ['string', 'null'], 'an object hashed whole becomes a string');
  const partEmail = (((properties.parts as JsonObject).items as JsonObject).properties as JsonObject).author as JsonObject;
  tt.same(((partEmail.properties as JsonObject).email as JsonObject).type, ['string', 'null'], 'through array items');
  tt.same((schema.properties as JsonObject).email, { type: ['string', 'null'], format: 'email', description: 'The email.' }, 'the declared schema is not changed');
  const record = plan.apply({ id: '1', email: 'a@b.c', age: 3, location: { city: 'x' }, parts: [{ author: { email: 'c@d.e' } }] });
  tt.ok(createAjv().compile(hashedSchema)(record), 'the hashed record fits');
  tt.end();
});

t.test('touches: which values must never be quoted', (tt) => {
  const plan = plans(['users.source.author.email', 'users.age']).get('users')!;
  tt.ok(plan.touches(['age']));
  tt.ok(plan.touches(['source']), 'holds a hashed field');
  tt.ok(plan.touches(['source', 'author', 'email', 'x']), 'inside a hashed field');
  tt.notOk(plan.touches(['source', 'author', 'name']));
  tt.notOk(plan.touches(['email']));
  tt.end();
});
