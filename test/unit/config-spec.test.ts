/**
 * src/config/config.ts (parseConfig) and spec.json against the TestSpec rules
 * that can be checked without running a container (reference:
 * airbyte-protocol-and-acceptance-tests.md section B, TestSpec), plus the
 * official Airbyte connector's config, which must keep working unchanged
 * (airbyte-official-intercom-source.md section 2).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import t, { type Test } from 'tap';
import { configWarnings, parseConfig, REGION_HOSTS, SECRET_FIELDS, secretValues, type Config } from '../../src/config/config.js';
import { ConfigError } from '../../src/protocol/errors.js';
import { createAjv } from '../../src/util/ajv.js';
import { protocolErrors } from '../support/protocol.js';
import { findRepoRoot } from '../support/vendor.js';

type Node = Record<string, unknown>;
const spec = JSON.parse(readFileSync(join(findRepoRoot(), 'spec.json'), 'utf8')) as Node;
const connectionSpecification = spec.connectionSpecification as Node;
const specProps = connectionSpecification.properties as Record<string, Node>;

const TOKEN = 'dG9rOmFiY2RlZjAxMjM0NTY3ODk6c2VjcmV0LXRva2Vu';
const base = (): Record<string, unknown> => ({ access_token: TOKEN, start_date: '2020-11-16T00:00:00Z' });

function configError(tt: Test, raw: unknown, field: string, label: string): void {
  try {
    parseConfig(raw);
    tt.fail(`${label}: accepted`);
  } catch (err) {
    tt.ok(err instanceof ConfigError, `${label}: a ConfigError`);
    const message = (err as Error).message;
    tt.ok(message.includes(field), `${label}: the message names '${field}': ${message}`);
    tt.notOk(message.includes(TOKEN), `${label}: the message does not contain the token`);
    tt.notOk(message.includes(TOKEN.slice(0, 12)), `${label}: nor a piece of it`);
  }
}

/* ------------------------------------------------------------------ parseConfig */

t.test('parseConfig: the minimal config gets every default spec.json declares', (tt) => {
  const c = parseConfig(base());
  tt.equal(c.accessToken, TOKEN);
  tt.equal(c.startDate, Date.UTC(2020, 10, 16) / 1000, 'start_date in Unix seconds');
  tt.notOk('clientId' in c && c.clientId !== undefined);
  tt.notOk('clientSecret' in c && c.clientSecret !== undefined);
  tt.equal(c.maxRequestsPerMinute, undefined, 'no rate cap unless asked');
  // Config field for each spec default; request_timeout_seconds is kept in ms.
  const fieldFor: Record<string, (cfg: Config) => unknown> = {
    lookback_window: (cfg) => cfg.lookbackDays,
    activity_logs_time_step: (cfg) => cfg.activityLogsStepDays,
    region: (cfg) => cfg.region,
    api_version: (cfg) => cfg.apiVersion,
    custom_attributes: (cfg) => cfg.customAttributes,
    companies_full_resync_days: (cfg) => cfg.companiesFullResyncDays,
    max_concurrency: (cfg) => cfg.maxConcurrency,
    request_timeout_seconds: (cfg) => cfg.requestTimeoutMs / 1000,
    search_lag_seconds: (cfg) => cfg.searchLagSeconds,
    timestamp_format: (cfg) => cfg.timestampFormat,
  };
  const withDefaults = Object.entries(specProps).filter(([, p]) => 'default' in p);
  tt.ok(withDefaults.length > 0);
  for (const [key, p] of withDefaults) {
    const read = fieldFor[key];
    if (!read) {
      tt.fail(`spec default for '${key}' has no known Config field`);
      continue;
    }
    tt.same(read(c), p.default, `${key} defaults to ${JSON.stringify(p.default)}`);
  }
  tt.equal(c.baseUrl, 'https://api.intercom.io', 'the US host by default');
  tt.end();
});

