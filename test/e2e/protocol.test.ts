/**
 * Every message the suite sees is validated against the official Airbyte
 * protocol schema by the helpers that run the connector. This test makes
 * sure that validation has teeth and that every kind of message the
 * connector prints passes through it.
 */
import t from 'tap';
import { parseOutput, runInProcess } from '../support/connector.js';
import { catalogErrors, protocolErrors, validatedTypes } from '../support/protocol.js';
import { workspace } from '../support/workspace.js';

t.test('the validator rejects what the protocol forbids', async (t) => {
  t.not(protocolErrors({ type: 'RECORD', record: { stream: 'x', data: {} } }), '', 'a record without emitted_at');
  t.not(protocolErrors({ type: 'TRACE', trace: { type: 'ERROR', emitted_at: 1, error: { message: 'x', failure_type: 'oops' } } }), '', 'an unknown failure type');
  t.not(protocolErrors({ type: 'STATE', state: { type: 'STREAM', stream: { stream_state: {} } } }), '', 'a state without descriptor');
  t.not(protocolErrors({ type: 'BOGUS' }), '', 'an unknown message type');
  t.throws(() => parseOutput('not json\n'), /not JSON/, 'stdout may carry only JSON');
});

t.test('every kind of message the connector prints validates', async (t) => {
  const ws = await workspace(t);
  const trace = new Set<string>();
  const runs = [
    await runInProcess(['spec']),
    await runInProcess(['check', '--config', ws.configPath]),
    await runInProcess(['check', '--config', ws.configWith({ access_token: 'wrong-token' })]),
    await runInProcess(['discover', '--config', ws.configPath]),
    await runInProcess(['read', '--config', ws.configPath, '--catalog', await ws.catalogPath(['admins', 'contacts', 'tickets'])]),
    await runInProcess(['read', '--config', ws.configWith({ access_token: 'sim-token-no-tickets' }), '--catalog', await ws.catalogPath(['tickets'])]),
    await runInProcess(['frobnicate']),
  ];
  for (const run of runs) for (const m of run.ofType('TRACE')) trace.add(m.trace.type);
  for (const type of ['SPEC', 'CONNECTION_STATUS', 'CATALOG', 'RECORD', 'STATE', 'LOG', 'TRACE']) {
    t.ok((validatedTypes.get(type) ?? 0) > 0, `${type} messages were validated`);
  }
  t.same([...trace].sort(), ['ANALYTICS', 'ERROR', 'ESTIMATE', 'STREAM_STATUS'], 'ANALYTICS, ERROR, ESTIMATE and STREAM_STATUS traces were validated');
  const catalog = await ws.catalog();
  t.equal(catalogErrors(catalog), '', 'the configured catalogs the tests build are valid');
});
