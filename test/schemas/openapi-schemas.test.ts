/**
 * The committed stream schemas under src/schemas/intercom/ against the official Intercom
 * OpenAPI description: no drift from the generator, Airbyte's discovery rules, and every
 * example the spec gives for the objects they describe.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import t from 'tap';
import {
  acceptsNull,
  assertStreamSchemaHoldsAgainstOpenApi,
  componentExamples,
  componentSchema,
  compileValidator,
  componentValidator,
  correctedNode,
  createAjv,
  isRecord,
  type JsonSchema,
  loadOpenApi,
  type OpenApiDoc,
  responseExamples,
  responseValidator,
  serializeSchemaFile,
  SPEC_CORRECTIONS,
  STREAM_SCHEMA_COMPONENTS,
  STREAM_SCHEMA_DIR,
  streamSchemaDocument,
  toJsonSchema,
} from '../support/openapi.js';
import { findRepoRoot, OPENAPI_FILE, vendorFile, VendorFileMissingError } from '../support/vendor.js';

type Component = (typeof STREAM_SCHEMA_COMPONENTS)[number];

/** Where a response body holds the component's objects: a key path to an array, or the body itself. */
interface ExampleSource {
  method: 'get' | 'post';
  path: string;
  /** Key path to the array of items; empty means the body is one item. */
  itemsAt: string[];
}

const list = (path: string, ...itemsAt: string[]): ExampleSource => ({ method: 'get', path, itemsAt });
const one = (path: string): ExampleSource => ({ method: 'get', path, itemsAt: [] });
const search = (path: string, ...itemsAt: string[]): ExampleSource => ({ method: 'post', path, itemsAt });

const EXAMPLE_SOURCES: Record<Component, ExampleSource[]> = {
  admin: [list('/admins', 'admins'), one('/admins/{admin_id}')],
  team: [list('/teams', 'teams'), one('/teams/{team_id}')],
  tag: [list('/tags', 'data'), list('/contacts/{contact_id}/tags', 'data')],
  segment: [
    list('/segments', 'segments'),
    one('/segments/{segment_id}'),
    list('/contacts/{contact_id}/segments', 'data'),
    list('/companies/{company_id}/segments', 'data'),
  ],
  subscription_type: [list('/subscription_types', 'data'), list('/contacts/{contact_id}/subscriptions', 'data')],
  data_attribute: [list('/data_attributes', 'data')],
  conversation_attribute: [list('/conversations/attributes', 'data'), one('/conversations/attributes/{id}')],
  company: [
    list('/companies', 'data'),
    one('/companies/{company_id}'),
    search('/companies/list', 'data'),
    list('/companies/scroll', 'data'),
    list('/contacts/{contact_id}/companies', 'data'),
  ],
  contact: [
    list('/contacts', 'data'),
    search('/contacts/search', 'data'),
    one('/contacts/{contact_id}'),
    list('/companies/{company_id}/contacts', 'data'),
  ],
  conversation: [
    one('/conversations/{conversation_id}'),
    list('/conversations', 'conversations'),
    search('/conversations/search', 'conversations'),
  ],
  conversation_part: [list('/conversations/{conversation_id}', 'conversation_parts', 'conversation_parts')],
  ticket: [one('/tickets/{ticket_id}'), search('/tickets/search', 'tickets')],
  activity_log: [list('/admins/activity_logs', 'activity_logs')],
  help_center: [list('/help_center/help_centers', 'data'), one('/help_center/help_centers/{help_center_id}')],
  collection: [list('/help_center/collections', 'data'), one('/help_center/collections/{collection_id}')],
  article_list_item: [list('/articles', 'data')],
};

/** The items in a body, or undefined when the key path does not lead to an array. */
function itemsOf(body: unknown, itemsAt: string[]): unknown[] | undefined {
  if (itemsAt.length === 0) return [body];
  let node = body;
  for (const key of itemsAt) node = isRecord(node) ? node[key] : undefined;
  return Array.isArray(node) ? node : undefined;
}

/**
 * Examples in the OpenAPI that contradict the schema written next to them, where the schema is
 * the better evidence (the operation examples agree with it). Each entry must still occur, so
 * the list shrinks when Intercom fixes its examples.
 */
interface KnownExampleError {
  /** A component, or `response` for a whole response body in validate mode. */
  scope: Component | 'response';
  /** `component` for examples written in the component, else `GET /path`. */
  where: string;
  /** Matches one validation message: `<instance path> <message>`. */
  error: RegExp;
  why: string;
}

const PART_IDS_ARE_NUMBERS =
  'the example gives conversation part ids as the numbers 1, 2, 3; conversation_part.id is declared a string, like every Intercom id';
