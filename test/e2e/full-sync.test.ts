/**
 * A full sync of every stream against the seeded simulator holds exactly the
 * simulator's ground truth, every record fits its stream's schema, and the
 * protocol bookkeeping (statuses, states, counts) is right.
 */
import t from 'tap';
import { createAjv } from '../../src/util/ajv.js';
import type { JsonObject } from '../../src/protocol/types.js';
import { runInProcess, type RunResult } from '../support/connector.js';
import { idsOf, pairsOf, START_SECONDS, workspace, type TestWorkspace } from '../support/workspace.js';

let ws: TestWorkspace;
let run: RunResult;

const updatedSinceStart = (r: JsonObject): boolean => Number(r.updated_at) >= START_SECONDS;

t.before(async () => {
  ws = await workspace(t, { seed: 1, timezone: 'America/Los_Angeles' });
  run = await runInProcess(['read', '--config', ws.configPath, '--catalog', await ws.catalogPath()]);
});

t.test('every stream completes and the process succeeds', async (t) => {
  t.equal(run.code, 0, JSON.stringify(run.errors()));
  for (const s of await ws.streams()) {
    const statuses = run.statuses(s.name);
    t.same(statuses, ['STARTED', 'RUNNING', 'COMPLETE'], `${s.name} statuses`);
  }
});

t.test('snapshot streams hold every object of the workspace', async (t) => {
  const store = ws.sim.store;
  t.same(idsOf(run.records('admins')), idsOf(store.all('admins')));
  t.same(idsOf(run.records('teams')), idsOf(store.all('teams')));
  t.same(idsOf(run.records('tags')), idsOf(store.all('tags')));
  t.same(idsOf(run.records('subscription_types')), idsOf(store.all('subscription_types')));
  t.same(idsOf(run.records('company_attributes'), 'full_name'), idsOf(store.all('company_attributes'), 'full_name'));
  t.same(idsOf(run.records('contact_attributes'), 'full_name'), idsOf(store.all('contact_attributes'), 'full_name'));
  t.same(idsOf(run.records('conversation_attributes')), idsOf(store.all('conversation_attributes')));
  t.same(idsOf(run.records('help_centers')), idsOf(store.all('help_centers')));
  t.same(idsOf(run.records('help_center_collections')), idsOf(store.all('collections')));
  t.ok(run.records('help_center_collections').some((c) => c.parent_id !== null && c.parent_id !== undefined), 'sections are collections with a parent_id');
  const teamAdmins = store.all('teams').flatMap((team) => (team.admin_ids as unknown[]).map((a) => `${String(team.id)}|${String(a)}`));
  t.same(pairsOf(run.records('team_admins'), 'team_id', 'admin_id'), teamAdmins.sort());
});

t.test('incremental streams hold every record updated since the start date', async (t) => {
  const store = ws.sim.store;
  for (const [stream, kind] of [
    ['segments', 'segments'],
    ['companies', 'companies'],
    ['contacts', 'contacts'],
    ['conversations', 'conversations'],
    ['tickets', 'tickets'],
    ['articles', 'articles'],
  ] as const) {
    const expected = idsOf(store.all(kind).filter(updatedSinceStart));
    t.ok(expected.length > 0, `the workspace has ${kind}`);
    t.same(idsOf(run.records(stream)), expected, stream);
  }
  const logs = store.all('activity_logs').filter((r) => Number(r.created_at) >= START_SECONDS);
  t.same(idsOf(run.records('activity_logs')), idsOf(logs), 'activity_logs');
});

