/**
 * The HTTP surface: URL validation by HEAD, /healthz, paging of the read API,
 * group commit, slow-client timeouts, TLS with a certificate made by openssl,
 * and a shutdown that lets in-flight deliveries finish.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { Agent } from 'node:http';
import { connect } from 'node:net';
import { join } from 'node:path';
import t from 'tap';
import { deliver, envelope, readAll, send, TOKEN } from './support/http.js';
import { inProcessRelay, tempDir } from './support/relay.js';

t.test('HEAD on the webhook URL answers 200, as Intercom validates it', async (t) => {
  const relay = await inProcessRelay(t, tempDir(t));
  const answer = await send(relay.url, { method: 'HEAD', path: '/intercom/webhooks' });
  t.equal(answer.status, 200);
  t.equal(answer.body, '');
});

t.test('/healthz reports status and counts', async (t) => {
  const relay = await inProcessRelay(t, tempDir(t));
  await deliver(relay.url, envelope(1));
  const answer = await send(relay.url, { path: '/healthz' });
  t.equal(answer.status, 200);
  const health = JSON.parse(answer.body);
  t.equal(health.status, 'ok');
  t.equal(health.last_seq, 1);
  t.equal(health.events, 1);
  t.equal(health.counters.stored, 1);
});

t.test('the read API pages in sequence order and returns the next cursor', async (t) => {
  const relay = await inProcessRelay(t, tempDir(t));
  for (let i = 0; i < 7; i += 1) await deliver(relay.url, envelope(i, { app_id: i % 2 === 0 ? 'app_even' : 'app_odd' }));
  const auth = { authorization: `Bearer ${TOKEN}` };
  const page1 = JSON.parse((await send(relay.url, { path: '/v1/events?after=0&limit=3', headers: auth })).body);
  t.same(page1.events.map((e: { seq: number }) => e.seq), [1, 2, 3]);
  t.equal(page1.next, 3);
  t.same(Object.keys(page1.events[0]), ['seq', 'app_id', 'id', 'topic', 'created_at', 'received_at', 'item']);
  t.same(page1.events[0].item, { type: 'contact', id: 'contact_0' }, 'item is data.item of the envelope');
  t.equal(page1.events[0].created_at, 1_767_000_000);
  t.ok(!Number.isNaN(Date.parse(page1.events[0].received_at)));
  const page2 = JSON.parse((await send(relay.url, { path: '/v1/events?after=3&limit=100', headers: auth })).body);
  t.same(page2.events.map((e: { seq: number }) => e.seq), [4, 5, 6, 7]);
  const empty = JSON.parse((await send(relay.url, { path: '/v1/events?after=7', headers: auth })).body);
  t.same(empty, { events: [], next: 7 }, 'past the end: no events, next stays');
  const odd = JSON.parse((await send(relay.url, { path: '/v1/events?after=0&app_id=app_odd', headers: auth })).body);
  t.same(odd.events.map((e: { id: string }) => e.id), ['notif_1', 'notif_3', 'notif_5']);
  t.equal(odd.next, 7, 'a filtered page still advances past the events it skipped');
  for (const bad of ['after=-1', 'after=x', 'limit=0', 'limit=1001']) {
    t.equal((await send(relay.url, { path: `/v1/events?${bad}`, headers: auth })).status, 400, bad);
  }
});

t.test('concurrent deliveries share fsyncs (group commit)', async (t) => {
  const relay = await inProcessRelay(t, tempDir(t));
  const agent = new Agent({ keepAlive: true, maxSockets: 50 });
  t.teardown(() => agent.destroy());
  const answers = await Promise.all(Array.from({ length: 200 }, (_, i) => deliver(relay.url, envelope(i), { agent })));
  t.ok(answers.every((a) => a.status === 200));
  const health = JSON.parse((await send(relay.url, { path: '/healthz' })).body);
  t.equal(health.events, 200);
  t.ok(health.commits < 200, `200 deliveries took ${health.commits} commits`);
});

t.test('a client that stalls in its headers or body is cut off and nothing is stored', async (t) => {
  const relay = await inProcessRelay(t, tempDir(t), { headersTimeoutMs: 300, requestTimeoutMs: 600 });
  const port = relay.port;
  // Resolves with what the server sent and whether the server (not our 10 s guard) closed the connection.
  const stall = (text: string): Promise<{ got: string; closedByServer: boolean }> =>
    new Promise((resolve) => {
      const socket = connect(port, '127.0.0.1', () => socket.write(text));
      let got = '';
      let guardFired = false;
      socket.on('data', (d) => (got += d.toString()));
      socket.on('close', () => resolve({ got, closedByServer: !guardFired }));
      socket.on('error', () => undefined);
      socket.setTimeout(10_000, () => {
        guardFired = true;
        socket.destroy();
      });
    });
  const headersOnly = await stall('POST /intercom/webhooks HTTP/1.1\r\nHost: x\r\nX-Hub-Sig');
  t.ok(headersOnly.closedByServer, 'stalled headers: the server closes the connection');
  t.match(headersOnly.got, /^HTTP\/1\.1 408/, 'and answers 408');
  const bodyStall = await stall(
    'POST /intercom/webhooks HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n' +
      `X-Hub-Signature: sha1=${'a'.repeat(40)}\r\nContent-Length: 500\r\n\r\n{"type":`,
  );
  t.ok(bodyStall.closedByServer, 'a stalled body: the server closes the connection');
  t.match(bodyStall.got, /^HTTP\/1\.1 408/, 'and answers 408');
  t.ok(relay.counters.rejected.timeout >= 1, 'timeouts are counted');
  t.same(await readAll(relay.url), []);
});

t.test('close() lets in-flight deliveries finish and be stored', async (t) => {
  const dir = tempDir(t);
  const relay = await inProcessRelay(t, dir);
  const inFlight = Promise.allSettled(Array.from({ length: 30 }, (_, i) => deliver(relay.url, envelope(i))));
  // Wait until the relay is handling all 30, then close while their writes are in flight.
  for (let i = 0; i < 500 && relay.counters.received < 30; i += 1) await new Promise((r) => setTimeout(r, 2));
  t.equal(relay.counters.received, 30, 'all 30 requests reached the relay');
  await relay.close();
  const settled = await inFlight;
  const acknowledged = settled.filter((s) => s.status === 'fulfilled' && s.value.status === 200).length;
  t.equal(acknowledged, 30, 'every request in flight at close() is answered 200');
  const again = await inProcessRelay(t, dir);
  t.equal((await readAll(again.url)).length, 30, 'and stored');
});

t.test('close() ends busy keep-alive connections after their current request', async (t) => {
  const dir = tempDir(t);
  const relay = await inProcessRelay(t, dir);
  const agent = new Agent({ keepAlive: true, maxSockets: 4 });
  t.teardown(() => agent.destroy());
  const acknowledged = new Set<string>();
  let closingAnswers = 0;
  let stop = false;
  let n = 0;
  const worker = async (): Promise<void> => {
    while (!stop && n < 5000) {
      const i = n++;
      try {
        const answer = await deliver(relay.url, envelope(i), { agent });
        if (answer.status === 200) acknowledged.add(`notif_${i}`);
        if (answer.headers.connection === 'close') closingAnswers += 1;
      } catch {
        return; // refused: the server is closed
      }
    }
  };
  const workers = Promise.all(Array.from({ length: 4 }, worker));
  for (let i = 0; i < 500 && acknowledged.size < 20; i += 1) await new Promise((r) => setTimeout(r, 2));
  await relay.close();
  stop = true;
  await workers;
  t.ok(closingAnswers >= 1, 'answers given while closing carry Connection: close');
  const again = await inProcessRelay(t, dir);
  const stored = new Set((await readAll(again.url)).map((e) => e.id));
  t.ok([...acknowledged].every((id) => stored.has(id)), `all ${acknowledged.size} acknowledged deliveries are stored`);
});

function opensslAvailable(): boolean {
  try {
    execFileSync('openssl', ['version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

t.test('TLS with a self-signed certificate', { skip: opensslAvailable() ? false : 'openssl is not installed' }, async (t) => {
  const dir = tempDir(t);
  const keyPath = join(dir, 'key.pem');
  const certPath = join(dir, 'cert.pem');
  execFileSync(
    'openssl',
    ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', keyPath, '-out', certPath, '-days', '1', '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1'],
    { stdio: 'ignore' },
  );
  const cert = readFileSync(certPath);
  const relay = await inProcessRelay(t, join(dir, 'data'), { tls: { cert, key: readFileSync(keyPath) } });
  t.match(relay.url, /^https:\/\/127\.0\.0\.1:\d+$/);
  t.equal((await send(relay.url, { method: 'HEAD', path: '/intercom/webhooks', ca: cert })).status, 200);
  t.equal((await deliver(relay.url, envelope(1), { ca: cert })).status, 200);
  t.same((await readAll(relay.url, undefined, cert)).map((e) => e.id), ['notif_1']);
  await t.rejects(send(relay.url, { path: '/healthz' }), 'a client that does not trust the certificate fails');
});
