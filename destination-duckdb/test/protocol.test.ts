import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import tap from 'tap';
import { messagesOf, runCli } from './cli.js';
import { writeMessages } from '../src/index.js';
import { CDC, config, record, select, state, stream, t } from './helpers.js';

const contacts = stream('contacts', { id: t('string'), updated_at: t('integer'), name: t('string'), ...CDC }, { cursor: 'updated_at', history: 'versioned' });

function files(dir: string, extra: Record<string, unknown> = {}) {
  const cfg = config(dir);
  const configPath = join(dir, 'config.json');
  const catalogPath = join(dir, 'catalog.json');
  writeFileSync(configPath, JSON.stringify({ database: cfg.database, models: false, ...extra }));
  writeFileSync(catalogPath, JSON.stringify({ streams: [contacts] }));
  return { cfg, configPath, catalogPath };
}

tap.test('spec prints one SPEC message', async (tt) => {
  const run = runCli(['spec']);
  tt.equal(run.status, 0);
  const messages = messagesOf(run.stdout);
  tt.equal(messages.length, 1);
  tt.equal(messages[0]?.type, 'SPEC');
  const spec = messages[0]?.spec as { connectionSpecification: { properties: Record<string, unknown> } };
  tt.same(Object.keys(spec.connectionSpecification.properties).sort(), ['cdc_deletion_mode', 'database', 'history_tables', 'models', 'schema']);
});

tap.test('check reports SUCCEEDED for a usable file and FAILED for a bad config', async (tt) => {
  const dir = tt.testdir();
  const { configPath } = files(dir);
  const ok = runCli(['check', '--config', configPath]);
  tt.equal(ok.status, 0);
  tt.same(messagesOf(ok.stdout), [{ type: 'CONNECTION_STATUS', connectionStatus: { status: 'SUCCEEDED' } }]);
  const badPath = join(dir, 'bad.json');
  writeFileSync(badPath, JSON.stringify({ database: join(dir, 'x.duckdb'), cdc_deletion_mode: 'sometimes' }));
  const bad = runCli(['check', '--config', badPath]);
  tt.equal(bad.status, 0);
  const [status] = messagesOf(bad.stdout) as Array<{ connectionStatus: { status: string; message: string } }>;
  tt.equal(status?.connectionStatus.status, 'FAILED');
  tt.match(status?.connectionStatus.message, /cdc_deletion_mode/);
});

tap.test('write echoes each STATE after its records are committed, and only protocol JSON on stdout', async (tt) => {
  const dir = tt.testdir();
  const { cfg, configPath, catalogPath } = files(dir);
  const input = [
    record('contacts', { id: 'a', updated_at: 1, name: 'A' }),
    state('contacts', { updated_at: 1 }),
    record('contacts', { id: 'b', updated_at: 2, name: 'B' }),
    JSON.stringify({ type: 'TRACE', trace: { type: 'ANALYTICS', emitted_at: 1, analytics: { type: 'intercom_requests', value: '7' } } }),
    state('contacts', { updated_at: 2 }),
  ].join('\n');
  const run = runCli(['write', '--config', configPath, '--catalog', catalogPath], input);
  tt.equal(run.status, 0, run.stderr);
  const messages = messagesOf(run.stdout);
  for (const m of messages) tt.ok(m.type === 'STATE' || m.type === 'LOG', `only STATE and LOG messages (${String(m.type)})`);
  const states = messages.filter((m) => m.type === 'STATE') as Array<{ state: { stream: { stream_state: unknown } } }>;
  tt.same(
    states.map((s) => s.state.stream.stream_state),
    [{ updated_at: 1 }, { updated_at: 2 }],
  );
  tt.same(await select(cfg, 'SELECT id FROM contacts ORDER BY id'), [{ id: 'a' }, { id: 'b' }]);
  const [sync] = await select(cfg, 'SELECT status, CAST(records AS VARCHAR) AS records, requests FROM _airbyte_syncs');
  tt.same(sync, { status: 'succeeded', records: '{"contacts":2}', requests: '7' });
});

