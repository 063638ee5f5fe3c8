/**
 * The state of a snapshot stream keeps the previous sync's keys: for 10,000
 * tags it stays within about 30 bytes a key (the README quotes the figure
 * this test prints), and the comparison still finds every deleted tag.
 */
import t from 'tap';
import { runInProcess, tempJson } from '../support/connector.js';
import { workspace } from '../support/workspace.js';

const TAGS = 10_000;

t.test(`the tags state for ${TAGS} tags is compact and still finds deletes`, async (t) => {
  const ws = await workspace(t, { seed: 41, size: { tags: TAGS, contacts: 20, conversations: 10, companies: 5, tickets: 2 } });
  const catalog = await ws.catalogPath(['tags']);
  const first = await runInProcess(['read', '--config', ws.configPath, '--catalog', catalog]);
  t.equal(first.code, 0, JSON.stringify(first.errors()));
  t.equal(first.records('tags').length, TAGS);
  const state = first.states('tags').at(-1)!.state;
  const bytes = Buffer.byteLength(JSON.stringify(state));
  t.comment(`tags state for ${TAGS} tags: ${bytes} bytes (${(bytes / TAGS).toFixed(1)} bytes a key)`);
  t.ok(bytes <= 30 * TAGS, `${bytes} bytes is at most 30 bytes a key`);

  const gone = ws.sim.store.ids('tags').filter((_, i) => i % 100 === 7);
  for (const id of gone) ws.sim.store.deleteCatalogObject('tags', id);
  await new Promise((resolve) => setTimeout(resolve, 1100));
  const second = await runInProcess(['read', '--config', ws.configPath, '--catalog', catalog, '--state', tempJson('state.json', first.stateArray())]);
  t.equal(second.code, 0, JSON.stringify(second.errors()));
  const stones = second.records('tags').filter((r) => r._ab_cdc_deleted_at);
  t.same(stones.map((r) => String(r.id)).sort(), gone.sort(), 'exactly the deleted tags get tombstones');
});
