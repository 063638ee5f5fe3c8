/**
 * The search query language: structure limits, every operator, per-type
 * operator validation, sorting, and result ordering.
 */
import t from 'tap';
import { errorOf, post, searchAll, simulator, type SearchFilter, type SearchGroup } from './helpers.js';

type Row = Record<string, unknown>;

const f = (field: string, operator: string, value: unknown): SearchFilter => ({ field, operator, value });
const and = (...value: Array<SearchFilter | SearchGroup>): SearchGroup => ({ operator: 'AND', value });
const or = (...value: Array<SearchFilter | SearchGroup>): SearchGroup => ({ operator: 'OR', value });

const sorted = (ids: string[]): string[] => [...ids].sort();
const idsWhere = (rows: Row[], keep: (row: Row) => boolean): string[] => sorted(rows.filter(keep).map((r) => String(r['id'])));

t.test('structure: nesting and group sizes', async (t) => {
  const sim = await simulator(t, { size: { contacts: 80, conversations: 40 } });
  const role = f('role', '=', 'user');
  const ok = async (query: unknown): Promise<number> => (await post(sim, '/contacts/search', { query })).status;
  t.equal(await ok(role), 200, 'a single filter');
  t.equal(await ok(and(role)), 200, 'one level');
  t.equal(await ok(and(or(role, f('role', '=', 'lead')), role)), 200, 'two levels');
  const tooDeep = await post(sim, '/contacts/search', { query: and(or(and(role))) });
  t.equal(tooDeep.status, 400, 'three levels are refused');
  t.equal(errorOf(tooDeep).code, 'parameter_invalid');
  t.equal(await ok(and(...Array.from({ length: 15 }, () => role))), 200, '15 filters in a group');
  t.equal(await ok(and(...Array.from({ length: 16 }, () => role))), 400, '16 filters are refused');
  t.equal(await ok(and(role, or(...Array.from({ length: 16 }, () => role)))), 400, 'also in a nested group');
  t.equal((await post(sim, '/contacts/search', { pagination: { per_page: 5 } })).status, 400, 'query is required');
  t.equal(await ok({ field: 'role', operator: 'LIKE', value: 'user' }), 400, 'unknown operator');
  t.equal(await ok({ operator: 'AND', value: 'x' }), 400, 'group value must be an array');
  const badPage = await post(sim, '/contacts/search', { query: role, pagination: { per_page: 151 } });
  t.equal(badPage.status, 400, 'per_page above 150');
  const badCursor = await post(sim, '/contacts/search', { query: role, pagination: { starting_after: 'garbage' } });
  t.equal(badCursor.status, 400, 'a cursor we never issued');
});

t.test('string operators', async (t) => {
  const sim = await simulator(t, { size: { contacts: 150 } });
  const contacts = sim.store.all('contacts');
  const sample = contacts[17] ?? {};
  const email = String(sample['email']);
  const domain = String(sample['email_domain']);
  const search = (filter: SearchFilter): Promise<string[]> => searchAll(sim, 'contacts', filter).then(sorted);
  t.same(await search(f('email', '=', email)), [String(sample['id'])], '=');
  t.same(await search(f('email', '=', email.toUpperCase())), [String(sample['id'])], '= ignores case');
  t.same(await search(f('email', '!=', email)), idsWhere(contacts, (c) => c['email'] !== email), '!=');
  t.same(await search(f('email_domain', 'IN', [domain, 'gmail.com'])), idsWhere(contacts, (c) => [domain, 'gmail.com'].includes(String(c['email_domain']))), 'IN');
  t.same(await search(f('email_domain', 'NIN', [domain])), idsWhere(contacts, (c) => c['email_domain'] !== domain), 'NIN');
  t.same(await search(f('email', '~', 'smith')), idsWhere(contacts, (c) => String(c['email']).includes('smith')), '~');
  t.same(await search(f('email', '!~', 'smith')), idsWhere(contacts, (c) => !String(c['email']).includes('smith')), '!~');
  t.same(await search(f('email', '^', 'ada.')), idsWhere(contacts, (c) => String(c['email']).startsWith('ada.')), '^');
  t.same(await search(f('email', '$', '@gmail.com')), idsWhere(contacts, (c) => String(c['email']).endsWith('@gmail.com')), '$');
  t.same(await search(f('phone', '=', null)), idsWhere(contacts, (c) => c['phone'] === null), '= null finds missing values');
  const country = (c: Row): string => String((c['location'] as Row)['country']);
  t.same(await search(f('location.country', '=', 'Ireland')), idsWhere(contacts, (c) => country(c) === 'Ireland'), 'nested field');
  const plan = (c: Row): unknown => (c['custom_attributes'] as Row)['Plan Tier'];
  t.same(await search(f('custom_attributes.Plan Tier', '=', 'Tier 2')), idsWhere(contacts, (c) => plan(c) === 'Tier 2'), 'custom attribute with a space');
});

