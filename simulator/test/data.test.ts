/**
 * The default workspace contains every hard case a connector must survive.
 */
import t from 'tap';
import { startOfZonedDay } from '../src/calendar.js';
import { get, simulator, type ListBody } from './helpers.js';

const TZ = 'America/Los_Angeles';

interface EmbeddedList {
  data: Array<{ type: string; id: string; url: string }>;
  url: string;
  total_count: number;
  has_more: boolean;
}

t.test('contacts', async (t) => {
  const sim = await simulator(t);
  const contacts = sim.store.all('contacts');
  t.equal(contacts.length, 600);
  const roles = new Set(contacts.map((c) => c['role']));
  t.same([...roles].sort(), ['lead', 'user'], 'users and leads');

  // A bulk import: more than 200 contacts created and updated on one zoned day.
  const perDay = new Map<number, number>();
  for (const c of contacts) {
    const day = startOfZonedDay(Number(c['created_at']), TZ);
    if (startOfZonedDay(Number(c['updated_at']), TZ) === day) perDay.set(day, (perDay.get(day) ?? 0) + 1);
  }
  t.ok(Math.max(...perDay.values()) > 200, 'more than 200 contacts created and updated on a single zoned day');

  // Updates a few minutes either side of a zoned (not UTC) midnight.
  const midnight = sim.store.landmarks.people.midnight;
  t.equal(startOfZonedDay(midnight, TZ), midnight);
  t.not(midnight % 86400, 0, 'the zoned midnight is not a UTC midnight');
  const updated = contacts.map((c) => Number(c['updated_at']));
  t.ok(updated.some((u) => u >= midnight - 300 && u < midnight), 'updated minutes before midnight');
  t.ok(updated.some((u) => u >= midnight && u <= midnight + 300), 'updated minutes after midnight');
  t.ok(updated.some((u) => u === Math.floor(midnight / 86400) * 86400), 'updated at the UTC midnight of that date');

  const heavyTags = contacts.find((c) => (c['tags'] as EmbeddedList).total_count > 10);
  const heavyCompanies = contacts.find((c) => (c['companies'] as EmbeddedList).total_count > 10);
  if (!heavyTags || !heavyCompanies) throw new Error('no contact with more than 10 tags or companies');
  const tags = heavyTags['tags'] as EmbeddedList;
  t.equal(tags.data.length, 10, 'embedded tags truncated to 10');
  t.equal(tags.has_more, true);
  t.equal(tags.url, `/contacts/${String(heavyTags['id'])}/tags`);
  t.equal(sim.store.contactTagIds(String(heavyTags['id'])).length, tags.total_count, 'store knows the full tag list');
  const companies = heavyCompanies['companies'] as EmbeddedList;
  t.equal(companies.data.length, 10, 'embedded companies truncated to 10');
  t.equal(companies.has_more, true);
  t.equal(companies.url, `/contacts/${String(heavyCompanies['id'])}/companies`);
  t.equal(sim.store.contactCompanyIds(String(heavyCompanies['id'])).length, companies.total_count);

  const viaApi = await get(sim, `/contacts/${String(heavyTags['id'])}/tags`);
  t.equal((viaApi.json as { data: unknown[] }).data.length, tags.total_count, 'GET /contacts/{id}/tags lists them all');
  const page = await get(sim, `/contacts/${String(heavyCompanies['id'])}/companies?per_page=5`);
  const body = page.json as ListBody<{ id: string }>;
  t.equal(body.data.length, 5);
  t.equal(body.total_count, companies.total_count);
  t.match(body.pages.next, /^http:\/\/127\.0\.0\.1:\d+\/contacts\/[0-9a-f]{24}\/companies\?per_page=5&page=2$/);

  for (const c of contacts) {
    if (!/^[0-9a-f]{24}$/.test(String(c['id']))) t.fail(`contact id ${String(c['id'])}`);
    const owner = c['owner_id'];
    if (owner !== null && typeof owner !== 'string') t.fail('owner_id must be a string or null (2.16)');
  }
  const id = String(contacts[0]?.['id']);
  t.equal(parseInt(id.slice(0, 8), 16), contacts[0]?.['created_at'], 'the id encodes the creation time');
});