const QUOTED_INTEGER = 'the property is declared integer; its example is a quoted string, while the operation examples use integers';

const KNOWN_EXAMPLE_ERRORS: KnownExampleError[] = [
  { scope: 'conversation_part', where: 'GET /conversations/{conversation_id}', error: /^\/id must be string/, why: PART_IDS_ARE_NUMBERS },
  {
    scope: 'conversation',
    where: 'GET /conversations/{conversation_id}',
    error: /^\/conversation_parts\/conversation_parts\/\d+\/id must be string/,
    why: PART_IDS_ARE_NUMBERS,
  },
  {
    scope: 'response',
    where: 'GET /conversations/{conversation_id}',
    error: /^\/conversation_parts\/conversation_parts\/\d+\/id must be string/,
    why: PART_IDS_ARE_NUMBERS,
  },
  { scope: 'collection', where: 'component', error: /^order = "1": \/ must be integer/, why: QUOTED_INTEGER },
  { scope: 'collection', where: 'component', error: /^help_center_id = "123": \/ must be integer/, why: QUOTED_INTEGER },
  {
    scope: 'article_list_item',
    where: 'component',
    error: /^(translated_content\.[a-zA-Z-]+\.)?author_id = "5017691": \/ must be integer/,
    why: QUOTED_INTEGER,
  },
  {
    scope: 'ticket',
    where: 'component',
    error: /^ticket_type\.ticket_type_attributes\.ticket_type_attributes\.\[\]\.input_options = "multiline: true": \/ must be object/,
    why: 'input_options is declared an object; its example is the string "multiline: true"',
  },
];

const usedKnownErrors = new Set<KnownExampleError>();

/** The messages no known example error explains. */
function unexplained(scope: KnownExampleError['scope'], where: string, messages: string[]): string[] {
  return messages.filter((message) => {
    const known = KNOWN_EXAMPLE_ERRORS.find((k) => k.scope === scope && k.where === where && k.error.test(message));
    if (known) usedKnownErrors.add(known);
    return !known;
  });
}

const messagesOf = (errors: string): string[] => (errors === '' ? [] : errors.split('\n'));

/** Visits every schema node with its JSON path (property names never count as keywords). */
function forEachSchema(schema: unknown, visit: (node: JsonSchema, path: string) => void, path = '#'): void {
  if (!isRecord(schema)) return;
  visit(schema, path);
  const properties = schema['properties'];
  if (isRecord(properties)) {
    for (const [name, property] of Object.entries(properties)) forEachSchema(property, visit, `${path}/properties/${name}`);
  }
  for (const keyword of ['items', 'additionalProperties', 'not']) {
    forEachSchema(schema[keyword], visit, `${path}/${keyword}`);
  }
  for (const keyword of ['allOf', 'anyOf', 'oneOf']) {
    const parts = schema[keyword];
    if (Array.isArray(parts)) parts.forEach((part, i) => forEachSchema(part, visit, `${path}/${keyword}/${i}`));
  }
}

/** The sub-schema of a stream schema at a property path (`[]` steps into items). */
function subSchema(schema: JsonSchema, path: string[]): JsonSchema | undefined {
  let node: unknown = schema;
  for (const step of path) {
    if (!isRecord(node)) return undefined;
    node = step === '[]' ? node['items'] : isRecord(node['properties']) ? node['properties'][step] : undefined;
  }
  return isRecord(node) ? node : undefined;
}

const repoRoot = findRepoRoot();
const readCommitted = (component: string): string =>
  readFileSync(join(repoRoot, STREAM_SCHEMA_DIR, `${component}.json`), 'utf8');

const ajv = createAjv();

t.test('vendorFile', async (t) => {
  t.ok(existsSync(vendorFile(...OPENAPI_FILE)), 'finds the vendored OpenAPI file inside the repository');
  t.ok(vendorFile(...OPENAPI_FILE).startsWith(join(repoRoot, 'vendor')), 'and reads nothing outside it');
  t.throws(() => vendorFile('no-such-reference.yaml'), VendorFileMissingError, 'a missing vendored file is a clear error');
  const error = new VendorFileMissingError('/nowhere/a');
  t.match(error.message, /\/nowhere\/a/, 'the error names the path');
});

t.test('loadOpenApi parses the 2.16 description once', async (t) => {
  const doc = loadOpenApi();
  t.equal(doc.info.version, '2.16');
  t.equal(loadOpenApi(), doc, 'cached');
  t.throws(() => componentSchema('no_such_component'), /no_such_component/);
});

