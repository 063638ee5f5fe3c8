import type { DuckDBConnection } from '@duckdb/node-api';
import { keepsHistory, type Column, type StreamPlan } from './catalog.js';
import { fromDuckType, widen, type ColumnType } from './column-types.js';
import { rows } from './database.js';
import { ident, literal, qualified } from './sql.js';

/** Columns the destination adds to every current and stage table. */
export const META_COLUMNS: Column[] = [
  { name: '_airbyte_extracted_at', type: 'TIMESTAMPTZ' },
  { name: '_airbyte_seq', type: 'BIGINT' },
];

/** Columns the destination adds to every history table, after META_COLUMNS. */
export const HISTORY_COLUMNS: Column[] = [
  { name: '_valid_from', type: 'TIMESTAMPTZ' },
  { name: '_valid_to', type: 'TIMESTAMPTZ' },
  { name: '_is_active', type: 'BOOLEAN' },
  // The version ended because its key was deleted (or, for a link, its parent moved on).
  { name: '_is_deleted', type: 'BOOLEAN' },
];

const RESERVED = new Set([...META_COLUMNS, ...HISTORY_COLUMNS].map((c) => c.name));

export function historyTable(stream: string): string {
  return `${stream}_history`;
}

/**
 * A stream's stage table: a temporary table, so staged rows never reach the
 * database file (or its write-ahead log) before they are merged.
 */
export function stageTable(stream: string): string {
  return `temp.main.${ident(`_airbyte_stage_${stream}`)}`;
}

export async function tableColumns(connection: DuckDBConnection, schema: string, table: string): Promise<Column[]> {
  return (await schemaColumns(connection, schema, table)).get(table) ?? [];
}

/** The columns of the schema's tables (of `table` alone when given), by table name, in table order: one query. */
export async function schemaColumns(connection: DuckDBConnection, schema: string, table?: string): Promise<Map<string, Column[]>> {
  const only = table === undefined ? '' : ` AND table_name = ${literal(table)}`;
  const found = await rows(
    connection,
    `SELECT table_name, column_name, data_type FROM information_schema.columns
      WHERE table_catalog = current_database() AND table_schema = ${literal(schema)}${only} ORDER BY table_name, ordinal_position`,
  );
  const tables = new Map<string, Column[]>();
  for (const r of found) {
    const name = String(r.table_name);
    const columns = tables.get(name) ?? [];
    columns.push({ name: String(r.column_name), type: fromDuckType(String(r.data_type)) });
    tables.set(name, columns);
  }
  return tables;
}

type Log = (message: string) => void;

/**
 * Creates the table, or adds the columns it lacks and widens the ones whose
 * declared type changed. Returns its columns in table order. Never drops.
 */
export async function ensureTable(connection: DuckDBConnection, schema: string, table: string, wanted: Column[], log: Log): Promise<Column[]> {
  const existing = await tableColumns(connection, schema, table);
  const name = qualified(schema, table);
  if (existing.length === 0) {
    await connection.run(`CREATE TABLE ${name} (${wanted.map((c) => `${ident(c.name)} ${c.type}`).join(', ')})`);
    return wanted;
  }
  const byName = new Map(existing.map((c) => [c.name, c]));
  for (const column of wanted) {
    const current = byName.get(column.name);
    if (current === undefined) {
      await connection.run(`ALTER TABLE ${name} ADD COLUMN ${ident(column.name)} ${column.type}`);
      log(`${table}: added column ${column.name} ${column.type}`);
      existing.push({ ...column });
      byName.set(column.name, existing[existing.length - 1] as Column);
      continue;
    }
    const target: ColumnType = widen(current.type, column.type);
    if (target !== current.type) {
      await connection.run(`ALTER TABLE ${name} ALTER COLUMN ${ident(column.name)} TYPE ${target}`);
      log(`${table}: widened column ${column.name} from ${current.type} to ${target} (the catalog now declares ${column.type})`);
      current.type = target;
    }
  }
  return existing;
}

/**
 * Brings the stream's current and history tables in line with the catalog,
 * and (re)creates its empty stage table. Returns the plan with its columns
 * as the tables now hold them.
 */
export async function prepareStreamTables(connection: DuckDBConnection, schema: string, plan: StreamPlan, historyTables: boolean, log: Log): Promise<StreamPlan> {
  for (const column of plan.columns) {
    if (RESERVED.has(column.name)) throw new Error(`stream "${plan.name}": column "${column.name}" is reserved by the destination`);
  }
  const current = await ensureTable(connection, schema, plan.name, [...plan.columns, ...META_COLUMNS], log);
  const dataColumns = current.filter((c) => !RESERVED.has(c.name));
  if (keepsHistory(plan, historyTables)) {
    await ensureTable(connection, schema, historyTable(plan.name), [...dataColumns, ...META_COLUMNS, ...HISTORY_COLUMNS], log);
  }
  const prepared = { ...plan, columns: dataColumns };
  await recreateStageTable(connection, prepared);
  return prepared;
}

/**
 * An empty stage table. Recreated at every commit rather than emptied with
 * DELETE: deleted rows would pile up in it (and in memory) for the whole write.
 */
export async function recreateStageTable(connection: DuckDBConnection, plan: StreamPlan): Promise<void> {
  const stage = stageTable(plan.name);
  await connection.run(`CREATE OR REPLACE TEMP TABLE ${stage} (${[...plan.columns, ...META_COLUMNS].map((c) => `${ident(c.name)} ${c.type}`).join(', ')})`);
}

export async function dropStageTable(connection: DuckDBConnection, stream: string): Promise<void> {
  await connection.run(`DROP TABLE IF EXISTS ${stageTable(stream)}`);
}

/**
 * Where an overwrite stream's records go during a write: a table beside the
 * stream's, swapped in for it by the commit that ends the write, and only
 * when the source reported the stream complete. Until then readers keep the
 * whole table of the last write that completed it, and so does a write that
 * is killed or fails half-way.
 */
export function overwriteTable(stream: string): string {
  return `_airbyte_overwrite_${stream}`;
}

/** An empty overwrite table with the stream table's columns (a leftover of a killed write is replaced). */
export async function createOverwriteTable(connection: DuckDBConnection, schema: string, stream: string): Promise<void> {
  await connection.run(`CREATE OR REPLACE TABLE ${qualified(schema, overwriteTable(stream))} AS FROM ${qualified(schema, stream)} LIMIT 0`);
}

/** Replaces the stream table by its overwrite table (inside the caller's transaction). */
export async function swapInOverwriteTable(connection: DuckDBConnection, schema: string, stream: string): Promise<void> {
  await connection.run(`DROP TABLE ${qualified(schema, stream)}`);
  await connection.run(`ALTER TABLE ${qualified(schema, overwriteTable(stream))} RENAME TO ${ident(stream)}`);
}

export async function dropOverwriteTable(connection: DuckDBConnection, schema: string, stream: string): Promise<void> {
  await connection.run(`DROP TABLE IF EXISTS ${qualified(schema, overwriteTable(stream))}`);
}
