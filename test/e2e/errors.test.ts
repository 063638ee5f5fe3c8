/**
 * Bad input gets a clear message, the right failure type and exit code, and
 * never the token. Each case runs the real CLI process.
 */
import t from 'tap';
import { runProcess, tempJson } from '../support/connector.js';
import { START_DATE, workspace } from '../support/workspace.js';

const TOKEN = 'tok_secret_8f3b2a91c4d5';

t.test('check: a rejected token fails with a message that never contains the token', async (t) => {
  const ws = await workspace(t);
  const run = await runProcess(['check', '--config', ws.configWith({ access_token: TOKEN })]);
  t.equal(run.code, 0);
  const status = run.ofType('CONNECTION_STATUS')[0]!.connectionStatus;
  t.equal(status.status, 'FAILED');
  t.match(status.message, /rejected the access token/);
  t.notMatch(run.text(), TOKEN, 'the token is not printed anywhere');
});

t.test('check: success names the workspace and region', async (t) => {
  const ws = await workspace(t);
  const run = await runProcess(['check', '--config', ws.configPath]);
  const status = run.ofType('CONNECTION_STATUS')[0]!.connectionStatus;
  t.equal(status.status, 'SUCCEEDED', status.message ?? '');
  t.match(status.message, /workspace ".+"/);
  t.match(status.message, /region US/);
});

t.test('check: a missing scope fails naming the scope', async (t) => {
  const ws = await workspace(t);
  const run = await runProcess(['check', '--config', ws.configWith({ access_token: 'sim-token-no-conversations' })]);
  const status = run.ofType('CONNECTION_STATUS')[0]!.connectionStatus;
  t.equal(status.status, 'FAILED');
  t.match(status.message, /read_conversations/);
});

t.test('check: an unreachable host fails naming the host', async (t) => {
  const config = tempJson('config.json', { access_token: TOKEN, start_date: START_DATE, api_base_url: 'http://127.0.0.1:9' });
  const run = await runProcess(['check', '--config', config]);
  const status = run.ofType('CONNECTION_STATUS')[0]!.connectionStatus;
  t.equal(status.status, 'FAILED');
  t.match(status.message, /127\.0\.0\.1:9/);
  t.notMatch(run.text(), TOKEN);
});

t.test('check: a malformed config fails naming the field', async (t) => {
  for (const [config, field] of [
    [{ access_token: TOKEN, start_date: 'yesterday' }, 'start_date'],
    [{ start_date: START_DATE }, 'access_token'],
    [{ access_token: TOKEN, start_date: START_DATE, region: 'mars' }, 'region'],
    [{ access_token: TOKEN, start_date: START_DATE, api_base_url: 'http://evil.example.com' }, 'api_base_url'],
    [{ access_token: TOKEN, start_date: START_DATE, lookback_window: -1 }, 'lookback_window'],
  ] as const) {
    const run = await runProcess(['check', '--config', tempJson('config.json', config)]);
    const status = run.ofType('CONNECTION_STATUS')[0]!.connectionStatus;
    t.equal(status.status, 'FAILED', field);
    t.match(status.message, field, `the message names ${field}`);
    t.notMatch(run.text(), TOKEN);
  }
});

t.test('files: unknown command, missing file and invalid JSON are config errors with exit 1', async (t) => {
  const cases: Array<[string[], RegExp]> = [
    [['frobnicate'], /Unknown command 'frobnicate'/],
    [[], /No command given/],
    [['check'], /needs --config/],
    [['check', '--config', '/nonexistent/config.json'], /\/nonexistent\/config\.json.*does not exist/],
    [['discover', '--config', tempJson('bad.json', '{"access_token": ')], /bad\.json is not valid JSON/],
    [['read', '--config', tempJson('c.json', { access_token: TOKEN, start_date: START_DATE }), '--catalog', tempJson('cat.json', '[1]')], /catalog file .* is not a configured catalog/],
    [
      ['read', '--config', tempJson('c.json', { access_token: TOKEN, start_date: START_DATE }), '--catalog', tempJson('cat.json', { streams: [] }), '--state', tempJson('s.json', '{oops')],
      /state file .* is not valid JSON/,
    ],
  ];
  for (const [args, message] of cases) {
    const run = await runProcess(args);
    t.equal(run.code, 1, args.join(' '));
    const errors = run.errors();
    t.equal(errors.length, 1, 'one ERROR trace');
    t.match(errors[0], { failure_type: 'config_error', message }, args.join(' '));
    t.notMatch(run.text(), TOKEN);
  }
});

t.test('read: a rejected token fails every stream as a config error, exit 1, token never printed', async (t) => {
  const ws = await workspace(t);
  const run = await runProcess(['read', '--config', ws.configWith({ access_token: TOKEN }), '--catalog', await ws.catalogPath(['admins', 'contacts'])]);
  t.equal(run.code, 1);
  for (const stream of ['admins', 'contacts']) {
    t.same(run.statuses(stream), ['STARTED', 'INCOMPLETE']);
    t.match(run.errors().find((e) => e.stream === stream), { failure_type: 'config_error', message: /rejected the access token/ });
  }
  t.notMatch(run.text(), TOKEN);
});

t.test('read: without the tickets scope only tickets end INCOMPLETE, naming the scope', async (t) => {
  const ws = await workspace(t);
  const run = await runProcess(['read', '--config', ws.configWith({ access_token: 'sim-token-no-tickets' }), '--catalog', await ws.catalogPath(['admins', 'tickets', 'contacts'])]);
  t.equal(run.code, 1, 'a failed stream makes the process exit non-zero');
  t.same(run.statuses('tickets'), ['STARTED', 'RUNNING', 'INCOMPLETE']);
  t.match(run.errors(), [{ stream: 'tickets', failure_type: 'config_error', message: /read_tickets/ }]);
  t.same(run.statuses('admins').at(-1), 'COMPLETE');
  t.same(run.statuses('contacts').at(-1), 'COMPLETE');
  t.ok(run.records('contacts').length > 0, 'the other streams still deliver');
});

t.test('read: an unknown stream and an invalid sync mode are reported on those streams; the rest runs', async (t) => {
  const ws = await workspace(t);
  const catalog = await ws.catalog(['admins']);
  catalog.streams.push({
    stream: { name: '__AIRBYTE__stream_that_does_not_exist', json_schema: {}, supported_sync_modes: ['full_refresh'] },
    sync_mode: 'INVALID' as 'full_refresh',
    destination_sync_mode: 'append',
  });
  const run = await runProcess(['read', '--config', ws.configPath, '--catalog', tempJson('catalog.json', catalog)]);
  t.equal(run.code, 1);
  t.match(run.errors(), [{ stream: '__AIRBYTE__stream_that_does_not_exist', failure_type: 'config_error' }]);
  t.same(run.statuses('admins').at(-1), 'COMPLETE');
});
