import type { DuckDBConnection } from '@duckdb/node-api';
import { rows } from './database.js';
import type { AirbyteStateMessage } from './protocol.js';
import { ident, literal, qualified } from './sql.js';

/** `_airbyte_state` and `_airbyte_syncs`: what was committed, and what each write did. */

export const STATE_TABLE = '_airbyte_state';
export const SYNCS_TABLE = '_airbyte_syncs';

export async function ensureMetaTables(connection: DuckDBConnection, schema: string): Promise<void> {
  await connection.run(`CREATE SCHEMA IF NOT EXISTS ${ident(schema)}`);
  await connection.run(`CREATE TABLE IF NOT EXISTS ${qualified(schema, STATE_TABLE)} (
    stream_name VARCHAR, stream_namespace VARCHAR, state JSON, sync_id BIGINT, committed_at TIMESTAMPTZ)`);
  await connection.run(`CREATE TABLE IF NOT EXISTS ${qualified(schema, SYNCS_TABLE)} (
    sync_id BIGINT, started_at TIMESTAMPTZ, ended_at TIMESTAMPTZ, status VARCHAR,
    records JSON, tombstones JSON, requests BIGINT, error VARCHAR)`);
}

/** Starts a sync row (status running) and returns its id. */
export async function startSync(connection: DuckDBConnection, schema: string): Promise<number> {
  const table = qualified(schema, SYNCS_TABLE);
  const [row] = await rows(connection, `SELECT coalesce(max(sync_id), 0) + 1 AS id FROM ${table}`);
  const id = Number(row?.id ?? 1);
  await connection.run(`INSERT INTO ${table} VALUES (${id}, now(), NULL, 'running', '{}', '{}', NULL, NULL)`);
  return id;
}

export interface SyncProgress {
  records: Record<string, number>;
  tombstones: Record<string, number>;
  requests: number | undefined;
}

export async function recordProgress(connection: DuckDBConnection, schema: string, syncId: number, progress: SyncProgress): Promise<void> {
  await connection.run(
    `UPDATE ${qualified(schema, SYNCS_TABLE)} SET records = ${literal(JSON.stringify(progress.records))}, tombstones = ${literal(
      JSON.stringify(progress.tombstones),
    )}, requests = ${progress.requests ?? 'NULL'} WHERE sync_id = ${syncId}`,
  );
}

export async function finishSync(connection: DuckDBConnection, schema: string, syncId: number, status: 'succeeded' | 'failed', error?: string): Promise<void> {
  await connection.run(
    `UPDATE ${qualified(schema, SYNCS_TABLE)} SET ended_at = now(), status = ${literal(status)}, error = ${error === undefined ? 'NULL' : literal(error)} WHERE sync_id = ${syncId}`,
  );
}

/** The key a state message is kept under: its stream, or `__global__` / `__legacy__`. */
export function stateKey(state: AirbyteStateMessage): { name: string; namespace: string } {
  if (state.type === 'GLOBAL') return { name: '__global__', namespace: '' };
  if (state.stream !== undefined) return { name: state.stream.stream_descriptor.name, namespace: state.stream.stream_descriptor.namespace ?? '' };
  return { name: '__legacy__', namespace: '' };
}

export async function saveStates(connection: DuckDBConnection, schema: string, syncId: number, states: AirbyteStateMessage[]): Promise<void> {
  const table = qualified(schema, STATE_TABLE);
  const latest = new Map<string, AirbyteStateMessage>();
  for (const state of states) {
    const key = stateKey(state);
    latest.set(JSON.stringify([key.name, key.namespace]), state);
  }
  for (const state of latest.values()) {
    const key = stateKey(state);
    // Saved as the source sent it: destinationStats describes this write only.
    const kept: AirbyteStateMessage = { ...state };
    delete kept.destinationStats;
    await connection.run(`DELETE FROM ${table} WHERE stream_name = ${literal(key.name)} AND stream_namespace = ${literal(key.namespace)}`);
    await connection.run(`INSERT INTO ${table} VALUES (${literal(key.name)}, ${literal(key.namespace)}, ${literal(JSON.stringify(kept))}, ${syncId}, now())`);
  }
}

export async function readStates(connection: DuckDBConnection, schema: string): Promise<AirbyteStateMessage[]> {
  const exists = await rows(connection, `SELECT 1 FROM information_schema.tables WHERE table_schema = ${literal(schema)} AND table_name = ${literal(STATE_TABLE)}`);
  if (exists.length === 0) return [];
  const found = await rows(connection, `SELECT CAST(state AS VARCHAR) AS state FROM ${qualified(schema, STATE_TABLE)} ORDER BY stream_namespace, stream_name`);
  return found.map((r) => JSON.parse(String(r.state)) as AirbyteStateMessage);
}
