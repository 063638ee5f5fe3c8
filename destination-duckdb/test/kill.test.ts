import { once } from 'node:events';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import type { ChildProcess } from 'node:child_process';
import tap from 'tap';
import { startCli } from './cli.js';
import { CDC, config, record, select, state, stream, t } from './helpers.js';

const contacts = stream('contacts', { id: t('string'), updated_at: t('integer'), name: t('string'), ...CDC }, { cursor: 'updated_at', history: 'versioned' });

function setup(dir: string) {
  const cfg = config(dir);
  const configPath = join(dir, 'config.json');
  const catalogPath = join(dir, 'catalog.json');
  writeFileSync(configPath, JSON.stringify({ database: cfg.database, models: false }));
  writeFileSync(catalogPath, JSON.stringify({ streams: [contacts] }));
  return { cfg, args: ['write', '--config', configPath, '--catalog', catalogPath] };
}

/** Resolves with each STATE the child prints, as it prints it. */
function stateWatcher(child: ChildProcess): { next(): Promise<number> } {
  const seen: number[] = [];
  const waiters: Array<(n: number) => void> = [];
  createInterface({ input: child.stdout as NodeJS.ReadableStream }).on('line', (line) => {
    const m = JSON.parse(line) as { type: string; state?: { stream: { stream_state: { count: number } } } };
    if (m.type !== 'STATE' || m.state === undefined) return;
    const n = m.state.stream.stream_state.count;
    const waiter = waiters.shift();
    if (waiter) waiter(n);
    else seen.push(n);
  });
  return {
    next: () => {
      const n = seen.shift();
      return n !== undefined ? Promise.resolve(n) : new Promise((resolve) => waiters.push(resolve));
    },
  };
}

const rec = (i: number) => record('contacts', { id: `c${String(i).padStart(6, '0')}`, updated_at: 1_000 + i, name: `contact ${i}` });
const checkpoint = (from: number, to: number) => [...Array.from({ length: to - from }, (_, k) => rec(from + k)), state('contacts', { count: to })].join('\n') + '\n';

tap.test('SIGKILL between a commit and the next one leaves the last committed checkpoint', async (tt) => {
  const dir = tt.testdir();
  const { cfg, args } = setup(dir);
  const child = startCli([...args, '--commit-every', '1']);
  const states = stateWatcher(child);
  child.stdin?.write(checkpoint(0, 100));
  tt.equal(await states.next(), 100);
  // Records with no STATE after them yet: staged in the open transaction, then the process dies.
  child.stdin?.write(Array.from({ length: 50 }, (_, k) => rec(100 + k)).join('\n') + '\n');
  await new Promise((r) => setTimeout(r, 500));
  child.kill('SIGKILL');
  await once(child, 'exit');
  tt.same(await select(cfg, 'SELECT count(*) AS n, max(id) AS last FROM contacts'), [{ n: '100', last: 'c000099' }]);
  tt.same(await select(cfg, 'SELECT count(*) AS n FROM contacts_history'), [{ n: '100' }]);
  tt.same(await select(cfg, "SELECT json_extract(state, '$.stream.stream_state.count') AS n FROM _airbyte_state"), [{ n: '100' }]);
  tt.same(await select(cfg, 'SELECT status FROM _airbyte_syncs'), [{ status: 'running' }], 'the killed sync is on record as never finished');
});

tap.test('SIGKILL at random points, each followed by a resumed write, ends with every record exactly once', async (tt) => {
  const dir = tt.testdir();
  const { cfg, args } = setup(dir);
  const total = 20_000;
  let resumeFrom = 0;
  for (let round = 0; round < 5; round++) {
    const child = startCli([...args, '--commit-every', '1000']);
    child.stdin?.on('error', () => undefined);
    // A random point: somewhere in the rest of the stream, possibly in the middle of a line.
    const killAt = resumeFrom + 1 + Math.floor(Math.random() * (total - resumeFrom - 1));
    let text = '';
    for (let from = resumeFrom; from < killAt; from += 500) text += checkpoint(from, Math.min(from + 500, total));
    const cut = text.split('\n').slice(0, killAt - resumeFrom + Math.floor((killAt - resumeFrom) / 500)).join('\n');
    const partial = Math.random() < 0.5 ? rec(killAt).slice(0, 20) : '';
    // Once the write has started (its first LOG line), let it run for a random while.
    await once(createInterface({ input: child.stdout as NodeJS.ReadableStream }), 'line');
    child.stdin?.write(cut + '\n' + partial);
    await new Promise((r) => setTimeout(r, Math.floor(Math.random() * 1200)));
    child.kill('SIGKILL');
    await once(child, 'exit');
    const [saved] = await select(cfg, "SELECT CAST(json_extract(state, '$.stream.stream_state.count') AS BIGINT) AS n FROM _airbyte_state");
    const committed = saved === undefined ? 0 : Number(saved.n);
    tt.ok(committed >= resumeFrom, `round ${round}: the committed state (${committed}) never goes back`);
    tt.same(
      await select(cfg, 'SELECT count(*) AS n, count(DISTINCT id) AS ids FROM contacts'),
      [{ n: String(committed), ids: String(committed) }],
      `round ${round}: the table holds exactly the records before the committed state`,
    );
    resumeFrom = committed;
  }
  const child = startCli(args);
  child.stdin?.end(checkpoint(resumeFrom, total));
  const [code] = (await once(child, 'exit')) as [number];
  tt.equal(code, 0);
  tt.same(await select(cfg, 'SELECT count(*) AS n, count(DISTINCT id) AS ids, min(updated_at) AS lo, max(updated_at) AS hi FROM contacts'), [
    { n: String(total), ids: String(total), lo: '1000', hi: String(1000 + total - 1) },
  ]);
  tt.same(await select(cfg, 'SELECT count(*) AS n, count(*) FILTER (WHERE _is_active) AS active FROM contacts_history'), [{ n: String(total), active: String(total) }]);
});