for (const component of STREAM_SCHEMA_COMPONENTS) {
  t.test(`stream schema ${component}.json`, async (t) => {
    const text = readCommitted(component);
    const committed: unknown = JSON.parse(text);
    const expected = streamSchemaDocument(component);
    t.same(committed, expected, 'equals what tools/scripts/gen-schemas.ts produces now');
    t.equal(text, serializeSchemaFile(expected), 'byte for byte');
    if (!isRecord(committed)) return;

    t.equal(committed['$schema'], 'http://json-schema.org/draft-07/schema#');
    t.match(committed['$comment'], new RegExp(`OpenAPI 2\\.16 .*component "${component}".*scripts/gen-schemas\\.ts`));
    t.equal(committed['type'], 'object', 'the top level is a non-nullable object');
    t.equal(committed['additionalProperties'], true);
    t.ok(ajv.validateSchema(committed), `valid draft-07: ${ajv.errorsText(ajv.errors)}`);
    const validate = compileValidator(committed);

    const problems: string[] = [];
    forEachSchema(committed, (node, path) => {
      for (const keyword of ['$ref', 'allOf', 'not', 'anyOf', 'oneOf', 'example', 'enum']) {
        if (keyword in node) problems.push(`${path}: has ${keyword}`);
      }
      // Descriptions are the one annotation kept: catalog UIs show them.
      if ('description' in node && (typeof node['description'] !== 'string' || node['description'] === '')) {
        problems.push(`${path}: description is not a non-empty string`);
      }
      if ('additionalProperties' in node && node['additionalProperties'] !== true) {
        problems.push(`${path}: additionalProperties is not true`);
      }
      const type = node['type'];
      if ('format' in node && !(Array.isArray(type) && type.length === 2 && type[0] === 'string')) {
        problems.push(`${path}: format on a non-string`);
      }
      if (Array.isArray(type) && type.includes('array') && !isRecord(node['items'])) {
        problems.push(`${path}: array without a single items schema`);
      }
      const properties = node['properties'];
      if (isRecord(properties)) {
        for (const [name, property] of Object.entries(properties)) {
          const propertyType = isRecord(property) ? property['type'] : undefined;
          // `{}` (any value) is the one alternative to a type list ending in "null".
          const untyped = isRecord(property) && Object.keys(property).filter((k) => k !== 'description').length === 0;
          if (!untyped && (!Array.isArray(propertyType) || propertyType.at(-1) !== 'null')) {
            problems.push(`${path}/properties/${name}: neither [T, "null"] nor {}`);
          }
        }
      }
    });
    t.same(problems, [], 'no $ref/allOf/not/unions, open objects, nullable properties, formats on strings only');

    t.same(assertStreamSchemaHoldsAgainstOpenApi(committed, component), [], 'holds against the OpenAPI component');

    const notAccepted: string[] = [];
    const examples = componentExamples(component);
    for (const { path, example } of examples) {
      const name = path.join('.');
      const target = subSchema(committed, path);
      if (!target) {
        notAccepted.push(`${name}: no such property in the stream schema`);
        continue;
      }
      const messages = messagesOf(compileValidator(target)(example).errors);
      notAccepted.push(...messages.map((m) => `${name} = ${JSON.stringify(example)}: ${m}`));
    }
    t.same(unexplained(component, 'component', notAccepted), [], `accepts the ${examples.length} examples written in the component`);

    let items = 0;
    for (const source of EXAMPLE_SOURCES[component]) {
      const where = `${source.method.toUpperCase()} ${source.path}`;
      const bodies = responseExamples(source.method, source.path);
      t.ok(bodies.size > 0, `${where} has example responses`);
      for (const [name, body] of bodies) {
        const found = itemsOf(body, source.itemsAt);
        if (!found) {
          t.fail(`${where} "${name}" has no array at ${source.itemsAt.join('.')}`);
          continue;
        }
        found.forEach((item, i) => {
          items += 1;
          const messages = unexplained(component, where, messagesOf(validate(item).errors));
          t.same(messages, [], `${where} "${name}" item ${i} is accepted`);
        });
      }
    }
    t.ok(items > 0, `${items} example items checked`);
  });
}

t.test('integers stay integers', async (t) => {
  const contact = streamSchemaDocument('contact');
  t.same(bare(subSchema(contact, ['created_at'])), { type: ['integer', 'null'] }, 'Unix-second timestamps, no date-time');
  const conversation = streamSchemaDocument('conversation');
  t.same(bare(subSchema(conversation, ['admin_assignee_id'])), { type: ['integer', 'null'] });
  t.same(bare(subSchema(conversation, ['statistics', 'time_to_assignment'])), { type: ['integer', 'null'] });
});