tap.test('a malformed line fails the write: TRACE ERROR, exit 1, the committed checkpoint kept', async (tt) => {
  const dir = tt.testdir();
  const { cfg, configPath, catalogPath } = files(dir);
  const input = [
    record('contacts', { id: 'a', updated_at: 1, name: 'A' }),
    state('contacts', { updated_at: 1 }),
    '{"type":"RECORD", "record": {',
    record('contacts', { id: 'z', updated_at: 9, name: 'Z' }),
    state('contacts', { updated_at: 9 }),
  ].join('\n');
  const run = runCli(['write', '--config', configPath, '--catalog', catalogPath], input);
  tt.equal(run.status, 1);
  const messages = messagesOf(run.stdout);
  tt.same(
    messages.filter((m) => m.type === 'STATE').map((m) => (m as { state: { stream: { stream_state: unknown } } }).state.stream.stream_state),
    [{ updated_at: 1 }],
    'the complete checkpoint before the bad line is committed and echoed',
  );
  const traces = messages.filter((m) => m.type === 'TRACE') as Array<{ trace: { type: string; error: { message: string; failure_type: string } } }>;
  tt.equal(traces.length, 1);
  tt.equal(traces[0]?.trace.type, 'ERROR');
  tt.equal(traces[0]?.trace.error.failure_type, 'system_error', 'a malformed line is the source\'s fault');
  tt.match(traces[0]?.trace.error.message, /input line 3: not a JSON message/);
  tt.notMatch(run.stderr, /\n\s+at /, 'no stack trace');
  tt.same(await select(cfg, 'SELECT id FROM contacts ORDER BY id'), [{ id: 'a' }]);
});

const failures: Array<[string, string, RegExp, string]> = [
  ['an unknown stream', record('tickets', { id: 'x' }), /input line 4 \(stream "tickets"\): stream is not in the configured catalog/, 'config_error'],
  ['a record that does not fit its schema', record('contacts', { id: 'c', updated_at: 'yesterday' }), /input line 4 \(stream "contacts"\): record does not fit the stream's schema: field "updated_at" must be an integer/, 'system_error'],
  ['a record without its primary key', record('contacts', { updated_at: 5 }), /input line 4 \(stream "contacts"\): .*primary key field "id" is missing/, 'system_error'],
  ['a line that is not a message', '[1,2]', /input line 4: not an Airbyte message/, 'system_error'],
];

for (const [what, badLine, expected, failureType] of failures) {
  tap.test(`${what} fails the write naming the line and stream; committed checkpoints stay`, async (tt) => {
    const dir = tt.testdir();
    const cfg = config(dir);
    const lines = [
      record('contacts', { id: 'a', updated_at: 1, name: 'A' }),
      state('contacts', { updated_at: 1 }),
      record('contacts', { id: 'b', updated_at: 2, name: 'B' }),
      badLine,
      state('contacts', { updated_at: 9 }),
    ];
    const states: unknown[] = [];
    // Batched commits: the first checkpoint is still open when the bad line arrives.
    await tt.rejects(
      writeMessages({ config: cfg, catalog: { streams: [contacts] }, input: (async function* () { yield* lines; })(), onState: (s) => states.push(s.stream?.stream_state), commitEveryRecords: 1000 }),
      { name: 'InputError', message: expected, failureType },
    );
    tt.same(states, [{ updated_at: 1 }]);
    tt.same(await select(cfg, 'SELECT id FROM contacts ORDER BY id'), [{ id: 'a' }], 'the complete checkpoint is kept, the partial one is not');
    const saved = await select(cfg, "SELECT json_extract(state, '$.stream.stream_state.updated_at') AS v FROM _airbyte_state");
    tt.same(saved, [{ v: '1' }]);
    const [sync] = await select(cfg, 'SELECT status, error, CAST(records AS VARCHAR) AS records FROM _airbyte_syncs');
    tt.equal(sync?.status, 'failed');
    tt.equal(sync?.records, '{"contacts":1}');
    tt.match(String(sync?.error), expected);
  });
}
