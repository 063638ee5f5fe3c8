/**
 * Cursors are opaque but behave as plain offsets into the current ordering,
 * and every page re-runs the query: records that move or disappear during a
 * scan make offset paging skip (or repeat) records. These tests demonstrate
 * the skip, which the connector must defend against.
 */
import t from 'tap';
import { get, post, searchAll, simulator, type ListBody } from './helpers.js';

type ContactPage = ListBody<{ id: string; updated_at: number }>;

const NOW = 1_800_000_000;
const everything = { field: 'updated_at', operator: '>', value: 0 };
const ascending = { field: 'updated_at', order: 'ascending' };

async function searchPage(sim: Awaited<ReturnType<typeof simulator>>, after?: string): Promise<ContactPage> {
  const response = await post(sim, '/contacts/search', { query: everything, sort: ascending, pagination: { per_page: 10, starting_after: after } });
  if (response.status !== 200) throw new Error(response.text);
  return response.json as ContactPage;
}

function nextCursor(page: ContactPage): string {
  const next = page.pages.next;
  if (!next || typeof next === 'string') throw new Error('expected a next cursor');
  return next.starting_after;
}

t.test('pages of a stable result', async (t) => {
  const sim = await simulator(t, { size: { contacts: 95 }, now: () => NOW });
  const all = await searchAll(sim, 'contacts', everything, { sort: ascending });
  t.equal(all.length, 95);
  const served: string[] = [];
  let after: string | undefined;
  let pages = 0;
  for (;;) {
    const page = await searchPage(sim, after);
    pages++;
    t.equal(page.total_count, 95, 'total_count is for the whole query');
    t.equal(page.pages.page, pages);
    t.equal(page.pages.total_pages, 10);
    served.push(...page.data.map((c) => c.id));
    if (!page.pages.next) break;
    after = nextCursor(page);
    t.notMatch(after, /^\d+$/, 'the cursor is opaque');
  }
  t.equal(pages, 10);
  t.same(served, all, 'every record once, in order');
});

t.test('a record updated during the scan jumps to the end: the next record in line is skipped', async (t) => {
  const sim = await simulator(t, { size: { contacts: 60 }, now: () => NOW });
  const before = await searchAll(sim, 'contacts', everything, { sort: ascending });
  const first = await searchPage(sim);
  t.same(first.data.map((c) => c.id), before.slice(0, 10));
  // Activity on a contact already served moves it behind everything else.
  sim.store.updateContact(before[3] ?? '', { name: 'Touched' });
  const served = first.data.map((c) => c.id);
  let after: string | undefined = nextCursor(first);
  while (after) {
    const page = await searchPage(sim, after);
    served.push(...page.data.map((c) => c.id));
    after = page.pages.next ? nextCursor(page) : undefined;
  }
  const skipped = before.filter((id) => !served.includes(id));
  t.same(skipped, [before[10]], 'the record that slid into the served region was never returned');
  t.equal(served.filter((id) => id === before[3]).length, 2, 'and the updated record was returned twice');
});

t.test('a deletion before the cursor skips a record of GET /contacts', async (t) => {
  const sim = await simulator(t, { size: { contacts: 40 } });
  const ids = sim.store.ids('contacts');
  const first = (await get(sim, '/contacts?per_page=10')).json as ContactPage;
  t.equal(first.total_count, 40);
  t.same(first.data.map((c) => c.id), ids.slice(0, 10), 'listed in id order');
  sim.store.deleteContact(ids[2] ?? '');
  const second = (await get(sim, `/contacts?per_page=10&starting_after=${encodeURIComponent(nextCursor(first))}`)).json as ContactPage;
  t.equal(second.total_count, 39);
  t.same(second.data.map((c) => c.id), ids.slice(11, 21), `${ids[10] ?? ''} was skipped`);
});

t.test('changes made by a request hook while a client pages', async (t) => {
  const sim = await simulator(t, { size: { contacts: 60 }, now: () => NOW });
  const before = await searchAll(sim, 'contacts', everything, { sort: ascending });
  const routes: string[] = [];
  const base = sim.stats.byRoute.get('POST /contacts/search') ?? 0;
  sim.onRequest(({ route, count }) => {
    routes.push(route);
    // Just before the second page is answered, a served contact is updated.
    if (route === 'POST /contacts/search' && count === base + 2) sim.store.updateContact(before[0] ?? '');
  });
  const served = await searchAll(sim, 'contacts', everything, { sort: ascending, perPage: 10 });
  sim.onRequest(null);
  t.same(routes.slice(0, 2), ['POST /contacts/search', 'POST /contacts/search']);
  t.notOk(served.includes(before[10] ?? ''), 'the record after the first page was skipped');
  t.equal(served.length, 60, 'the count looks right, which is why the skip goes unnoticed');
});

t.test('GET /conversations lists most recently updated first; an update during the scan repeats one record and skips another', async (t) => {
  const sim = await simulator(t, { size: { conversations: 50 }, now: () => NOW });
  type ConversationPage = { conversations: Array<{ id: string; updated_at: number }>; pages: ContactPage['pages']; total_count: number };
  const full = ((await get(sim, '/conversations?per_page=50')).json as ConversationPage).conversations.map((c) => c.id);
  const first = (await get(sim, '/conversations?per_page=20')).json as ConversationPage;
  const times = first.conversations.map((c) => c.updated_at);
  t.same(times, [...times].sort((a, b) => b - a));
  t.equal(first.total_count, 50);
  t.same(first.conversations.map((c) => c.id), full.slice(0, 20));
  // A conversation further down gets a reply and moves to the front.
  sim.store.addConversationPart(full[25] ?? '');
  const next = first.pages.next;
  if (!next || typeof next === 'string') throw new Error('expected a cursor');
  const second = (await get(sim, `/conversations?per_page=20&starting_after=${encodeURIComponent(next.starting_after)}`)).json as ConversationPage;
  t.equal(second.conversations[0]?.id, full[19], 'the last record of page 1 is served again');
  const third = (await get(sim, `/conversations?per_page=20&starting_after=${encodeURIComponent((second.pages.next as { starting_after: string }).starting_after)}`)).json as ConversationPage;
  const served = [...first.conversations, ...second.conversations, ...third.conversations].map((c) => c.id);
  t.notOk(served.includes(full[25] ?? ''), 'the updated conversation is never served in this scan');
});

t.test('page size limits and foreign cursors', async (t) => {
  const sim = await simulator(t, { size: { contacts: 30, conversations: 30 } });
  t.equal((await get(sim, '/contacts?per_page=151')).status, 400);
  t.equal((await get(sim, '/conversations?per_page=151')).status, 400);
  const contacts = (await get(sim, '/contacts')).json as ContactPage;
  t.equal(contacts.data.length, 10, 'GET /contacts defaults to 10 per page');
  t.equal(((await get(sim, '/conversations')).json as { conversations: unknown[] }).conversations.length, 20);
  const cursor = nextCursor(contacts);
  t.equal((await get(sim, `/conversations?starting_after=${encodeURIComponent(cursor)}`)).status, 400, 'a contacts cursor on conversations');
  t.equal((await post(sim, '/contacts/search', { query: everything, pagination: { starting_after: cursor } })).status, 400);
  const search = (await post(sim, '/contacts/search', { query: everything })).json as ContactPage;
  t.equal(search.data.length, 30, 'search defaults to 50 per page');
  t.equal(search.pages.next, undefined, 'no next on the last page');
});