t.test('parseConfig: given values are used', (tt) => {
  const c = parseConfig({
    ...base(),
    client_id: 'cid-1234',
    client_secret: 'csec-5678',
    lookback_window: 3,
    activity_logs_time_step: 10,
    custom_attributes: 'flattened',
    companies_full_resync_days: 2,
    max_requests_per_minute: 5000,
    max_concurrency: 1,
    request_timeout_seconds: 30,
    search_lag_seconds: 0,
    api_version: '2.15',
  });
  tt.equal(c.clientId, 'cid-1234');
  tt.equal(c.clientSecret, 'csec-5678');
  tt.equal(c.lookbackDays, 3);
  tt.equal(c.activityLogsStepDays, 10);
  tt.equal(c.customAttributes, 'flattened');
  tt.equal(c.companiesFullResyncDays, 2);
  tt.equal(c.maxRequestsPerMinute, 5000);
  tt.equal(c.maxConcurrency, 1);
  tt.equal(c.requestTimeoutMs, 30_000);
  tt.equal(c.searchLagSeconds, 0, 'zero is a value, not a missing field');
  tt.equal(c.apiVersion, '2.15');
  tt.end();
});

t.test('parseConfig: region hosts (intercom-api.md section 4)', (tt) => {
  const hosts = { us: 'https://api.intercom.io', eu: 'https://api.eu.intercom.io', au: 'https://api.au.intercom.io' };
  for (const [region, host] of Object.entries(hosts)) {
    const c = parseConfig({ ...base(), region });
    tt.equal(c.region, region);
    tt.equal(c.baseUrl, host, `${region} -> ${host}`);
    tt.equal(REGION_HOSTS[region as keyof typeof REGION_HOSTS], host);
  }
  configError(tt, { ...base(), region: 'mars' }, 'region', 'unknown region');
  tt.end();
});

t.test('parseConfig: api_base_url must be https, or http on a loopback host', (tt) => {
  const ok: Array<[string, string]> = [
    ['https://proxy.example.com', 'https://proxy.example.com'],
    ['https://proxy.example.com:8443/', 'https://proxy.example.com:8443'],
    ['http://127.0.0.1:8080', 'http://127.0.0.1:8080'],
    ['http://localhost:3000/', 'http://localhost:3000'],
    ['http://[::1]:9000', 'http://[::1]:9000'],
  ];
  for (const [value, origin] of ok) {
    const c = parseConfig({ ...base(), region: 'eu', api_base_url: value });
    tt.equal(c.baseUrl, origin, `${value} accepted, overriding the region host`);
  }
  const bad = [
    'http://example.com',
    'http://api.intercom.io',
    'http://localhost.evil.example',
    'http://127.0.0.1.nip.io',
    'ftp://127.0.0.1',
    'not a url',
    `http://example.com/?token=${TOKEN}`,
  ];
  for (const value of bad) configError(tt, { ...base(), api_base_url: value }, 'api_base_url', value.slice(0, 40));
  tt.end();
});

t.test('parseConfig: errors name the field and never contain the token', (tt) => {
  configError(tt, { start_date: '2020-11-16T00:00:00Z' }, 'access_token', 'missing access_token');
  configError(tt, { access_token: TOKEN }, 'start_date', 'missing start_date');
  configError(tt, { access_token: 12345, start_date: '2020-11-16T00:00:00Z' }, 'access_token', 'access_token not a string');
  configError(tt, { ...base(), start_date: TOKEN }, 'start_date', 'the token pasted into start_date');
  configError(tt, { ...base(), start_date: '2020-11-16' }, 'start_date', 'date without time');
  configError(tt, { ...base(), start_date: '2020-02-31T00:00:00Z' }, 'start_date', 'not a real date');
  configError(tt, { ...base(), start_date: '2999-01-01T00:00:00Z' }, 'start_date', 'in the future');
  configError(tt, { ...base(), region: TOKEN }, 'region', 'the token pasted into region');
  configError(tt, { ...base(), lookback_window: -1 }, 'lookback_window', 'negative lookback');
  configError(tt, { ...base(), lookback_window: 1.5 }, 'lookback_window', 'fractional lookback');
  configError(tt, { ...base(), activity_logs_time_step: 0 }, 'activity_logs_time_step', 'zero step');
  configError(tt, { ...base(), activity_logs_time_step: 92 }, 'activity_logs_time_step', 'step above 91');
  configError(tt, { ...base(), custom_attributes: 'sideways' }, 'custom_attributes', 'unknown mode');
  configError(tt, { ...base(), max_concurrency: TOKEN }, 'max_concurrency', 'the token pasted into max_concurrency');
  configError(tt, { ...base(), max_requests_per_minute: 0 }, 'max_requests_per_minute', 'zero rate');
  configError(tt, { ...base(), client_secret: 42 }, 'client_secret', 'client_secret not a string');
  tt.end();
});

