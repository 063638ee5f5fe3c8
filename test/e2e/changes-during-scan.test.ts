/**
 * The core promise: no record is ever missing. The simulator pages with
 * stateless offset cursors (the worst case) in a non-UTC workspace, and a
 * hook changes, creates and deletes records while the first sync scans. A
 * full sync plus an incremental sync must hold every record of the ground
 * truth; records that did not change must all be in the first sync; the
 * incremental sync must hold the latest version of every changed record.
 */
import t from 'tap';
import type { JsonObject } from '../../src/protocol/types.js';
import type { Simulator } from 'intercom-simulator';
import { runInProcess, tempJson, type RunResult } from '../support/connector.js';
import { START_SECONDS, workspace } from '../support/workspace.js';

const SEARCHED = ['contacts', 'conversations', 'tickets'] as const;

/** Changes records whenever a search or scroll page is served: updates, creations, deletions. */
function churn(sim: Simulator): () => void {
  let n = 0;
  sim.onRequest((req) => {
    if (!/search|scroll/.test(req.route)) return;
    n += 1;
    const store = sim.store;
    const pick = (ids: string[], k: number): string => ids[(n * 7919 + k * 104729) % ids.length]!;
    const contacts = store.ids('contacts');
    const conversations = store.ids('conversations');
    store.updateContact(pick(contacts, 1));
    store.updateContact(pick(contacts, 2));
    store.addConversationPart(pick(conversations, 3));
    store.updateTicket(pick(store.ids('tickets'), 4));
    store.updateCompany(pick(store.ids('companies'), 5));
    if (n % 3 === 0) {
      store.createContact();
      store.createConversation();
      store.deleteContact(pick(contacts, 6));
      store.deleteConversation(pick(conversations, 7));
    }
  });
  return () => sim.onRequest(null);
}

t.test('a sync while data changes, then an incremental sync, hold every record', async (t) => {
  const ws = await workspace(t, { seed: 11, timezone: 'America/Los_Angeles', size: { contacts: 1500, conversations: 500, tickets: 200 } });
  const catalog = await ws.catalogPath(['contacts', 'contact_tags', 'conversations', 'conversation_parts', 'tickets', 'companies']);
  const before = new Map(SEARCHED.map((k) => [k, new Map(ws.sim.store.all(k).map((r) => [String(r.id), Number(r.updated_at)]))]));

  const syncStart = Math.floor(Date.now() / 1000);
  const stop = churn(ws.sim);
  const first = await runInProcess(['read', '--config', ws.configPath, '--catalog', catalog]);
  stop();
  t.equal(first.code, 0, JSON.stringify(first.errors()));
  t.ok(ws.sim.stats.total > 20, 'the first sync made many requests while data changed');

  // More changes between the syncs.
  ws.sim.store.updateContact(ws.sim.store.ids('contacts')[0]!);
  ws.sim.store.addConversationPart(ws.sim.store.ids('conversations')[0]!);
  // A sync reads up to the second it starts in; what changes within that second is the next sync's.
  await new Promise((resolve) => setTimeout(resolve, 1100));

  const second = await runInProcess(['read', '--config', ws.configPath, '--catalog', catalog, '--state', tempJson('state.json', first.stateArray())]);
  t.equal(second.code, 0, JSON.stringify(second.errors()));

  for (const kind of [...SEARCHED, 'companies'] as const) {
    const truth = ws.sim.store.all(kind).filter((r) => Number(r.updated_at) >= START_SECONDS);
    const inFirst = new Map(first.records(kind).map((r) => [String(r.id), r]));
    const inSecond = new Map(second.records(kind).map((r) => [String(r.id), r]));
    const missing = truth.filter((r) => !inFirst.has(String(r.id)) && !inSecond.has(String(r.id)));
    t.same(missing.map((r) => r.id), [], `${kind}: every record of the ground truth is in one of the syncs`);

    const changed = truth.filter((r) => Number(r.updated_at) >= syncStart);
    t.ok(changed.length > 0 || kind === 'companies', `${kind}: records changed during the scan`);
    const stale = changed.filter((r) => Number(inSecond.get(String(r.id))?.updated_at) !== Number(r.updated_at));
    t.same(stale.map((r) => r.id), [], `${kind}: the incremental sync holds the latest version of every changed record`);

    if (kind !== 'companies') {
      const unchanged = truth.filter((r) => before.get(kind)!.get(String(r.id)) === Number(r.updated_at));
      t.same(unchanged.filter((r) => !inFirst.has(String(r.id))).map((r) => r.id), [], `${kind}: no unchanged record is missing from the first sync`);
      const ids = first.records(kind).map((r) => String(r.id));
      t.equal(new Set(ids).size, ids.length, `${kind}: no record twice within one sync`);
    }
  }

  const partsTruth = changedPartsMissing(ws.sim, first, second);
  t.same(partsTruth, [], 'conversation_parts: every part of every conversation in the syncs is delivered');
});

t.test('the harness has teeth: following the offset cursor under the same churn misses records', async (t) => {
  const ws = await workspace(t, { seed: 11, timezone: 'America/Los_Angeles', size: { contacts: 1500, conversations: 500, tickets: 200 } });
  const before = new Map(ws.sim.store.all('contacts').map((r) => [String(r.id), Number(r.updated_at)]));
  const stop = churn(ws.sim);
  const seen = new Set<string>();
  let startingAfter: string | undefined;
  do {
    const response = await fetch(`${ws.sim.url}/contacts/search`, {
      method: 'POST',
      headers: { authorization: 'Bearer sim-token', 'content-type': 'application/json' },
      body: JSON.stringify({
        query: { field: 'updated_at', operator: '>', value: START_SECONDS },
        sort: { field: 'updated_at', order: 'ascending' },
        pagination: { per_page: 50, ...(startingAfter ? { starting_after: startingAfter } : {}) },
      }),
    });
    const body = (await response.json()) as { data: JsonObject[]; pages?: { next?: { starting_after?: string } } };
    for (const r of body.data) seen.add(String(r.id));
    startingAfter = body.pages?.next?.starting_after;
  } while (startingAfter);
  stop();
  const unchangedMissed = ws.sim.store
    .all('contacts')
    .filter((r) => Number(r.updated_at) >= START_SECONDS && before.get(String(r.id)) === Number(r.updated_at) && !seen.has(String(r.id)));
  t.ok(unchangedMissed.length > 0, `a naive cursor scan misses ${unchangedMissed.length} contacts that never changed`);
});

/** Parts of conversations present in the ground truth whose conversation was emitted, but not the part. */
function changedPartsMissing(sim: Simulator, first: RunResult, second: RunResult): string[] {
  const delivered = new Set([...first.records('conversation_parts'), ...second.records('conversation_parts')].map((p) => String(p.id)));
  const missing: string[] = [];
  for (const c of sim.store.all('conversations').filter((r) => Number(r.updated_at) >= START_SECONDS)) {
    for (const part of sim.store.conversationParts(String(c.id)).slice(-500)) {
      if (!delivered.has(String(part.id))) missing.push(`${String(c.id)}/${String(part.id)}`);
    }
  }
  return missing;
}
