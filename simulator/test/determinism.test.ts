/**
 * Same seed, same workspace (on every run and machine); different seed, different workspace.
 */
import t from 'tap';
import type { StoreKind } from '../src/index.js';
import { get, post, simulator } from './helpers.js';

const KINDS: StoreKind[] = [
  'admins', 'teams', 'tags', 'segments', 'subscription_types', 'company_attributes', 'contact_attributes',
  'conversation_attributes', 'companies', 'contacts', 'conversations', 'tickets', 'activity_logs', 'help_centers',
  'collections', 'articles',
];

/** A response body without the per-request parts (request ids). */
async function fingerprint(sim: Awaited<ReturnType<typeof simulator>>): Promise<string> {
  const bodies = [
    (await get(sim, '/contacts?per_page=25')).text,
    (await post(sim, '/contacts/search', { query: { field: 'role', operator: '=', value: 'user' }, pagination: { per_page: 20 } })).text,
    (await get(sim, '/conversations?per_page=10')).text,
  ];
  const id = sim.store.ids('conversations')[3] ?? '';
  bodies.push((await get(sim, `/conversations/${id}`)).text);
  return bodies.join('\n');
}

t.test('two simulators with the same seed render identical data', async (t) => {
  const a = await simulator(t, { seed: 7 });
  const b = await simulator(t, { seed: 7 });
  for (const kind of KINDS) t.same(a.store.all(kind), b.store.all(kind), `${kind} identical`);
  t.equal(await fingerprint(a), await fingerprint(b), 'HTTP responses identical');
  t.same(a.store.landmarks, b.store.landmarks);
});

t.test('different seeds give different workspaces', async (t) => {
  const a = await simulator(t, { seed: 1 });
  const b = await simulator(t, { seed: 2 });
  t.not(JSON.stringify(a.store.all('contacts')), JSON.stringify(b.store.all('contacts')));
  t.not(JSON.stringify(a.store.all('conversations')), JSON.stringify(b.store.all('conversations')));
  t.notSame(a.store.ids('contacts'), b.store.ids('contacts'));
});

t.test('the default workspace does not depend on the machine clock', async (t) => {
  const a = await simulator(t, { now: () => 1_900_000_000 });
  const b = await simulator(t, { now: () => 1_800_000_000 });
  t.same(a.store.all('contacts'), b.store.all('contacts'));
  const anchor = 1793491200;
  for (const c of a.store.all('contacts')) {
    if (Number(c['updated_at']) >= anchor || Number(c['created_at']) >= anchor) {
      t.fail(`contact ${String(c['id'])} is not before the anchor`);
      return;
    }
  }
  t.pass('every generated contact lies before the anchor');
});

t.test('sizes are honoured', async (t) => {
  const sim = await simulator(t, { size: { contacts: 50, companies: 12, conversations: 20, tickets: 5, admins: 2 } });
  t.equal(sim.store.ids('contacts').length, 50);
  t.equal(sim.store.ids('companies').length, 12);
  t.equal(sim.store.ids('conversations').length, 20);
  t.equal(sim.store.ids('tickets').length, 5);
  t.equal(sim.store.all('admins').length, 2);
});