t.test('parseConfig: a config that is not an object', (tt) => {
  for (const raw of [null, [], 'x', 5]) tt.throws(() => parseConfig(raw), ConfigError, JSON.stringify(raw));
  tt.end();
});

t.test('parseConfig: an empty access_token is not a token', (tt) => {
  // The Config type promises a string token; an empty one can only fail later, at Intercom.
  let result: Config | undefined;
  try {
    result = parseConfig({ ...base(), access_token: '' });
  } catch (err) {
    tt.ok(err instanceof ConfigError, 'rejected as a ConfigError');
    tt.match((err as Error).message, 'access_token');
  }
  if (result) tt.equal(typeof result.accessToken, 'string', `accepted, but accessToken is ${String(result.accessToken)}`);
  tt.end();
});

t.test('secretValues: the secret fields of a raw config, for redaction', (tt) => {
  tt.same(secretValues({ ...base(), client_id: 'cid', client_secret: 'cs', lookback_window: 1 }).sort(), [TOKEN, 'cid', 'cs'].sort());
  tt.same(secretValues(null), []);
  tt.same(secretValues({ access_token: 5 }), []);
  tt.end();
});

/* ------------------------------------------------------------------ spec.json, TestSpec */

const SECRET_NAMES = [
  'client_token', 'access_token', 'api_token', 'token', 'secret', 'client_secret', 'password', 'key', 'service_account_info',
  'service_account', 'tenant_id', 'certificate', 'jwt', 'credentials', 'app_id', 'appid', 'refresh_token',
];
const FORBIDDEN = ['not', 'anyOf', 'patternProperties', 'prefixItems', 'allOf', 'if', 'then', 'else', 'dependentSchemas', 'dependentRequired'];

/** Every schema node with its path, not descending into property-name maps as schemas. */
function walk(node: unknown, path: string, visit: (n: Node, path: string) => void): void {
  if (Array.isArray(node)) {
    node.forEach((v, i) => walk(v, `${path}[${i}]`, visit));
    return;
  }
  if (!node || typeof node !== 'object') return;
  visit(node as Node, path);
  for (const [k, v] of Object.entries(node as Node)) {
    if (k === 'properties' && v && typeof v === 'object') {
      for (const [name, sub] of Object.entries(v as Node)) walk(sub, `${path}.properties.${name}`, visit);
    } else if (k !== 'enum' && k !== 'examples' && k !== 'default' && k !== 'const') {
      walk(v, `${path}.${k}`, visit);
    }
  }
}

/** Every (name, schema, path) of a property, at any depth. */
function properties(root: Node): Array<{ name: string; schema: Node; path: string }> {
  const out: Array<{ name: string; schema: Node; path: string }> = [];
  walk(root, '$', (n, p) => {
    const props = n.properties;
    if (props && typeof props === 'object') for (const [name, schema] of Object.entries(props as Node)) out.push({ name, schema: schema as Node, path: `${p}.properties.${name}` });
  });
  return out;
}

const typesOf = (n: Node): string[] => (Array.isArray(n.type) ? (n.type as string[]) : typeof n.type === 'string' ? [n.type] : []);

t.test('TestSpec test_secret_is_properly_marked (and every SECRET_FIELDS entry is marked)', (tt) => {
  for (const { name, schema, path } of properties(connectionSpecification)) {
    const types = typesOf(schema);
    const scalar = types.some((x) => ['string', 'integer', 'number'].includes(x));
    if (SECRET_NAMES.includes(name) && scalar && !('const' in schema)) tt.equal(schema.airbyte_secret, true, `${path} is airbyte_secret`);
    if (!scalar && 'airbyte_secret' in schema) tt.fail(`${path}: airbyte_secret on a non-secret type ${types}`);
  }
  for (const field of SECRET_FIELDS) tt.equal(specProps[field]?.airbyte_secret, true, `${field} (redacted by the connector) is airbyte_secret`);
  tt.end();
});

t.test('TestSpec test_forbidden_complex_types and test_defined_refs_exist_in_json_spec_file', (tt) => {
  walk(connectionSpecification, '$', (n, p) => {
    for (const k of Object.keys(n)) {
      if (FORBIDDEN.includes(k)) tt.fail(`${p}: forbidden keyword ${k}`);
      if (k === '$ref') tt.fail(`${p}: unresolved $ref`);
    }
  });
  tt.pass('walked');
  tt.end();
});

