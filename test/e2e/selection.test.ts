/**
 * Data blocking: a stream that is not selected costs nothing; a selected
 * stream's records carry only the columns its configured schema keeps.
 * Child lookups happen only for the streams that need them.
 */
import t from 'tap';
import type { JsonObject } from '../../src/protocol/types.js';
import { runInProcess, tempJson } from '../support/connector.js';
import { workspace } from '../support/workspace.js';

const routes = (byRoute: Map<string, number>): string[] => [...byRoute.keys()];

t.test('unselected streams are not requested', async (t) => {
  const ws = await workspace(t);
  const catalog = await ws.catalogPath(['contacts', 'companies', 'conversations']);
  ws.sim.stats.reset();
  const run = await runInProcess(['read', '--config', ws.configPath, '--catalog', catalog]);
  t.equal(run.code, 0);
  const called = routes(ws.sim.stats.byRoute);
  t.notOk(called.some((r) => /\/contacts\/\{[^}]+\}\/(tags|companies)/.test(r)), 'no contact tag or company lists without contact_tags/contact_companies');
  t.notOk(called.some((r) => /\/companies\/\{[^}]+\}\/segments/.test(r)), 'no company segments without company_segments');
  t.notOk(called.some((r) => /GET \/conversations\/\{/.test(r)), 'no conversation fetches without conversation_parts');
  t.notOk(called.some((r) => /tickets|admins|tags|articles|activity/.test(r)), `nothing else: ${called.join(', ')}`);
});

t.test('field selection: records carry only the configured columns', async (t) => {
  const ws = await workspace(t);
  const catalog = await ws.catalog(['contacts']);
  const stream = catalog.streams[0]!.stream;
  const keep = ['id', 'updated_at', 'email'];
  stream.json_schema = { ...stream.json_schema, properties: Object.fromEntries(keep.map((k) => [k, (stream.json_schema.properties as JsonObject)[k]])) };
  const run = await runInProcess(['read', '--config', ws.configPath, '--catalog', tempJson('catalog.json', catalog)]);
  const records = run.records('contacts');
  t.ok(records.length > 0);
  t.ok(records.every((r) => Object.keys(r).every((k) => keep.includes(k))), 'only id, updated_at and email');
});

t.test('a conversation deleted between the search and its fetch is skipped with a LOG line', async (t) => {
  const ws = await workspace(t);
  let deleted: string | null = null;
  ws.sim.onRequest((req) => {
    const id = /^\/conversations\/(\d+)$/.exec(req.path)?.[1];
    if (id && deleted === null) {
      deleted = id;
      ws.sim.store.deleteConversation(id);
    }
  });
  const run = await runInProcess(['read', '--config', ws.configPath, '--catalog', await ws.catalogPath(['conversations', 'conversation_parts'])]);
  t.equal(run.code, 0, JSON.stringify(run.errors()));
  t.ok(deleted, 'a conversation was deleted mid-sync');
  t.ok(run.logs().some((m) => m.includes(`conversation ${deleted!}`) && /no longer exists/.test(m)), 'the skip is logged');
  t.notOk(run.records('conversation_parts').some((p) => p.conversation_id === deleted), 'no parts for it');
});
