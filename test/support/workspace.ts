/**
 * A simulated Intercom workspace for one test, with the connector's config
 * and catalog files written for it.
 */
import type { Test } from 'tap';
import { startSimulator, type Simulator, type SimulatorOptions } from 'intercom-simulator';
import type { AirbyteStream, ConfiguredAirbyteCatalog, JsonObject, SyncMode } from '../../src/protocol/types.js';
import { configuredCatalog, runInProcess, tempJson } from './connector.js';

export const START_DATE = '2024-01-01T00:00:00Z';
export const START_SECONDS = Date.parse(START_DATE) / 1000;

export interface TestWorkspace {
  sim: Simulator;
  /** Path of a config file for this simulator. */
  configPath: string;
  config: JsonObject;
  /** Writes a config with overrides and returns its path. */
  configWith(overrides: JsonObject): string;
  /** The discovered catalog (cached). */
  streams(): Promise<AirbyteStream[]>;
  /** A configured catalog of the named streams (all when omitted) written to a file. */
  catalogPath(names?: string[], mode?: SyncMode): Promise<string>;
  catalog(names?: string[], mode?: SyncMode): Promise<ConfiguredAirbyteCatalog>;
}

export async function workspace(t: Test, options: SimulatorOptions = {}, configOverrides: JsonObject = {}): Promise<TestWorkspace> {
  const sim = await startSimulator({ seed: 1, ...options });
  t.teardown(() => sim.close());
  const config: JsonObject = { access_token: 'sim-token', start_date: START_DATE, api_base_url: sim.url, search_lag_seconds: 0, ...configOverrides };
  const configPath = tempJson('config.json', config);
  let discovered: AirbyteStream[] | null = null;
  const streams = async (): Promise<AirbyteStream[]> => {
    if (!discovered) {
      const result = await runInProcess(['discover', '--config', configPath]);
      const catalog = result.ofType('CATALOG')[0];
      if (!catalog) throw new Error(`discover failed: ${JSON.stringify(result.errors())}`);
      discovered = catalog.catalog.streams;
    }
    return discovered;
  };
  const catalog = async (names?: string[], mode: SyncMode = 'incremental'): Promise<ConfiguredAirbyteCatalog> =>
    configuredCatalog((await streams()).filter((s) => !names || names.includes(s.name)), mode);
  return {
    sim,
    configPath,
    config,
    configWith: (overrides) => tempJson('config.json', { ...config, ...overrides }),
    streams,
    catalog,
    catalogPath: async (names, mode) => tempJson('catalog.json', await catalog(names, mode)),
  };
}

/** Ids of records, as a sorted array (for comparisons that print well). */
export function idsOf(records: JsonObject[], key = 'id'): string[] {
  return records.map((r) => String(r[key])).sort();
}

/** Composite keys of link rows. */
export function pairsOf(records: JsonObject[], a: string, b: string): string[] {
  return records.map((r) => `${String(r[a])}|${String(r[b])}`).sort();
}