t.test('TestSpec test_property_type_is_not_array', (tt) => {
  walk(connectionSpecification, '$', (n, p) => {
    if (!Array.isArray(n.type)) return;
    const ty = n.type as unknown[];
    const ok = ty.length === 1 || (ty.length === 2 && ty[1] === 'null' && ty[0] !== 'null');
    tt.ok(ok, `${p}: type ${JSON.stringify(ty)} is [T] or [T, "null"]`);
  });
  tt.pass('walked');
  tt.end();
});

t.test('TestSpec test_additional_properties_is_true (whole spec)', (tt) => {
  walk(spec, '$', (n, p) => {
    if ('additionalProperties' in n) tt.equal(n.additionalProperties, true, `${p}.additionalProperties`);
  });
  tt.end();
});

t.test('TestSpec test_enum_usage: no enum repeats a value', (tt) => {
  walk(connectionSpecification, '$', (n, p) => {
    if (!Array.isArray(n.enum)) return;
    const seen = (n.enum as unknown[]).map((v) => JSON.stringify(v));
    tt.equal(new Set(seen).size, seen.length, `${p}.enum is unique`);
    if ('default' in n) tt.ok(seen.includes(JSON.stringify(n.default)), `${p}: default is one of the enum`);
  });
  tt.end();
});

t.test('TestSpec test_duplicate_order, test_nested_group, test_display_type', (tt) => {
  walk(connectionSpecification, '$', (n, p) => {
    const props = n.properties;
    if (!props || typeof props !== 'object') return;
    const seen = new Map<string, string>();
    for (const [name, sub] of Object.entries(props as Record<string, Node>)) {
      if (!('order' in sub)) continue;
      const key = `${String(sub.group ?? '')}#${String(sub.order)}`;
      if (seen.has(key)) tt.fail(`${p}: ${name} and ${seen.get(key)} share order ${String(sub.order)}`);
      seen.set(key, name);
    }
  });
  for (const { schema, path } of properties(connectionSpecification)) {
    const topLevel = /^\$\.properties\.[^.]+$/.test(path);
    if ('group' in schema && !topLevel) tt.fail(`${path}: group on a nested property`);
    if ('display_type' in schema) {
      tt.ok('oneOf' in schema, `${path}: display_type next to oneOf`);
      tt.ok(['dropdown', 'radio'].includes(String(schema.display_type)), `${path}: display_type value`);
    }
  }
  const orders = Object.values(specProps).map((p) => p.order);
  tt.equal(new Set(orders).size, orders.length, 'top-level orders are unique');
  tt.end();
});

t.test('TestSpec test_object_not_empty, test_array_type, test_oneof_usage', (tt) => {
  walk(connectionSpecification, '$', (n, p) => {
    if (p !== '$' && typesOf(n).includes('object')) {
      const props = n.properties as Node | undefined;
      tt.ok((props && Object.keys(props).length > 0) || Array.isArray(n.oneOf), `${p}: object has properties or oneOf`);
    }
    if (typesOf(n).includes('array')) {
      const items = n.items as Node | undefined;
      tt.ok(items && !Array.isArray(items), `${p}: items is one schema`);
      if (items) tt.ok(typesOf(items).some((x) => ['object', 'string', 'number', 'integer'].includes(x)) || 'enum' in items, `${p}: items type`);
    }
    for (const kw of ['oneOf', 'anyOf']) {
      const variants = n[kw] as Node[] | undefined;
      if (!variants) continue;
      tt.ok(typesOf(n).includes('object'), `${p}: ${kw} parent is an object`);
      for (const v of variants) tt.ok(v.properties, `${p}: every ${kw} variant has properties`);
      const common = Object.keys((variants[0]?.properties as Node) ?? {}).filter((k) => variants.every((v) => k in ((v.properties as Node) ?? {})));
      const constProps = common.filter((k) => variants.every((v) => 'const' in ((v.properties as Record<string, Node>)[k] ?? {})));
      tt.equal(constProps.length, 1, `${p}: exactly one common const property`);
    }
  });
  tt.end();
});

