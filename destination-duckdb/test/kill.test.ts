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
