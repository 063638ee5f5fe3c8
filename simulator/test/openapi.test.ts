/**
 * Every endpoint the simulator serves answers with bodies that validate
 * against the official OpenAPI 2.16 response schema of that operation.
 *
 * Where the real API (and the spec's own examples) contradict the schema,
 * the simulator follows the API. Those deviations are listed in KNOWN below,
 * each narrowly: an error is only excused when the offending value is the
 * kind of value the API really sends there. Anything else fails the test.
 */
import t, { type Test } from 'tap';
import type { Simulator } from '../src/index.js';
import { responseValidator } from '../../test/support/openapi.js';
import { get, post, simulator, type ApiResponse } from './helpers.js';

interface Known {
  why: string;
  /** Matches one ajv error line: `<instancePath> <message>`. */
  error: RegExp;
  /** The value at the error's path must satisfy this. */
  value: (v: unknown) => boolean;
}

const KNOWN: readonly Known[] = [
  {
    why: 'company custom attribute values keep their data type (the schema says string; the spec example itself has true and 155.5)',
    error: /\/custom_attributes\/.+ must be string$/,
    value: (v) => typeof v === 'number' || typeof v === 'boolean',
  },
  {
    why: 'conversation statistics that have not happened yet are null (the schema types them non-nullable)',
    error: /\/statistics\/\w+ must be (integer|string)$/,
    value: (v) => v === null,
  },
  {
    why: 'page-numbered lists give pages.next as a URL, as the API does (cursor_pages declares an object)',
    error: /\/pages\/next must be object(,null)?$/,
    value: (v) => typeof v === 'string' && /^http:\/\/127\.0\.0\.1:\d+\/[^?]+\?(.+&)?page=\d+/.test(v),
  },
];

function valueAt(body: unknown, pointer: string): unknown {
  let node: unknown = body;
  for (const raw of pointer.split('/').slice(1)) {
    const key = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    if (typeof node !== 'object' || node === null) return undefined;
    node = (node as Record<string, unknown>)[key];
  }
  return node;
}

/** Ajv errors not explained by a known deviation. */
function unexplained(body: unknown, errors: string): string[] {
  return errors
    .split('\n')
    .filter((line) => line !== '')
    .filter((line) => {
      const known = KNOWN.find((k) => k.error.test(line));
      if (!known) return true;
      // Attribute names may contain spaces: the pointer is whatever precedes ajv's " must ...".
      const pointer = line.slice(0, line.lastIndexOf(' must '));
      return !known.value(valueAt(body, pointer));
    });
}

const covered = new Set<string>();

function check(t: Test, method: string, template: string, response: ApiResponse, status = 200): void {
  covered.add(`${method} ${template}`);
  t.equal(response.status, status, `${method} ${template} answers ${status}`);
  const result = responseValidator(method, template, status)(response.json);
  const left = result.ok ? [] : unexplained(response.json, result.errors);
  t.same(left.slice(0, 10), [], `${method} ${template} ${status} matches the OpenAPI schema`);
}

/** Follows cursor pages (GET with starting_after), checking each page. */
async function everyCursorPage(t: Test, sim: Simulator, template: string, path: string): Promise<number> {
  let url = path;
  let pages = 0;
  for (;;) {
    const response = await get(sim, url);
    check(t, 'GET', template, response);
    pages++;
    const next = (response.json as { pages?: { next?: { starting_after: string } | null } }).pages?.next;
    if (!next) return pages;
    url = `${path}${path.includes('?') ? '&' : '?'}starting_after=${encodeURIComponent(next.starting_after)}`;
  }
}

/** Follows the page-numbered `next` URLs, checking each page. */
async function everyLinkedPage(t: Test, sim: Simulator, template: string, path: string, method: 'GET' | 'POST' = 'GET'): Promise<number> {
  let url: string | null = path;
  let pages = 0;
  while (url) {
    const response: ApiResponse = method === 'GET' ? await get(sim, url) : await post(sim, url, undefined);
    check(t, method, template, response);
    pages++;
    const next: unknown = (response.json as { pages?: { next?: unknown } }).pages?.next;
    url = typeof next === 'string' ? next.slice(sim.url.length) : null;
  }
  return pages;
}

