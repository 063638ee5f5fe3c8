/**
 * `sync` does the whole job into a real DuckDB file: a full sync, then an
 * incremental one with deletes and changes in between; and, killed with
 * SIGKILL at five random points and run again each time, it still ends with
 * tables equal to the simulator's live set: no duplicate, no loss, deletes
 * applied, history versions in order.
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import t, { type Test } from 'tap';
import { runQuery } from 'intercom-destination-duckdb';
import { ApiError, type Simulator } from 'intercom-simulator';
import { CLI_PATH, runText, testTempDir } from '../support/connector.js';
import { START_SECONDS, workspace } from '../support/workspace.js';

const SIZE = { contacts: 300, conversations: 120, companies: 40, tickets: 20, admins: 8, teams: 4, tags: 20, segments: 6 };

async function column(database: string, sql: string): Promise<string[]> {
  const { rows } = await runQuery(database, sql);
  return rows.map((r) => String(Object.values(r)[0]));
}

/** The ids a stream's current table must hold: every live record the start date covers. */
function live(sim: Simulator): Record<string, string[]> {
  const ids = (kind: 'admins' | 'teams' | 'tags' | 'segments'): string[] => sim.store.ids(kind).map(String);
  const since = (kind: 'contacts' | 'conversations' | 'tickets'): string[] =>
    sim.store.all(kind).filter((r) => Number(r.updated_at) >= START_SECONDS).map((r) => String(r.id));
  return { admins: ids('admins'), teams: ids('teams'), tags: ids('tags'), segments: ids('segments'), contacts: since('contacts'), conversations: since('conversations'), tickets: since('tickets') };
}

async function checkTables(t: Test, database: string, sim: Simulator): Promise<void> {
  for (const [stream, ids] of Object.entries(live(sim))) {
    const held = await column(database, `select id from "${stream}" order by id`);
    t.same(held, [...ids].sort(), `${stream}: the table holds exactly the live records`);
    t.equal(new Set(held).size, held.length, `${stream}: no duplicate`);
  }
  const latest = new Map(sim.store.all('conversations').map((c) => [String(c.id), Number(c.updated_at)]));
  const versions = await runQuery(database, 'select id, updated_at from conversations');
  t.same(versions.rows.filter((r) => latest.get(String(r.id)) !== Number(r.updated_at)), [], 'conversations: every row is the latest version');
  // Type-2 history: per key, versions do not overlap, each ends before the next starts, and only a live key has an open one.
  const overlaps = await column(
    database,
    `select count(*) from (select id, _valid_from, _valid_to, lead(_valid_from) over (partition by id order by _valid_from) as next_from
       from conversations_history) where next_from is not null and (_valid_to is null or _valid_to >= next_from)`,
  );
  t.same(overlaps, ['0'], 'conversations_history: versions in order, none overlapping');
  const open = await column(database, 'select id from conversations_history where _valid_to is null and _is_active order by id');
  t.same(open, [...live(sim).conversations].sort(), 'conversations_history: exactly the live conversations have a current version');
}

function sync(database: string, configPath: string, killAfterMs?: number, extra: string[] = []): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI_PATH, 'sync', '--config', configPath, '--database', database, ...extra], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (c: string) => (stderr += c));
    child.stdout.resume();
    const timer = killAfterMs === undefined ? null : setTimeout(() => child.kill('SIGKILL'), killAfterMs);
    child.on('error', reject);
    child.on('close', (code) => {
      if (timer) clearTimeout(timer);
      resolve({ code, stderr });
    });
  });
}

const pause = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 1100));