t.test('conversions', async (t) => {
  t.test('nullable next to a $ref and around allOf', async (t) => {
    const tag = streamSchemaDocument('tag');
    const appliedBy = subSchema(tag, ['applied_by']);
    t.same(appliedBy?.['type'], ['object', 'null'], 'tag.applied_by (nullable + allOf) is a nullable object');
    t.ok(isRecord(appliedBy?.['properties']) && 'id' in appliedBy['properties'], 'with the referenced properties');
    const validate = toJsonSchema({ $ref: '#/components/schemas/conversation' }, { mode: 'validate' });
    const company = subSchema(validate, ['company']);
    t.ok(company && acceptsNull(company), 'conversation.company ($ref + nullable) accepts null in validate mode');
  });

  t.test('oneOf becomes anyOf in validate mode, a merged object in stream mode', async (t) => {
    const validate = toJsonSchema({ $ref: '#/components/schemas/conversation_attribute' }, { mode: 'validate' });
    t.ok(Array.isArray(validate['anyOf']) && !('oneOf' in validate), 'anyOf');
    const stream = streamSchemaDocument('conversation_attribute');
    const names = Object.keys(isRecord(stream['properties']) ? stream['properties'] : {});
    t.ok(['data_type', 'multiline', 'options', 'reference'].every((n) => names.includes(n)), 'union of variant properties');
    t.equal(names[0], 'type', 'spec order: base properties first');
  });

  t.test('mixed unions become type lists', async (t) => {
    const ticket = streamSchemaDocument('ticket');
    const id = subSchema(ticket, ['ticket_parts', 'ticket_parts', '[]', 'updated_attribute_data', 'value', 'id']);
    t.same(bare(id), { type: ['string', 'array', 'null'], items: { type: ['integer', 'null'] } });
  });

  t.test('a recursive $ref becomes {} at its second visit', async (t) => {
    const schema = toJsonSchema({ $ref: '#/components/schemas/multiple_filter_search_request' }, { mode: 'validate' });
    const inner = subSchema(schema, ['value']);
    t.ok(inner, 'the recursive property is there');
    const text = JSON.stringify(schema);
    t.notMatch(text, /\$ref/, 'no $ref left');

    const doc: OpenApiDoc = {
      openapi: '3.0.1',
      info: { title: 'cycle', version: '0' },
      paths: {},
      components: {
        schemas: {
          node: { type: 'object', properties: { name: { type: 'string' }, child: { $ref: '#/components/schemas/node' } } },
        },
      },
    };
    t.same(toJsonSchema({ $ref: '#/components/schemas/node' }, { mode: 'validate', doc }), {
      $schema: 'http://json-schema.org/draft-07/schema#',
      type: 'object',
      properties: { name: { type: 'string' }, child: {} },
    });
    t.same(toJsonSchema({ $ref: '#/components/schemas/node' }, { mode: 'stream', doc })['properties'], {
      name: { type: ['string', 'null'] },
      child: {},
    });
  });
});

t.test('componentValidator', async (t) => {
  const admin = componentValidator('admin');
  const [body] = responseExamples('get', '/admins/{admin_id}').values();
  t.same(admin(body), { ok: true, errors: '' }, 'accepts the spec example');
  t.ok(admin({ ...(isRecord(body) ? body : {}), unknown_field: 1 }).ok, 'tolerates unknown properties');
  const wrong = admin({ ...(isRecord(body) ? body : {}), away_mode_enabled: 'yes', team_ids: ['x'] });
  t.notOk(wrong.ok, 'rejects wrong types');
  t.match(wrong.errors, /away_mode_enabled/);
  t.match(wrong.errors, /team_ids\/0/);
  t.equal(componentValidator('admin'), admin, 'cached');
  t.throws(() => componentValidator('nope'), /nope/);

  const contact = componentValidator('contact');
  t.notOk(contact({ type: 'contact', id: '1', created_at: '2024-01-01T00:00:00Z' }).ok, 'timestamps must be integers');
  t.ok(contact({ type: 'contact', id: '1', created_at: 1700000000, phone: null }).ok, 'nullable fields take null');
});