t.test('custom attributes', async (t) => {
  const sim = await simulator(t);
  for (const model of ['contact', 'company'] as const) {
    const attributes = sim.store.all(`${model}_attributes`);
    const custom = attributes.filter((a) => a['custom'] === true);
    t.ok(attributes.some((a) => a['custom'] === false), `${model}: standard attributes`);
    t.same(
      [...new Set(custom.map((a) => a['data_type']))].sort(),
      ['boolean', 'date', 'float', 'integer', 'string'],
      `${model}: every data type among custom attributes`,
    );
    for (const a of custom) t.equal(a['full_name'], `custom_attributes.${String(a['name'])}`);
  }
  const names = sim.store.all('contact_attributes').map((a) => a['name']);
  for (const name of ['Plan Tier', 'MRR ($)', 'account-id', 'account_id']) t.ok(names.includes(name), `declares ${name}`);
  const seats = sim.store.all('contacts').map((c) => (c['custom_attributes'] as Record<string, unknown>)['seats']);
  t.ok(seats.some((v) => typeof v === 'number'), 'integer attribute holds numbers');
  t.ok(seats.some((v) => v === 'n/a'), 'and, on a few contacts, a string');
  const conversationAttributes = sim.store.all('conversation_attributes');
  t.ok(conversationAttributes.length >= 5);
  t.ok(sim.store.all('conversations').some((c) => Object.keys(c['custom_attributes'] as object).length > 0));
});

t.test('conversations', async (t) => {
  const sim = await simulator(t);
  const conversations = sim.store.all('conversations');
  t.equal(conversations.length, 300);
  const byUpdated = new Map<number, number>();
  const byCreated = new Map<number, number>();
  for (const c of conversations) {
    byUpdated.set(Number(c['updated_at']), (byUpdated.get(Number(c['updated_at'])) ?? 0) + 1);
    byCreated.set(Number(c['created_at']), (byCreated.get(Number(c['created_at'])) ?? 0) + 1);
    t.type(c['admin_assignee_id'], 'number');
    t.type(c['team_assignee_id'], 'number');
    t.equal(c['conversation_parts'], undefined, 'listed conversations carry no parts');
  }
  t.ok(Math.max(...byUpdated.values()) > 200, 'more than 200 conversations share one updated_at second');
  t.ok([...byCreated.values()].some((n) => n > 1), 'some conversations share a created_at second');
  t.ok(conversations.some((c) => c['admin_assignee_id'] === 0), 'unassigned is 0');

  let long = 0;
  for (const c of conversations) {
    const id = String(c['id']);
    const parts = sim.store.conversationParts(id);
    const stats = c['statistics'] as { count_conversation_parts: number };
    if (stats.count_conversation_parts !== parts.length) t.fail(`${id}: count_conversation_parts ${stats.count_conversation_parts} vs ${parts.length}`);
    if (parts.length > 500) long++;
    else if (parts.length < 1 || parts.length > 40) t.fail(`${id} has ${parts.length} parts`);
    const times = parts.map((p) => Number(p['created_at']));
    if (times.some((time, i) => i > 0 && time < (times[i - 1] ?? 0))) t.fail(`${id}: parts out of order`);
  }
  t.equal(long, 2, 'two conversations with more than 500 parts');
  t.equal(sim.store.deletedConversations().length, 5);
});

t.test('companies, tickets, activity logs and the help center', async (t) => {
  const sim = await simulator(t);
  const companies = sim.store.all('companies');
  t.equal(companies.length, 120);
  t.ok(companies.some((c) => c['user_count'] === 0), 'some companies have no contacts');
  t.ok(companies.some((c) => Number(c['user_count']) > 5), 'some have many');

  const tickets = sim.store.all('tickets');
  t.equal(tickets.length, 60);
  t.same([...new Set(tickets.map((x) => x['category']))].sort(), ['Back-office', 'Customer', 'Tracker']);

  const logs = sim.store.all('activity_logs');
  t.equal(logs.length, 400);
  const times = logs.map((l) => Number(l['created_at']));
  t.same(times, [...times].sort((a, b) => a - b), 'activity logs oldest first, newest last');

  const collections = sim.store.all('collections');
  t.equal(collections.length, 10);
  const sections = collections.filter((c) => c['parent_id'] !== null);
  t.ok(sections.length > 0, 'some collections are sections');
  const ids = new Set(collections.map((c) => c['id']));
  for (const s of sections) t.ok(ids.has(s['parent_id']), 'a section points at a collection');
  const articles = sim.store.all('articles');
  t.equal(articles.length, 40);
  t.ok(articles.some((a) => (a['parent_ids'] as number[]).length > 0), 'articles have parent ids');
  for (const a of articles) for (const p of a['parent_ids'] as number[]) t.ok(ids.has(String(p)));
  t.equal(sim.store.all('help_centers').length, 2);
});
