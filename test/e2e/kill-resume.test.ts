/**
 * A sync killed with SIGKILL at several points and resumed from its last
 * state loses nothing. Only what a destination would have committed counts:
 * for each stream, the records before that stream's last STATE.
 */
import t from 'tap';
import type { JsonObject } from '../../src/protocol/types.js';
import { runProcess, tempJson, type Message } from '../support/connector.js';
import { START_SECONDS, workspace } from '../support/workspace.js';

const STREAMS = ['contacts', 'contact_tags', 'conversations', 'conversation_parts', 'tickets', 'activity_logs', 'companies'];

/** Records committed by each stream's last state, and those states. */
function committed(messages: Message[]): { records: Map<string, JsonObject[]>; states: Map<string, JsonObject> } {
  const pending = new Map<string, JsonObject[]>();
  const records = new Map<string, JsonObject[]>();
  const states = new Map<string, JsonObject>();
  for (const m of messages) {
    if (m.type === 'RECORD') pending.set(m.record.stream, [...(pending.get(m.record.stream) ?? []), m.record.data]);
    if (m.type === 'STATE') {
      const name = m.state.stream.stream_descriptor.name;
      records.set(name, [...(records.get(name) ?? []), ...(pending.get(name) ?? [])]);
      pending.set(name, []);
      states.set(name, { type: 'STREAM', stream: m.state.stream });
    }
  }
  return { records, states };
}

t.test('killed at several points and resumed, the syncs together lose nothing', async (t) => {
  const ws = await workspace(t, { seed: 5, timezone: 'Australia/Sydney', latencyMs: { mean: 3, jitter: 2 } });
  const catalog = await ws.catalogPath(STREAMS);
  const env = { SOURCE_INTERCOM_CHECKPOINT_RECORDS: '15' };
  const delivered = new Map<string, Set<string>>(STREAMS.map((s) => [s, new Set()]));
  let states = new Map<string, JsonObject>();
  let kills = 0;

  // Kill after the 2nd, 5th, 9th ... state message; then let the last run finish.
  for (const killAfter of [2, 5, 9, 14, Infinity]) {
    if (kills > 0) {
      // The workspace keeps changing between the runs; a sync reads up to the second it starts in.
      ws.sim.store.updateContact(ws.sim.store.ids('contacts')[kills]!);
      ws.sim.store.addConversationPart(ws.sim.store.ids('conversations')[kills]!);
      await new Promise((resolve) => setTimeout(resolve, 1100));
    }
    let seen = 0;
    const statePath = tempJson('state.json', [...states.values()]);
    const run = await runProcess(['read', '--config', ws.configPath, '--catalog', catalog, '--state', statePath], {
      env,
      onMessage: (m, child) => {
        if (m.type === 'STATE' && ++seen === killAfter) child.kill('SIGKILL');
      },
    });
    if (run.code === null) kills += 1;
    else t.equal(run.code, 0, `the final run completes: ${JSON.stringify(run.errors())}`);
    const got = committed(run.messages);
    for (const [stream, records] of got.records) {
      for (const r of records) delivered.get(stream)?.add(String(r.id ?? `${String(r.contact_id)}|${String(r.tag_id)}`));
    }
    states = new Map([...states, ...got.states]);
  }
  t.ok(kills >= 3, `the sync was killed mid-way ${kills} times`);

  const store = ws.sim.store;
  for (const kind of ['contacts', 'conversations', 'tickets', 'companies'] as const) {
    const missing = store.all(kind).filter((r) => Number(r.updated_at) >= START_SECONDS && !delivered.get(kind)!.has(String(r.id)));
    t.same(missing.map((r) => r.id), [], `${kind}: nothing lost`);
  }
  const logs = store.all('activity_logs').filter((r) => Number(r.created_at) >= START_SECONDS);
  t.same(logs.filter((r) => !delivered.get('activity_logs')!.has(String(r.id))).map((r) => r.id), [], 'activity_logs: nothing lost');
  const contactTags = store
    .all('contacts')
    .filter((c) => Number(c.updated_at) >= START_SECONDS)
    .flatMap((c) => store.contactTagIds(String(c.id)).map((tag) => `${String(c.id)}|${tag}`));
  t.same(contactTags.filter((k) => !delivered.get('contact_tags')!.has(k)), [], 'contact_tags: nothing lost');
  const parts = store
    .all('conversations')
    .filter((c) => Number(c.updated_at) >= START_SECONDS)
    .flatMap((c) => store.conversationParts(String(c.id)).slice(-500).map((p) => String(p.id)));
  t.same(parts.filter((id) => !delivered.get('conversation_parts')!.has(id)), [], 'conversation_parts: nothing lost');
});
