/**
 * Endpoint behaviours: the 500-part cap, plaintext bodies, deleted
 * conversations, data attributes in 2.16, the companies list cap, activity
 * logs, merged and deleted contacts, and the page-numbered lists.
 */
import t from 'tap';
import { errorOf, get, post, simulator, type ListBody } from './helpers.js';

interface Part {
  id: string;
  part_type: string;
  body: string | null;
  created_at: number;
}

interface ConversationBody {
  id: string;
  source: { body: string; subject: string };
  statistics: { count_conversation_parts: number };
  conversation_parts: { type: string; conversation_parts: Part[]; total_count: number };
}

t.test('GET /conversations/{id} returns at most the 500 most recent parts', async (t) => {
  const sim = await simulator(t);
  const [longId] = sim.store.landmarks.conversations.longConversationIds;
  const all = sim.store.conversationParts(longId ?? '');
  t.ok(all.length > 500);
  const body = (await get(sim, `/conversations/${longId ?? ''}`)).json as ConversationBody;
  t.equal(body.conversation_parts.type, 'conversation_part.list');
  t.equal(body.conversation_parts.conversation_parts.length, 500);
  t.equal(body.conversation_parts.total_count, 500, 'total_count is the number returned');
  t.equal(body.statistics.count_conversation_parts, all.length, 'statistics keep the true count');
  t.same(
    body.conversation_parts.conversation_parts.map((p) => p.id),
    all.slice(-500).map((p) => p['id']),
    'the most recent ones, oldest first',
  );

  const short = sim.store.ids('conversations').find((id) => sim.store.conversationParts(id).length < 10) ?? '';
  const shortBody = (await get(sim, `/conversations/${short}`)).json as ConversationBody;
  t.equal(shortBody.conversation_parts.total_count, sim.store.conversationParts(short).length);
});

t.test('partsCap is configurable', async (t) => {
  const sim = await simulator(t, { partsCap: 25 });
  const id = sim.store.ids('conversations').find((c) => sim.store.conversationParts(c).length > 30) ?? '';
  const body = (await get(sim, `/conversations/${id}`)).json as ConversationBody;
  t.equal(body.conversation_parts.conversation_parts.length, 25);
  t.ok(body.statistics.count_conversation_parts > 30);
});

t.test('display_as=plaintext', async (t) => {
  const sim = await simulator(t);
  const id =
    sim.store.ids('conversations').find((c) => sim.store.conversationParts(c).some((p) => String(p['body']).includes('<a href'))) ?? '';
  const html = (await get(sim, `/conversations/${id}`)).json as ConversationBody;
  const text = (await get(sim, `/conversations/${id}?display_as=plaintext`)).json as ConversationBody;
  t.match(html.source.body, /^<p>/);
  t.notMatch(text.source.body, /</);
  const linked = text.conversation_parts.conversation_parts.find((p) => p.body?.includes('(https://'));
  t.ok(linked, 'a link is rendered as label (url)');
  t.match(linked?.body ?? '', /this article \(https:\/\/help\.example\.com\/articles\/42\)/);
});

t.test('GET /conversations/deleted', async (t) => {
  const sim = await simulator(t, { now: () => 1_800_000_000 });
  const live = sim.store.ids('conversations')[10] ?? '';
  sim.store.deleteConversation(live);
  t.equal((await get(sim, `/conversations/${live}`)).status, 404, 'a deleted conversation is gone');
  t.notOk(sim.store.ids('conversations').includes(live));

  type Deleted = { type: string; conversations: Array<{ type: string; id: string; deleted_at: number; metrics_retained: boolean }>; total_count: number; pages: { next: string | null; page: number; total_pages: number } };
  const first = (await get(sim, '/conversations/deleted?per_page=4')).json as Deleted;
  t.equal(first.type, 'conversations.list');
  t.equal(first.total_count, 6);
  t.equal(first.conversations[0]?.id, live, 'newest deletion first by default');
  t.equal(first.conversations[0]?.deleted_at, 1_800_000_000);
  t.match(first.pages.next, /^http:\/\/127\.0\.0\.1:\d+\/conversations\/deleted\?per_page=4&page=2$/, 'next is a URL');
  const nextPath = new URL(first.pages.next ?? '').pathname + new URL(first.pages.next ?? '').search;
  const second = (await get(sim, nextPath)).json as Deleted;
  t.equal(second.conversations.length, 2);
  t.equal(second.pages.next, null, 'no next on the last page');
  const ascending = (await get(sim, '/conversations/deleted?order=asc&per_page=60')).json as Deleted;
  t.same(ascending.conversations.map((c) => c.id), sim.store.deletedConversations().map((d) => d.id));
  t.equal((await get(sim, '/conversations/deleted?per_page=61')).status, 400, 'at most 60 per page');
});

