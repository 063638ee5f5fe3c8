/**
 * A corpus of bad deliveries and bad reads: each gets the right status, nothing
 * reaches the log (files and read API), and no secret appears in the log lines
 * or the answers. A last valid delivery proves the store checks can see a write.
 */
import { createHmac } from 'node:crypto';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import t from 'tap';
import { signBody } from '../src/signature.js';
import { deliver, envelope, readAll, SECRET, send, TOKEN, type RequestSpec } from './support/http.js';
import { inProcessRelay, tempDir } from './support/relay.js';

const MAX_BODY = 4096;
const good = JSON.stringify(envelope(1));
const sig = signBody(SECRET, good);
const hook = (body: string | Buffer, signature: string | undefined, extra: Partial<RequestSpec> = {}): RequestSpec => ({
  method: 'POST',
  path: '/intercom/webhooks',
  headers: signature === undefined ? { 'content-type': 'application/json' } : { 'content-type': 'application/json', 'x-hub-signature': signature },
  body,
  ...extra,
});
const signed = (body: string | Buffer, extra: Partial<RequestSpec> = {}): RequestSpec => hook(body, signBody(SECRET, body), extra);
const big = JSON.stringify(envelope(2, { data: { item: { type: 'contact', id: 'c', pad: 'x'.repeat(MAX_BODY * 2) } } }));

const corpus: { name: string; spec: RequestSpec; status: number }[] = [
  { name: 'missing X-Hub-Signature', spec: hook(good, undefined), status: 401 },
  { name: 'signed with a wrong secret', spec: hook(good, signBody('not-the-secret', good)), status: 401 },
  { name: 'body altered after signing', spec: hook(good.replace('contact_1', 'contact_9'), sig), status: 401 },
  { name: 'truncated signature', spec: hook(good, sig.slice(0, -1)), status: 401 },
  { name: 'signature without the sha1= prefix', spec: hook(good, sig.slice(5)), status: 401 },
  { name: 'sha256= algorithm prefix', spec: hook(good, `sha256=${createHmac('sha256', SECRET).update(good).digest('hex')}`), status: 401 },
  { name: 'sha256= prefix on the sha1 digest', spec: hook(good, `sha256=${sig.slice(5)}`), status: 401 },
  { name: 'uppercase hex', spec: hook(good, `sha1=${sig.slice(5).toUpperCase()}`), status: 401 },
  { name: 'garbage hex', spec: hook(good, `sha1=${'zz'.repeat(20)}`), status: 401 },
  { name: 'two signatures in one header', spec: hook(good, `${sig}, ${sig}`), status: 401 },
  { name: 'empty body, unsigned', spec: hook('', undefined), status: 401 },
  { name: 'empty body, signed', spec: signed(''), status: 400 },
  { name: 'oversized body (declared length)', spec: signed(big), status: 413 },
  { name: 'oversized body (chunked, no length)', spec: signed(big, { chunked: true }), status: 413 },
  { name: 'non-JSON, signed', spec: signed('contact deleted, id=1'), status: 400 },
  { name: 'JSON array, signed', spec: signed('[1,2,3]'), status: 400 },
  { name: 'envelope without data.item', spec: signed(JSON.stringify({ ...envelope(3), data: { type: 'notification_event_data' } })), status: 400 },
  { name: 'envelope of another type', spec: signed(JSON.stringify(envelope(4, { type: 'event' }))), status: 400 },
  { name: 'envelope without app_id', spec: signed(JSON.stringify(envelope(5, { app_id: undefined }))), status: 400 },
  { name: 'created_at as a string', spec: signed(JSON.stringify(envelope(6, { created_at: '2026-01-01' }))), status: 400 },
  { name: 'GET on the webhook path', spec: { method: 'GET', path: '/intercom/webhooks' }, status: 405 },
  { name: 'PUT on the webhook path, signed', spec: signed(good, { method: 'PUT' }), status: 405 },
  { name: 'POST to a wrong path, signed', spec: signed(good, { path: '/intercom/webhook' }), status: 404 },
  { name: 'POST to the read API, signed', spec: signed(good, { path: '/v1/events' }), status: 405 },
  { name: 'read API without a token', spec: { path: '/v1/events' }, status: 401 },
  { name: 'read API with a wrong token', spec: { path: '/v1/events', headers: { authorization: `Bearer ${TOKEN}x` } }, status: 401 },
  { name: 'read API with the token in the query string', spec: { path: `/v1/events?token=${TOKEN}&access_token=${TOKEN}` }, status: 401 },
  { name: 'read API with the token as Basic auth', spec: { path: '/v1/events', headers: { authorization: `Basic ${TOKEN}` } }, status: 401 },
  { name: 'read API with the client secret as token', spec: { path: '/v1/events', headers: { authorization: `Bearer ${SECRET}` } }, status: 401 },
];

function logBytes(dir: string): number {
  return readdirSync(dir).reduce((sum, name) => sum + statSync(join(dir, name)).size, 0);
}

t.test('every bad delivery or read is rejected and stored nowhere', async (t) => {
  const dir = tempDir(t);
  const relay = await inProcessRelay(t, dir, { maxBodyBytes: MAX_BODY });
  t.ok(corpus.length >= 15, `${corpus.length} cases`);
  for (const c of corpus) {
    const answer = await send(relay.url, c.spec);
    t.equal(answer.status, c.status, c.name);
    t.notOk(answer.body.includes(SECRET) || answer.body.includes(TOKEN), `${c.name}: no secret in the answer`);
  }
  t.same(await readAll(relay.url), [], 'the read API has no events');
  t.equal(logBytes(dir), 0, 'the log files hold no bytes');
  t.equal(relay.counters.stored, 0);

  const ok = await deliver(relay.url, envelope(1));
  t.equal(ok.status, 200, 'a valid delivery after the corpus is accepted');
  t.equal((await readAll(relay.url)).length, 1, 'and it is visible, so the checks above could see a write');
  t.ok(logBytes(dir) > 0);
  await relay.close();
  const all = relay.logs.join('\n');
  t.notOk(all.includes(SECRET), 'the log lines never carry the client secret');
  t.notOk(all.includes(TOKEN), 'the log lines never carry the read token');
  t.match(all, /rejected_bad_signature=\d+/, 'the counters line counts rejections');
});
