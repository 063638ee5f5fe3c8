/**
 * A read through a proxy that spoils some of Intercom's answers: the stream
 * whose answers are wrong fails with a system_error that says what was
 * wrong, saves no state past what it read, and the other streams complete.
 */
import t, { type Test } from 'tap';
import { runInProcess } from '../support/connector.js';
import { jsonOf, startFaultProxy, type ProxyRule } from '../support/fault-proxy.js';
import { workspace } from '../support/workspace.js';

async function readThrough(t: Test, streams: string[], rule: ProxyRule) {
  const ws = await workspace(t, { seed: 4 });
  const proxy = await startFaultProxy(ws.sim.url, rule);
  t.teardown(() => proxy.close());
  const config = ws.configWith({ api_base_url: proxy.url });
  return runInProcess(['read', '--config', config, '--catalog', await ws.catalogPath(streams)]);
}

t.test('a record without its primary key is an error, not a row', async (t) => {
  const run = await readThrough(t, ['tags', 'admins'], (ex) => {
    if (!ex.path.startsWith('/tags')) return undefined;
    const body = jsonOf(ex)!;
    const [first, ...rest] = body.data as Array<Record<string, unknown>>;
    const { id: _id, ...keyless } = first!;
    return { kind: 'body', body: { ...body, data: [keyless, ...rest] } };
  });
  t.not(run.code, 0, 'the read exits non-zero');
  t.same(run.statuses('tags').at(-1), 'INCOMPLETE');
  t.same(run.records('tags'), [], 'no tag row is written from that page');
  const error = run.errors().find((e) => e.stream === 'tags');
  t.equal(error?.failure_type, 'system_error');
  t.match(error?.message, /without its primary key 'id'/);
  t.match(error?.message, /\/tags/);
  t.same(run.statuses('admins').at(-1), 'COMPLETE', 'other streams complete');
  t.ok(run.records('admins').length > 0);
});

t.test('a search answered with an empty object fails its streams clearly; the others complete', async (t) => {
  const run = await readThrough(t, ['conversations', 'tags'], (ex) => (ex.path.startsWith('/conversations/search') ? { kind: 'body', body: {} } : undefined));
  t.not(run.code, 0);
  t.same(run.statuses('conversations').at(-1), 'INCOMPLETE');
  t.same(run.records('conversations'), [], 'nothing read as an empty page');
  t.same(run.states('conversations'), [], 'no state moves past records never seen');
  const error = run.errors().find((e) => e.stream === 'conversations');
  t.equal(error?.failure_type, 'system_error');
  t.match(error?.message, /POST \/conversations\/search/);
  t.match(error?.message, /'conversations' is missing/);
  t.same(run.statuses('tags').at(-1), 'COMPLETE');
});

t.test("a looping embedded list fails only the stream that reads it", async (t) => {
  let n = 0;
  const run = await readThrough(t, ['contacts', 'contact_tags', 'contact_companies'], (ex) => {
    if (!/^\/contacts\/[^/]+\/tags/.test(ex.path)) return undefined;
    const body = jsonOf(ex)!;
    const first = (body.data as unknown[])[0];
    return { kind: 'body', body: { type: 'list', data: [first], pages: { type: 'pages', next: { starting_after: `again-${++n}` } } } };
  });
  t.ok(n > 0 && n <= 20, `the loop ended after ${n} pages`);
  t.not(run.code, 0);
  t.same(run.statuses('contact_tags').at(-1), 'INCOMPLETE');
  const error = run.errors().find((e) => e.stream === 'contact_tags');
  t.equal(error?.failure_type, 'system_error');
  t.match(error?.message, /GET \/contacts\/[^/]+\/tags/, 'naming the endpoint');
  t.match(error?.message, /loops/);
  t.same(run.statuses('contacts').at(-1), 'COMPLETE', 'the contacts complete');
  t.same(run.statuses('contact_companies').at(-1), 'COMPLETE', 'and their companies');
  t.ok(run.records('contacts').length > 0);
  t.ok(run.states('contacts').length > 0, 'contacts keep their state');
});
