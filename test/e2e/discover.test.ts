/**
 * The discovered catalog passes every check of Airbyte's TestDiscovery, is
 * derived from the stream declarations, and each stream's schema holds
 * against the official Intercom OpenAPI component it is built from.
 */
import t from 'tap';
import { createAjv } from '../../src/util/ajv.js';
import type { AirbyteStream, JsonObject } from '../../src/protocol/types.js';
import { STREAMS } from '../../src/streams/registry.js';
import { streamCursor } from '../../src/engine/definition.js';
import { runInProcess } from '../support/connector.js';
import { assertStreamSchemaHoldsAgainstOpenApi } from '../support/openapi.js';
import { workspace } from '../support/workspace.js';

/** The OpenAPI component each stream's schema is generated from. */
const COMPONENT: Record<string, string> = {
  admins: 'admin',
  teams: 'team',
  tags: 'tag',
  segments: 'segment',
  subscription_types: 'subscription_type',
  company_attributes: 'data_attribute',
  contact_attributes: 'data_attribute',
  conversation_attributes: 'conversation_attribute',
  companies: 'company',
  contacts: 'contact',
  conversations: 'conversation',
  conversation_parts: 'conversation_part',
  tickets: 'ticket',
  activity_logs: 'activity_log',
  help_centers: 'help_center',
  help_center_collections: 'collection',
  articles: 'article_list_item',
};

function walk(node: unknown, visit: (n: JsonObject, path: string) => void, path = ''): void {
  if (Array.isArray(node)) return node.forEach((n, i) => walk(n, visit, `${path}/${i}`));
  if (node === null || typeof node !== 'object') return;
  visit(node as JsonObject, path);
  for (const [k, v] of Object.entries(node)) walk(v, visit, `${path}/${k}`);
}

t.test('discover', async (t) => {
  const ws = await workspace(t);
  const run = await runInProcess(['discover', '--config', ws.configPath]);
  t.equal(run.code, 0);
  const catalogs = run.ofType('CATALOG');
  t.equal(catalogs.length, 1, 'exactly one CATALOG message');
  const streams: AirbyteStream[] = catalogs[0]!.catalog.streams;
  t.same(
    streams.map((s) => s.name),
    STREAMS.map((s) => s.name),
    'one catalog entry per declared stream',
  );
  t.equal(new Set(streams.map((s) => s.name)).size, streams.length, 'unique names');

  const ajv = createAjv();
  for (const s of streams) {
    t.test(s.name, async (t) => {
      t.doesNotThrow(() => ajv.compile(s.json_schema), 'a valid draft-07 schema');
      const problems: string[] = [];
      walk(s.json_schema, (n, path) => {
        for (const k of ['$ref', 'allOf', 'not']) if (k in n && !path.endsWith('/properties')) problems.push(`${path}: ${k}`);
        if ('additionalProperties' in n && n.additionalProperties !== true && !path.endsWith('/properties')) problems.push(`${path}: additionalProperties`);
      });
      t.same(problems, [], 'no $ref, allOf or not; additionalProperties is always true');
      const properties = s.json_schema.properties as JsonObject;
      t.ok(s.supported_sync_modes.length > 0, 'has sync modes');
      for (const [key] of s.source_defined_primary_key ?? []) {
        const prop = properties[key!] as JsonObject | undefined;
        t.ok(prop, `primary key ${key} is a property`);
        t.notOk([prop?.type].flat().some((x) => x === 'object' || x === 'array'), `primary key ${key} is a scalar`);
      }
      const def = STREAMS.find((d) => d.name === s.name)!;
      t.same(s.source_defined_primary_key, def.primaryKey.map((k) => [k]), 'primary key from the declaration');
      const cursor = streamCursor(def);
      if (cursor) {
        t.same(s.supported_sync_modes, ['full_refresh', 'incremental']);
        t.same(s.default_cursor_field, [cursor]);
        t.ok(properties[cursor], 'the cursor is a property');
        t.equal(s.source_defined_cursor, true);
      } else {
        t.same(s.supported_sync_modes, ['full_refresh']);
      }
      const component = COMPONENT[s.name];
      if (component) t.same(assertStreamSchemaHoldsAgainstOpenApi(s.json_schema, component), [], `holds against the OpenAPI component ${component}`);
    });
  }
});

t.test('primary keys are Intercom ids, not names', async (t) => {
  for (const name of ['teams', 'tags', 'admins', 'contacts', 'conversations', 'companies', 'tickets']) {
    t.same(STREAMS.find((s) => s.name === name)!.primaryKey, ['id'], name);
  }
});