t.test('number, boolean and array operators', async (t) => {
  const sim = await simulator(t, { size: { contacts: 150, conversations: 120 } });
  const contacts = sim.store.all('contacts');
  const seats = (c: Row): unknown => (c['custom_attributes'] as Row)['seats'];
  const num = (c: Row): number => (typeof seats(c) === 'number' ? Number(seats(c)) : NaN);
  const search = (filter: SearchFilter | SearchGroup): Promise<string[]> => searchAll(sim, 'contacts', filter).then(sorted);
  t.same(await search(f('custom_attributes.seats', '>', 100)), idsWhere(contacts, (c) => num(c) > 100), '>');
  t.same(await search(f('custom_attributes.seats', '>=', 100)), idsWhere(contacts, (c) => num(c) >= 100), '>=');
  t.same(await search(f('custom_attributes.seats', '<', 100)), idsWhere(contacts, (c) => num(c) < 100), '<');
  t.same(await search(f('custom_attributes.seats', '<=', 100)), idsWhere(contacts, (c) => num(c) <= 100), '<=');
  const wrongType = await post(sim, '/contacts/search', { query: f('custom_attributes.seats', '=', 'n/a') });
  t.equal(wrongType.status, 400, 'the searched value must match the declared type, whatever the stored values are');
  t.same(
    await search(f('unsubscribed_from_emails', '=', true)),
    idsWhere(contacts, (c) => c['unsubscribed_from_emails'] === true),
    'boolean =',
  );
  t.same(await search(f('has_hard_bounced', '!=', true)), idsWhere(contacts, (c) => c['has_hard_bounced'] !== true), 'boolean !=');

  const tagged = contacts.find((c) => (c['tags'] as { total_count: number }).total_count > 0) ?? {};
  const tagId = sim.store.contactTagIds(String(tagged['id']))[0] ?? '';
  const hasTag = (c: Row): boolean => sim.store.contactTagIds(String(c['id'])).includes(tagId);
  t.same(await search(f('tag_id', '=', tagId)), idsWhere(contacts, hasTag), 'tag_id =');
  t.same(await search(f('tag_id', '!=', tagId)), idsWhere(contacts, (c) => !hasTag(c)), 'tag_id !=');
  t.same(
    await search(and(f('role', '=', 'user'), or(f('tag_id', '=', tagId), f('email_domain', '=', 'gmail.com')))),
    idsWhere(contacts, (c) => c['role'] === 'user' && (hasTag(c) || c['email_domain'] === 'gmail.com')),
    'AND of OR',
  );

  const conversations = sim.store.all('conversations');
  const searchConversations = (filter: SearchFilter | SearchGroup): Promise<string[]> => searchAll(sim, 'conversations', filter).then(sorted);
  const admin = Number(conversations.find((c) => Number(c['admin_assignee_id']) > 0)?.['admin_assignee_id']);
  t.same(await searchConversations(f('admin_assignee_id', '=', admin)), idsWhere(conversations, (c) => c['admin_assignee_id'] === admin), 'integer =');
  t.same(await searchConversations(f('admin_assignee_id', '=', String(admin))), idsWhere(conversations, (c) => c['admin_assignee_id'] === admin), 'numeric string');
  t.same(await searchConversations(f('admin_assignee_id', 'IN', [0, admin])), idsWhere(conversations, (c) => [0, admin].includes(Number(c['admin_assignee_id']))), 'integer IN');
  t.same(await searchConversations(f('open', '=', false)), idsWhere(conversations, (c) => c['open'] === false), 'open = false');
  t.same(await searchConversations(f('state', 'NIN', ['closed'])), idsWhere(conversations, (c) => c['state'] !== 'closed'), 'state NIN');
  const contactId = String(((conversations[5]?.['contacts'] as Row)['contacts'] as Row[])[0]?.['id']);
  const involves = (c: Row): boolean => ((c['contacts'] as Row)['contacts'] as Row[]).some((x) => x['id'] === contactId);
  t.same(await searchConversations(f('contact_ids', '=', contactId)), idsWhere(conversations, involves), 'array field =');
  const count = (c: Row): number => Number((c['statistics'] as Row)['count_conversation_parts']);
  t.same(await searchConversations(f('statistics.count_conversation_parts', '>', 20)), idsWhere(conversations, (c) => count(c) > 20), 'statistics.*');
  t.same(await searchConversations(f('source.body', '=', 'export')), idsWhere(conversations, (c) => /\bexport\b/i.test(String((c['source'] as Row)['body']))), 'source.body matches a word');
});