tap.test('SIGKILL in the middle of an overwrite keeps the table and state of the last write that completed it; the next write drops its leftover', async (tt) => {
  const dir = tt.testdir();
  const cfg = config(dir);
  const admins = stream('admins', { id: t('string'), name: t('string') }, { mode: 'overwrite', history: 'snapshot' });
  const configPath = join(dir, 'config.json');
  const catalogPath = join(dir, 'catalog.json');
  writeFileSync(configPath, JSON.stringify({ database: cfg.database, models: false }));
  writeFileSync(catalogPath, JSON.stringify({ streams: [contacts, admins] }));
  const args = ['write', '--config', configPath, '--catalog', catalogPath];
  const admin = (i: number) => record('admins', { id: `a${i}`, name: `admin ${i}` });
  const complete = JSON.stringify({ type: 'TRACE', trace: { type: 'STREAM_STATUS', emitted_at: 1, stream_status: { stream_descriptor: { name: 'admins' }, status: 'COMPLETE' } } });
  const adminState = (n: number) => JSON.stringify({ type: 'STATE', state: { type: 'STREAM', stream: { stream_descriptor: { name: 'admins' }, stream_state: { count: n } } } });

  const first = startCli(args);
  first.stdin?.end([admin(1), admin(2), complete, adminState(2)].join('\n') + '\n');
  tt.equal(((await once(first, 'exit')) as [number])[0], 0);

  // The next write commits admins into its overwrite table with contacts, once the input goes quiet (5 s):
  // the contacts STATE shows that the commit is done.
  const child = startCli(args);
  const states = stateWatcher(child);
  child.stdin?.write([admin(3), admin(4), admin(5), adminState(3), rec(0), state('contacts', { count: 1 })].join('\n') + '\n');
  tt.equal(await states.next(), 1);
  child.kill('SIGKILL');
  await once(child, 'exit');
  tt.same(await select(cfg, 'SELECT id FROM admins ORDER BY id'), [{ id: 'a1' }, { id: 'a2' }], 'readers still see the whole table of the last complete write');
  tt.same(await select(cfg, "SELECT stream_name, CAST(json_extract(state, '$.stream.stream_state.count') AS BIGINT) AS n FROM _airbyte_state ORDER BY 1"), [
    { stream_name: 'admins', n: '2' },
    { stream_name: 'contacts', n: '1' },
  ]);

  const overwriteTables = "SELECT count(*) AS n FROM information_schema.tables WHERE table_name LIKE '_airbyte_overwrite_%'";
  tt.same(await select(cfg, overwriteTables), [{ n: '1' }], "the killed write's overwrite table is left behind");

  // The next write of the stream, incremental this time, drops the leftover.
  const incremental = { ...admins, sync_mode: 'incremental' as const, destination_sync_mode: 'append_dedup' as const };
  writeFileSync(catalogPath, JSON.stringify({ streams: [contacts, incremental] }));
  const last = startCli(args);
  last.stdin?.end([admin(6), adminState(1)].join('\n') + '\n');
  tt.equal(((await once(last, 'exit')) as [number])[0], 0);
  tt.same(await select(cfg, 'SELECT id FROM admins ORDER BY id'), [{ id: 'a1' }, { id: 'a2' }, { id: 'a6' }]);
  tt.same(await select(cfg, overwriteTables), [{ n: '0' }], 'and the next write of the stream dropped it');
});