t.test('TestSpec test_oauth_flow_parameters: every advanced_auth path exists in connectionSpecification', (tt) => {
  const auth = spec.advanced_auth as Node | undefined;
  tt.ok(auth, 'advanced_auth present');
  const paths: string[][] = [];
  if (auth && Array.isArray(auth.predicate_key)) paths.push(auth.predicate_key as string[]);
  const ocs = (auth?.oauth_config_specification ?? {}) as Node;
  for (const section of ['oauth_user_input_from_connector_config_specification', 'complete_oauth_output_specification', 'complete_oauth_server_output_specification']) {
    walk(ocs[section], section, (n) => {
      if (Array.isArray(n.path_in_connector_config)) paths.push(n.path_in_connector_config as string[]);
    });
  }
  tt.ok(paths.length >= 3, `${paths.length} paths`);
  for (const path of paths) {
    let node: Node | undefined = connectionSpecification;
    for (const key of path) node = (node?.properties as Record<string, Node> | undefined)?.[key];
    tt.ok(node, `${path.join('.')} exists`);
  }
  tt.end();
});

t.test('spec.json: connectionSpecification is a valid draft-07 schema; the spec is a valid SPEC message', (tt) => {
  tt.equal(connectionSpecification.$schema, 'http://json-schema.org/draft-07/schema#');
  const ajv = createAjv();
  tt.ok(ajv.validateSchema(connectionSpecification), JSON.stringify(ajv.errors));
  tt.doesNotThrow(() => ajv.compile(connectionSpecification));
  tt.equal(protocolErrors({ type: 'SPEC', spec }), '', 'validates as an AirbyteMessage');
  for (const [name, p] of Object.entries(specProps)) {
    if (!('default' in p)) continue;
    const v = createAjv().compile(p);
    tt.ok(v(p.default), `${name}: its default satisfies its own schema`);
    for (const ex of (p.examples as unknown[] | undefined) ?? []) tt.ok(v(ex), `${name}: example ${JSON.stringify(ex)} satisfies its schema`);
  }
  tt.end();
});

/* ------------------------------------------------------------------ the official connector */

/** The official connector's newest manifest spec (airbyte-official-intercom-source.md section 2), descriptions dropped. */
const OFFICIAL_SPEC: Node = {
  type: 'object',
  $schema: 'http://json-schema.org/draft-07/schema#',
  required: ['access_token', 'start_date'],
  properties: {
    access_token: { type: 'string', order: 0, title: 'Access token', airbyte_secret: true },
    client_id: { type: 'string', order: 1, title: 'Client Id', airbyte_secret: true },
    client_secret: { type: 'string', order: 2, title: 'Client Secret', airbyte_secret: true },
    activity_logs_time_step: { type: 'integer', order: 3, default: 30, maximum: 91, minimum: 1, examples: [30, 10, 5] },
    lookback_window: { type: 'integer', order: 4, default: 0, minimum: 0, examples: [60] },
    start_date: {
      type: 'string',
      order: 5,
      format: 'date-time',
      pattern: '^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z$',
      examples: ['2020-11-16T00:00:00Z'],
    },
  },
  additionalProperties: true,
};

t.test('the official connector config validates unchanged', (tt) => {
  const official = {
    access_token: TOKEN,
    start_date: '2020-11-16T00:00:00Z',
    client_id: 'abc-client-id',
    client_secret: 'abc-client-secret',
    lookback_window: 60,
    activity_logs_time_step: 30,
  };
  const validate = createAjv().compile(connectionSpecification);
  tt.ok(validate(official), JSON.stringify(validate.errors));
  tt.ok(createAjv().compile(OFFICIAL_SPEC)(official), 'sanity: valid for the official spec too');
  const c = parseConfig(official);
  tt.equal(c.accessToken, TOKEN);
  tt.equal(c.clientId, 'abc-client-id');
  tt.equal(c.clientSecret, 'abc-client-secret');
  tt.equal(c.lookbackDays, 60);
  tt.equal(c.activityLogsStepDays, 30);
  tt.equal(c.startDate, Date.UTC(2020, 10, 16) / 1000);
  tt.end();
});

