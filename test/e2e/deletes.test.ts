/**
 * Deletes of admins, teams, tags, segments and conversations, between syncs
 * and during a sync, applied by a reference append_dedup destination with
 * hard deletes: the destination ends equal to the simulator's live set, and
 * no live record ever gets a tombstone.
 */
import t, { type Test } from 'tap';
import type { JsonObject } from '../../src/protocol/types.js';
import type { Simulator } from 'intercom-simulator';
import { DedupDestination } from '../support/append-dedup.js';
import { mergeStates, runInProcess, runKilledAfterState, tempJson, type RunResult } from '../support/connector.js';
import { START_SECONDS, workspace } from '../support/workspace.js';

const STREAMS = ['admins', 'teams', 'team_admins', 'tags', 'segments', 'conversations', 'conversation_parts', 'conversation_tags'];
const SIZE = { conversations: 150, contacts: 200, admins: 10, teams: 5, tags: 30, segments: 8 };

/** The live set of each stream, keyed as the destination keys it. */
function liveKeys(sim: Simulator): Map<string, string[]> {
  const store = sim.store;
  const ids = (kind: 'admins' | 'teams' | 'tags' | 'segments'): string[] => store.all(kind).map((o) => String(o.id));
  const teamAdmins = store.all('teams').flatMap((team) => ((team.admin_ids as unknown[]) ?? []).map((a) => `${String(team.id)}|${String(a)}`));
  const conversations = store.all('conversations').filter((c) => Number(c.updated_at) >= START_SECONDS);
  return new Map([
    ['admins', ids('admins')],
    ['teams', ids('teams')],
    ['team_admins', teamAdmins],
    ['tags', ids('tags')],
    ['segments', ids('segments')],
    ['conversations', conversations.map((c) => String(c.id))],
  ]);
}

function checkAgainstLive(t: Test, dest: DedupDestination, sim: Simulator): void {
  const live = liveKeys(sim);
  for (const [stream, keys] of live) {
    t.same(dest.rows(stream).map((r) => dest.keyOf(stream, r)).sort(), [...keys].sort(), `${stream}: the destination holds exactly the live set`);
    const wronglyDeleted = keys.filter((k) => dest.tombstoned.has(`${stream}|${k}`));
    t.same(wronglyDeleted, [], `${stream}: no live record was ever tombstoned`);
  }
  const latest = new Map(sim.store.all('conversations').map((c) => [String(c.id), Number(c.updated_at)]));
  const stale = dest.rows('conversations').filter((r) => latest.get(String(r.id)) !== r.updated_at);
  t.same(stale.map((r) => r.id), [], 'conversations: every row is the latest version');
  t.same(dest.schemaProblems, [], 'every record validates against its declared schema');
}

const tombstones = (run: RunResult, stream: string): JsonObject[] => run.records(stream).filter((r) => r._ab_cdc_deleted_at !== undefined && r._ab_cdc_deleted_at !== null);
const pause = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 1100));