/** Follows search pages, checking each page. */
async function everySearchPage(t: Test, sim: Simulator, resource: string, query: unknown, extra: Record<string, unknown> = {}): Promise<number> {
  let after: string | undefined;
  let pages = 0;
  for (;;) {
    const response = await post(sim, `/${resource}/search`, { query, pagination: { per_page: 150, starting_after: after }, ...extra });
    check(t, 'POST', `/${resource}/search`, response);
    pages++;
    const next = (response.json as { pages: { next?: { starting_after: string } } }).pages.next;
    if (!next) return pages;
    after = next.starting_after;
  }
}

t.test('every endpoint validates against its OpenAPI response schema', async (t) => {
  const sim = await simulator(t);
  const store = sim.store;

  check(t, 'GET', '/me', await get(sim, '/me'));
  check(t, 'GET', '/admins', await get(sim, '/admins'));
  check(t, 'GET', '/admins', await get(sim, '/admins?display_avatar=true'));
  check(t, 'GET', '/admins/{admin_id}', await get(sim, `/admins/${String(store.all('admins')[1]?.['id'])}`));
  check(t, 'GET', '/teams', await get(sim, '/teams'));
  check(t, 'GET', '/teams/{team_id}', await get(sim, `/teams/${String(store.all('teams')[0]?.['id'])}`));
  check(t, 'GET', '/tags', await get(sim, '/tags'));
  check(t, 'GET', '/tags/{tag_id}', await get(sim, `/tags/${String(store.all('tags')[0]?.['id'])}`));
  check(t, 'GET', '/segments', await get(sim, '/segments'));
  check(t, 'GET', '/segments', await get(sim, '/segments?include_count=true'));
  check(t, 'GET', '/segments/{segment_id}', await get(sim, `/segments/${String(store.all('segments')[2]?.['id'])}`));
  check(t, 'GET', '/subscription_types', await get(sim, '/subscription_types'));
  check(t, 'GET', '/data_attributes', await get(sim, '/data_attributes'));
  check(t, 'GET', '/data_attributes', await get(sim, '/data_attributes?model=company&include_archived=true'));
  check(t, 'GET', '/data_attributes', await get(sim, '/data_attributes?model=conversation'), 422);
  check(t, 'GET', '/conversations/attributes', await get(sim, '/conversations/attributes?include_archived=true'));

  // Companies: every company through the scroll, plus the lists and sub-resources.
  let param = '';
  for (;;) {
    const response = await get(sim, `/companies/scroll${param ? `?scroll_param=${param}` : ''}`);
    check(t, 'GET', '/companies/scroll', response);
    const body = response.json as { data: unknown[]; scroll_param: string };
    param = body.scroll_param;
    if (body.data.length === 0) break;
  }
  t.ok((await everyLinkedPage(t, sim, '/companies', '/companies?per_page=60')) > 1, 'several pages of GET /companies');
  await everyLinkedPage(t, sim, '/companies/list', '/companies/list?per_page=60', 'POST');
  const company = store.all('companies').find((c) => Number(c['user_count']) > 3) ?? {};
  const companyId = String(company['id']);
  check(t, 'GET', '/companies/{company_id}', await get(sim, `/companies/${companyId}`));
  check(t, 'GET', '/companies/{company_id}', await get(sim, '/companies/nope'), 404);
  check(t, 'GET', '/companies/{company_id}/segments', await get(sim, `/companies/${companyId}/segments`));
  await everyLinkedPage(t, sim, '/companies/{company_id}/contacts', `/companies/${companyId}/contacts?per_page=2`);

  // Contacts: every contact through the list and through search.
  t.ok((await everyCursorPage(t, sim, '/contacts', '/contacts?per_page=150')) > 1);
  t.ok((await everySearchPage(t, sim, 'contacts', { field: 'updated_at', operator: '>', value: 0 }, { sort: { field: 'updated_at', order: 'ascending' } })) > 1);
  const contacts = store.all('contacts');
  const heavy = contacts.find((c) => (c['companies'] as { total_count: number }).total_count > 10) ?? {};
  for (const contact of [heavy, contacts[0] ?? {}, contacts[1] ?? {}]) {
    const id = String(contact['id']);
    check(t, 'GET', '/contacts/{contact_id}', await get(sim, `/contacts/${id}`));
    check(t, 'GET', '/contacts/{contact_id}/tags', await get(sim, `/contacts/${id}/tags`));
    check(t, 'GET', '/contacts/{contact_id}/segments', await get(sim, `/contacts/${id}/segments`));
  }
  await everyLinkedPage(t, sim, '/contacts/{contact_id}/companies', `/contacts/${String(heavy['id'])}/companies?per_page=5`);
  check(t, 'POST', '/contacts/search', await post(sim, '/contacts/search', { query: { field: 'role', operator: '=', value: 'user' }, sort: { field: 'name', order: 'up' } }), 400);
  const [mergedFrom, mergedInto] = store.ids('contacts').slice(-2);
  store.mergeContact(mergedFrom ?? '', mergedInto ?? '');
  check(t, 'GET', '/contacts/{contact_id}', await get(sim, `/contacts/${mergedFrom ?? ''}`), 410);
  check(t, 'GET', '/contacts', await get(sim, '/contacts', { token: 'nope' }), 401);

  // Conversations: every conversation listed, searched and fetched with its parts.
  await everyCursorPage(t, sim, '/conversations', '/conversations?per_page=150');
  await everySearchPage(t, sim, 'conversations', { field: 'created_at', operator: '>', value: 0 });
  for (const id of store.ids('conversations')) check(t, 'GET', '/conversations/{conversation_id}', await get(sim, `/conversations/${id}`));
  const plain = store.landmarks.conversations.longConversationIds[0] ?? '';
  check(t, 'GET', '/conversations/{conversation_id}', await get(sim, `/conversations/${plain}?display_as=plaintext`));
  check(t, 'GET', '/conversations/{conversation_id}', await get(sim, '/conversations/1'), 404);
  await everyLinkedPage(t, sim, '/conversations/deleted', '/conversations/deleted?per_page=2');
  check(t, 'GET', '/conversations', await get(sim, '/conversations', { token: 'sim-token-no-conversations' }), 403);

  // Tickets.
  await everySearchPage(t, sim, 'tickets', { field: 'created_at', operator: '>', value: 0 });
  for (const id of store.ids('tickets')) check(t, 'GET', '/tickets/{ticket_id}', await get(sim, `/tickets/${id}`));
  check(t, 'GET', '/ticket_types', await get(sim, '/ticket_types'));

  // Activity logs and the help center.
  await everyCursorPage(t, sim, '/admins/activity_logs', '/admins/activity_logs?created_at_after=0&per_page=150');
  check(t, 'GET', '/help_center/help_centers', await get(sim, '/help_center/help_centers'));
  check(t, 'GET', '/help_center/help_centers/{help_center_id}', await get(sim, `/help_center/help_centers/${String(store.all('help_centers')[0]?.['id'])}`));
  await everyLinkedPage(t, sim, '/help_center/collections', '/help_center/collections?per_page=4');
  check(t, 'GET', '/help_center/collections/{collection_id}', await get(sim, `/help_center/collections/${String(store.all('collections')[7]?.['id'])}`));
  await everyLinkedPage(t, sim, '/articles', '/articles?per_page=15');
  check(t, 'GET', '/articles/{article_id}', await get(sim, `/articles/${String(store.all('articles')[0]?.['id'])}`));

  const required = [
    'GET /me', 'GET /admins', 'GET /teams', 'GET /tags', 'GET /segments', 'GET /subscription_types', 'GET /data_attributes',
    'GET /conversations/attributes', 'GET /companies/scroll', 'GET /companies', 'POST /companies/list', 'GET /companies/{company_id}',
    'GET /companies/{company_id}/segments', 'GET /companies/{company_id}/contacts', 'GET /contacts', 'GET /contacts/{contact_id}',
    'GET /contacts/{contact_id}/tags', 'GET /contacts/{contact_id}/companies', 'GET /contacts/{contact_id}/segments',
    'POST /contacts/search', 'GET /conversations', 'POST /conversations/search', 'GET /conversations/{conversation_id}',
    'GET /conversations/deleted', 'POST /tickets/search', 'GET /tickets/{ticket_id}', 'GET /ticket_types',
    'GET /admins/activity_logs', 'GET /help_center/help_centers', 'GET /help_center/collections', 'GET /articles',
  ];
  t.same(required.filter((r) => !covered.has(r)), [], 'every endpoint of the brief was validated');
});
