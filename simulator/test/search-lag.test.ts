/**
 * Search indexing lags writes: with searchLagSeconds > 0, a record written
 * less than that long ago is invisible to search, in its old and new version
 * alike, while direct reads already see the new version.
 */
import t from 'tap';
import { get, searchAll, simulator, TestClock } from './helpers.js';

t.test('an updated contact disappears from search until the lag has passed', async (t) => {
  const clock = new TestClock(1_800_000_000);
  const sim = await simulator(t, { size: { contacts: 40 }, searchLagSeconds: 60, now: clock.now });
  const id = sim.store.ids('contacts')[7] ?? '';
  const byId = { field: 'id', operator: '=', value: id };
  t.same(await searchAll(sim, 'contacts', byId), [id], 'generated records are indexed');

  sim.store.updateContact(id, { name: 'New Name' });
  t.same(await searchAll(sim, 'contacts', byId), [], 'neither the old nor the new version is searchable');
  const direct = (await get(sim, `/contacts/${id}`)).json as { name: string; updated_at: number };
  t.equal(direct.name, 'New Name', 'GET sees the write at once');
  t.equal(direct.updated_at, 1_800_000_000);

  clock.advance(59.5);
  t.same(await searchAll(sim, 'contacts', byId), [], 'still lagging');
  clock.advance(0.5);
  t.same(await searchAll(sim, 'contacts', byId), [id], 'visible once the lag has passed');
  t.same(await searchAll(sim, 'contacts', { field: 'name', operator: '=', value: 'New Name' }), [id], 'in its new version');
});

t.test('a sync whose upper bound is "now" misses fresh records', async (t) => {
  const clock = new TestClock(1_800_000_000);
  const sim = await simulator(t, { size: { contacts: 40, conversations: 30 }, searchLagSeconds: 120, now: clock.now });
  const created = sim.store.createContact({ email: 'new@example.com' });
  clock.advance(30);
  const recent = await searchAll(sim, 'contacts', { field: 'updated_at', operator: '>', value: 1_799_900_000 });
  t.notOk(recent.includes(created), 'a new contact is not searchable yet');
  const listed = (await get(sim, '/contacts?per_page=150')).json as { data: Array<{ id: string }>; total_count: number };
  t.equal(listed.total_count, 41, 'but GET /contacts lists it');

  const conversation = sim.store.ids('conversations')[3] ?? '';
  sim.store.addConversationPart(conversation);
  const changed = await searchAll(sim, 'conversations', { field: 'updated_at', operator: '>=', value: 1_800_000_000 });
  t.same(changed, [], 'the conversation that just changed is not found by its new updated_at');
  clock.advance(120);
  t.same(await searchAll(sim, 'conversations', { field: 'updated_at', operator: '>=', value: 1_800_000_000 }), [conversation]);
  t.ok((await searchAll(sim, 'contacts', { field: 'id', operator: '=', value: created })).length === 1);
});

t.test('no lag by default', async (t) => {
  const sim = await simulator(t, { size: { contacts: 20 } });
  const created = sim.store.createContact();
  t.same(await searchAll(sim, 'contacts', { field: 'id', operator: '=', value: created }), [created]);
});
