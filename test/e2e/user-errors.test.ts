/**
 * Mistakes a user makes in the config, the catalog or the shell get the
 * right failure type, a message naming what to fix, and never a retry loop,
 * a thrown check or a secret in the output.
 */
import { spawn } from 'node:child_process';
import t from 'tap';
import { CLI_PATH, runProcess, tempJson } from '../support/connector.js';
import { startProxy } from '../support/proxy.js';
import { workspace } from '../support/workspace.js';

const SECRET = 'tok_secret_5c1e9d7a33';

function status(run: Awaited<ReturnType<typeof runProcess>>): { status: string; message: string } {
  const s = run.ofType('CONNECTION_STATUS')[0]?.connectionStatus;
  if (!s) throw new Error(`no CONNECTION_STATUS: ${JSON.stringify(run.errors())}`);
  return { status: s.status, message: s.message ?? '' };
}

t.test('tokens: surrounding whitespace (a pasted newline) is trimmed, and the token works', async (t) => {
  const ws = await workspace(t);
  for (const token of ['sim-token\n', '  sim-token\t', '\r\nsim-token\r\n']) {
    const run = await runProcess(['check', '--config', ws.configWith({ access_token: token })]);
    t.equal(status(run).status, 'SUCCEEDED', JSON.stringify(token));
    t.same(run.logs().filter((m) => /Retrying/.test(m)), [], 'nothing was retried');
  }
});

t.test('header values that cannot be sent: a config_error naming the field, never retried', async (t) => {
  const ws = await workspace(t);
  const cases: Array<[Record<string, string>, string]> = [
    [{ access_token: `${SECRET}\u{1F600}` }, 'access_token'],
    [{ access_token: `${SECRET}\nsecond-line` }, 'access_token'],
    [{ access_token: `${SECRET}\u0000` }, 'access_token'],
    [{ api_version: '2.16\u{1F600}' }, 'api_version'],
  ];
  const catalog = await ws.catalogPath(['admins']);
  ws.sim.stats.reset();
  for (const [override, field] of cases) {
    const check = await runProcess(['check', '--config', ws.configWith(override)]);
    t.equal(status(check).status, 'FAILED', field);
    t.match(status(check).message, field, `check names ${field}`);
    t.notMatch(check.text(), SECRET, 'the token is not printed');
    const read = await runProcess(['read', '--config', ws.configWith(override), '--catalog', catalog]);
    t.equal(read.code, 1);
    t.match(read.errors(), [{ failure_type: 'config_error', message: new RegExp(field) }]);
    t.same(read.logs().filter((m) => /Retrying/.test(m)), [], 'not retried');
    t.notMatch(read.text(), SECRET);
  }
  t.equal(ws.sim.stats.total, 0, 'refused before any request');
});

t.test('api_version: a shape Intercom never uses is refused up front, naming the field', async (t) => {
  const ws = await workspace(t);
  for (const version of ['latest', '2', 'v2.16', '2.16.1']) {
    const run = await runProcess(['check', '--config', ws.configWith({ api_version: version })]);
    t.equal(status(run).status, 'FAILED', version);
    t.match(status(run).message, /api_version/);
  }
  for (const version of ['2.16', '2.11', 'Unstable', ' 2.16\n']) {
    const run = await runProcess(['check', '--config', ws.configWith({ api_version: version })]);
    t.equal(status(run).status, 'SUCCEEDED', JSON.stringify(version));
  }
});

t.test('api_version: one Intercom rejects (400) is a config_error naming the field; check reports FAILED', async (t) => {
  const ws = await workspace(t);
  const config = ws.configWith({ api_version: '2.99' });
  const check = await runProcess(['check', '--config', config]);
  t.equal(check.code, 0, 'check does not crash');
  t.equal(status(check).status, 'FAILED');
  t.match(status(check).message, /api_version/);
  t.match(status(check).message, /2\.99/);
  const read = await runProcess(['read', '--config', config, '--catalog', await ws.catalogPath(['admins', 'contacts'])]);
  t.equal(read.code, 1);
  t.ok(read.errors().length > 0);
  for (const e of read.errors()) t.match(e, { failure_type: 'config_error', message: /api_version/ });
  const discover = await runProcess(['discover', '--config', config]);
  t.match(discover.errors(), [{ failure_type: 'config_error', message: /api_version/ }]);
});

