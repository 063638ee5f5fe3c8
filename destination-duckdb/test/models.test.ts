/**
 * The models on a hand-built workspace: seven conversations with chosen
 * parts, three admins in two teams, three contacts in two companies. Every
 * expected value below was worked out by hand from the metric definitions
 * (times are minutes after each conversation's creation).
 */
import tap from 'tap';
import { buildModels, MODEL_NAMES } from '../src/index.js';
import type { JsonObject } from '../src/protocol.js';
import { CDC, config, record, select, state, stream, t, write } from './helpers.js';

const T0 = 1_700_000_000;
const at = (minutes: number) => T0 + Math.round(minutes * 60);
const link = (parent: string, key: string, cursor: string) => ({ parent, parent_key: key, parent_cursor: cursor });
const snapshot = (name: string, props: Record<string, JsonObject>, pk = ['id']) => stream(name, { ...props, ...CDC }, { pk, cursor: '_ab_cdc_updated_at', history: 'snapshot' });
const versioned = (name: string, props: Record<string, JsonObject>, extra: { pk?: string[]; cursor?: string; link?: JsonObject } = {}) =>
  stream(name, { ...props, ...CDC }, { cursor: extra.cursor ?? 'updated_at', history: 'versioned', ...extra });

const catalog = [
  snapshot('admins', { id: t('string'), name: t('string'), email: t('string'), job_title: t('string') }),
  snapshot('teams', { id: t('string'), name: t('string') }),
  snapshot('team_admins', { team_id: t('string'), admin_id: t('string') }, ['team_id', 'admin_id']),
  snapshot('tags', { id: t('string'), name: t('string') }),
  versioned('contacts', { id: t('string'), name: t('string'), email: t('string'), role: t('string'), owner_id: t('string'), created_at: t('integer'), updated_at: t('integer') }),
  versioned('contact_companies', { contact_id: t('string'), company_id: t('string'), contact_updated_at: t('integer') }, { pk: ['contact_id', 'company_id'], cursor: 'contact_updated_at', link: link('contacts', 'contact_id', 'contact_updated_at') }),
  versioned('contact_tags', { contact_id: t('string'), tag_id: t('string'), contact_updated_at: t('integer') }, { pk: ['contact_id', 'tag_id'], cursor: 'contact_updated_at', link: link('contacts', 'contact_id', 'contact_updated_at') }),
  versioned('companies', { id: t('string'), name: t('string'), created_at: t('integer'), updated_at: t('integer'), plan: t('object'), monthly_spend: t('integer') }),
  versioned('company_tags', { company_id: t('string'), tag_id: t('string'), company_updated_at: t('integer') }, { pk: ['company_id', 'tag_id'], cursor: 'company_updated_at', link: link('companies', 'company_id', 'company_updated_at') }),
  versioned('conversations', {
    id: t('string'), created_at: t('integer'), updated_at: t('integer'), state: t('string'), read: t('boolean'), admin_assignee_id: t('integer'), team_assignee_id: t('integer'),
    conversation_rating: t('object'), source: t('object'),
  }),
  versioned('conversation_tags', { conversation_id: t('string'), tag_id: t('string'), conversation_updated_at: t('integer') }, { pk: ['conversation_id', 'tag_id'], cursor: 'conversation_updated_at', link: link('conversations', 'conversation_id', 'conversation_updated_at') }),
  versioned('conversation_parts', { id: t('string'), conversation_id: t('string'), part_type: t('string'), body: t('string'), created_at: t('integer'), updated_at: t('integer'), author: t('object'), assigned_to: t('object') }),
  snapshot('help_centers', { id: t('string'), identifier: t('string'), display_name: t('string'), website_turned_on: t('boolean') }),
  snapshot('help_center_collections', { id: t('string'), name: t('string'), url: t('string'), parent_id: t('string'), help_center_id: t('integer') }),
  versioned('articles', { id: t('string'), title: t('string'), author_id: t('integer'), state: t('string'), created_at: t('integer'), updated_at: t('integer'), parent_ids: t('array') }),
];

const SYNC1 = '2026-06-01T00:00:00Z';
const snap = (name: string, data: JsonObject) => record(name, { ...data, _ab_cdc_updated_at: SYNC1 });
const user = (id: string) => ({ type: 'user', id });
const admin = (id: string) => ({ type: 'admin', id });
type Part = [id: string, type: string, minute: number, author: JsonObject, body?: string | null, team?: string];

