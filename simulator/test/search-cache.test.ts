/**
 * Cached search results are patched as rows change; they must always equal a
 * fresh scan of the live store, or paging would not behave like the real,
 * stateless API.
 */
import t from 'tap';
import { resolveOptions } from '../src/options.js';
import { Rng } from '../src/rng.js';
import { compileQuery } from '../src/search/compile.js';
import { SearchExecutor, type SearchSort } from '../src/search/execute.js';
import { contactRenderer, contactResource, conversationRenderer, conversationResource } from '../src/search/fields.js';
import { parseQuery } from '../src/search/query.js';
import { isLiveContact, isLiveConversation } from '../src/store/generate.js';
import { WorkspaceStore } from '../src/store/store.js';

t.test('patched results equal fresh scans', async (t) => {
  let now = 1_800_000_000;
  const store = new WorkspaceStore(resolveOptions({ size: { contacts: 400, conversations: 120 } }), () => now);
  const cached = new SearchExecutor();
  cached.watch(store.tables.conversations);
  cached.watch(store.tables.contacts, [store.tables.conversations]);
  const contacts = { resource: contactResource(store), table: store.tables.contacts, isLive: isLiveContact, render: contactRenderer(store) };
  const conversations = {
    resource: conversationResource(store),
    table: store.tables.conversations,
    isLive: isLiveConversation,
    render: conversationRenderer(store),
  };
  const contactQueries: Array<[unknown, SearchSort | null]> = [
    [{ field: 'updated_at', operator: '>', value: 1_780_000_000 }, { field: 'updated_at', order: 'ascending' }],
    [{ field: 'updated_at', operator: '>', value: 1_780_000_000 }, { field: 'updated_at', order: 'descending' }],
    [{ field: 'role', operator: '=', value: 'user' }, { field: 'name', order: 'ascending' }],
    [{ operator: 'AND', value: [{ field: 'updated_at', operator: '<', value: 1_790_000_000 }, { field: 'role', operator: '=', value: 'lead' }] }, null],
    [{ field: 'created_at', operator: '>', value: 0 }, { field: 'updated_at', order: 'ascending' }],
  ];
  const conversationQueries: Array<[unknown, SearchSort | null]> = [
    [{ field: 'updated_at', operator: '>=', value: 1_780_000_000 }, null],
    [{ field: 'source.author.name', operator: '~', value: 'a' }, null],
  ];
  const rng = new Rng(99);
  const visibility = (): { now: number; lagSeconds: number; lastWriteAt: number } => ({ now, lagSeconds: 0, lastWriteAt: store.lastWriteAt });
  const compare = (label: string): void => {
    contactQueries.forEach(([query, sort], i) => {
      const compiled = compileQuery(parseQuery(query), contacts.resource, store.timezone);
      const fromCache = [...cached.run(contacts, compiled, sort, `c${i}`, visibility())];
      const fresh = new SearchExecutor().run(contacts, compiled, sort, `c${i}`, visibility());
      if (JSON.stringify(fromCache) !== JSON.stringify(fresh)) t.fail(`${label}: contact query ${i} diverged`);
    });
    conversationQueries.forEach(([query, sort], i) => {
      const compiled = compileQuery(parseQuery(query), conversations.resource, store.timezone);
      const fromCache = [...cached.run(conversations, compiled, sort, `v${i}`, visibility())];
      const fresh = new SearchExecutor().run(conversations, compiled, sort, `v${i}`, visibility());
      if (JSON.stringify(fromCache) !== JSON.stringify(fresh)) t.fail(`${label}: conversation query ${i} diverged`);
    });
  };
  compare('initial');
  for (let step = 0; step < 150; step++) {
    now += rng.int(0, 3);
    const ids = store.ids('contacts');
    const pick = (): string => ids[rng.int(0, ids.length - 1)] ?? '';
    const roll = rng.next();
    if (roll < 0.4) store.updateContact(pick(), rng.chance(0.5) ? { name: `Name ${step}` } : undefined);
    else if (roll < 0.5) store.createContact({ role: rng.chance(0.5) ? 'user' : 'lead', name: `New ${step}` });
    else if (roll < 0.6) store.deleteContact(pick());
    else if (roll < 0.65) {
      const [from, into] = [pick(), pick()];
      if (from !== into) store.mergeContact(from, into);
    }
    else if (roll < 0.75) store.tagContact(pick(), String(store.all('tags')[rng.int(0, 5)]?.['id']));
    else if (roll < 0.9) store.addConversationPart(store.ids('conversations')[rng.int(0, 50)] ?? '');
    else store.updateContact(pick(), { role: rng.chance(0.5) ? 'user' : 'lead', updated_at: 1_785_000_000 + rng.int(0, 5_000_000) });
    compare(`step ${step}`);
  }
  t.pass('150 random writes, every cached result equal to a fresh scan');
});
