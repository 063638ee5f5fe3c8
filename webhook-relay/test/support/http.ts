import { request as httpRequest, type Agent } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { signBody } from '../../src/signature.js';
import type { StoredEvent } from '../../src/log/entry.js';

export const SECRET = 'test-client-secret-3f9a1c';
export const TOKEN = 'test-read-token-9b27e6d4c1';

export interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

export interface RequestSpec {
  method?: string;
  path: string;
  headers?: Record<string, string>;
  body?: Buffer | string;
  agent?: Agent;
  /** For HTTPS with a self-signed certificate. */
  ca?: Buffer;
  timeoutMs?: number;
  /** Send the body with chunked transfer encoding, in pieces, without a Content-Length. */
  chunked?: boolean;
}

/** One HTTP(S) request to the relay; rejects on a connection error or after timeoutMs. */
export function send(baseUrl: string, spec: RequestSpec): Promise<Answer> {
  const url = new URL(spec.path, baseUrl);
  const body = spec.body === undefined ? undefined : Buffer.from(spec.body);
  const headers: Record<string, string | number> = { ...spec.headers };
  if (body !== undefined && spec.chunked !== true) headers['content-length'] = body.length;
  return new Promise((resolve, reject) => {
    const options = { method: spec.method ?? 'GET', headers, agent: spec.agent, ca: spec.ca, timeout: spec.timeoutMs ?? 10_000 };
    const req = (url.protocol === 'https:' ? httpsRequest : httpRequest)(url, options, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', reject);
    });
    req.on('timeout', () => req.destroy(new Error('request timed out')));
    req.on('error', reject);
    if (spec.chunked === true && body !== undefined) {
      for (let at = 0; at < body.length; at += 1024) req.write(body.subarray(at, at + 1024));
      req.end();
    } else {
      req.end(body);
    }
  });
}

export function envelope(i: number, overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    type: 'notification_event',
    id: `notif_${i}`,
    topic: 'contact.deleted',
    app_id: 'app_one',
    created_at: 1_767_000_000 + i,
    data: { type: 'notification_event_data', item: { type: 'contact', id: `contact_${i}` } },
    ...overrides,
  };
}

/** A POST to /intercom/webhooks signed as Intercom signs it. */
export function deliver(baseUrl: string, payload: unknown, extra: Partial<RequestSpec> = {}): Promise<Answer> {
  const body = JSON.stringify(payload);
  return send(baseUrl, {
    method: 'POST',
    path: '/intercom/webhooks',
    headers: { 'content-type': 'application/json', 'x-hub-signature': signBody(SECRET, body) },
    body,
    ...extra,
  });
}

/** What the read API returns per event: the stored entry, as it is. */
export type ReadEvent = StoredEvent;

/** Every stored event, following `next` page by page. */
export async function readAll(baseUrl: string, appId?: string, ca?: Buffer): Promise<ReadEvent[]> {
  const events: ReadEvent[] = [];
  let after = 0;
  for (let page = 0; page < 1000; page += 1) {
    const q = new URLSearchParams({ after: String(after), limit: '1000' });
    if (appId !== undefined) q.set('app_id', appId);
    const answer = await send(baseUrl, { path: `/v1/events?${q}`, headers: { authorization: `Bearer ${TOKEN}` }, ca });
    if (answer.status !== 200) throw new Error(`read API answered ${answer.status}: ${answer.body}`);
    const parsed = JSON.parse(answer.body) as { events: ReadEvent[]; next: number };
    events.push(...parsed.events);
    if (parsed.next === after) return events;
    after = parsed.next;
  }
  throw new Error('read API did not converge');
}
