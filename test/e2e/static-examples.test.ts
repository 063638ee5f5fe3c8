/**
 * A read of every stream against a server that answers with the official
 * OpenAPI's static examples only: the same page for ever, the same
 * scroll_param for ever, counts that match nothing. The read must end, each
 * looping stream failing with a system_error that names its endpoint, the
 * others completing; the companies scroll ends within a few requests.
 */
import t from 'tap';
import { configuredCatalog, runInProcess, tempJson } from '../support/connector.js';
import { startExampleServer } from '../support/example-server.js';
import { START_DATE } from '../support/workspace.js';

t.test('every stream against the static examples: the read ends, loops fail clearly, the rest completes', async (t) => {
  const server = await startExampleServer();
  t.teardown(() => server.close());
  const config = tempJson('config.json', { access_token: 'example-token', start_date: START_DATE, api_base_url: server.url, search_lag_seconds: 0, request_timeout_seconds: 5 });
  const discovered = await runInProcess(['discover', '--config', config]);
  const catalog = discovered.ofType('CATALOG')[0]?.catalog;
  t.ok(catalog, `discover works against the examples: ${JSON.stringify(discovered.errors())}`);
  const streams = catalog!.streams;

  const run = await runInProcess(['read', '--config', config, '--catalog', tempJson('catalog.json', configuredCatalog(streams, 'full_refresh'))]);
  t.comment(`requests by route: ${JSON.stringify(Object.fromEntries(server.byRoute))}`);
  t.ok(server.requests < 3000, `the read ended after ${server.requests} requests`);

  const outcome: Record<string, string> = {};
  for (const s of streams) {
    const status = run.statuses(s.name).at(-1) ?? 'none';
    outcome[s.name] = status;
    t.ok(status === 'COMPLETE' || status === 'INCOMPLETE', `${s.name} ends (${status})`);
    if (status !== 'INCOMPLETE') continue;
    const error = run.errors().find((e) => e.stream === s.name);
    t.ok(error, `${s.name}: its failure is reported`);
    t.match(error?.message, /(GET|POST) \//, `${s.name}: the error names the endpoint: ${error?.message}`);
    t.equal(error?.failure_type, 'system_error', `${s.name}: a system_error`);
  }
  t.comment(`outcome: ${JSON.stringify(outcome)}`);
  t.equal(outcome.companies, 'INCOMPLETE', 'the endless companies scroll fails');
  t.match(run.errors().find((e) => e.stream === 'companies')?.message, /GET \/companies\/scroll/);
  t.ok((server.byRoute.get('GET /companies/scroll') ?? 0) <= 4, `the scroll ends within ${server.byRoute.get('GET /companies/scroll')} requests`);
  t.ok(Object.values(outcome).includes('COMPLETE'), 'streams that do not loop complete');
});