function conversation(id: string, updated: number, fields: JsonObject, parts: Part[], tags: string[]): string[] {
  const conv = record('conversations', { id, created_at: T0, updated_at: updated, read: true, source: { type: 'conversation', delivered_as: 'customer_initiated', author: { type: 'user' } }, ...fields });
  const partLines = parts.map(([pid, type, minute, author, body, team]) =>
    record('conversation_parts', {
      id: pid, conversation_id: id, part_type: type, body: body === undefined ? null : body, created_at: at(minute), updated_at: at(minute), author,
      assigned_to: team === undefined ? null : { type: 'team', id: team },
    }),
  );
  return [conv, ...partLines, ...tags.map((tag) => record('conversation_tags', { conversation_id: id, tag_id: tag, conversation_updated_at: updated }))];
}

const UPDATED = at(100);
const firstWrite = [
  snap('admins', { id: '101', name: 'Alice', email: 'alice@example.com', job_title: 'Support' }),
  snap('admins', { id: '102', name: 'Bob', email: 'bob@example.com', job_title: 'Lead' }),
  snap('admins', { id: '103', name: 'Cara', email: 'cara@example.com', job_title: null }),
  snap('teams', { id: '201', name: 'Tier 1' }),
  snap('teams', { id: '202', name: 'Tier 2' }),
  snap('team_admins', { team_id: '201', admin_id: '101' }),
  snap('team_admins', { team_id: '201', admin_id: '102' }),
  snap('team_admins', { team_id: '202', admin_id: '101' }),
  snap('tags', { id: 'g1', name: 'billing' }),
  snap('tags', { id: 'g2', name: 'bug' }),
  snap('tags', { id: 'g3', name: 'vip' }),
  ...['u1', 'u2', 'u3'].map((id, i) => record('contacts', { id, name: ['Uma', 'Vic', 'Wes'][i] as string, role: 'user', created_at: T0, updated_at: T0 })),
  record('contact_companies', { contact_id: 'u1', company_id: 'co1', contact_updated_at: T0 }),
  record('contact_companies', { contact_id: 'u1', company_id: 'co2', contact_updated_at: T0 }),
  record('contact_companies', { contact_id: 'u2', company_id: 'co1', contact_updated_at: T0 }),
  record('contact_companies', { contact_id: 'u3', company_id: 'co2', contact_updated_at: T0 }),
  record('contact_tags', { contact_id: 'u1', tag_id: 'g3', contact_updated_at: T0 }),
  record('companies', { id: 'co1', name: 'Acme', created_at: T0, updated_at: T0, plan: { id: 'p1', name: 'Pro' }, monthly_spend: 100 }),
  record('companies', { id: 'co2', name: 'Globex', created_at: T0, updated_at: T0, plan: null, monthly_spend: 0 }),
  record('company_tags', { company_id: 'co1', tag_id: 'g3', company_updated_at: T0 }),
  record('company_tags', { company_id: 'co1', tag_id: 'g1', company_updated_at: T0 }),
  ...conversation('c1', UPDATED, { state: 'closed', admin_assignee_id: 101, conversation_rating: { rating: 5, remark: 'great' } }, [
    ['p11', 'comment', 1, user('u1'), 'help'],
    ['p12', 'assignment', 2, admin('101'), null, '201'],
    ['p13', 'comment', 5, admin('101'), 'Hi'],
    ['p14', 'close', 10, admin('101')],
  ], ['g1', 'g2']),
  ...conversation('c2', UPDATED, { state: 'closed', admin_assignee_id: 101, conversation_rating: { rating: 3 } }, [
    ['p21', 'comment', 3, user('u2'), 'broken'],
    ['p22', 'comment', 4.5, admin('102'), 'hello'],
    ['p23', 'close', 20, admin('102')],
    ['p24', 'open', 30, user('u2')],
    ['p25', 'assignment', 31, admin('102'), 'taking this', '202'],
    ['p26', 'close', 45, admin('101')],
  ], ['g2']),
  // c3 is tagged billing and vip, then loses billing (second write).
  ...conversation('c3', UPDATED, { state: 'open', admin_assignee_id: 102 }, [
    ['p31', 'comment', 2, user('u3'), 'question'],
    ['p32', 'comment', 12, admin('102'), 'sure'],
  ], ['g1', 'g3']),
  // c4 is deleted in the second write: it counts nowhere.
  ...conversation('c4', UPDATED, { state: 'closed', admin_assignee_id: 102, conversation_rating: { rating: 1 } }, [
    ['p41', 'comment', 1, user('u1'), 'x'],
    ['p42', 'close', 3, admin('102')],
  ], ['g1']),
  ...conversation('c5', UPDATED, { state: 'closed', admin_assignee_id: 102, conversation_rating: { rating: 4 } }, [
    ['p51', 'comment', 1, user('u3'), 'a'],
    ['p52', 'comment', 7, admin('102'), 'ok'],
    ['p53', 'close', 16, admin('102')],
  ], []),
  // c6 is assigned to a team, not an admin: no admin gets it.
  ...conversation('c6', UPDATED, { state: 'closed', team_assignee_id: 201 }, [
    ['p61', 'comment', 2, user('u2'), 'b'],
    ['p62', 'close', 6, admin('101')],
  ], []),
  ...conversation('c7', UPDATED, { state: 'closed', admin_assignee_id: 102, conversation_rating: { rating: 2 } }, [
    ['p71', 'comment', 1, user('u1'), 'c'],
    ['p72', 'comment', 3, admin('102'), 'yes'],
    ['p73', 'close', 31, admin('102')],
  ], []),
  ...conversation('c8', UPDATED, { state: 'closed', admin_assignee_id: 102 }, [
    ['p81', 'comment', 2, user('u2'), 'd'],
    ['p82', 'comment', 10, admin('102'), 'on it'],
    ['p83', 'close', 12, admin('102')],
    ['p84', 'open', 40, user('u2')],
    ['p85', 'close', 50, admin('102')],
  ], []),
  snap('help_centers', { id: '1', identifier: 'help', display_name: 'Help', website_turned_on: true }),
  snap('help_center_collections', { id: '11', name: 'Getting started', url: 'https://h/11', parent_id: null, help_center_id: 1 }),
  snap('help_center_collections', { id: '12', name: 'Billing', url: 'https://h/12', parent_id: '11', help_center_id: 1 }),
  record('articles', { id: '1001', title: 'Welcome', author_id: 101, state: 'published', created_at: T0, updated_at: T0, parent_ids: [11] }),
  record('articles', { id: '1002', title: 'Invoices', author_id: 102, state: 'draft', created_at: T0, updated_at: T0, parent_ids: [11, 12] }),
  state('conversations', { updated_at: UPDATED }),
];

