/**
 * Catalog UIs show what a column means: every top-level property of every
 * discovered stream has a description (the OpenAPI's, or the connector's for
 * the columns it adds), and nested properties keep the OpenAPI's.
 */
import t from 'tap';
import type { AirbyteStream, JsonObject } from '../../src/protocol/types.js';
import { componentSchema } from '../support/openapi.js';
import { workspace } from '../support/workspace.js';

function undescribed(stream: AirbyteStream): string[] {
  const properties = stream.json_schema.properties as Record<string, JsonObject>;
  return Object.entries(properties)
    .filter(([, p]) => typeof p.description !== 'string' || p.description.trim() === '')
    .map(([name]) => name);
}

for (const mode of ['nested', 'flattened'] as const) {
  t.test(`${mode}: every top-level property carries a description`, async (t) => {
    const ws = await workspace(t, {}, { custom_attributes: mode });
    for (const stream of await ws.streams()) t.same(undescribed(stream), [], `${stream.name}: every column is described`);
    const contacts = (await ws.streams()).find((s) => s.name === 'contacts')!;
    const properties = contacts.json_schema.properties as Record<string, JsonObject>;
    const custom = mode === 'flattened'
      ? Object.entries(properties).filter(([k]) => k.startsWith('custom_'))
      : Object.entries((properties.custom_attributes!.properties ?? {}) as Record<string, JsonObject>);
    t.ok(custom.length > 0);
    t.ok(custom.every(([, p]) => /^Custom attribute '.+' of the workspace/.test(String(p.description))), 'custom attributes say which attribute they hold');
  });
}

t.test('descriptions are the OpenAPI\'s, nested ones included', async (t) => {
  const ws = await workspace(t);
  const contacts = (await ws.streams()).find((s) => s.name === 'contacts')!;
  const properties = contacts.json_schema.properties as Record<string, JsonObject>;
  const openapi = (componentSchema('contact').properties ?? {}) as Record<string, JsonObject>;
  t.equal(properties.email!.description, String(openapi.email!.description).trim());
  const conversations = (await ws.streams()).find((s) => s.name === 'conversations')!;
  const statistics = (conversations.json_schema.properties as Record<string, JsonObject>).statistics!;
  const nested = statistics.properties as Record<string, JsonObject>;
  t.match(nested.time_to_admin_reply!.description, /\w/, 'a nested property is described');
  const links = (await ws.streams()).find((s) => s.name === 'contact_tags')!;
  t.match((links.json_schema.properties as Record<string, JsonObject>).contact_updated_at!.description, /current/, 'link columns explain the current-link rule');
});
