/**
 * The connector side of the webhook relay, against a small real HTTP server
 * on 127.0.0.1 that serves the relay's read API (`GET /v1/events?after&limit`
 * with a bearer token): deletes of contacts, companies and conversations
 * become tombstones, an archived contact is re-read, events of other
 * workspaces are skipped, the relay sequence is saved only after its
 * tombstones, and `check` names what failed.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import t, { type Test } from 'tap';
import type { JsonObject } from '../../src/protocol/types.js';
import { DedupDestination } from '../support/append-dedup.js';
import { runInProcess, tempJson, type RunResult } from '../support/connector.js';
import { START_SECONDS, workspace } from '../support/workspace.js';

const TOKEN = 'relay-read-token-5f1c';

interface FakeRelay {
  url: string;
  events: JsonObject[];
  /** The `after` of every read. */
  reads: number[];
  add(topic: string, item: JsonObject, appId: string, at?: number): void;
  close(): Promise<void>;
}

async function fakeRelay(t: Test): Promise<FakeRelay> {
  const events: JsonObject[] = [];
  const reads: number[] = [];
  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const send = (status: number, body: unknown): void => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    if (url.pathname !== '/v1/events') return send(404, { error: 'not found' });
    if (req.headers.authorization !== `Bearer ${TOKEN}`) return send(401, { error: 'unauthorized' });
    const after = Number(url.searchParams.get('after') ?? 0);
    const limit = Math.min(Number(url.searchParams.get('limit') ?? 100), 3);
    reads.push(after);
    const page = events.filter((e) => Number(e.seq) > after).slice(0, limit);
    send(200, { events: page, next: page.length > 0 ? Number(page.at(-1)!.seq) : after });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const relay: FakeRelay = {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    events,
    reads,
    add: (topic, item, appId, at) => {
      const seq = events.length + 1;
      const now = at ?? Math.floor(Date.now() / 1000);
      events.push({ seq, app_id: appId, id: `notif_${seq}`, topic, created_at: now, received_at: now, item });
    },
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
  t.teardown(() => relay.close());
  return relay;
}

const tombstones = (run: RunResult, stream: string): JsonObject[] => run.records(stream).filter((r) => r._ab_cdc_deleted_at !== undefined && r._ab_cdc_deleted_at !== null);
const pause = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 1100));

t.test('relay events become tombstones and re-reads; the sequence is saved after them', async (t) => {
  const relay = await fakeRelay(t);
  const ws = await workspace(t, { seed: 31, size: { contacts: 150, companies: 40, conversations: 80 } }, { webhook_relay: { url: relay.url, token: TOKEN } });
  const catalogObject = await ws.catalog(['contacts', 'companies', 'conversations']);
  const catalog = tempJson('catalog.json', catalogObject);
  const dest = new DedupDestination(catalogObject);
  const store = ws.sim.store;
  const appId = store.appId;
  relay.add('contact.deleted', { type: 'contact', id: 'old-contact' }, appId, Math.floor(Date.now() / 1000) - 3600);

  const first = await runInProcess(['read', '--config', ws.configPath, '--catalog', catalog]);
  t.equal(first.code, 0, JSON.stringify(first.errors()));
  t.same(tombstones(first, 'contacts'), [], 'a first sync skips deletes older than its scan');
  t.equal(first.states('contacts').at(-1)!.state.relay_seq, 1, 'but saves the relay sequence it has read');
  dest.ingest(first.messages);

  const liveContacts = (): JsonObject[] => store.all('contacts').filter((c) => Number(c.updated_at) >= START_SECONDS);
  const [goneContact, archivedContact] = liveContacts().map((c) => String(c.id)) as [string, string];
  const goneCompany = store.all('companies').map((c) => String(c.id))[0]!;
  const goneConversation = store.ids('conversations')[0]!;
  store.deleteContact(goneContact);
  store.deleteConversation(goneConversation);
  await pause();
  relay.add('contact.deleted', { type: 'contact', id: goneContact }, appId);
  relay.add('company.deleted', { type: 'company', id: goneCompany }, appId);
  relay.add('conversation.deleted', { type: 'conversation', id: goneConversation }, appId);
  relay.add('contact.archived', { type: 'contact', id: archivedContact }, appId);
  relay.add('contact.deleted', { type: 'contact', id: liveContacts()[5]!.id }, 'another-workspace');
  relay.add('contact.created', { type: 'contact', id: 'whatever' }, appId);

  const second = await runInProcess(['read', '--config', ws.configPath, '--catalog', catalog, '--state', tempJson('state.json', first.stateArray())]);
  t.equal(second.code, 0, JSON.stringify(second.errors()));
  t.same(tombstones(second, 'contacts').map((r) => r.id), [goneContact], 'contact.deleted: a tombstone (other workspaces are skipped)');
  t.same(tombstones(second, 'companies').map((r) => r.id), [goneCompany], 'company.deleted: a tombstone');
  const convStones = tombstones(second, 'conversations').map((r) => r.id);
  t.ok(convStones.includes(goneConversation), 'conversation.deleted: a tombstone');
  t.ok(convStones.filter((id) => id === goneConversation).length >= 1, 'from the relay and from GET /conversations/deleted alike');
  const reread = second.records('contacts').filter((r) => r.id === archivedContact);
  t.ok(reread.length >= 1 && reread.every((r) => r._ab_cdc_deleted_at === undefined), 'contact.archived: the contact is re-read and written as Intercom returns it');
  for (const stream of ['contacts', 'companies', 'conversations']) {
    t.equal(second.states(stream).at(-1)!.state.relay_seq, relay.events.length, `${stream}: the relay sequence moved to the last event`);
  }
  // The sequence is claimed only by a state written after the tombstones.
  const order = second.messages.flatMap((m, i) =>
    m.type === 'RECORD' && m.record.stream === 'contacts' && m.record.data.id === goneContact ? [['stone', i]] : m.type === 'STATE' && m.state.stream.stream_descriptor.name === 'contacts' && m.state.stream.stream_state?.relay_seq === relay.events.length ? [['state', i]] : [],
  );
  t.equal(order[0]?.[0], 'stone', 'the tombstone comes before the first state that claims its sequence');
  dest.ingest(second.messages);
  t.notOk(dest.rows('contacts').some((r) => r.id === goneContact), 'the deleted contact is gone from the destination');
  t.notOk(dest.rows('companies').some((r) => r.id === goneCompany), 'the deleted company is gone from the destination');
  t.ok(dest.rows('contacts').some((r) => r.id === archivedContact), 'the archived contact stays');
  // The seeded workspace holds a few custom attribute values of the wrong type on purpose; they pass through with a warning.
  t.same(dest.schemaProblems.filter((p) => !p.includes('/custom_attributes/')), [], 'every record validates against its declared schema');

  const reads = relay.reads.length;
  const third = await runInProcess(['read', '--config', ws.configPath, '--catalog', catalog, '--state', tempJson('state.json', second.stateArray())]);
  t.equal(third.code, 0, JSON.stringify(third.errors()));
  t.same(tombstones(third, 'contacts'), [], 'events already applied are not applied again');
  t.ok(relay.reads.slice(reads).every((after) => after === relay.events.length), 'the next sync reads after the saved sequence');
});