t.test('link streams hold every link, including lists Intercom truncates at 10', async (t) => {
  const store = ws.sim.store;
  const contacts = store.all('contacts').filter(updatedSinceStart);
  const tagPairs = contacts.flatMap((c) => store.contactTagIds(String(c.id)).map((tag) => `${String(c.id)}|${tag}`));
  const companyPairs = contacts.flatMap((c) => store.contactCompanyIds(String(c.id)).map((co) => `${String(c.id)}|${co}`));
  t.ok(contacts.some((c) => store.contactTagIds(String(c.id)).length > 10), 'some contact has more than 10 tags');
  t.ok(contacts.some((c) => store.contactCompanyIds(String(c.id)).length > 10), 'some contact has more than 10 companies');
  t.same(pairsOf(run.records('contact_tags'), 'contact_id', 'tag_id'), tagPairs.sort());
  t.same(pairsOf(run.records('contact_companies'), 'contact_id', 'company_id'), companyPairs.sort());

  const conversations = store.all('conversations').filter(updatedSinceStart);
  const convTags = conversations.flatMap((c) => ((c.tags as JsonObject).tags as JsonObject[]).map((tag) => `${String(c.id)}|${String(tag.id)}`));
  const convContacts = conversations.flatMap((c) => ((c.contacts as JsonObject).contacts as JsonObject[]).map((p) => `${String(c.id)}|${String(p.id)}`));
  t.same(pairsOf(run.records('conversation_tags'), 'conversation_id', 'tag_id'), convTags.sort());
  t.same(pairsOf(run.records('conversation_contacts'), 'conversation_id', 'contact_id'), convContacts.sort());

  const companies = store.all('companies').filter(updatedSinceStart);
  const companyTags = companies.flatMap((c) => ((c.tags as JsonObject).tags as JsonObject[]).map((tag) => `${String(c.id)}|${String(tag.id)}`));
  t.same(pairsOf(run.records('company_tags'), 'company_id', 'tag_id'), companyTags.sort());
  const companySegments = companies.flatMap((c) => ((c.segments as JsonObject).segments as JsonObject[]).map((s) => `${String(c.id)}|${String(s.id)}`));
  t.same(pairsOf(run.records('company_segments'), 'company_id', 'segment_id'), companySegments.sort());
});

t.test('conversation parts: every part Intercom returns, and the 500-part cap is reported', async (t) => {
  const store = ws.sim.store;
  const conversations = store.all('conversations').filter(updatedSinceStart);
  const expected: string[] = [];
  const capped: string[] = [];
  for (const c of conversations) {
    const parts = store.conversationParts(String(c.id));
    // Intercom returns only the 500 most recent parts.
    expected.push(...parts.slice(-500).map((p) => `${String(c.id)}|${String(p.id)}`));
    if (parts.length > 500) capped.push(String(c.id));
  }
  t.ok(capped.length > 0, 'the workspace has conversations beyond the cap');
  t.same(pairsOf(run.records('conversation_parts'), 'conversation_id', 'id'), expected.sort());
  const warnings = run.logs('WARN');
  for (const id of capped) {
    const total = store.conversationParts(id).length;
    t.ok(warnings.some((w) => w.includes(`conversation ${id}`) && w.includes(String(total)) && w.includes('500')), `cap reported for ${id}`);
  }
});

t.test('every record fits its configured schema and no primary key repeats', async (t) => {
  const ajv = createAjv();
  // Values Intercom sends with the wrong type pass through unchanged, and are reported.
  const warned = run.logs('WARN').flatMap((m) => /^(\w+): custom attribute '([^']+)'/.exec(m)?.slice(1, 3).join('/') ?? []);
  t.ok(warned.length > 0, 'the workspace has mistyped custom attribute values, and they are reported');
  for (const s of await ws.streams()) {
    const validate = ajv.compile({ ...s.json_schema, additionalProperties: false });
    const records = run.records(s.name);
    const problems = new Set<string>();
    for (const r of records) {
      if (validate(r)) continue;
      for (const e of validate.errors ?? []) {
        const attribute = /^\/custom_attributes\/([^/]+)$/.exec(e.instancePath)?.[1];
        if (!attribute || !warned.includes(`${s.name}/${attribute}`)) problems.add(`${e.instancePath} ${e.message ?? ''}`);
      }
    }
    t.same([...problems], [], `${s.name}: records fit the schema`);
    const keys = records.map((r) => s.source_defined_primary_key!.map(([k]) => String(r[k!])).join('|'));
    t.equal(new Set(keys).size, keys.length, `${s.name}: primary keys are unique within the sync`);
  }
});

t.test('states: one or more per stream, record counts add up', async (t) => {
  for (const s of await ws.streams()) {
    const states = run.states(s.name);
    t.ok(states.length >= 1, `${s.name} has a state`);
    const counted = states.reduce((n, st) => n + st.recordCount, 0);
    t.equal(counted, run.records(s.name).length, `${s.name}: sourceStats.recordCount adds up to the records`);
  }
  t.match(run.states('contacts').at(-1)!.state, { updated_at: Number }, 'contacts state shape');
  t.match(run.states('companies').at(-1)!.state, { updated_at: Number, last_full_resync_at: Number }, 'companies state shape');
  t.match(run.states('activity_logs').at(-1)!.state, { created_at: Number }, 'activity_logs state shape');
});