t.test('deletes between syncs and during a sync reach an append_dedup destination', async (t) => {
  const ws = await workspace(t, { seed: 21, size: SIZE });
  const catalogObject = await ws.catalog(STREAMS);
  const catalog = tempJson('catalog.json', catalogObject);
  const dest = new DedupDestination(catalogObject);
  const store = ws.sim.store;

  const first = await runInProcess(['read', '--config', ws.configPath, '--catalog', catalog]);
  t.equal(first.code, 0, JSON.stringify(first.errors()));
  t.same(tombstones(first, 'tags'), [], 'a first sync has nothing to compare with: no tombstones');
  dest.ingest(first.messages);
  checkAgainstLive(t, dest, ws.sim);

  // Between syncs: one of each kind, and a tag taken off a conversation.
  const admin = store.ids('admins')[3]!;
  const team = store.ids('teams')[1]!;
  const teamAdmins = (store.all('teams').find((x) => String(x.id) === team)!.admin_ids as unknown[]).map(String);
  const [tagA, tagB] = store.ids('tags').slice(4, 6) as [string, string];
  const segment = store.ids('segments')[2]!;
  const goneConversations = store.ids('conversations').slice(10, 13);
  store.deleteCatalogObject('admins', admin);
  store.deleteCatalogObject('teams', team);
  store.deleteCatalogObject('tags', tagA);
  store.deleteCatalogObject('tags', tagB);
  store.deleteCatalogObject('segments', segment);
  for (const id of goneConversations) store.deleteConversation(id);
  // Changed since the first sync, so the second one scans it; it is deleted between its search and its parts.
  const vanished = store.ids('conversations')[20]!;
  store.addConversationPart(vanished);
  await pause();

  // During the sync: a tag and a segment as their lists are served, a conversation between its search and its parts.
  const [tagDuring] = store.ids('tags').slice(7, 8) as [string];
  const segmentDuring = store.ids('segments')[4]!;
  const once = new Set<string>();
  const first_ = (route: string): boolean => !once.has(route) && once.add(route) !== undefined;
  ws.sim.onRequest((req) => {
    if (req.route === 'GET /tags' && first_(req.route)) store.deleteCatalogObject('tags', tagDuring);
    if (req.route === 'GET /segments' && first_(req.route)) store.deleteCatalogObject('segments', segmentDuring);
    if (req.route === 'GET /conversations/{id}' && req.path.endsWith(`/${vanished}`) && store.conversation(vanished)) store.deleteConversation(vanished);
  });
  const second = await runInProcess(['read', '--config', ws.configPath, '--catalog', catalog, '--state', tempJson('state.json', first.stateArray())]);
  ws.sim.onRequest(null);
  t.equal(second.code, 0, JSON.stringify(second.errors()));
  dest.ingest(second.messages);

  const ids = (rows: JsonObject[], key = 'id'): string[] => rows.map((r) => String(r[key])).sort();
  t.same(ids(tombstones(second, 'admins')), [admin], 'the deleted admin gets a tombstone');
  t.same(ids(tombstones(second, 'teams')), [team], 'the deleted team gets a tombstone');
  t.same(ids(tombstones(second, 'tags')), [tagA, tagB, tagDuring].sort(), 'tags deleted before and during the sync get tombstones');
  t.same(ids(tombstones(second, 'segments')), [segment, segmentDuring].sort(), 'segments deleted before and during the sync get tombstones');
  const linkStones = tombstones(second, 'team_admins').map((r) => `${String(r.team_id)}|${String(r.admin_id)}`);
  for (const a of teamAdmins) t.ok(linkStones.includes(`${team}|${a}`), `team_admins: the deleted team's link to ${a} gets a tombstone`);
  const convStones = tombstones(second, 'conversations');
  for (const id of goneConversations) t.ok(convStones.some((r) => r.id === id), `conversation ${id} deleted between syncs gets a tombstone`);
  t.ok(convStones.some((r) => r.id === vanished && r.updated_at !== undefined && r.state !== undefined), 'the conversation gone between its search and its parts gets a tombstone carrying its last version');
  for (const r of tombstones(second, 'tags')) {
    t.equal(r._ab_cdc_updated_at, r._ab_cdc_deleted_at, 'a snapshot tombstone has its cursor at the deletion time');
  }
  for (const r of convStones) t.equal(Date.parse(String(r._ab_cdc_deleted_at)) / 1000, r.updated_at, 'a conversation tombstone has updated_at at the deletion time');
  const tagsState = second.states('tags').at(-1)!.state;
  t.same((tagsState.keys as string[]).slice().sort(), store.ids('tags').sort(), 'the tags state holds exactly the keys this sync saw');
  t.ok(typeof second.states('conversations').at(-1)!.state.deleted_at === 'number', 'the conversations state keeps the deletion cursor beside updated_at');

  await pause();
  const third = await runInProcess(['read', '--config', ws.configPath, '--catalog', catalog, '--state', tempJson('state.json', second.stateArray())]);
  t.equal(third.code, 0, JSON.stringify(third.errors()));
  dest.ingest(third.messages);
  t.same(tombstones(third, 'tags'), [], 'nothing deleted since: no tag tombstones');
  checkAgainstLive(t, dest, ws.sim);
});

