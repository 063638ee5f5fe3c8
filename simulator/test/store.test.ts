/**
 * The store's mutation API: what each write changes, and the updated_at it stamps.
 */
import t from 'tap';
import { UnknownRecordError } from '../src/index.js';
import { get, simulator, TestClock } from './helpers.js';

type Row = Record<string, unknown>;

t.test('contacts', async (t) => {
  const clock = new TestClock(1_800_000_123.75);
  const sim = await simulator(t, { size: { contacts: 30, tags: 12 }, now: clock.now });
  const store = sim.store;
  const id = store.ids('contacts').find((c) => Object.keys(store.all('contacts').find((x) => x['id'] === c)?.['custom_attributes'] as Row).length > 2) ?? '';
  const customBefore = store.all('contacts').find((c) => c['id'] === id)?.['custom_attributes'] as Row;
  store.updateContact(id, { name: 'Zed', custom_attributes: { plan: 'enterprise' }, location: { city: 'Cork' } });
  const updated = (await get(sim, `/contacts/${id}`)).json as Row;
  t.equal(updated['updated_at'], 1_800_000_123, 'updated_at is the clock in whole seconds');
  t.equal(updated['name'], 'Zed');
  t.equal((updated['custom_attributes'] as Row)['plan'], 'enterprise');
  t.same(updated['custom_attributes'], { ...customBefore, plan: 'enterprise' }, 'other custom attributes are kept');
  t.equal((updated['location'] as Row)['city'], 'Cork');
  t.equal((updated['location'] as Row)['type'], 'location', 'nested objects are merged');

  clock.advance(10);
  store.updateContact(id, { role: 'lead', updated_at: 1_700_000_000 });
  const again = store.all('contacts').find((c) => c['id'] === id) ?? {};
  t.equal(again['role'], 'lead');
  t.equal(again['updated_at'], 1_700_000_000, 'an explicit updated_at wins (for placing records in time)');
  t.equal(again['name'], 'Zed', 'earlier patches stay');

  const created = store.createContact({ email: 'new.person@example.com', role: 'lead' });
  t.match(created, /^[0-9a-f]{24}$/);
  t.equal(parseInt(created.slice(0, 8), 16), 1_800_000_133, 'the id encodes the creation time');
  const fresh = (await get(sim, `/contacts/${created}`)).json as Row;
  t.equal(fresh['email'], 'new.person@example.com');
  t.equal(fresh['role'], 'lead');
  t.equal(fresh['created_at'], 1_800_000_133);
  t.equal(fresh['updated_at'], 1_800_000_133);

  const tag = String(store.all('tags')[11]?.['id']);
  clock.advance(5);
  store.tagContact(created, tag);
  t.same(store.contactTagIds(created), [tag]);
  t.equal(store.all('contacts').find((c) => c['id'] === created)?.['updated_at'], 1_800_000_138, 'tagging updates the contact');
  const tags = (await get(sim, `/contacts/${created}/tags`)).json as { data: Row[] };
  t.equal(tags.data[0]?.['applied_at'], 1_800_000_138);

  const company = store.ids('companies')[0] ?? '';
  store.attachContactToCompany(created, company);
  t.same(store.contactCompanyIds(created), [company]);

  store.deleteContact(created);
  t.throws(() => store.updateContact(created), UnknownRecordError, 'a deleted contact cannot be written');
  t.throws(() => store.contactTagIds(created), UnknownRecordError);
  t.throws(() => store.tagContact(id, 'no-such-tag'), UnknownRecordError);
});

t.test('merging moves tags and companies to the target', async (t) => {
  const sim = await simulator(t, { size: { contacts: 600 }, now: () => 1_800_000_000 });
  const store = sim.store;
  const contacts = store.all('contacts');
  const from = contacts.find((c) => (c['tags'] as { total_count: number }).total_count > 10) ?? {};
  const into = contacts.find((c) => (c['tags'] as { total_count: number }).total_count === 0) ?? {};
  const fromId = String(from['id']);
  const intoId = String(into['id']);
  const fromTags = store.contactTagIds(fromId);
  store.mergeContact(fromId, intoId);
  t.same([...store.contactTagIds(intoId)].sort(), [...fromTags].sort());
  t.notOk(store.ids('contacts').includes(fromId));
  t.throws(() => store.mergeContact(intoId, intoId), UnknownRecordError);
});