t.test('responseValidator accepts the example responses it is checked against', async (t) => {
  const operations = new Set<string>();
  for (const sources of Object.values(EXAMPLE_SOURCES)) {
    for (const { method, path } of sources) operations.add(`${method} ${path}`);
  }
  for (const operation of operations) {
    const [method = '', path = ''] = operation.split(' ');
    const validate = responseValidator(method, path);
    const where = `${method.toUpperCase()} ${path}`;
    for (const [name, body] of responseExamples(method, path)) {
      t.same(unexplained('response', where, messagesOf(validate(body).errors)), [], `${where} "${name}"`);
    }
  }
  t.throws(() => responseValidator('get', '/no/such/path'), /\/no\/such\/path/);
  t.throws(() => responseValidator('delete', '/admins'), /DELETE \/admins/);
});

t.test('assertStreamSchemaHoldsAgainstOpenApi', async (t) => {
  const good = streamSchemaDocument('admin');
  t.same(assertStreamSchemaHoldsAgainstOpenApi(good, 'admin'), [], 'the generated schema holds');

  const broken = structuredClone(good);
  const properties = broken['properties'] as Record<string, JsonSchema>;
  delete properties['email'];
  properties['id'] = { type: 'string' };
  properties['away_status_reason_id'] = { type: ['string', 'null'] };
  properties['team_ids'] = { type: ['array', 'null'], items: { type: ['string', 'null'] } };
  const role = properties['role'] as { properties: Record<string, JsonSchema> };
  delete role.properties['name'];
  properties['team_priority_level'] = { type: ['object', 'null'], additionalProperties: true };
  const problems = assertStreamSchemaHoldsAgainstOpenApi(broken, 'admin');
  t.same(
    problems.sort(),
    [
      'admin.away_status_reason_id: type ["string","null"] does not accept integer from the OpenAPI',
      'admin.email: declared by the OpenAPI but missing from the stream schema',
      'admin.id: not nullable (type "string")',
      'admin.role.name: declared by the OpenAPI but missing from the stream schema',
      'admin.team_ids[]: type ["string","null"] does not accept integer from the OpenAPI',
      'admin.team_priority_level.primary_team_ids: declared by the OpenAPI but missing from the stream schema',
      'admin.team_priority_level.secondary_team_ids: declared by the OpenAPI but missing from the stream schema',
    ].sort(),
  );

  const widened = structuredClone(good);
  (widened['properties'] as Record<string, JsonSchema>)['away_status_reason_id'] = { type: ['number', 'null'] };
  t.same(assertStreamSchemaHoldsAgainstOpenApi(widened, 'admin'), [], 'number accepts integer');

  const activityLog = streamSchemaDocument('activity_log');
  const metadata = subSchema(activityLog, ['metadata'])?.['properties'] as Record<string, JsonSchema>;
  metadata['before'] = { type: ['string', 'number', 'boolean', 'object', 'array', 'null'] };
  t.same(assertStreamSchemaHoldsAgainstOpenApi(activityLog, 'activity_log'), [], 'a full type list stands for any value');
  metadata['before'] = { type: ['object', 'null'] };
  t.same(assertStreamSchemaHoldsAgainstOpenApi(activityLog, 'activity_log'), [
    'activity_log.metadata.before: the OpenAPI allows any type here, the stream schema only ["object","null"]',
  ]);
});

t.test('spec corrections still address nodes of the OpenAPI', async (t) => {
  for (const correction of SPEC_CORRECTIONS) {
    t.ok(isRecord(correctedNode(correction)), `${correction.pointer} exists`);
  }
  const metadata = subSchema(streamSchemaDocument('activity_log'), ['metadata']);
  t.same(bare(subSchema(metadata ?? {}, ['before'])), {}, 'activity_log metadata.before takes any value');
  t.same(bare(subSchema(metadata ?? {}, ['auto_changed'])), { type: ['string', 'boolean', 'null'] });
  const contact = streamSchemaDocument('contact');
  t.same(bare(subSchema(contact, ['tags', 'url'])), { type: ['string', 'null'], format: 'uri-reference' }, 'relative urls');
  t.same(bare(subSchema(contact, ['tags', 'data', '[]', 'type'])), { type: ['string', 'null'] }, 'no uri format on a type name');
});

// Registered last, so it runs after every example check above.
t.test('every known example error still occurs', async (t) => {
  for (const known of KNOWN_EXAMPLE_ERRORS) {
    t.ok(usedKnownErrors.has(known), `${known.scope} ${known.where} ${known.error}: still wrong (${known.why})`);
  }
});

/** A schema without its descriptions: the assertions above are about types and formats. */
function bare(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(bare);
  if (!isRecord(schema)) return schema;
  return Object.fromEntries(Object.entries(schema).filter(([k]) => k !== 'description').map(([k, v]) => [k, k === 'properties' && isRecord(v) ? Object.fromEntries(Object.entries(v).map(([n, p]) => [n, bare(p)])) : bare(v)]));
}
