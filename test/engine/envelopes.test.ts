/**
 * Every response is checked against the envelope its source expects. A 200
 * whose records field is missing, null or not an array, or a search answer
 * without total_count or pages, is not an empty page: it is retried like a
 * corrupt body, and when it persists the stream fails with a system_error
 * naming the endpoint and what was wrong, without a checkpoint past records
 * it never saw. A proxy in front of the simulator rewrites the answers.
 */
import t from 'tap';
import { startSimulator } from 'intercom-simulator';
import { readList } from '../../src/engine/sources/list.js';
import { scanSearch } from '../../src/engine/sources/search.js';
import { readTimeWindows } from '../../src/engine/sources/time-windows.js';
import type { ListSource, TimeWindowSource } from '../../src/engine/definition.js';
import type { SourceContext } from '../../src/engine/source-context.js';
import { UnexpectedResponseError } from '../../src/http/errors.js';
import { articles } from '../../src/streams/help-center.js';
import { tags } from '../../src/streams/tags.js';
import { conversationSearch } from '../../src/streams/conversations.js';
import { activityLogs } from '../../src/streams/activity-logs.js';
import { startFaultProxy } from '../support/fault-proxy.js';
import { recordingContext, testClient } from '../support/source-context.js';

interface Case {
  name: string;
  path: RegExp;
  read: (ctx: SourceContext) => Promise<void>;
  bodies: Array<{ name: string; body: unknown; problem: RegExp }>;
}

const DAY = 86400;
const records = (field: string): Case['bodies'] => [
  { name: 'an empty object', body: {}, problem: new RegExp(`'${field}' is missing`) },
  { name: 'records null', body: { type: 'list', [field]: null, total_count: 0, pages: null }, problem: /is null, not an array/ },
  { name: 'records an object', body: { type: 'list', [field]: { id: '1' }, total_count: 1, pages: null }, problem: /is object, not an array/ },
];

const CASES: Case[] = [
  { name: 'tags (one-page list)', path: /^\/tags/, read: (ctx) => readList(tags.source as ListSource, ctx), bodies: records('data') },
  { name: 'articles (paged list)', path: /^\/articles/, read: (ctx) => readList(articles.source as ListSource, ctx), bodies: records('data') },
  {
    name: 'conversations (search)',
    path: /^\/conversations\/search/,
    read: (ctx) => scanSearch(conversationSearch, ctx),
    bodies: [
      ...records('conversations'),
      { name: 'no total_count', body: { type: 'conversation.list', conversations: [], pages: null }, problem: /total_count/ },
      { name: 'no pages', body: { type: 'conversation.list', conversations: [], total_count: 0 }, problem: /'pages' is missing/ },
    ],
  },
  {
    name: 'activity logs (time windows)',
    path: /^\/admins\/activity_logs/,
    read: (ctx) => readTimeWindows(activityLogs.source as TimeWindowSource, ctx, 30),
    bodies: records('activity_logs'),
  },
];

t.test('a bad envelope is retried, then fails the stream with a clear system_error; never an empty page', async (t) => {
  const sim = await startSimulator({ seed: 8 });
  t.teardown(() => sim.close());
  const proxy = await startFaultProxy(sim.url);
  t.teardown(() => proxy.close());
  const upperBound = Math.floor(Date.now() / 1000) + 1;
  const window = { upperBound, lowerBound: upperBound - 400 * DAY, startDate: upperBound - 400 * DAY };

  for (const c of CASES) {
    proxy.setRule(() => undefined);
    const clean = recordingContext(testClient(proxy.url), window);
    await c.read(clean.ctx);
    const cleanIds = clean.emitted.map((r) => String(r.id)).sort();
    t.ok(cleanIds.length > 0, `${c.name}: the clean read has records`);

    for (const bad of c.bodies) {
      // Twice, then the real answer: the read completes with the same records.
      let corrupted = 0;
      proxy.setRule((ex) => (c.path.test(ex.path) && corrupted++ < 2 ? { kind: 'body', body: bad.body } : undefined));
      const retried = recordingContext(testClient(proxy.url, { maxAttempts: 3 }), window);
      await c.read(retried.ctx);
      t.same(retried.emitted.map((r) => String(r.id)).sort(), cleanIds, `${c.name}, ${bad.name} twice: retried, same records`);
      t.ok(retried.logs.length >= 0 && corrupted >= 2, `${c.name}, ${bad.name}: the bad answers were served`);

      // For ever: the stream fails, naming the endpoint and the problem, and never checkpoints.
      proxy.setRule((ex) => (c.path.test(ex.path) ? { kind: 'body', body: bad.body } : undefined));
      const failing = recordingContext(testClient(proxy.url, { maxAttempts: 2 }), window);
      const err = await c.read(failing.ctx).then(
        () => null,
        (e: unknown) => e,
      );
      t.ok(err instanceof UnexpectedResponseError, `${c.name}, ${bad.name} for ever: fails`);
      const e = err as UnexpectedResponseError;
      t.equal(e.failureType, 'system_error', `${c.name}, ${bad.name}: system_error`);
      t.match(e.message, c.path.source.replace(/^\^/, '').replace(/\\\//g, '/'), `${c.name}, ${bad.name}: names the endpoint`);
      t.match(e.message, bad.problem, `${c.name}, ${bad.name}: says what is wrong: ${e.message}`);
      t.same(failing.checkpoints.filter((cp) => cp > window.lowerBound), [], `${c.name}, ${bad.name}: no checkpoint past unread records`);
    }
  }
});
