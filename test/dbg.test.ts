import t from 'tap';
import { workspace } from './support/workspace.js';
import { runProcess } from './support/connector.js';
t.test('x', async (t) => {
  const ws = await workspace(t, { seed: 5, timezone: 'Australia/Sydney', latencyMs: { mean: 3, jitter: 2 } });
  const catalog = await ws.catalogPath(['contacts']);
  let seen = 0;
  const r1 = await runProcess(['read', '--config', ws.configPath, '--catalog', catalog], { env: { SOURCE_INTERCOM_CHECKPOINT_RECORDS: '15' }, onMessage: (m, child) => { if (m.type === 'STATE' && ++seen === 2) child.kill('SIGKILL'); } });
  console.log('r1', r1.code, [...ws.sim.stats.byStatus]);
  const r = await fetch(`${ws.sim.url}/contacts/search`, { method: 'POST', headers: { authorization: 'Bearer sim-token', 'content-type': 'application/json' }, body: JSON.stringify({ query: { field: 'updated_at', operator: '>', value: 0 }, pagination: { per_page: 5 } }) });
  console.log(r.status, (await r.text()).slice(0, 300));
});