t.test('no shared field is narrower than in the official spec (so its configs keep validating)', (tt) => {
  const required = connectionSpecification.required as string[];
  for (const r of required) tt.ok((OFFICIAL_SPEC.required as string[]).includes(r), `'${r}' was required by the official spec too`);
  for (const [name, theirs] of Object.entries(OFFICIAL_SPEC.properties as Record<string, Node>)) {
    const ours = specProps[name];
    tt.ok(ours, `${name} exists`);
    if (!ours) continue;
    tt.same(typesOf(ours), typesOf(theirs), `${name}: same type`);
    if ('pattern' in ours) tt.equal(ours.pattern, theirs.pattern, `${name}: same pattern`);
    if ('minimum' in ours) tt.ok('minimum' in theirs && (ours.minimum as number) <= (theirs.minimum as number), `${name}: minimum ${String(ours.minimum)} is not above the official ${String(theirs.minimum)}`);
    if ('maximum' in ours) tt.ok('maximum' in theirs && (ours.maximum as number) >= (theirs.maximum as number), `${name}: maximum ${String(ours.maximum)} is not below the official ${String(theirs.maximum ?? 'none')}`);
    if ('enum' in ours) tt.ok('enum' in theirs, `${name}: no new enum`);
  }
  tt.end();
});

/* ------------------------------------------------------------------ user mistakes */

t.test('parseConfig: whitespace around values is trimmed; characters a header cannot carry are refused, naming the field', (tt) => {
  tt.equal(parseConfig({ ...base(), access_token: `${TOKEN}\n` }).accessToken, TOKEN, 'a pasted trailing newline');
  tt.equal(parseConfig({ ...base(), access_token: ` \t${TOKEN}\r\n` }).accessToken, TOKEN);
  tt.equal(parseConfig({ ...base(), api_version: ' 2.16\n' }).apiVersion, '2.16');
  tt.ok(secretValues({ access_token: `${TOKEN}\n` }).includes(TOKEN), 'the trimmed token is redacted too');
  configError(tt, { ...base(), access_token: `${TOKEN}\u{1F511}` }, 'access_token', 'an emoji');
  configError(tt, { ...base(), access_token: `${TOKEN.slice(0, 10)}\n${TOKEN.slice(10)}` }, 'access_token', 'a line break inside');
  configError(tt, { ...base(), access_token: `${TOKEN}\u00e9` }, 'access_token', 'a non-ASCII letter');
  configError(tt, { ...base(), api_version: '2.16\u0007' }, 'api_version', 'a control character');
  tt.end();
});

t.test('parseConfig: api_version must look like a version', (tt) => {
  for (const ok of ['2.16', '1.4', '2.11', 'Unstable']) tt.equal(parseConfig({ ...base(), api_version: ok }).apiVersion, ok);
  for (const bad of ['latest', '2', 'v2.16', '2.16.0', 'unstable ish']) configError(tt, { ...base(), api_version: bad }, 'api_version', bad);
  tt.end();
});

t.test('parseConfig: a start_date before the epoch starts at the epoch', (tt) => {
  tt.equal(parseConfig({ ...base(), start_date: '1969-07-20T20:17:00Z' }).startDate, 0);
  tt.equal(parseConfig({ ...base(), start_date: '1970-01-01T00:00:00Z' }).startDate, 0);
  tt.end();
});

t.test('parseConfig: api_base_url keeps its path; a query, fragment or credentials are refused', (tt) => {
  tt.equal(parseConfig({ ...base(), api_base_url: 'https://gw.example.com/intercom/' }).baseUrl, 'https://gw.example.com/intercom');
  tt.equal(parseConfig({ ...base(), api_base_url: 'http://127.0.0.1:8080/a/b' }).baseUrl, 'http://127.0.0.1:8080/a/b');
  for (const bad of ['https://gw.example.com/?x=1', 'https://gw.example.com/#top', 'https://user:pw@gw.example.com']) configError(tt, { ...base(), api_base_url: bad }, 'api_base_url', bad);
  tt.end();
});

t.test('configWarnings: unknown fields are named, with the likely intended one', (tt) => {
  tt.same(configWarnings(base()), [], 'a known config has none');
  const warnings = configWarnings({ ...base(), lookback_windw: 1, colour: 'blue' });
  tt.equal(warnings.length, 2);
  tt.match(warnings[0], /'lookback_windw'.*did you mean 'lookback_window'/);
  tt.match(warnings[1], /'colour'.*typo/);
  tt.equal(parseConfig({ ...base(), lookback_windw: 1 }).lookbackDays, 0, 'and accepted');
  tt.end();
});

t.test('parseConfig: timestamp_format is unix or iso8601', (tt) => {
  tt.equal(parseConfig(base()).timestampFormat, 'unix');
  tt.equal(parseConfig({ ...base(), timestamp_format: 'iso8601' }).timestampFormat, 'iso8601');
  configError(tt, { ...base(), timestamp_format: 'rfc2822' }, 'timestamp_format', 'unknown format');
  tt.end();
});
