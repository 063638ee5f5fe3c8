/**
 * The whole delete path on loopback: the simulator deletes contacts,
 * companies and conversations and sends signed webhooks to the real relay
 * (started in-process), the relay keeps them, and the next `read` turns them
 * into tombstones. Applied by the reference append_dedup destination, the
 * result equals the simulator's live set, with no live record tombstoned;
 * also with the connector killed by SIGKILL and resumed, and with the relay
 * down while the deletes happen (the simulator's retries carry them through).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t, { type Test } from 'tap';
import { startRelay, type RunningRelay } from 'intercom-webhook-relay';
import type { Simulator } from 'intercom-simulator';
import type { JsonObject } from '../../src/protocol/types.js';
import { DedupDestination } from '../support/append-dedup.js';
import { mergeStates, runInProcess, runKilledAfterState, tempJson, type RunResult } from '../support/connector.js';
import { START_SECONDS, workspace, type TestWorkspace } from '../support/workspace.js';

const CLIENT_SECRET = 'e2e-client-secret-41b9';
const READ_TOKEN = 'e2e-read-token-8d02';
const STREAMS = ['contacts', 'companies', 'conversations'] as const;
const SIZE = { contacts: 160, companies: 40, conversations: 90 };
const RETRIES = { initialBackoffMs: 50, maxBackoffMs: 400, timeoutMs: 2000, maxAttempts: 40 };

interface RelayHandle {
  relay: RunningRelay;
  dataDir: string;
  logs: string[];
  restart(): Promise<RunningRelay>;
}

async function relayFor(t: Test): Promise<RelayHandle> {
  const dataDir = mkdtempSync(join(tmpdir(), 'relay-e2e-'));
  const logs: string[] = [];
  const start = (port: number): Promise<RunningRelay> =>
    startRelay({ clientSecret: CLIENT_SECRET, readToken: READ_TOKEN, dataDir, port, statsIntervalMs: 0, log: (line) => logs.push(line) });
  const handle: RelayHandle = {
    relay: await start(0),
    dataDir,
    logs,
    restart: async () => {
      handle.relay = await start(handle.relay.port);
      return handle.relay;
    },
  };
  t.teardown(async () => {
    await handle.relay.close();
    rmSync(dataDir, { recursive: true, force: true });
  });
  return handle;
}

async function relayWorkspace(t: Test, seed: number): Promise<{ ws: TestWorkspace; handle: RelayHandle }> {
  const handle = await relayFor(t);
  const ws = await workspace(
    t,
    { seed, size: SIZE, webhooks: { url: `${handle.relay.url}/intercom/webhooks`, clientSecret: CLIENT_SECRET, ...RETRIES } },
    { webhook_relay: { url: handle.relay.url, token: READ_TOKEN } },
  );
  return { ws, handle };
}

/** Ids the destination should hold: live records inside the start date. */
function liveIds(sim: Simulator, stream: (typeof STREAMS)[number]): string[] {
  return sim.store
    .all(stream)
    .filter((r) => Number(r.updated_at) >= START_SECONDS)
    .map((r) => String(r.id))
    .sort();
}

function checkAgainstLive(t: Test, dest: DedupDestination, sim: Simulator): void {
  for (const stream of STREAMS) {
    const live = liveIds(sim, stream);
    t.same(dest.rows(stream).map((r) => String(r.id)).sort(), live, `${stream}: the destination holds exactly the live set`);
    t.same(live.filter((id) => dest.tombstoned.has(`${stream}|${id}`)), [], `${stream}: no live record was ever tombstoned`);
  }
}

/** Deletes `n` live records of each kind that the destination holds; returns their ids. */
function deleteSome(sim: Simulator, n: number, offset: number): Record<(typeof STREAMS)[number], string[]> {
  const pick = (stream: (typeof STREAMS)[number]): string[] => liveIds(sim, stream).slice(offset, offset + n);
  const gone = { contacts: pick('contacts'), companies: pick('companies'), conversations: pick('conversations') };
  for (const id of gone.contacts) sim.store.deleteContact(id);
  for (const id of gone.companies) sim.store.deleteCompany(id);
  for (const id of gone.conversations) sim.store.deleteConversation(id);
  return gone;
}

const tombstoneIds = (run: RunResult, stream: string): string[] =>
  run
    .records(stream)
    .filter((r) => r._ab_cdc_deleted_at !== undefined && r._ab_cdc_deleted_at !== null)
    .map((r) => String(r.id));
const pause = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 1100));