t.test('a conversation tag taken off disappears by the current-link rule', async (t) => {
  const ws = await workspace(t, { seed: 22, size: SIZE });
  const catalogObject = await ws.catalog(['conversations', 'conversation_tags']);
  const catalog = tempJson('catalog.json', catalogObject);
  const store = ws.sim.store;
  const conversation = store.ids('conversations').find((id) => Number(store.all('conversations').find((c) => c.id === id)!.updated_at) >= START_SECONDS)!;
  const [keep, drop] = store.ids('tags').slice(0, 2) as [string, string];
  store.tagConversation(conversation, keep);
  store.tagConversation(conversation, drop);
  await pause();
  const first = await runInProcess(['read', '--config', ws.configPath, '--catalog', catalog]);
  t.equal(first.code, 0, JSON.stringify(first.errors()));
  store.untagConversation(conversation, drop);
  await pause();
  const second = await runInProcess(['read', '--config', ws.configPath, '--catalog', catalog, '--state', tempJson('state.json', first.stateArray())]);
  t.equal(second.code, 0, JSON.stringify(second.errors()));

  const updatedAt = Number(store.all('conversations').find((c) => c.id === conversation)!.updated_at);
  const emitted = second.records('conversation_tags').filter((r) => r.conversation_id === conversation);
  t.same(
    emitted.map((r) => `${String(r.tag_id)}@${String(r.conversation_updated_at)}`).sort(),
    store.conversationTagIds(conversation).map((tag) => `${tag}@${updatedAt}`).sort(),
    'when the parent changes, every current link is emitted again with its new updated_at',
  );
  // The rule: a link is current when its conversation_updated_at equals the conversation's latest updated_at.
  const links = [...first.records('conversation_tags'), ...second.records('conversation_tags')];
  const latest = new Map<string, number>();
  for (const c of [...first.records('conversations'), ...second.records('conversations')]) latest.set(String(c.id), Math.max(latest.get(String(c.id)) ?? 0, Number(c.updated_at)));
  const current = links.filter((l) => l.conversation_id === conversation && l.conversation_updated_at === latest.get(conversation)).map((l) => String(l.tag_id));
  t.ok(current.includes(keep), 'the tag still on the conversation is current');
  t.notOk(current.includes(drop), 'the tag taken off is no longer current');
  t.ok(links.some((l) => l.conversation_id === conversation && l.tag_id === drop), 'the removed link was emitted by the first sync');
});

