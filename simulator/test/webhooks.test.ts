/**
 * Delete webhooks: deletes in the store are POSTed as Intercom notification
 * envelopes signed with X-Hub-Signature (checked here with node:crypto on the
 * raw body), retried with backoff on non-2xx answers, timeouts and refused
 * connections, and `idle()` waits for every acknowledgement. A small real
 * receiver on 127.0.0.1 stands in for the endpoint.
 */
import { createHmac } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import t, { type Test } from 'tap';
import { parseCliArgs } from '../src/cli.js';
import { InvalidOptionError, startSimulator } from '../src/index.js';
import { get, simulator } from './helpers.js';

const SECRET = 'client-secret-7c1e';

interface Received {
  headers: IncomingMessage['headers'];
  raw: string;
  body: Record<string, unknown>;
}

interface Receiver {
  url: string;
  port: number;
  received: Received[];
  /** Answer status per request, in order; then 200. 0 means: never answer. */
  script: number[];
  close(): Promise<void>;
}

async function receiver(t: Test, script: number[] = [], port = 0): Promise<Receiver> {
  const received: Received[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const raw = Buffer.concat(chunks).toString('utf8');
      received.push({ headers: req.headers, raw, body: JSON.parse(raw) as Record<string, unknown> });
      const status = rx.script.shift() ?? 200;
      if (status === 0) return;
      res.writeHead(status).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  const actual = (server.address() as AddressInfo).port;
  const rx: Receiver = {
    url: `http://127.0.0.1:${actual}/intercom/webhooks`,
    port: actual,
    received,
    script,
    close: () =>
      new Promise((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
  t.teardown(() => rx.close());
  return rx;
}

const fast = { initialBackoffMs: 20, maxBackoffMs: 200, timeoutMs: 300 };

t.test('deletes are delivered as signed notification envelopes', async (t) => {
  const rx = await receiver(t);
  const sim = await simulator(t, { size: { contacts: 20, companies: 6, conversations: 10 }, webhooks: { url: rx.url, clientSecret: SECRET, ...fast } });
  const store = sim.store;
  const contact = store.ids('contacts')[0]!;
  const company = store.ids('companies')[0]!;
  const conversation = store.ids('conversations')[0]!;
  store.deleteContact(contact);
  store.deleteCompany(company);
  store.deleteConversation(conversation);
  await sim.webhooks!.idle();
  t.equal(rx.received.length, 3);
  const byTopic = new Map(rx.received.map((r) => [r.body['topic'], r]));
  t.same([...byTopic.keys()].sort(), ['company.deleted', 'contact.deleted', 'conversation.deleted']);
  for (const r of rx.received) {
    const expected = `sha1=${createHmac('sha1', SECRET).update(r.raw).digest('hex')}`;
    t.equal(r.headers['x-hub-signature'], expected, 'HMAC-SHA1 of the raw body with the client secret');
    t.equal(r.body['type'], 'notification_event');
    t.equal(r.body['app_id'], store.appId);
    t.type(r.body['created_at'], 'number');
    t.match(r.body['id'], /^notif_/);
    t.notOk(r.raw.includes(SECRET), 'the secret is never in the body');
  }
  t.equal(new Set(rx.received.map((r) => r.body['id'])).size, 3, 'ids are unique');
  t.same(byTopic.get('contact.deleted')!.body['data'], { type: 'notification_event_data', item: { type: 'contact', id: contact } });
  t.same(byTopic.get('company.deleted')!.body['data'], { type: 'notification_event_data', item: { type: 'company', id: company } });
  t.same(byTopic.get('conversation.deleted')!.body['data'], { type: 'notification_event_data', item: { type: 'conversation', id: conversation } });
  t.same(sim.webhooks!.stats, { queued: 3, acknowledged: 3, attempts: 3, retries: 0, dropped: 0 });

  t.notOk(store.ids('companies').includes(company), 'a deleted company leaves the store');
  t.equal((await get(sim, `/companies/${company}`)).status, 404, 'and GET answers 404');
  const listed = (await get(sim, '/companies/scroll')).json as { data: Array<{ id: string }> };
  t.notOk(listed.data.some((c) => c.id === company), 'the scroll no longer returns it');
  const contacts = store.all('contacts') as Array<{ companies: { data: Array<{ id: string }> } }>;
  t.notOk(contacts.some((c) => c.companies.data.some((x) => x.id === company)), "contacts no longer list it among their companies");
});

t.test('a non-2xx answer, a timeout and a refused connection are retried until acknowledged', async (t) => {
  const rx = await receiver(t, [500, 0, 429, 503]);
  const sim = await simulator(t, { size: { contacts: 10 }, webhooks: { url: rx.url, clientSecret: SECRET, ...fast } });
  const id = sim.store.ids('contacts')[0]!;
  sim.store.deleteContact(id);
  await sim.webhooks!.idle();
  t.equal(rx.received.length, 5, 'four failures, then the 200');
  t.equal(new Set(rx.received.map((r) => r.body['id'])).size, 1, 'every attempt carries the same notification id');
  t.same(rx.received.map((r) => r.body['delivery_attempts']), [1, 2, 3, 4, 5]);
  t.match(sim.webhooks!.stats, { acknowledged: 1, attempts: 5, retries: 4, dropped: 0 });

  // Down, then back on the same port.
  const port = rx.port;
  await rx.close();
  const sim2 = await simulator(t, { size: { contacts: 10 }, webhooks: { url: `http://127.0.0.1:${port}/hook`, clientSecret: SECRET, ...fast } });
  sim2.store.deleteContact(sim2.store.ids('contacts')[0]!);
  await new Promise((resolve) => setTimeout(resolve, 150));
  const back = await receiver(t, [], port);
  await sim2.webhooks!.idle();
  t.equal(back.received.length, 1, 'delivered once the endpoint is back');
  t.ok(sim2.webhooks!.stats.retries >= 1, 'after retries');
});

t.test('attempts are bounded, and close() leaves nothing pending', async (t) => {
  const rx = await receiver(t, [500, 500, 500, 500]);
  const sim = await simulator(t, { size: { contacts: 10 }, webhooks: { url: rx.url, clientSecret: SECRET, ...fast, maxAttempts: 3 } });
  sim.store.deleteContact(sim.store.ids('contacts')[0]!);
  await sim.webhooks!.idle();
  t.equal(rx.received.length, 3, 'three attempts, then it gives up');
  t.match(sim.webhooks!.stats, { acknowledged: 0, dropped: 1 });

  const slow = await receiver(t, [500]);
  const sim2 = await startSimulator({ size: { contacts: 10 }, webhooks: { url: slow.url, clientSecret: SECRET, initialBackoffMs: 60_000 } });
  sim2.store.deleteContact(sim2.store.ids('contacts')[0]!);
  const idle = sim2.webhooks!.idle();
  await sim2.close();
  await idle;
  t.pass('idle() resolves on close, and the long retry timer is gone');
});

t.test('options and flags', async (t) => {
  await t.rejects(startSimulator({ webhooks: { url: 'not a url', clientSecret: SECRET } }), InvalidOptionError);
  await t.rejects(startSimulator({ webhooks: { url: 'ftp://127.0.0.1/x', clientSecret: SECRET } }), InvalidOptionError);
  await t.rejects(startSimulator({ webhooks: { url: 'http://127.0.0.1:1/x', clientSecret: '' } }), InvalidOptionError);
  t.same(parseCliArgs(['--webhook-url', 'http://127.0.0.1:9/h', '--webhook-secret', 's3']).simulator.webhooks, { url: 'http://127.0.0.1:9/h', clientSecret: 's3' });
  t.same(parseCliArgs(['--webhook-url', 'http://127.0.0.1:9/h'], { INTERCOM_CLIENT_SECRET: 'env-s' }).simulator.webhooks, { url: 'http://127.0.0.1:9/h', clientSecret: 'env-s' });
  t.throws(() => parseCliArgs(['--webhook-url', 'http://127.0.0.1:9/h'], {}), /webhook-secret/);
  t.throws(() => parseCliArgs(['--webhook-secret', 's3'], {}), /webhook-url/);
});