t.test('start_date at or before the epoch: every lower bound stays one the API accepts', async (t) => {
  const ws = await workspace(t);
  for (const start of ['1970-01-01T00:00:00Z', '1969-07-20T20:17:00Z']) {
    const catalog = await ws.catalogPath(['activity_logs', 'contacts', 'conversations', 'admins']);
    const run = await runProcess(['read', '--config', ws.configWith({ start_date: start }), '--catalog', catalog]);
    t.equal(run.code, 0, `${start}: ${JSON.stringify(run.errors())}`);
    t.ok(run.records('activity_logs').length > 0, `${start}: activity logs are read`);
    t.same(run.statuses('activity_logs').at(-1), 'COMPLETE');
  }
});

t.test('catalog: a stream without json_schema is a config_error naming it, before it is read; the rest runs', async (t) => {
  const ws = await workspace(t);
  const catalog = await ws.catalog(['admins', 'tags', 'teams']);
  const broken = catalog.streams.find((s) => s.stream.name === 'tags')!;
  delete (broken.stream as { json_schema?: unknown }).json_schema;
  const badProps = catalog.streams.find((s) => s.stream.name === 'teams')!;
  (badProps.stream.json_schema as Record<string, unknown>).properties = ['id'];
  const run = await runProcess(['read', '--config', ws.configPath, '--catalog', tempJson('catalog.json', catalog)]);
  t.equal(run.code, 1);
  t.match(run.errors().find((e) => e.stream === 'tags'), { failure_type: 'config_error', message: /'tags'.*json_schema/ });
  t.match(run.errors().find((e) => e.stream === 'teams'), { failure_type: 'config_error', message: /'teams'.*properties/ });
  t.same(run.statuses('tags'), [], 'tags is never started');
  t.same(run.records('tags'), []);
  t.same(run.statuses('admins').at(-1), 'COMPLETE');
  t.ok(run.records('admins').length > 0);
});

t.test('field selection keeps the primary key and the cursor whatever the catalog selects', async (t) => {
  const ws = await workspace(t);
  const catalog = await ws.catalog(['contacts', 'contact_tags']);
  for (const s of catalog.streams) {
    const properties = s.stream.json_schema.properties as Record<string, unknown>;
    const keep = s.stream.name === 'contacts' ? ['email'] : [];
    s.stream.json_schema = { ...s.stream.json_schema, properties: Object.fromEntries(keep.map((k) => [k, properties[k]])) };
  }
  const run = await runProcess(['read', '--config', ws.configPath, '--catalog', tempJson('catalog.json', catalog)]);
  t.equal(run.code, 0, JSON.stringify(run.errors()));
  const contacts = run.records('contacts');
  t.ok(contacts.length > 0);
  t.ok(contacts.every((r) => typeof r.id === 'string' && typeof r.updated_at === 'number'), 'id and updated_at kept');
  t.ok(contacts.every((r) => Object.keys(r).every((k) => ['id', 'updated_at', 'email'].includes(k))), 'nothing else');
  const links = run.records('contact_tags');
  t.ok(links.length > 0);
  const stream = (await ws.streams()).find((s) => s.name === 'contact_tags')!;
  const required = [...stream.source_defined_primary_key!.flat(), ...(stream.default_cursor_field ?? [])];
  t.ok(links.every((r) => required.every((k) => k in r)), `link rows keep ${required.join(', ')}`);
});

t.test('an oversized token (431) is a config_error naming access_token; check reports FAILED', async (t) => {
  const ws = await workspace(t);
  const config = ws.configWith({ access_token: 'x'.repeat(20_000) });
  const check = await runProcess(['check', '--config', config]);
  t.equal(check.code, 0);
  t.equal(status(check).status, 'FAILED');
  t.match(status(check).message, /431.*access_token/);
  const read = await runProcess(['read', '--config', config, '--catalog', await ws.catalogPath(['admins'])]);
  t.equal(read.code, 1);
  t.match(read.errors(), [{ failure_type: 'config_error', message: /access_token/ }]);
});