t.test('a failed or partial snapshot list read writes no tombstone', async (t) => {
  const ws = await workspace(t, { seed: 23, size: { ...SIZE, collections: 200 } });
  const catalog = await ws.catalogPath(['tags', 'help_center_collections']);
  const store = ws.sim.store;
  const first = await runInProcess(['read', '--config', ws.configPath, '--catalog', catalog]);
  t.equal(first.code, 0, JSON.stringify(first.errors()));
  const deletedTag = store.ids('tags')[0]!;
  store.deleteCatalogObject('tags', deletedTag);
  const collections = first.records('help_center_collections').map((r) => String(r.id));
  t.ok(collections.length > 1, 'collections were read');

  // /tags fails every time; the collections list fails on its second page (pages of 150 would be one page, so the list is small pages).
  ws.sim.onRequest((req) => {
    if (req.route === 'GET /tags') throw new Error('tags are down');
    if (req.route === 'GET /help_center/collections' && req.query.get('page') === '2') throw new Error('page 2 is down');
  });
  const state = tempJson('state.json', first.stateArray());
  const failed = await runInProcess(['read', '--config', ws.configPath, '--catalog', catalog, '--state', state]);
  ws.sim.onRequest(null);
  t.not(failed.code, 0, 'the sync reports the failure');
  t.same(failed.statuses('tags').at(-1), 'INCOMPLETE', 'tags end INCOMPLETE');
  t.same(tombstones(failed, 'tags'), [], 'a failed list writes no tombstone');
  t.same(tombstones(failed, 'help_center_collections'), [], 'a list that stops part-way writes no tombstone');
  t.same(failed.states('tags'), [], 'and no state: the next sync compares with the last full read');

  const healed = await runInProcess(['read', '--config', ws.configPath, '--catalog', catalog, '--state', state]);
  t.equal(healed.code, 0, JSON.stringify(healed.errors()));
  t.same(tombstones(healed, 'tags').map((r) => r.id), [deletedTag], 'the next full read writes the tombstone');
  t.same(tombstones(healed, 'help_center_collections'), [], 'no collection was deleted');
});

t.test('GET /conversations/deleted: deletions during the read shift pages toward repeats, never misses', async (t) => {
  const ws = await workspace(t, { seed: 24, size: { ...SIZE, conversations: 400 } });
  const catalogObject = await ws.catalog(['conversations']);
  const catalog = tempJson('catalog.json', catalogObject);
  const dest = new DedupDestination(catalogObject);
  const store = ws.sim.store;
  const first = await runInProcess(['read', '--config', ws.configPath, '--catalog', catalog]);
  t.equal(first.code, 0, JSON.stringify(first.errors()));
  dest.ingest(first.messages);

  const before = store.ids('conversations').slice(0, 150);
  for (const id of before) store.deleteConversation(id);
  await pause();
  let pages = 0;
  const duringRead: string[] = [];
  ws.sim.onRequest((req) => {
    if (req.route !== 'GET /conversations/deleted') return;
    pages += 1;
    // Two more deletions before every page: each pushes what is left one place further down.
    for (const id of store.ids('conversations').slice(-2)) {
      store.deleteConversation(id);
      duringRead.push(id);
    }
  });
  const second = await runInProcess(['read', '--config', ws.configPath, '--catalog', catalog, '--state', tempJson('state.json', first.stateArray())]);
  ws.sim.onRequest(null);
  t.equal(second.code, 0, JSON.stringify(second.errors()));
  t.ok(pages >= 3, `the deleted list was read over ${pages} pages`);
  const stoned = tombstones(second, 'conversations').map((r) => String(r.id));
  t.same(before.filter((id) => !stoned.includes(id)), [], 'every conversation deleted before the read has a tombstone');
  t.equal(new Set(stoned).size, stoned.length, 'repeated entries are written once');
  dest.ingest(second.messages);

  await pause();
  const third = await runInProcess(['read', '--config', ws.configPath, '--catalog', catalog, '--state', tempJson('state.json', second.stateArray())]);
  t.equal(third.code, 0, JSON.stringify(third.errors()));
  const late = tombstones(third, 'conversations').map((r) => String(r.id));
  const all = [...stoned, ...late];
  t.same(duringRead.filter((id) => !all.includes(id)), [], 'deletions made during the read come by the next sync at the latest');
  dest.ingest(third.messages);
  const live = store.all('conversations').filter((c) => Number(c.updated_at) >= START_SECONDS).map((c) => String(c.id));
  t.same(dest.rows('conversations').map((r) => String(r.id)).sort(), live.sort(), 'the destination equals the live set');
});

