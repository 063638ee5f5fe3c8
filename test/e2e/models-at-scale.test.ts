/**
 * The models at scale: `sync` a simulated workspace of 5,000 conversations
 * into a real DuckDB file, then compute three metrics in plain TypeScript from
 * the simulator's own data and compare them with the models, for every
 * conversation and every admin:
 *
 * - count_reopens (intercom__conversation_metrics): the conversation's parts
 *   whose part_type is `open`.
 * - count_assignments (intercom__conversation_metrics): its parts whose
 *   part_type contains `assignment`.
 * - total_conversations_closed (intercom__admin_metrics): per admin, the
 *   conversations whose state is `closed`, whose assignee is an admin of the
 *   workspace, and whose last close by an admin (latest created_at, then the
 *   highest part id) was by this admin; 0 for an admin with none.
 * Parts are the 500 most recent, as the API returns them.
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import t from 'tap';
import { modelMetrics } from 'intercom-destination-duckdb';
import type { Simulator } from 'intercom-simulator';
import { CLI_PATH, testTempDir } from '../support/connector.js';
import { START_SECONDS, workspace } from '../support/workspace.js';

const SIZE = { contacts: 3_000, conversations: 5_000, companies: 300, tickets: 10, admins: 25, teams: 6, tags: 30, segments: 4 };

/** Intercom's cap on the parts of one conversation. */
const PARTS_CAP = 500;

interface Part {
  id: string;
  part_type: string;
  created_at: number;
  author: { type: string; id: string };
}

interface Expected {
  reopens: Map<string, number>;
  assignments: Map<string, number>;
  closedByAdmin: Map<string, number>;
}

/** The three metrics from the simulator's store, by the definitions above. */
function expectedMetrics(sim: Simulator): Expected {
  const admins = new Set(sim.store.ids('admins').map(String));
  const reopens = new Map<string, number>();
  const assignments = new Map<string, number>();
  const closedByAdmin = new Map<string, number>([...admins].map((id) => [id, 0]));
  for (const conversation of sim.store.all('conversations')) {
    // The connector reads what the start date covers, as the sync test's live set.
    if (Number(conversation.updated_at) < START_SECONDS) continue;
    const id = String(conversation.id);
    // Intercom returns only the 500 most recent parts of a conversation (the connector warns); the store keeps all.
    const parts = (sim.store.conversationParts(id) as unknown as Part[]).slice(-PARTS_CAP);
    reopens.set(id, parts.filter((p) => p.part_type === 'open').length);
    assignments.set(id, parts.filter((p) => p.part_type.includes('assignment')).length);
    let lastClose: Part | null = null;
    for (const p of parts) {
      if (p.part_type !== 'close' || p.author.type !== 'admin') continue;
      const later = !lastClose || p.created_at > lastClose.created_at || (p.created_at === lastClose.created_at && String(p.id) > String(lastClose.id));
      if (later) lastClose = p;
    }
    const assignee = conversation.admin_assignee_id;
    const assignedToAdmin = assignee !== null && assignee !== undefined && admins.has(String(assignee));
    if (conversation.state === 'closed' && assignedToAdmin && lastClose && admins.has(String(lastClose.author.id))) {
      const closer = String(lastClose.author.id);
      closedByAdmin.set(closer, (closedByAdmin.get(closer) ?? 0) + 1);
    }
  }
  return { reopens, assignments, closedByAdmin };
}

function sync(database: string, configPath: string): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI_PATH, 'sync', '--config', configPath, '--database', database], { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (c: string) => (stderr += c));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stderr }));
  });
}

t.test('models at scale: three metrics equal a plain computation over the simulator, for every conversation and admin', async (t) => {
  const ws = await workspace(t, { seed: 47, size: SIZE, rateLimitPerMinute: null });
  const database = join(testTempDir(), `models-at-scale-${Date.now()}.duckdb`);
  const run = await sync(database, ws.configPath);
  t.equal(run.code, 0, run.stderr.slice(-2000));

  const expected = expectedMetrics(ws.sim);
  const models = await modelMetrics(database);
  t.ok(expected.reopens.size > 1_000, `the start date covers many conversations (${expected.reopens.size})`);
  t.same([...models.conversations.keys()].sort(), [...expected.reopens.keys()].sort(), 'intercom__conversation_metrics has one row per live conversation');

  const reopenDiffs: string[] = [];
  const assignmentDiffs: string[] = [];
  for (const [id, row] of models.conversations) {
    if (row.count_reopens !== expected.reopens.get(id)) reopenDiffs.push(`${id}: model ${row.count_reopens}, store ${expected.reopens.get(id)}`);
    if (row.count_assignments !== expected.assignments.get(id)) assignmentDiffs.push(`${id}: model ${row.count_assignments}, store ${expected.assignments.get(id)}`);
  }
  t.same(reopenDiffs, [], 'count_reopens equals the store for every conversation');
  t.same(assignmentDiffs, [], 'count_assignments equals the store for every conversation');
  const reopened = [...expected.reopens.values()].filter((n) => n > 0).length;
  t.ok(reopened > 0, `some conversations were reopened (${reopened})`);

  const closed = Object.fromEntries([...models.admins].map(([id, m]) => [id, m.total_conversations_closed]));
  t.same(closed, Object.fromEntries(expected.closedByAdmin), 'total_conversations_closed equals the store for every admin');
  t.ok([...expected.closedByAdmin.values()].some((n) => n > 0), 'some admins closed conversations');
});