t.test('check never throws for an HTTP answer: a proxy answering 400 on /me is FAILED with what to check', async (t) => {
  const ws = await workspace(t);
  const proxy = await startProxy(t, ws.sim.url, { answer: { '/me': 400 } });
  const run = await runProcess(['check', '--config', ws.configWith({ api_base_url: proxy.url })]);
  t.equal(run.code, 0);
  t.equal(status(run).status, 'FAILED');
  t.match(status(run).message, /HTTP 400/);
  t.match(status(run).message, /api_base_url/);
  t.same(run.errors(), [], 'no ERROR trace: check answers with a status');
});

t.test('check: an optional probe answering 404 is a warning in the success message', async (t) => {
  const ws = await workspace(t);
  const proxy = await startProxy(t, ws.sim.url, { answer: { '/ticket_types': 404 } });
  const run = await runProcess(['check', '--config', ws.configWith({ api_base_url: proxy.url })]);
  t.equal(status(run).status, 'SUCCEEDED', status(run).message);
  t.match(status(run).message, /Warning: .*tickets.*404/);
});

t.test('api_base_url with a path: every request goes below the path', async (t) => {
  const ws = await workspace(t);
  const proxy = await startProxy(t, ws.sim.url, { prefix: '/intercom' });
  const config = ws.configWith({ api_base_url: `${proxy.url}/` });
  t.equal(status(await runProcess(['check', '--config', config])).status, 'SUCCEEDED');
  const run = await runProcess(['read', '--config', config, '--catalog', await ws.catalogPath(['admins', 'contacts', 'companies'])]);
  t.equal(run.code, 0, JSON.stringify(run.errors()));
  t.ok(run.records('contacts').length > 0);
  t.ok(proxy.requested.length > 0);
  t.same(proxy.requested.filter((p) => !p.startsWith('/intercom/')), [], 'no request left the path');
});

t.test('a config field the spec does not know is accepted with a warning naming it', async (t) => {
  const ws = await workspace(t);
  const run = await runProcess(['check', '--config', ws.configWith({ lookback_windw: 3, colour: 'blue' })]);
  t.equal(status(run).status, 'SUCCEEDED');
  t.match(run.logs('WARN'), [/'lookback_windw'.*did you mean 'lookback_window'/, /'colour'/]);
});

t.test('a malformed config file: the parse error is quoted without the text around it', async (t) => {
  const files = [
    `{"access_token": "${SECRET}" "start_date": "2024-01-01T00:00:00Z"}`,
    `{"access_token": "${SECRET}",}`,
    `${SECRET}`,
    `{"access_token": '${SECRET}'}`,
    `{"access_token": "${SECRET}`,
    `{"start_date": "2024-01-01T00:00:00Z",\n "access_token": ${SECRET}}`,
  ];
  for (const text of files) {
    for (const command of ['check', 'read']) {
      const args = command === 'read' ? ['read', '--config', tempJson('config.json', text), '--catalog', tempJson('catalog.json', { streams: [] })] : ['check', '--config', tempJson('config.json', text)];
      const run = await runProcess(args);
      t.equal(run.code, 1, text.slice(0, 20));
      t.match(run.errors(), [{ failure_type: 'config_error', message: /is not valid JSON/ }]);
      t.notMatch(run.text(), SECRET.slice(4, 14), `${command}: no piece of the secret is printed`);
    }
  }
  const located = await runProcess(['check', '--config', tempJson('config.json', `{"start_date": "2024-01-01T00:00:00Z",\n "access_token": "${SECRET}" "x": 1}`)]);
  t.match(located.errors()[0]!.message, /line 2, column \d+/, 'the position is given instead');
});

t.test('read | head: when stdout closes early the read stops, says so on stderr, exits non-zero', async (t) => {
  const ws = await workspace(t, { size: { contacts: 3000 } });
  const catalog = await ws.catalogPath(['contacts']);
  const result = await new Promise<{ code: number | null; stderr: string }>((resolve) => {
    const child = spawn(process.execPath, [CLI_PATH, 'read', '--config', ws.configPath, '--catalog', catalog], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (c: string) => (stderr += c));
    // Like `head -1`: take the first chunk, then close the pipe.
    child.stdout.once('data', () => child.stdout.destroy());
    child.on('close', (code) => resolve({ code, stderr }));
  });
  t.not(result.code, 0, 'non-zero exit');
  t.match(result.stderr, /stdout was closed/);
});