t.test('companies', async (t) => {
  const sim = await simulator(t, { size: { companies: 20 }, now: () => 1_800_000_000 });
  const store = sim.store;
  const id = store.ids('companies')[3] ?? '';
  store.updateCompany(id, { name: 'Renamed Inc' });
  const company = (await get(sim, `/companies/${id}`)).json as Row;
  t.equal(company['name'], 'Renamed Inc');
  t.equal(company['updated_at'], 1_800_000_000);
  const created = store.createCompany();
  t.match(created, /^[0-9a-f]{24}$/);
  t.equal(((await get(sim, `/companies/${created}`)).json as Row)['user_count'], 0);
  t.notOk(store.ids('contacts').includes(created), 'contact and company ids never collide');
});

t.test('conversations', async (t) => {
  const clock = new TestClock(1_800_000_000);
  const sim = await simulator(t, { size: { conversations: 30 }, now: clock.now });
  const store = sim.store;
  const id = store.ids('conversations')[0] ?? '';
  const before = store.all('conversations').find((c) => c['id'] === id) ?? {};
  const count = (c: Row): number => Number((c['statistics'] as Row)['count_conversation_parts']);
  const partId = store.addConversationPart(id, { part_type: 'comment', body: '<p>Any news?</p>' });
  const after = store.all('conversations').find((c) => c['id'] === id) ?? {};
  t.equal(after['updated_at'], 1_800_000_000);
  t.equal(count(after), count(before) + 1);
  const parts = store.conversationParts(id);
  t.equal(parts[parts.length - 1]?.['id'], partId);
  t.equal(parts[parts.length - 1]?.['body'], '<p>Any news?</p>');
  t.equal(after['state'], 'open', 'a customer reply reopens the conversation');

  clock.advance(60);
  const admin = String(store.all('admins')[0]?.['id']);
  store.addConversationPart(id, { part_type: 'close', author: { type: 'admin', id: admin } });
  const closed = (await get(sim, `/conversations/${id}`)).json as Row;
  t.equal(closed['state'], 'closed');
  t.equal(closed['open'], false);
  t.equal((closed['statistics'] as Row)['last_close_at'], 1_800_000_060);
  t.equal((closed['statistics'] as Row)['last_closed_by_id'], admin);

  const contact = store.ids('contacts')[2] ?? '';
  const created = store.createConversation({ contact_id: contact, body: 'Hello there' });
  const fresh = (await get(sim, `/conversations/${created}`)).json as Row;
  t.equal(fresh['created_at'], 1_800_000_060);
  t.equal(((fresh['contacts'] as Row)['contacts'] as Row[])[0]?.['id'], contact);
  t.equal((fresh['source'] as Row)['body'], '<p>Hello there</p>');
  t.equal((fresh['conversation_parts'] as Row)['total_count'], 0);

  store.deleteConversation(created);
  t.same(store.deletedConversations().slice(-1), [{ id: created, deleted_at: 1_800_000_060 }]);
  t.throws(() => store.addConversationPart(created), UnknownRecordError);
});

t.test('tickets and activity logs', async (t) => {
  const clock = new TestClock(1_800_000_000);
  const sim = await simulator(t, { size: { tickets: 10 }, now: clock.now });
  const store = sim.store;
  const id = store.ids('tickets')[0] ?? '';
  store.updateTicket(id, { state: 'resolved' });
  const ticket = (await get(sim, `/tickets/${id}`)).json as Row;
  t.equal(ticket['updated_at'], 1_800_000_000);
  t.equal((ticket['ticket_state'] as Row)['category'], 'resolved');
  t.equal(ticket['open'], false);
  const created = store.createTicket();
  t.equal(((await get(sim, `/tickets/${created}`)).json as Row)['created_at'], 1_800_000_000);
  t.equal(store.ids('tickets').length, 11);
  const log = store.addActivityLog();
  const logs = store.all('activity_logs');
  t.equal(logs[logs.length - 1]?.['id'], log);
  t.equal(logs[logs.length - 1]?.['created_at'], 1_800_000_000);
});