t.test('a relay that fails leaves its sequence where it was and the stream INCOMPLETE', async (t) => {
  const relay = await fakeRelay(t);
  const ws = await workspace(t, { seed: 32, size: { contacts: 60 } }, { webhook_relay: { url: relay.url, token: 'wrong-token-value' } });
  const catalog = await ws.catalogPath(['contacts']);
  const run = await runInProcess(['read', '--config', ws.configPath, '--catalog', catalog, '--state', tempJson('state.json', [{ type: 'STREAM', stream: { stream_descriptor: { name: 'contacts' }, stream_state: { updated_at: START_SECONDS, relay_seq: 4 } } }])]);
  t.not(run.code, 0, 'the sync reports it');
  t.equal(run.statuses('contacts').at(-1), 'INCOMPLETE');
  t.match(run.errors()[0]?.message ?? '', /token/, 'the error names the token');
  t.equal(run.states('contacts').at(-1)?.state.relay_seq, 4, 'the saved relay sequence did not move');
  t.ok(run.records('contacts').length > 0, "the scan's records are still written");
  t.notOk(run.text().includes('wrong-token-value'), 'the token never appears in the output');
});

t.test('check verifies the relay URL and token and names which one failed', async (t) => {
  const relay = await fakeRelay(t);
  const ws = await workspace(t, { seed: 33, size: { contacts: 20 } });
  const check = async (webhook_relay: JsonObject): Promise<{ status: string; message: string; text: string }> => {
    const run = await runInProcess(['check', '--config', ws.configWith({ webhook_relay })]);
    const status = run.ofType('CONNECTION_STATUS')[0]!.connectionStatus;
    return { status: status.status, message: status.message ?? '', text: run.text() };
  };
  const ok = await check({ url: relay.url, token: TOKEN });
  t.equal(ok.status, 'SUCCEEDED', ok.message);
  t.match(ok.message, /webhook relay/);
  const badToken = await check({ url: relay.url, token: 'not-the-token-9d2' });
  t.equal(badToken.status, 'FAILED');
  t.match(badToken.message, /webhook_relay\.token/);
  t.notOk(badToken.text.includes('not-the-token-9d2'), 'the token is not printed');
  const closed = await fakeRelay(t);
  const closedUrl = closed.url;
  await closed.close();
  const badUrl = await check({ url: closedUrl, token: TOKEN });
  t.equal(badUrl.status, 'FAILED');
  t.match(badUrl.message, /webhook_relay\.url/);
  const notRelay = await check({ url: `${relay.url}/elsewhere`, token: TOKEN });
  t.equal(notRelay.status, 'FAILED');
  t.match(notRelay.message, /webhook_relay\.url/);
});
