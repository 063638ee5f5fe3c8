/**
 * The committed fixtures Airbyte's acceptance tests and users read, made
 * from the seeded simulator (seed 1): configured catalogs under catalogs/,
 * integration_tests/abnormal_state.json (a future state for every
 * incremental stream) and integration_tests/expected_records.jsonl (the
 * first records of every stream, by primary key).
 */
import { startSimulator } from 'intercom-simulator';
import type { AirbyteStream, JsonObject } from '../../src/protocol/types.js';
import { configuredCatalog, runInProcess, tempJson } from './connector.js';

export const FIXTURE_FILES = [
  'catalogs/full_refresh.json',
  'catalogs/incremental.json',
  'integration_tests/abnormal_state.json',
  'integration_tests/expected_records.jsonl',
] as const;

/** Records per stream kept in expected_records.jsonl. */
const EXPECTED_PER_STREAM = 3;
const FUTURE = 7626086649;

/** A state far ahead: snapshots keep the ISO time of their last sync, scans their source cursor. */
function futureStateOf(stream: AirbyteStream): JsonObject {
  if (stream.json_schema['x-history'] === 'snapshot') return { _ab_cdc_updated_at: new Date(FUTURE * 1000).toISOString().replace('.000Z', 'Z'), keys: [] };
  return { [stream.name === 'activity_logs' ? 'created_at' : 'updated_at']: FUTURE };
}

export async function generateFixtures(): Promise<Record<(typeof FIXTURE_FILES)[number], string>> {
  const sim = await startSimulator({ seed: 1 });
  try {
    const config = tempJson('config.json', { access_token: 'sim-token', start_date: '2024-01-01T00:00:00Z', api_base_url: sim.url });
    const discovered = await runInProcess(['discover', '--config', config]);
    const streams: AirbyteStream[] = discovered.ofType('CATALOG')[0]!.catalog.streams;
    const full = configuredCatalog(streams, 'full_refresh');
    const incremental = configuredCatalog(streams.filter((s) => s.supported_sync_modes.includes('incremental')), 'incremental');
    const read = await runInProcess(['read', '--config', config, '--catalog', tempJson('catalog.json', full)]);
    if (read.code !== 0) throw new Error(`the read for expected records failed: ${JSON.stringify(read.errors())}`);

    const expected: string[] = [];
    for (const s of streams) {
      const key = (r: JsonObject): string => s.source_defined_primary_key!.map(([k]) => String(r[k!])).join('|');
      const first = read.records(s.name).sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0)).slice(0, EXPECTED_PER_STREAM);
      for (const data of first) expected.push(JSON.stringify({ stream: s.name, data, emitted_at: 1793491200000 }));
    }
    const futureState = incremental.streams.map(({ stream }) => ({
      type: 'STREAM',
      stream: { stream_descriptor: { name: stream.name }, stream_state: futureStateOf(stream) },
    }));
    return {
      'catalogs/full_refresh.json': JSON.stringify(full, null, 2) + '\n',
      'catalogs/incremental.json': JSON.stringify(incremental, null, 2) + '\n',
      'integration_tests/abnormal_state.json': JSON.stringify(futureState, null, 2) + '\n',
      'integration_tests/expected_records.jsonl': expected.join('\n') + '\n',
    };
  } finally {
    await sim.close();
  }
}