const LATER = at(200);
const DELETED_AT = new Date(at(150) * 1000).toISOString();
const secondWrite = [
  // c3 changes and now carries only the vip tag.
  record('conversations', { id: 'c3', created_at: T0, updated_at: LATER, state: 'open', admin_assignee_id: 102, read: true, source: { type: 'conversation', author: { type: 'user' } } }),
  record('conversation_tags', { conversation_id: 'c3', tag_id: 'g3', conversation_updated_at: LATER }),
  record('conversations', { id: 'c4', updated_at: at(150), _ab_cdc_deleted_at: DELETED_AT }),
  // Globex gets a second version: its current version starts then.
  record('companies', { id: 'co2', name: 'Globex', created_at: T0, updated_at: T0 + 500, plan: null, monthly_spend: 50 }),
  state('conversations', { updated_at: LATER }),
];

const number = (v: unknown) => (v === null || v === undefined ? null : Number(v));

for (const mode of ['hard', 'soft'] as const) {
  tap.test(`models on the hand-built workspace (${mode} deletes)`, async (tt) => {
    const cfg = config(tt.testdir(), { cdc_deletion_mode: mode, models: true });
    await write(cfg, catalog, firstWrite, 1000);
    const { summary } = await write(cfg, catalog, secondWrite, 1000);
    tt.same(summary.models, [...MODEL_NAMES]);

    const metrics = await select(cfg, `
      SELECT conversation_id, conversation_state, is_assignee_admin, count_total_parts, count_assignments, count_reopens,
        time_to_first_assignment_minutes, time_to_first_response_minutes, time_to_admin_first_close_minutes, time_to_first_close_minutes,
        time_to_last_assignment_minutes, time_to_admin_last_close_minutes, time_to_last_close_minutes,
        first_close_by_admin_id, last_close_by_admin_id, last_close_by_author_id, first_contact_author_id, first_team_name, last_team_name,
        all_conversation_tags, all_contact_company_names, all_conversation_admins, all_conversation_contacts, conversation_rating
      FROM intercom__conversation_metrics ORDER BY conversation_id`);
    const row = (id: string, v: Array<unknown>) => {
      const keys = ['conversation_id', 'conversation_state', 'is_assignee_admin', 'count_total_parts', 'count_assignments', 'count_reopens',
        'time_to_first_assignment_minutes', 'time_to_first_response_minutes', 'time_to_admin_first_close_minutes', 'time_to_first_close_minutes',
        'time_to_last_assignment_minutes', 'time_to_admin_last_close_minutes', 'time_to_last_close_minutes',
        'first_close_by_admin_id', 'last_close_by_admin_id', 'last_close_by_author_id', 'first_contact_author_id', 'first_team_name', 'last_team_name',
        'all_conversation_tags', 'all_contact_company_names', 'all_conversation_admins', 'all_conversation_contacts', 'conversation_rating'];
      return Object.fromEntries(keys.map((k, i) => [k, i === 0 ? id : v[i - 1]]));
    };
    const normal = metrics.map((r) => ({ ...r, count_total_parts: number(r.count_total_parts), count_assignments: number(r.count_assignments), count_reopens: number(r.count_reopens), conversation_rating: number(r.conversation_rating) }));
    tt.same(normal, [
      row('c1', ['closed', true, 4, 1, 0, 2, 5, 9, 9, 2, 9, 9, '101', '101', '101', 'u1', 'Tier 1', 'Tier 1', 'billing, bug', 'Acme, Globex', '101', 'u1', 5]),
      row('c2', ['closed', true, 6, 1, 1, 31, 4.5, 17, 17, 31, 42, 42, '102', '101', '101', 'u2', 'Tier 2', 'Tier 2', 'bug', 'Acme', '101, 102', 'u2', 3]),
      row('c3', ['open', true, 2, 0, 0, null, 12, null, null, null, null, null, null, null, null, 'u3', null, null, 'vip', 'Globex', '102', 'u3', null]),
      row('c5', ['closed', true, 3, 0, 0, null, 7, 15, 15, null, 15, 15, '102', '102', '102', 'u3', null, null, null, 'Globex', '102', 'u3', 4]),
      row('c6', ['closed', false, 2, 0, 0, null, null, 4, 4, null, 4, 4, '101', '101', '101', 'u2', null, null, null, 'Acme', '101', 'u2', null]),
      row('c7', ['closed', true, 3, 0, 0, null, 3, 30, 30, null, 30, 30, '102', '102', '102', 'u1', null, null, null, 'Acme, Globex', '102', 'u1', 2]),
      row('c8', ['closed', true, 5, 0, 1, null, 10, 10, 10, null, 48, 48, '102', '102', '102', 'u2', null, null, null, 'Acme', '102', 'u2', null]),
    ]);

    const admins = await select(cfg, `
      SELECT admin_id, admin_name, team_id, team_name, job_title, total_conversations_closed, average_conversation_parts, average_conversation_rating,
        median_conversations_reopened, median_conversation_assignments, median_time_to_first_response_time_minutes, median_time_to_last_close_minutes
      FROM intercom__admin_metrics ORDER BY admin_id, team_id NULLS LAST`);
    const alice = { total_conversations_closed: '2', average_conversation_parts: 5, average_conversation_rating: 4, median_conversations_reopened: 0.5, median_conversation_assignments: 1, median_time_to_first_response_time_minutes: 4.75, median_time_to_last_close_minutes: 25.5 };
    tt.same(admins, [
      { admin_id: '101', admin_name: 'Alice', team_id: '201', team_name: 'Tier 1', job_title: 'Support', ...alice },
      { admin_id: '101', admin_name: 'Alice', team_id: '202', team_name: 'Tier 2', job_title: 'Support', ...alice },
      // c4 (deleted) would have made Bob's count 4.
      { admin_id: '102', admin_name: 'Bob', team_id: '201', team_name: 'Tier 1', job_title: 'Lead', total_conversations_closed: '3', average_conversation_parts: 3.67, average_conversation_rating: 3, median_conversations_reopened: 0, median_conversation_assignments: 0, median_time_to_first_response_time_minutes: 7, median_time_to_last_close_minutes: 30 },
      { admin_id: '103', admin_name: 'Cara', team_id: null, team_name: null, job_title: null, total_conversations_closed: '0', average_conversation_parts: null, average_conversation_rating: null, median_conversations_reopened: null, median_conversation_assignments: null, median_time_to_first_response_time_minutes: null, median_time_to_last_close_minutes: null },
    ]);

    const companies = await select(cfg, `
      SELECT company_id, company_name, plan_name, all_company_tags, total_conversations_closed, average_conversation_parts, round(average_conversation_rating, 4) AS average_conversation_rating,
        median_conversations_reopened, median_time_to_first_response_time_minutes, median_time_to_last_close_minutes
      FROM intercom__company_metrics ORDER BY company_id`);
    tt.same(companies, [
      { company_id: 'co1', company_name: 'Acme', plan_name: 'Pro', all_company_tags: 'billing, vip', total_conversations_closed: '5', average_conversation_parts: 4, average_conversation_rating: 3.3333, median_conversations_reopened: 0, median_time_to_first_response_time_minutes: 4.75, median_time_to_last_close_minutes: 30 },
      { company_id: 'co2', company_name: 'Globex', plan_name: null, all_company_tags: null, total_conversations_closed: '3', average_conversation_parts: 3, average_conversation_rating: 3.6667, median_conversations_reopened: 0, median_time_to_first_response_time_minutes: 6, median_time_to_last_close_minutes: 15 },
    ]);

    tt.same(
      await select(cfg, 'SELECT company_id, _fivetran_active, epoch(_fivetran_start) AS start, _fivetran_end FROM intercom__company_metrics ORDER BY company_id'),
      [
        { company_id: 'co1', _fivetran_active: true, start: T0, _fivetran_end: null },
        { company_id: 'co2', _fivetran_active: true, start: T0 + 500, _fivetran_end: null },
      ],
      "Fivetran's history-mode columns describe each company's current version",
    );
    tt.same(await select(cfg, 'SELECT article_id, epoch(_fivetran_start) AS start FROM intercom__article_enhanced ORDER BY article_id'), [
      { article_id: '1001', start: T0 },
      { article_id: '1002', start: T0 },
    ]);

    tt.same(await select(cfg, 'SELECT contact_id, contact_name, all_contact_tags, all_contact_company_names FROM intercom__contact_enhanced ORDER BY contact_id'), [
      { contact_id: 'u1', contact_name: 'Uma', all_contact_tags: 'vip', all_contact_company_names: 'Acme, Globex' },
      { contact_id: 'u2', contact_name: 'Vic', all_contact_tags: null, all_contact_company_names: 'Acme' },
      { contact_id: 'u3', contact_name: 'Wes', all_contact_tags: null, all_contact_company_names: 'Globex' },
    ]);
    tt.same(await select(cfg, 'SELECT count(*) AS n FROM intercom__conversation_enhanced'), [{ n: '7' }], 'the deleted conversation is not a row');
    tt.same(
      await select(cfg, 'SELECT article_id, title, author_name, is_published, collection_name, parent_collection_name, is_in_nested_section, help_center_name FROM intercom__article_enhanced ORDER BY article_id'),
      [
        { article_id: '1001', title: 'Welcome', author_name: 'Alice', is_published: true, collection_name: 'Getting started', parent_collection_name: null, is_in_nested_section: false, help_center_name: 'Help' },
        { article_id: '1002', title: 'Invoices', author_name: 'Bob', is_published: false, collection_name: 'Billing', parent_collection_name: 'Getting started', is_in_nested_section: true, help_center_name: 'Help' },
      ],
    );
  });
}

