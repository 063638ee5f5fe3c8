/**
 * Injected faults: every kind is observable by a client, faults are drawn
 * from their own seeded PRNG, and a faulted request changes nothing, so a
 * retry gets the answer the failed request would have had.
 */
import t from 'tap';
import type { FaultKind, Simulator } from '../src/index.js';
import { get, post, simulator, type ApiResponse } from './helpers.js';

interface Outcome {
  status: number | 'failed';
  contentType: string | null;
  bodyError: boolean;
  text: string;
}

/** Fetches without assuming the server answers properly. */
async function attempt(sim: Simulator, path: string, init: RequestInit = {}): Promise<Outcome> {
  let response: Response;
  try {
    response = await fetch(`${sim.url}${path}`, { ...init, headers: { Authorization: 'Bearer sim-token', ...init.headers } });
  } catch {
    return { status: 'failed', contentType: null, bodyError: false, text: '' };
  }
  try {
    return { status: response.status, contentType: response.headers.get('content-type'), bodyError: false, text: await response.text() };
  } catch {
    return { status: response.status, contentType: response.headers.get('content-type'), bodyError: true, text: '' };
  }
}

function isJson(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

t.test('each kind of fault is observable', async (t) => {
  const sim = await simulator(t, { size: { contacts: 40 } });
  const only = (kind: FaultKind): void => sim.setFaults({ rate: 1, kinds: [kind], stallSeconds: 0.2 });

  only('500');
  const e500 = await attempt(sim, '/contacts');
  t.equal(e500.status, 500);
  t.match(JSON.parse(e500.text), { type: 'error.list', errors: [{ code: 'server_error' }] });

  only('502');
  const e502 = await attempt(sim, '/contacts');
  t.equal(e502.status, 502);
  t.match(e502.contentType, /text\/html/);
  t.notOk(isJson(e502.text), 'a proxy error page, not JSON');

  only('503');
  const e503s = [await attempt(sim, '/contacts'), await attempt(sim, '/contacts'), await attempt(sim, '/contacts'), await attempt(sim, '/contacts')];
  t.ok(e503s.every((o) => o.status === 503));

  only('reset');
  t.equal((await attempt(sim, '/contacts')).status, 'failed', 'reset: the connection drops without a response');

  only('stall');
  t.equal((await attempt(sim, '/contacts')).status, 'failed', 'stall: nothing, then the connection drops');

  only('truncated');
  const truncated = await attempt(sim, '/contacts');
  t.equal(truncated.status, 200, 'truncated: status and headers arrive');
  t.ok(truncated.bodyError, 'but the body ends early');

  only('invalid_json');
  const invalid = await attempt(sim, '/contacts');
  t.equal(invalid.status, 200);
  t.match(invalid.contentType, /application\/json/);
  t.notOk(isJson(invalid.text), 'invalid_json: a 200 whose body is not JSON');

  sim.setFaults(null);
  t.equal((await attempt(sim, '/contacts')).status, 200, 'faults off');
  t.equal(sim.stats.byStatus.get(0), 2, 'reset and stall are counted as status 0');
  t.equal(sim.stats.byStatus.get(502), 1);
});

t.test('a faulted request changes nothing; the retry gets the same answer', async (t) => {
  const sim = await simulator(t, { size: { contacts: 60, companies: 30 }, scrollPageSize: 10 });
  const query = { query: { field: 'role', operator: '=', value: 'user' }, pagination: { per_page: 7 } };
  const clean = await post(sim, '/contacts/search', query);
  let hookCalls = 0;
  sim.onRequest(() => {
    hookCalls++;
    sim.store.createContact();
  });
  const version = sim.store.version;
  for (const kind of ['500', '502', '503', 'reset', 'truncated', 'invalid_json'] as const) {
    sim.setFaults({ rate: 1, kinds: [kind] });
    await attempt(sim, '/contacts/search', { method: 'POST', body: JSON.stringify(query), headers: { 'Content-Type': 'application/json' } });
  }
  t.equal(hookCalls, 0, 'the request hook does not run for faulted requests');
  t.equal(sim.store.version, version, 'the store is untouched');
  sim.onRequest(null);
  sim.setFaults(null);
  const retried = await post(sim, '/contacts/search', query);
  t.same(withoutRequestId(retried), withoutRequestId(clean), 'the retry gets the same page');

  // A scroll is neither opened nor advanced by a faulted request.
  sim.setFaults({ rate: 1, kinds: ['truncated'] });
  await attempt(sim, '/companies/scroll');
  sim.setFaults(null);
  const opened = await get(sim, '/companies/scroll');
  t.equal(opened.status, 200, 'the faulted open did not leave a scroll behind');
  const param = (opened.json as { scroll_param: string }).scroll_param;
  for (const kind of ['truncated', 'invalid_json', 'reset', '502'] as const) {
    sim.setFaults({ rate: 1, kinds: [kind] });
    await attempt(sim, `/companies/scroll?scroll_param=${param}`);
  }
  sim.setFaults(null);
  const second = (await get(sim, `/companies/scroll?scroll_param=${param}`)).json as { data: Array<{ id: string }> };
  t.same(second.data.map((c) => c.id), sim.store.ids('companies').slice(10, 20), 'the scroll did not advance');
});

function withoutRequestId(response: ApiResponse): unknown {
  return JSON.parse(response.text) as unknown;
}

t.test('faults are deterministic per seed and can target paths', async (t) => {
  const statuses = async (seed: number): Promise<Array<number | 'failed'>> => {
    const sim = await simulator(t, { size: { contacts: 20 }, faults: { rate: 0.5, kinds: ['500', '503', 'invalid_json'], seed } });
    const out: Array<number | 'failed'> = [];
    for (let i = 0; i < 30; i++) out.push((await attempt(sim, '/contacts')).status);
    return out;
  };
  const a = await statuses(11);
  t.same(await statuses(11), a, 'same seed, same faults');
  t.ok(a.includes(200) && a.some((s) => s !== 200), 'some requests fault, some do not');
  t.notSame(await statuses(12), a, 'another seed, other faults');

  const sim = await simulator(t, { size: { contacts: 20 }, faults: { rate: 1, kinds: ['500'], pathPattern: /^\/conversations/ } });
  t.equal((await get(sim, '/contacts')).status, 200, 'paths that do not match are spared');
  t.equal((await get(sim, '/conversations')).status, 500);
});

t.test('latency can be set and cleared while running', async (t) => {
  const sim = await simulator(t, { size: { contacts: 20 }, latencyMs: { mean: 5, jitter: 5 } });
  t.equal((await get(sim, '/me')).status, 200);
  sim.setLatency(null);
  t.equal((await get(sim, '/me')).status, 200);
  sim.setLatency({ mean: 1, jitter: 0 });
  t.equal((await get(sim, '/me')).status, 200);
});