t.test('sync: full, then incremental with deletes and changes; the tables equal the live set', async (t) => {
  const ws = await workspace(t, { seed: 31, size: SIZE });
  const database = join(testTempDir(), `sync-${Date.now()}.duckdb`);
  const first = await sync(database, ws.configPath);
  t.equal(first.code, 0, 'the full sync completes', { stderr: first.stderr.slice(-2000) });
  t.match(first.stderr, /Sync finished in [\d.]+ s: \d+ requests; database /, 'a summary at the end');
  t.match(first.stderr, /contacts\s+\d+\s+0/, 'records and tombstones per stream');
  await checkTables(t, database, ws.sim);

  const store = ws.sim.store;
  store.deleteCatalogObject('tags', store.ids('tags')[2]!);
  store.deleteCatalogObject('admins', store.ids('admins')[1]!);
  for (const id of store.ids('conversations').slice(5, 8)) store.deleteConversation(id);
  for (const id of store.ids('contacts').slice(0, 10)) store.updateContact(id);
  for (const id of store.ids('conversations').slice(20, 25)) store.addConversationPart(id);
  await pause();

  const second = await sync(database, ws.configPath);
  t.equal(second.code, 0, 'the incremental sync completes', { stderr: second.stderr.slice(-2000) });
  t.match(second.stderr, /incremental, from the state of \d+ streams/, 'the second run resumes from the database');
  await checkTables(t, database, ws.sim);

  const syncs = await runQuery(database, 'select status, requests from _airbyte_syncs order by sync_id');
  t.same(syncs.rows.map((r) => r.status), ['succeeded', 'succeeded'], 'one row per sync in _airbyte_syncs');
  t.ok(syncs.rows.every((r) => Number(r.requests) > 0), 'each records the requests it made');
  t.ok(Number(syncs.rows[1]!.requests) < Number(syncs.rows[0]!.requests), 'the incremental sync needs fewer requests');

  const query = await runText(['query', '--database', database, 'select count(*) as admins from admins']);
  t.equal(query.code, 0, query.stderr);
  t.match(query.stdout, new RegExp(`admins\\n-+\\n\\s*${live(ws.sim).admins.length}\\n\\(1 row\\)`), 'query prints the result as a table');
  const models = await column(database, 'select count(*) from intercom__admin_metrics');
  t.ok(Number(models[0]) > 0, 'the models are built');

  // A full refresh overwrites every table: each is swapped in at the end, once its stream completed.
  store.updateContact(store.ids('contacts')[11]!);
  await pause();
  const full = await sync(database, ws.configPath, undefined, ['--full-refresh']);
  t.equal(full.code, 0, 'the full refresh completes', { stderr: full.stderr.slice(-2000) });
  await checkTables(t, database, ws.sim);
  t.same(await column(database, "select count(*) from information_schema.tables where table_name like '_airbyte_overwrite_%'"), ['0'], 'no overwrite table is left');
  const after = await sync(database, ws.configPath);
  t.equal(after.code, 0, 'an incremental sync goes on from the full refresh', { stderr: after.stderr.slice(-2000) });
  await checkTables(t, database, ws.sim);
});

t.test('sync: the workspace, asked for while discover runs, fails: the read says why, sync exits 1, and no state is saved', async (t) => {
  const ws = await workspace(t, { seed: 32, size: { contacts: 40, conversations: 10, companies: 5 } });
  // /me answers first and alone (the rate-limit governor starts with one request in flight): it fails while the attributes still load.
  ws.sim.onRequest(({ route }) => {
    if (route === 'GET /me') throw new ApiError(403, 'token_unauthorized', 'This token may not read the workspace');
  });
  const database = join(testTempDir(), `sync-me-${Date.now()}.duckdb`);
  const run = await sync(database, ws.configPath, undefined, ['--streams', 'contacts,tags']);
  t.equal(run.code, 1, 'sync fails', { stderr: run.stderr.slice(-2000) });
  t.match(run.stderr, /ERROR contacts: .*This token may not read the workspace/, 'each stream names the failure');
  t.notMatch(run.stderr, /Unhandled|\n\s+at /, 'no stack trace');
  t.same(await column(database, 'select count(*) from _airbyte_state'), ['0'], 'no stream state is saved');
  t.same(await column(database, 'select count(*) from contacts'), ['0'], 'no record is written');
});

t.test('sync killed with SIGKILL at five random points, then run again each time, ends equal to the live set', async (t) => {
  const ws = await workspace(t, { seed: 32, size: SIZE, latencyMs: { mean: 2, jitter: 1 }, scrollTtlSeconds: 1 });
  const database = join(testTempDir(), `sync-kill-${Date.now()}.duckdb`);
  const points = Array.from({ length: 5 }, () => 150 + Math.floor(Math.random() * 2500));
  t.comment(`killed after ${points.join(', ')} ms`);
  for (const [i, ms] of points.entries()) {
    await sync(database, ws.configPath, ms);
    // The workspace keeps changing between the runs, deletes included.
    ws.sim.store.updateContact(ws.sim.store.ids('contacts')[i]!);
    ws.sim.store.deleteCatalogObject('tags', ws.sim.store.ids('tags')[i]!);
    ws.sim.store.deleteConversation(ws.sim.store.ids('conversations')[i]!);
    await pause();
  }
  // Until the database holds a complete sync of every stream: two runs, since a first sync cannot tombstone.
  const last = await sync(database, ws.configPath);
  t.equal(last.code, 0, 'the run after the kills completes', { stderr: last.stderr.slice(-2000) });
  const again = await sync(database, ws.configPath);
  t.equal(again.code, 0, 'and the next one', { stderr: again.stderr.slice(-2000) });
  await checkTables(t, database, ws.sim);
});