tap.test('models build on a database without the source tables, as empty tables', async (tt) => {
  const cfg = config(tt.testdir(), { models: true });
  const logs: string[] = [];
  const built = await buildModels(cfg, (_level, message) => logs.push(message));
  tt.same(built, [...MODEL_NAMES]);
  for (const name of MODEL_NAMES) tt.same(await select(cfg, `SELECT count(*) AS n FROM ${name}`), [{ n: '0' }], name);
  tt.ok(logs.some((m) => /table main\.conversations is absent/.test(m)));
});

tap.test('the models apply the current-link rule themselves when the catalog has no x-link annotations', async (tt) => {
  const cfg = config(tt.testdir(), { models: true });
  const plain = catalog.map((s) => {
    const copy = structuredClone(s);
    delete copy.stream.json_schema['x-link'];
    return copy;
  });
  await write(cfg, plain, firstWrite, 1000);
  await write(cfg, plain, secondWrite, 1000);
  tt.same(await select(cfg, "SELECT count(*) AS n FROM conversation_tags WHERE conversation_id = 'c3'"), [{ n: '2' }], 'the stale link is still in the table');
  tt.same(await select(cfg, "SELECT all_conversation_tags FROM intercom__conversation_enhanced WHERE conversation_id = 'c3'"), [{ all_conversation_tags: 'vip' }]);
});

tap.test("without history tables, a row's current version starts at its updated_at", async (tt) => {
  const cfg = config(tt.testdir(), { models: true, history_tables: false });
  await write(cfg, catalog, firstWrite, 1000);
  await write(cfg, catalog, secondWrite, 1000);
  tt.same(await select(cfg, 'SELECT company_id, epoch(_fivetran_start) AS start FROM intercom__company_enhanced ORDER BY company_id'), [
    { company_id: 'co1', start: T0 },
    { company_id: 'co2', start: T0 + 500 },
  ]);
});
