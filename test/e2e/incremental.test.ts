/**
 * Incremental reads: cheap when nothing changed, exact when little changed,
 * empty for a state in the future, and resumable from the state shapes of
 * Airbyte's official connector.
 */
import t from 'tap';
import { runInProcess, tempJson } from '../support/connector.js';
import { idsOf, START_SECONDS, workspace } from '../support/workspace.js';

const INCREMENTAL = ['contacts', 'contact_tags', 'contact_companies', 'conversations', 'conversation_parts', 'conversation_tags', 'tickets', 'activity_logs'];

t.test('an incremental sync with no changes makes only a handful of API calls', async (t) => {
  const ws = await workspace(t, { seed: 3 });
  const catalog = await ws.catalogPath(INCREMENTAL);
  const first = await runInProcess(['read', '--config', ws.configPath, '--catalog', catalog]);
  t.equal(first.code, 0);
  const statePath = tempJson('state.json', first.stateArray());
  ws.sim.stats.reset();
  const second = await runInProcess(['read', '--config', ws.configPath, '--catalog', catalog, '--state', statePath]);
  t.equal(second.code, 0);
  const calls = ws.sim.stats.total;
  // GET /me, the contact and conversation attribute lists, one search per searched family, one activity-log window,
  // and one page of deleted conversations.
  t.ok(calls <= 8, `${calls} calls: ${JSON.stringify([...ws.sim.stats.byRoute])}`);
  t.equal(second.records().length, 0, 'nothing changed, nothing emitted');
  for (const s of INCREMENTAL) t.ok(second.states(s).length >= 1, `${s} still emits a state`);
});

t.test('after a few changes, an incremental sync emits exactly the changed records and their children', async (t) => {
  const ws = await workspace(t, { seed: 3 });
  const catalog = await ws.catalogPath(INCREMENTAL);
  const first = await runInProcess(['read', '--config', ws.configPath, '--catalog', catalog]);
  const statePath = tempJson('state.json', first.stateArray());
  const store = ws.sim.store;
  const contact = store.ids('contacts')[5]!;
  const conversation = store.ids('conversations')[7]!;
  store.updateContact(contact);
  store.addConversationPart(conversation);
  // A sync reads up to the second it starts in; changes within that second are the next sync's.
  await new Promise((r) => setTimeout(r, 1100));
  ws.sim.stats.reset();
  const second = await runInProcess(['read', '--config', ws.configPath, '--catalog', catalog, '--state', statePath]);
  t.equal(second.code, 0);
  t.same(idsOf(second.records('contacts')), [contact]);
  t.same(idsOf(second.records('conversations')), [conversation]);
  t.same(
    idsOf(second.records('conversation_parts')),
    idsOf(store.conversationParts(conversation).slice(-500)),
    'every part of the changed conversation, and only its parts',
  );
  t.same(
    second.records('contact_tags').map((r) => String(r.tag_id)).sort(),
    store.contactTagIds(contact).sort(),
    'the changed contact\'s tags',
  );
  t.ok(ws.sim.stats.total <= 10, `${ws.sim.stats.total} calls`);
});

t.test('a state far in the future gives zero records and still a state for every stream', async (t) => {
  const ws = await workspace(t);
  const future = 7626086649;
  const state = INCREMENTAL.map((name) => ({
    type: 'STREAM',
    stream: { stream_descriptor: { name }, stream_state: name === 'activity_logs' ? { created_at: future } : { updated_at: future } },
  }));
  const run = await runInProcess(['read', '--config', ws.configPath, '--catalog', await ws.catalogPath(INCREMENTAL), '--state', tempJson('state.json', state)]);
  t.equal(run.code, 0);
  t.equal(run.records().length, 0);
  for (const s of INCREMENTAL) {
    t.ok(run.states(s).length >= 1, `${s} emits a state`);
    t.ok(Object.values(run.states(s).at(-1)!.state).includes(future), `${s} keeps its cursor`);
  }
});

t.test('state shapes of Airbyte\'s official connector resume without a resync', async (t) => {
  const ws = await workspace(t, { seed: 4 });
  const store = ws.sim.store;
  const contacts = store.all('contacts').map((c) => Number(c.updated_at)).sort((a, b) => a - b);
  const cursor = contacts[Math.floor(contacts.length * 0.8)]!;
  const conversations = store.all('conversations').map((c) => Number(c.updated_at)).sort((a, b) => a - b);
  const convCursor = conversations[Math.floor(conversations.length * 0.8)]!;
  const legacy = {
    contacts: { updated_at: String(cursor) },
    conversations: { updated_at: convCursor },
    conversation_parts: { updated_at: convCursor + 500, conversations: { updated_at: convCursor } },
    activity_logs: { created_at: convCursor },
  };
  const streams = ['contacts', 'conversations', 'conversation_parts', 'activity_logs'];
  const run = await runInProcess(['read', '--config', ws.configPath, '--catalog', await ws.catalogPath(streams), '--state', tempJson('state.json', legacy)]);
  t.equal(run.code, 0);
  t.same(idsOf(run.records('contacts')), idsOf(store.all('contacts').filter((c) => Number(c.updated_at) >= cursor)), 'contacts resume at the legacy cursor');
  const expectedConversations = store.all('conversations').filter((c) => Number(c.updated_at) >= convCursor);
  t.same(idsOf(run.records('conversations')), idsOf(expectedConversations));
  t.same(
    new Set(run.records('conversation_parts').map((p) => String(p.conversation_id))),
    new Set(expectedConversations.map((c) => String(c.id))),
    'the substream shape resumes from its parent cursor',
  );

  const global = [
    {
      type: 'STREAM',
      stream: {
        stream_descriptor: { name: 'conversation_parts' },
        stream_state: { use_global_cursor: true, state: { updated_at: convCursor + 900 }, parent_state: { conversations: { updated_at: convCursor } } },
      },
    },
  ];
  const again = await runInProcess(['read', '--config', ws.configPath, '--catalog', await ws.catalogPath(['conversation_parts']), '--state', tempJson('s.json', global)]);
  t.same(
    new Set(again.records('conversation_parts').map((p) => String(p.conversation_id))),
    new Set(expectedConversations.map((c) => String(c.id))),
    'the global substream shape resumes from its parent cursor',
  );
});

t.test('lookback_window re-reads that many days before the saved cursor', async (t) => {
  const ws = await workspace(t, { seed: 4 });
  const store = ws.sim.store;
  const cursor = Math.max(...store.all('tickets').map((c) => Number(c.updated_at))) - 86400;
  const state = [{ type: 'STREAM', stream: { stream_descriptor: { name: 'tickets' }, stream_state: { updated_at: cursor } } }];
  const run = await runInProcess(['read', '--config', ws.configWith({ lookback_window: 30 }), '--catalog', await ws.catalogPath(['tickets']), '--state', tempJson('s.json', state)]);
  const since = Math.max(START_SECONDS, cursor - 30 * 86400);
  t.same(idsOf(run.records('tickets')), idsOf(store.all('tickets').filter((r) => Number(r.updated_at) >= since)));
});

t.test('the saved cursor stays search_lag_seconds behind the sync start', async (t) => {
  const ws = await workspace(t);
  const started = Math.floor(Date.now() / 1000);
  const run = await runInProcess(['read', '--config', ws.configWith({ search_lag_seconds: 900 }), '--catalog', await ws.catalogPath(['contacts'])]);
  const cursor = Number(run.states('contacts').at(-1)!.state.updated_at);
  t.ok(cursor <= started - 900 + 1 && cursor >= started - 900 - 5, `cursor ${cursor} is 900 s before ${started}`);
});
