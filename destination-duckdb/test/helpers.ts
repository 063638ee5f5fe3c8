import { join } from 'node:path';
import { runQuery, writeMessages, type DestinationConfig, type WriteSummary } from '../src/index.js';
import type { AirbyteStateMessage, ConfiguredStream, JsonObject, LogLevel } from '../src/protocol.js';

type Props = Record<string, JsonObject>;
export const t = (type: string, format?: string): JsonObject => (format === undefined ? { type: ['null', type] } : { type: ['null', type], format });

export const CDC: Props = { _ab_cdc_deleted_at: t('string', 'date-time'), _ab_cdc_updated_at: t('string', 'date-time') };

export function stream(
  name: string,
  properties: Props,
  options: { mode?: ConfiguredStream['destination_sync_mode']; pk?: string[]; cursor?: string; history?: string; link?: JsonObject } = {},
): ConfiguredStream {
  const schema: JsonObject = { type: 'object', properties };
  if (options.history !== undefined) schema['x-history'] = options.history;
  if (options.link !== undefined) schema['x-link'] = options.link;
  const configured: ConfiguredStream = {
    stream: { name, json_schema: schema },
    sync_mode: options.cursor === undefined ? 'full_refresh' : 'incremental',
    destination_sync_mode: options.mode ?? 'append_dedup',
    primary_key: (options.pk ?? ['id']).map((k) => [k]),
  };
  if (options.cursor !== undefined) configured.cursor_field = [options.cursor];
  return configured;
}

export const record = (name: string, data: JsonObject, emittedAt = 1_700_000_000_000): string =>
  JSON.stringify({ type: 'RECORD', record: { stream: name, data, emitted_at: emittedAt } });

export const state = (name: string, value: JsonObject): string =>
  JSON.stringify({ type: 'STATE', state: { type: 'STREAM', stream: { stream_descriptor: { name }, stream_state: value } } });

export function config(dir: string, overrides: Partial<DestinationConfig> = {}): DestinationConfig {
  return { database: join(dir, 'test.duckdb'), schema: 'main', cdc_deletion_mode: 'hard', history_tables: true, models: false, ...overrides };
}

export interface Written {
  summary: WriteSummary;
  states: AirbyteStateMessage[];
  logs: Array<[LogLevel, string]>;
}

export async function write(cfg: DestinationConfig, streams: ConfiguredStream[], lines: string[], commitEveryRecords = 1): Promise<Written> {
  const states: AirbyteStateMessage[] = [];
  const logs: Array<[LogLevel, string]> = [];
  const summary = await writeMessages({
    config: cfg,
    catalog: { streams },
    input: (async function* () {
      yield* lines;
    })(),
    onState: (s) => states.push(s),
    log: (level, message) => logs.push([level, message]),
    commitEveryRecords,
  });
  return { summary, states, logs };
}

export async function select(cfg: DestinationConfig, sql: string): Promise<Array<Record<string, unknown>>> {
  return (await runQuery(cfg.database, sql)).rows;
}
