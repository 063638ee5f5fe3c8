/**
 * Through 5xx, connection resets, truncated and invalid JSON bodies and
 * stalled responses, a read still completes with the same records as a
 * read without faults.
 */
import t from 'tap';
import { runInProcess } from '../support/connector.js';
import { workspace } from '../support/workspace.js';

const STREAMS = ['admins', 'tags', 'companies', 'contacts', 'contact_tags', 'conversations', 'conversation_parts', 'tickets', 'activity_logs', 'articles'];

function fingerprint(records: Array<Record<string, unknown>>): string[] {
  return records.map((r) => JSON.stringify(r)).sort();
}

t.test('injected faults change nothing in what a read delivers', async (t) => {
  const ws = await workspace(t, { seed: 9 }, { request_timeout_seconds: 2 });
  const catalog = await ws.catalogPath(STREAMS, 'full_refresh');
  const clean = await runInProcess(['read', '--config', ws.configPath, '--catalog', catalog]);
  t.equal(clean.code, 0);

  ws.sim.setFaults({ rate: 0.08, seed: 4, stallSeconds: 4 });
  ws.sim.stats.reset();
  const faulty = await runInProcess(['read', '--config', ws.configPath, '--catalog', catalog]);
  ws.sim.setFaults(null);
  t.equal(faulty.code, 0, JSON.stringify(faulty.errors()));
  const faultsSeen = [...ws.sim.stats.byStatus].filter(([status]) => status >= 500).reduce((n, [, c]) => n + c, 0);
  t.ok(faultsSeen > 0, `the simulator answered ${faultsSeen} requests with 5xx`);
  t.ok(faulty.logs('INFO').some((m) => m.startsWith('Retrying')), 'retries are logged');
  for (const stream of STREAMS) {
    t.same(fingerprint(faulty.records(stream)), fingerprint(clean.records(stream)), `${stream}: same records`);
  }
});