t.test('per-type operator validation', async (t) => {
  const sim = await simulator(t, { size: { contacts: 40, conversations: 20, tickets: 10 } });
  const refused: Array<[string, SearchFilter]> = [
    ['contacts', f('created_at', '>=', 1700000000)],
    ['contacts', f('updated_at', '<=', 1700000000)],
    ['contacts', f('updated_at', '!=', 1700000000)],
    ['contacts', f('created_at', 'IN', [1700000000])],
    ['contacts', f('custom_attributes.trial_ends_at', '>=', 1700000000)],
    ['contacts', f('email', '>', 'a')],
    ['contacts', f('unsubscribed_from_emails', '~', 'tr')],
    ['contacts', f('tag_id', 'IN', ['1'])],
    ['contacts', f('tag_id', '~', '1')],
    ['contacts', f('role', 'IN', 'user')],
    ['contacts', f('role', '=', ['user'])],
    ['contacts', f('updated_at', '>', 'foobar')],
    ['contacts', f('unsubscribed_from_emails', '=', 'maybe')],
    ['contacts', f('no_such_field', '=', 'x')],
    ['contacts', f('custom_attributes.nope', '=', 'x')],
    ['conversations', f('state', '<', 'open')],
    ['conversations', f('open', '^', 't')],
    ['conversations', f('created_at', '~', '17')],
    ['tickets', f('open', '>', 1)],
  ];
  for (const [resource, filter] of refused) {
    const response = await post(sim, `/${resource}/search`, { query: filter });
    t.equal(response.status, 400, `${resource}: ${filter.field} ${filter.operator} ${JSON.stringify(filter.value)}`);
    t.equal(errorOf(response).code, 'parameter_invalid');
  }
  const accepted: Array<[string, SearchFilter]> = [
    ['contacts', f('created_at', '>', '1306054154')],
    ['contacts', f('updated_at', '=', 1790000000)],
    ['contacts', f('updated_at', '<', 1790000000)],
    ['contacts', f('custom_attributes.seats', '>=', 3)],
    ['conversations', f('created_at', '>=', 1700000000)],
    ['conversations', f('updated_at', '<=', 1700000000)],
    ['conversations', f('updated_at', '!=', 1700000000)],
    ['tickets', f('created_at', '<=', 1900000000)],
    ['tickets', f('category', '=', 'request')],
  ];
  for (const [resource, filter] of accepted) {
    t.equal((await post(sim, `/${resource}/search`, { query: filter })).status, 200, `${resource}: ${filter.field} ${filter.operator}`);
  }
});

t.test('sort (contacts only) and default orders', async (t) => {
  const sim = await simulator(t, { size: { contacts: 120, conversations: 60 } });
  const query = f('role', 'IN', ['user', 'lead']);
  const bad = await post(sim, '/contacts/search', { query, sort: { field: 'updated_at', order: 'desc' } });
  t.equal(bad.status, 400);
  t.same(errorOf(bad), { code: 'invalid_sort_order', message: "Invalid sort order 'desc'. Must be one of: ascending, descending" });

  const byId = new Map(sim.store.all('contacts').map((c) => [String(c['id']), Number(c['updated_at'])]));
  const ascending = await searchAll(sim, 'contacts', query, { perPage: 50, sort: { field: 'updated_at', order: 'ascending' } });
  const times = ascending.map((id) => byId.get(id) ?? 0);
  t.same(times, [...times].sort((a, b) => a - b), 'ascending by updated_at');
  const descending = await searchAll(sim, 'contacts', query, { perPage: 50, sort: { field: 'updated_at' } as { field: string; order: string } });
  const timesDesc = descending.map((id) => byId.get(id) ?? 0);
  t.same(timesDesc, [...timesDesc].sort((a, b) => b - a), 'descending by default');

  const conversations = sim.store.all('conversations');
  const created = new Map(conversations.map((c) => [String(c['id']), Number(c['created_at'])]));
  const ids = await searchAll(sim, 'conversations', f('open', 'IN', [true, false]), { perPage: 25, sort: { field: 'updated_at', order: 'descending' } });
  const order = ids.map((id) => created.get(id) ?? 0);
  t.same(order, [...order].sort((a, b) => a - b), 'conversation search ignores sort and returns creation order');
  const updated = new Map(conversations.map((c) => [String(c['id']), Number(c['updated_at'])]));
  const byUpdated = ids.map((id) => updated.get(id) ?? 0);
  t.notSame(byUpdated, [...byUpdated].sort((a, b) => a - b), '...which is not updated_at order');
});

t.test('id ^ prefix works on contacts, conversations and tickets', async (t) => {
  const sim = await simulator(t);
  for (const resource of ['contacts', 'conversations', 'tickets'] as const) {
    const ids = sim.store.ids(resource);
    const prefix = (ids[Math.floor(ids.length / 2)] ?? '').slice(0, resource === 'contacts' ? 4 : -1);
    const found = await searchAll(sim, resource, f('id', '^', prefix));
    t.same(sorted(found), sorted(ids.filter((id) => id.startsWith(prefix))), `${resource} id ^ ${prefix}`);
    t.ok(found.length > 0);
  }
  const tickets = sim.store.all('tickets');
  const customer = await searchAll(sim, 'tickets', f('category', '=', 'request'));
  t.same(sorted(customer), idsWhere(tickets, (x) => x['category'] === 'Customer'), 'ticket category by term');
});