t.test('with api_version below 2.15, conversation deletes are skipped with one warning', async (t) => {
  const ws = await workspace(t, { seed: 25, size: SIZE }, { api_version: '2.14' });
  const catalog = await ws.catalogPath(['conversations']);
  const first = await runInProcess(['read', '--config', ws.configPath, '--catalog', catalog]);
  t.equal(first.code, 0, JSON.stringify(first.errors()));
  const warnings = first.logs('WARN').filter((m) => m.includes('2.15'));
  t.equal(warnings.length, 1, 'one warning names the version it needs');
  t.equal(ws.sim.stats.byRoute.get('GET /conversations/deleted') ?? 0, 0, 'the deleted list is not requested');
});

t.test('killed with SIGKILL and resumed, deletes still reach the destination', async (t) => {
  const ws = await workspace(t, { seed: 26, size: SIZE, latencyMs: { mean: 2, jitter: 1 } });
  const catalogObject = await ws.catalog(STREAMS);
  const catalog = tempJson('catalog.json', catalogObject);
  const dest = new DedupDestination(catalogObject);
  const store = ws.sim.store;
  const env = { SOURCE_INTERCOM_CHECKPOINT_RECORDS: '10' };
  let state: JsonObject[] = [];
  let kills = 0;
  for (const [round, killAfter] of [3, 6, 2, 9, Infinity].entries()) {
    if (round > 0) {
      store.deleteCatalogObject('tags', store.ids('tags')[round]!);
      store.deleteConversation(store.ids('conversations')[round * 3]!);
      if (round === 2) store.deleteCatalogObject('teams', store.ids('teams')[0]!);
      if (round === 3) store.deleteCatalogObject('admins', store.ids('admins')[2]!);
      if (round === 4) store.deleteCatalogObject('segments', store.ids('segments')[1]!);
      await pause();
    }
    const run = await runKilledAfterState(['read', '--config', ws.configPath, '--catalog', catalog, '--state', tempJson('state.json', state)], killAfter, env);
    if (run.code === null) kills += 1;
    else t.equal(run.code, 0, `a run that was not killed completes: ${JSON.stringify(run.errors())}`);
    dest.ingest(run.messages);
    state = mergeStates(state, run);
  }
  t.ok(kills >= 2, `killed ${kills} times`);
  await pause();
  const last = await runInProcess(['read', '--config', ws.configPath, '--catalog', catalog, '--state', tempJson('state.json', state)]);
  t.equal(last.code, 0, JSON.stringify(last.errors()));
  dest.ingest(last.messages);
  checkAgainstLive(t, dest, ws.sim);
});

t.test('a catalog from before deletes (no _ab_cdc_deleted_at) gets no tombstones, and a warning', async (t) => {
  const ws = await workspace(t, { seed: 27, size: SIZE });
  const catalogObject = await ws.catalog(['conversations', 'tags']);
  for (const s of catalogObject.streams) {
    const { _ab_cdc_deleted_at: _d, _ab_cdc_updated_at: _u, ...rest } = s.stream.json_schema.properties as JsonObject;
    s.stream.json_schema = { ...s.stream.json_schema, properties: rest };
  }
  const catalog = tempJson('catalog.json', catalogObject);
  const first = await runInProcess(['read', '--config', ws.configPath, '--catalog', catalog]);
  t.equal(first.code, 0, JSON.stringify(first.errors()));
  ws.sim.store.deleteConversation(ws.sim.store.ids('conversations')[0]!);
  ws.sim.store.deleteCatalogObject('tags', ws.sim.store.ids('tags')[0]!);
  await pause();
  const second = await runInProcess(['read', '--config', ws.configPath, '--catalog', catalog, '--state', tempJson('state.json', first.stateArray())]);
  t.equal(second.code, 0, JSON.stringify(second.errors()));
  t.same(tombstones(second, 'conversations'), [], 'no conversation tombstone');
  t.equal(second.records('tags').length, ws.sim.store.ids('tags').length, 'tags: only the live set, no emptied rows');
  t.ok(second.logs('WARN').some((m) => m.includes('Refresh the source schema')), 'a warning says how to get deletes');
});