t.test('deletes in the simulator reach the destination through the relay', async (t) => {
  const { ws, handle } = await relayWorkspace(t, 41);
  const catalogObject = await ws.catalog([...STREAMS]);
  const catalog = tempJson('catalog.json', catalogObject);
  const dest = new DedupDestination(catalogObject);

  const first = await runInProcess(['read', '--config', ws.configPath, '--catalog', catalog]);
  t.equal(first.code, 0, JSON.stringify(first.errors()));
  dest.ingest(first.messages);
  checkAgainstLive(t, dest, ws.sim);

  await pause();
  const gone = deleteSome(ws.sim, 3, 2);
  await ws.sim.webhooks!.idle();
  t.match(ws.sim.webhooks!.stats, { queued: 9, acknowledged: 9, dropped: 0 }, 'every delete was acknowledged by the relay');
  t.equal(handle.relay.counters.stored, 9, 'and stored once');

  const second = await runInProcess(['read', '--config', ws.configPath, '--catalog', catalog, '--state', tempJson('state.json', first.stateArray())]);
  t.equal(second.code, 0, JSON.stringify(second.errors()));
  t.same(tombstoneIds(second, 'contacts').sort(), [...gone.contacts].sort(), 'contacts: a tombstone for each delete');
  t.same(tombstoneIds(second, 'companies').sort(), [...gone.companies].sort(), 'companies: a tombstone for each delete');
  t.same([...new Set(tombstoneIds(second, 'conversations'))].sort(), [...gone.conversations].sort(), 'conversations: a tombstone for each delete');
  dest.ingest(second.messages);
  checkAgainstLive(t, dest, ws.sim);
  t.notOk(second.text().includes(READ_TOKEN) || handle.logs.join('\n').includes(CLIENT_SECRET), 'no secret in any output');
});

t.test('killed with SIGKILL mid-read and resumed, the deletes still arrive', async (t) => {
  const { ws } = await relayWorkspace(t, 42);
  const catalogObject = await ws.catalog([...STREAMS]);
  const catalog = tempJson('catalog.json', catalogObject);
  const dest = new DedupDestination(catalogObject);
  const env = { SOURCE_INTERCOM_CHECKPOINT_RECORDS: '10' };
  let state: JsonObject[] = [];
  let kills = 0;
  for (const [round, killAfter] of [4, 7, 3, 9, Infinity].entries()) {
    if (round > 0) {
      deleteSome(ws.sim, 2, round);
      await ws.sim.webhooks!.idle();
      await pause();
    }
    const run = await runKilledAfterState(['read', '--config', ws.configPath, '--catalog', catalog, '--state', tempJson('state.json', state)], killAfter, env);
    if (run.code === null) kills += 1;
    else t.equal(run.code, 0, `a run that was not killed completes: ${JSON.stringify(run.errors())}`);
    dest.ingest(run.messages);
    state = mergeStates(state, run);
  }
  t.ok(kills >= 2, `killed ${kills} times`);
  t.match(ws.sim.webhooks!.stats, { dropped: 0 });
  await pause();
  const last = await runInProcess(['read', '--config', ws.configPath, '--catalog', catalog, '--state', tempJson('state.json', state)]);
  t.equal(last.code, 0, JSON.stringify(last.errors()));
  dest.ingest(last.messages);
  checkAgainstLive(t, dest, ws.sim);
});

t.test('a relay down during the deletes still gets them through the retries', async (t) => {
  const { ws, handle } = await relayWorkspace(t, 43);
  const catalogObject = await ws.catalog([...STREAMS]);
  const catalog = tempJson('catalog.json', catalogObject);
  const dest = new DedupDestination(catalogObject);
  const first = await runInProcess(['read', '--config', ws.configPath, '--catalog', catalog]);
  t.equal(first.code, 0, JSON.stringify(first.errors()));
  dest.ingest(first.messages);

  await pause();
  const before = deleteSome(ws.sim, 1, 0);
  await ws.sim.webhooks!.idle();
  await handle.relay.close();
  const whileDown = deleteSome(ws.sim, 2, 4);
  // Let a few attempts fail against the closed port before the relay comes back on the same data directory.
  const deadline = Date.now() + 5000;
  while (ws.sim.webhooks!.stats.retries < 6 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
  t.ok(ws.sim.webhooks!.stats.retries >= 6, 'deliveries failed while the relay was down');
  await handle.restart();
  await ws.sim.webhooks!.idle();
  t.match(ws.sim.webhooks!.stats, { queued: 9, acknowledged: 9, dropped: 0 }, 'every delivery was acknowledged in the end');

  const second = await runInProcess(['read', '--config', ws.configPath, '--catalog', catalog, '--state', tempJson('state.json', first.stateArray())]);
  t.equal(second.code, 0, JSON.stringify(second.errors()));
  for (const stream of STREAMS) {
    t.same(tombstoneIds(second, stream).filter((id, i, all) => all.indexOf(id) === i).sort(), [...before[stream], ...whileDown[stream]].sort(), `${stream}: tombstones from before and during the outage`);
  }
  dest.ingest(second.messages);
  checkAgainstLive(t, dest, ws.sim);
});