t.test('data attributes in 2.16', async (t) => {
  const sim = await simulator(t);
  const refused = await get(sim, '/data_attributes?model=conversation');
  t.equal(refused.status, 422);
  t.same(errorOf(refused), { code: 'parameter_invalid', message: 'model=conversation is no longer supported. Use GET /conversations/attributes instead' });
  const contacts = (await get(sim, '/data_attributes?model=contact')).json as { data: Array<Record<string, unknown>> };
  t.ok(contacts.data.every((a) => a['model'] === 'contact'));
  const both = (await get(sim, '/data_attributes')).json as { data: Array<Record<string, unknown>> };
  t.same([...new Set(both.data.map((a) => a['model']))].sort(), ['company', 'contact'], 'no model: contacts and companies, no conversations');
  const archived = (await get(sim, '/data_attributes?model=contact&include_archived=true')).json as { data: Array<Record<string, unknown>> };
  t.ok(archived.data.length > contacts.data.length, 'include_archived adds archived attributes');
  const conversation = (await get(sim, '/conversations/attributes')).json as { type: string; data: Array<Record<string, unknown>> };
  t.equal(conversation.type, 'list');
  t.ok(conversation.data.every((a) => a['type'] === 'conversation_attribute'));
  t.equal((await get(sim, '/data_attributes?model=ticket')).status, 400);
});

t.test('the companies list is capped; scroll is the way past it', async (t) => {
  const sim = await simulator(t, { size: { companies: 200, contacts: 800 }, companiesListCap: 50 });
  const page = (await get(sim, '/companies?per_page=20&page=2')).json as ListBody<{ id: string; user_count: number }>;
  t.equal(page.data.length, 20);
  t.ok(page.data.every((c) => c.user_count > 0), 'companies without contacts are not listed');
  t.match(page.pages.next, /companies\?per_page=20&page=3$/);
  const third = (await get(sim, '/companies?per_page=20&page=3')).json as ListBody<unknown>;
  t.equal(third.data.length, 10, 'the page that crosses the cap is cut at it');
  const beyond = await get(sim, '/companies?per_page=20&page=4');
  t.equal(beyond.status, 400);
  t.same(errorOf(beyond), { code: 'bad_request', message: 'page limit reached, please use scroll API' });
  const list = await post(sim, '/companies/list?per_page=20&page=1&order=asc', undefined);
  t.equal(list.status, 200);
  const rows = (list.json as ListBody<{ last_request_at: number }>).data.map((c) => c.last_request_at);
  t.same(rows, [...rows].sort((a, b) => a - b), 'POST /companies/list orders by last_request_at');
  t.equal((await post(sim, '/companies/list?page=4&per_page=20', undefined)).status, 400);

  const company = sim.store.all('companies').find((c) => Number(c['user_count']) > 3) ?? {};
  const one = (await get(sim, `/companies?company_id=${String(company['company_id'])}`)).json as ListBody<{ id: string }>;
  t.same(one.data.map((c) => c.id), [company['id']]);
  const members = (await get(sim, `/companies/${String(company['id'])}/contacts?per_page=2`)).json as ListBody<{ id: string }>;
  t.equal(members.total_count, company['user_count']);
  t.equal(members.data.length, 2);
  t.equal((await get(sim, `/companies/${String(company['id'])}/segments`)).status, 200);
});

