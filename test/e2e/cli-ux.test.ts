/**
 * A newcomer at a terminal: help and version, a summary on stderr after a
 * read, errors on stderr as they happen, and the helper commands that take a
 * discovered catalog to a configured one and a read's output to a state file.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import t from 'tap';
import type { ConfiguredAirbyteCatalog, JsonObject } from '../../src/protocol/types.js';
import { parseInputState } from '../../src/protocol/state.js';
import { runProcess, runText, tempJson } from '../support/connector.js';
import { findRepoRoot } from '../support/vendor.js';
import { workspace } from '../support/workspace.js';

const VERSION = (JSON.parse(readFileSync(join(findRepoRoot(), 'package.json'), 'utf8')) as { version: string }).version;

t.test('--help, -h, help and --version print usage or the version and exit 0', async (t) => {
  for (const argv of [['--help'], ['-h'], ['help'], ['read', '--help']]) {
    const run = await runText(argv);
    t.equal(run.code, 0, argv.join(' '));
    t.match(run.stdout, /^Usage: source-intercom/, `${argv.join(' ')} prints the usage`);
    for (const command of ['spec', 'check', 'discover', 'read', 'catalog', 'state']) t.match(run.stdout, new RegExp(`\\n  ${command} `), `names ${command}`);
  }
  const version = await runText(['--version']);
  t.equal(version.code, 0);
  t.equal(version.stdout, `source-intercom ${VERSION}\n`);
  const wrong = await runText(['frobnicate']);
  t.equal(wrong.code, 1, 'an unknown command still fails');
  t.match(wrong.stdout, /--help for more/);
});

t.test('read: a summary on stderr with records per stream, requests and retries', async (t) => {
  const ws = await workspace(t);
  const run = await runProcess(['read', '--config', ws.configPath, '--catalog', await ws.catalogPath(['admins', 'contacts', 'tags'])]);
  t.equal(run.code, 0);
  t.match(run.stderr, /Sync finished in \d+s: \d+ records from 3 streams, \d+ requests, 0 retries, 0 answered 429/);
  for (const stream of ['admins', 'contacts', 'tags']) {
    t.match(run.stderr, new RegExp(`\\n  ${stream} +COMPLETE +${run.records(stream).length} records`), `${stream}: its count`);
  }
  t.notMatch(run.stderr, /Error/);
});

t.test('read: errors reach stderr as they happen and the summary says what to fix', async (t) => {
  const ws = await workspace(t);
  const run = await runProcess(['read', '--config', ws.configWith({ access_token: 'sim-token-no-tickets' }), '--catalog', await ws.catalogPath(['admins', 'tickets'])]);
  t.equal(run.code, 1);
  t.match(run.stderr, /Error in tickets \(config_error\): .*read_tickets/);
  t.match(run.stderr, /Sync ended with errors/);
  t.match(run.stderr, /tickets +INCOMPLETE/);
  t.match(run.stderr, /Errors \(what to fix\):\n  tickets \(config_error: .*read_tickets/);
  const bad = await runProcess(['check', '--config', tempJson('c.json', '{"access_token": ')]);
  t.match(bad.stderr, /config_error.*not valid JSON/, 'errors outside read reach stderr too');
});

t.test('catalog: a configured catalog from discover, for the chosen streams and mode', async (t) => {
  const ws = await workspace(t);
  const all = await runText(['catalog', '--config', ws.configPath]);
  t.equal(all.code, 0, all.stderr);
  const full = JSON.parse(all.stdout) as ConfiguredAirbyteCatalog;
  t.same(full.streams.map((s) => s.stream.name), (await ws.streams()).map((s) => s.name), 'every stream by default');
  t.ok(full.streams.every((s) => s.sync_mode === (s.stream.supported_sync_modes.includes('incremental') ? 'incremental' : 'full_refresh')));

  const some = await runText(['catalog', '--config', ws.configPath, '--streams', 'contacts,admins']);
  const chosen = JSON.parse(some.stdout) as ConfiguredAirbyteCatalog;
  t.same(chosen.streams.map((s) => [s.stream.name, s.sync_mode, s.destination_sync_mode]), [
    // A snapshot stream is incremental too: each sync compares its keys with the previous one's, for tombstones.
    ['admins', 'incremental', 'append_dedup'],
    ['contacts', 'incremental', 'append_dedup'],
  ]);
  t.same(chosen.streams.find((s) => s.stream.name === 'admins')!.cursor_field, ['_ab_cdc_updated_at']);
  t.same(chosen.streams.find((s) => s.stream.name === 'contacts')!.cursor_field, ['updated_at']);
  const refresh = JSON.parse((await runText(['catalog', '--config', ws.configPath, '--streams', 'contacts', '--mode', 'full_refresh'])).stdout) as ConfiguredAirbyteCatalog;
  t.equal(refresh.streams[0]!.sync_mode, 'full_refresh');

  const unknown = await runText(['catalog', '--config', ws.configPath, '--streams', 'contacts,contcts']);
  t.equal(unknown.code, 1);
  t.equal(unknown.stdout, '', 'nothing on stdout, so a redirected file is not half-written JSON');
  t.match(unknown.stderr, /Unknown stream 'contcts'.*contacts/);

  const read = await runProcess(['read', '--config', ws.configPath, '--catalog', tempJson('catalog.json', some.stdout)]);
  t.equal(read.code, 0, 'read takes the printed catalog');
  t.ok(read.records('contacts').length > 0);
});

t.test('state: the last state per stream of a read, as the next read takes it', async (t) => {
  const ws = await workspace(t);
  const catalog = await ws.catalogPath(['contacts', 'admins', 'conversations']);
  const first = await runProcess(['read', '--config', ws.configPath, '--catalog', catalog]);
  const stdout = first.messages.map((m) => JSON.stringify(m)).join('\n') + '\n';
  const extracted = await runText(['state'], stdout);
  t.equal(extracted.code, 0, extracted.stderr);
  const states = JSON.parse(extracted.stdout) as JsonObject[];
  t.same(states, first.stateArray(), 'the last state of each stream, without sourceStats');
  const parsed = parseInputState(states);
  t.same([...parsed.keys()].sort(), ['admins', 'contacts', 'conversations']);

  const second = await runProcess(['read', '--config', ws.configPath, '--catalog', catalog, '--state', tempJson('state.json', extracted.stdout)]);
  t.equal(second.code, 0);
  t.ok(second.records('contacts').length < first.records('contacts').length, 'the next read is incremental');

  const empty = await runText(['state'], 'not json\n{"type":"LOG","log":{"level":"INFO","message":"x"}}\n');
  t.equal(empty.code, 1);
  t.match(empty.stderr, /No STATE message/);
});

t.test('a configured catalog lacking custom-attribute columns that discover gives gets a warning to run discover again', async (t) => {
  const ws = await workspace(t, {}, { custom_attributes: 'flattened' });
  // A copy: the workspace caches the discovered streams the catalog refers to.
  const catalog = structuredClone(await ws.catalog(['contacts']));
  const stream = catalog.streams[0]!.stream;
  const properties = stream.json_schema.properties as JsonObject;
  const custom = Object.keys(properties).filter((k) => k.startsWith('custom_'));
  t.ok(custom.length > 0, 'flattened columns are discovered');
  stream.json_schema = { ...stream.json_schema, properties: Object.fromEntries(Object.entries(properties).filter(([k]) => !custom.includes(k))) };
  const stale = await runProcess(['read', '--config', ws.configPath, '--catalog', tempJson('catalog.json', catalog)]);
  t.equal(stale.code, 0);
  t.match(stale.logs('WARN'), [new RegExp(`contacts: the configured catalog lacks ${custom.length} custom-attribute columns .*Run discover again`)]);
  const fresh = await runProcess(['read', '--config', ws.configPath, '--catalog', await ws.catalogPath(['contacts'])]);
  t.notOk(fresh.logs('WARN').some((m) => /Run discover again/.test(m)), 'no warning for a current catalog');
});
