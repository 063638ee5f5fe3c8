/**
 * Authentication, scopes, versions and unknown routes: status codes and error.list bodies.
 */
import http from 'node:http';
import t from 'tap';
import { errorOf, get, post, simulator, type ErrorBody } from './helpers.js';

t.test('401 for a missing or unknown token, without rate-limit headers', async (t) => {
  const sim = await simulator(t);
  for (const token of [null, 'not-a-token']) {
    const response = await get(sim, '/contacts', { token });
    t.equal(response.status, 401);
    const body = response.json as ErrorBody;
    t.equal(body.type, 'error.list');
    t.match(body.request_id, /^[0-9a-f-]{36}$/);
    t.same(body.errors, [{ code: 'unauthorized', message: 'Access Token Invalid' }]);
    t.equal(response.headers.get('x-ratelimit-limit'), null);
    t.equal(response.headers.get('x-ratelimit-remaining'), null);
    t.equal(response.headers.get('x-ratelimit-reset'), null);
  }
  const malformed = await get(sim, '/me', { token: null, headers: { Authorization: 'Basic c2ltLXRva2Vu' } });
  t.equal(malformed.status, 401);
});

t.test('403 names the missing scope', async (t) => {
  const sim = await simulator(t);
  const ticket = sim.store.ids('tickets')[0] ?? '';
  const noTickets = await get(sim, `/tickets/${ticket}`, { token: 'sim-token-no-tickets' });
  t.equal(noTickets.status, 403);
  t.same(errorOf(noTickets), { code: 'forbidden', message: 'You do not have the required scope (read_tickets) to access this resource' });
  t.ok(noTickets.headers.get('x-ratelimit-limit'), 'authenticated: rate-limit headers present');
  const search = await post(sim, '/tickets/search', { query: { field: 'open', operator: '=', value: true } }, { token: 'sim-token-no-tickets' });
  t.equal(search.status, 403);
  const types = await get(sim, '/ticket_types', { token: 'sim-token-no-tickets' });
  t.equal(types.status, 403);

  for (const path of ['/conversations', '/conversations/attributes', '/conversations/deleted']) {
    const response = await get(sim, path, { token: 'sim-token-no-conversations' });
    t.equal(response.status, 403, path);
    t.match(errorOf(response).message, /\(read_conversations\)/);
  }
  t.equal((await get(sim, '/contacts', { token: 'sim-token-no-conversations' })).status, 200);
  t.equal((await get(sim, '/me', { token: 'sim-token-no-tickets' })).status, 200, '/me needs only a valid token');
});

t.test('custom tokens and scopes', async (t) => {
  const sim = await simulator(t, { tokens: { 'admins-only': ['read_admins'] } });
  t.equal((await get(sim, '/admins', { token: 'admins-only' })).status, 200);
  t.equal((await get(sim, '/teams', { token: 'admins-only' })).status, 200);
  const tags = await get(sim, '/tags', { token: 'admins-only' });
  t.equal(tags.status, 403);
  t.match(errorOf(tags).message, /\(read_tags\)/);
  t.equal((await get(sim, '/admins/activity_logs?created_at_after=0', { token: 'admins-only' })).status, 403);
  t.equal((await get(sim, '/articles', { token: 'admins-only' })).status, 403);
  t.equal((await get(sim, '/me', { token: 'sim-token' })).status, 401, 'the default tokens are replaced');
});

t.test('Intercom-Version', async (t) => {
  const sim = await simulator(t);
  for (const version of ['1.0', '2.11', '2.15', '2.16', 'Unstable']) {
    t.equal((await get(sim, '/me', { headers: { 'Intercom-Version': version } })).status, 200, version);
  }
  for (const version of ['2.17', '3', 'latest', '']) {
    const response = await get(sim, '/me', { headers: { 'Intercom-Version': version } });
    t.equal(response.status, 400, JSON.stringify(version));
    t.equal(errorOf(response).code, 'intercom_version_invalid');
  }
});

t.test('unknown routes and methods are 404 error.list', async (t) => {
  const sim = await simulator(t);
  for (const [method, path] of [
    ['GET', '/nope'],
    ['GET', '/contacts/search'],
    ['POST', '/contacts'],
  ] as const) {
    const response = method === 'GET' ? await get(sim, path) : await post(sim, path, {});
    t.equal(response.status, 404, `${method} ${path}`);
    t.equal((response.json as ErrorBody).type, 'error.list');
    t.equal(errorOf(response).code, 'not_found');
  }
  t.equal(sim.stats.byRoute.get('GET (unmatched)'), 1);
  t.equal(sim.stats.byRoute.get('GET /contacts/{id}'), 1, 'GET /contacts/search is a lookup of a contact called "search"');
  t.equal(sim.stats.byRoute.get('POST (unmatched)'), 1);
});

t.test('single records that do not exist', async (t) => {
  const sim = await simulator(t);
  t.same(errorOf(await get(sim, '/contacts/000000000000000000000000')), { code: 'not_found', message: 'User Not Found' });
  t.same(errorOf(await get(sim, '/companies/abc')), { code: 'company_not_found', message: 'Company Not Found' });
  t.equal(errorOf(await get(sim, '/conversations/1')).code, 'not_found');
  t.equal(errorOf(await get(sim, '/tickets/1')).code, 'ticket_not_found');
  const bad = await post(sim, '/contacts/search', undefined, { headers: { 'Content-Type': 'application/json' } });
  t.equal(bad.status, 400);
});

t.test('keep-alive connections are reused', async (t) => {
  const sim = await simulator(t);
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  t.teardown(() => agent.destroy());
  const reused: boolean[] = [];
  for (let i = 0; i < 3; i++) {
    await new Promise<void>((resolve, reject) => {
      const req = http.get(`${sim.url}/contacts?per_page=5`, { agent, headers: { Authorization: 'Bearer sim-token' } }, (res) => {
        reused.push(req.reusedSocket);
        res.resume();
        res.on('end', resolve);
      });
      req.on('error', reject);
    });
  }
  t.same(reused, [false, true, true], 'one socket serves every request');
});