t.test('activity logs', async (t) => {
  const sim = await simulator(t, { now: () => 1_800_000_000 });
  const missing = await get(sim, '/admins/activity_logs');
  t.equal(missing.status, 400);
  t.equal(errorOf(missing).code, 'parameter_not_found');
  const logs = sim.store.all('activity_logs');
  const from = Number(logs[100]?.['created_at']);
  const to = Number(logs[149]?.['created_at']);
  const ids: string[] = [];
  let path = `/admins/activity_logs?created_at_after=${from}&created_at_before=${to}`;
  for (;;) {
    const page = (await get(sim, path)).json as { type: string; activity_logs: Array<{ id: string }>; pages: ListBody<unknown>['pages'] };
    t.equal(page.type, 'activity_log.list');
    ids.push(...page.activity_logs.map((l) => l.id));
    const next = page.pages.next;
    if (!next || typeof next === 'string') break;
    path = `/admins/activity_logs?created_at_after=${from}&created_at_before=${to}&starting_after=${encodeURIComponent(next.starting_after)}`;
  }
  const expected = logs.filter((l) => Number(l['created_at']) >= from && Number(l['created_at']) <= to).map((l) => l['id']);
  t.same(ids, expected, 'both bounds inclusive, oldest first, 20 per page');
  const added = sim.store.addActivityLog();
  const latest = (await get(sim, '/admins/activity_logs?created_at_after=1799999999')).json as { activity_logs: Array<{ id: string }> };
  t.same(latest.activity_logs.map((l) => l.id), [added]);
});

t.test('merged and deleted contacts', async (t) => {
  const sim = await simulator(t, { size: { contacts: 40 }, now: () => 1_800_000_000 });
  const [from, into, gone] = sim.store.ids('contacts');
  sim.store.mergeContact(from ?? '', into ?? '');
  sim.store.deleteContact(gone ?? '');
  const merged = await get(sim, `/contacts/${from ?? ''}`);
  t.equal(merged.status, 410);
  t.equal(merged.headers.get('link'), `</contacts/${into ?? ''}>; rel="canonical"`);
  t.equal(errorOf(merged).code, 'contact_merged');
  const deleted = await get(sim, `/contacts/${gone ?? ''}`);
  t.equal(deleted.status, 404);
  t.equal(((await get(sim, `/contacts/${into ?? ''}`)).json as { updated_at: number }).updated_at, 1_800_000_000, 'the merge updated the target');
  const listed = (await get(sim, '/contacts?per_page=150')).json as ListBody<{ id: string }>;
  t.equal(listed.total_count, 38);
  t.notOk(listed.data.some((c) => c.id === from || c.id === gone), 'neither is listed');
  const found = await post(sim, '/contacts/search', { query: { field: 'id', operator: 'IN', value: [from, gone, into] } });
  t.same((found.json as ListBody<{ id: string }>).data.map((c) => c.id), [into], 'nor searchable');
});

t.test('page-numbered help center lists', async (t) => {
  const sim = await simulator(t);
  const articles = (await get(sim, '/articles?per_page=15')).json as ListBody<{ updated_at: number }>;
  t.equal(articles.total_count, 40);
  t.equal(articles.data.length, 15);
  const times = articles.data.map((a) => a.updated_at);
  t.same(times, [...times].sort((a, b) => b - a), 'most recently updated first');
  t.match(articles.pages.next, /\/articles\?per_page=15&page=2$/);
  const last = (await get(sim, '/articles?per_page=15&page=3')).json as ListBody<unknown>;
  t.equal(last.pages.next, null);
  const collections = (await get(sim, '/help_center/collections')).json as ListBody<{ parent_id: string | null }>;
  t.equal(collections.total_count, 10);
  t.ok(collections.data.some((c) => c.parent_id !== null), 'sections are collections with a parent');
  const centers = (await get(sim, '/help_center/help_centers')).json as { data: unknown[] };
  t.equal(centers.data.length, 2);
  const segments = (await get(sim, '/segments?include_count=true')).json as { segments: Array<{ count: number }> };
  t.ok(segments.segments.every((s) => typeof s.count === 'number'), 'include_count adds counts');
  const plain = (await get(sim, '/segments')).json as { segments: Array<Record<string, unknown>> };
  t.ok(plain.segments.every((s) => !('count' in s)));
});
