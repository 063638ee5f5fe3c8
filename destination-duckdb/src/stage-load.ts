import type { DuckDBConnection } from '@duckdb/node-api';
import type { Column, StreamPlan } from './catalog.js';
import { META_COLUMNS } from './tables.js';
import { ident, literal } from './sql.js';

/**
 * Loads a stage file (stage-file.ts) into a stream's stage table with one
 * INSERT … SELECT over DuckDB's JSON reader: DuckDB parses and converts the
 * values in its own threads, while the writer's JS thread only routes lines.
 * The conversions are as strict as record-check.ts: a value that does not
 * fit its column fails the statement rather than being rounded or guessed.
 */

const NUMERIC = "('UBIGINT', 'BIGINT', 'DOUBLE')";

/** How each column's field is read from the file: raw JSON where it is checked here, else DuckDB's own reading. */
function fieldType(column: Column): string {
  return column.type === 'VARCHAR' || column.type === 'JSON' ? column.type : 'JSON';
}

function refuse(problem: string): string {
  return `error(${literal(problem)})`;
}

/** The SQL expression that turns the raw field into the column's value, or fails. */
function convert(column: Column): string {
  const v = `d.${ident(column.name)}`;
  const t = `json_type(${v})`;
  const name = column.name;
  switch (column.type) {
    case 'BIGINT':
      return `CASE WHEN ${v} IS NULL THEN NULL
        WHEN ${t} IN ('UBIGINT', 'BIGINT') THEN CAST(${v} AS BIGINT)
        WHEN ${t} = 'DOUBLE' AND CAST(${v} AS DOUBLE) = trunc(CAST(${v} AS DOUBLE)) THEN CAST(CAST(${v} AS DOUBLE) AS BIGINT)
        WHEN ${t} = 'BOOLEAN' THEN CAST(CAST(${v} AS BOOLEAN) AS BIGINT)
        ELSE ${refuse(`field "${name}" must be an integer`)} END`;
    case 'DOUBLE':
      return `CASE WHEN ${v} IS NULL THEN NULL WHEN ${t} IN ${NUMERIC} THEN CAST(${v} AS DOUBLE) ELSE ${refuse(`field "${name}" must be a number`)} END`;
    case 'BOOLEAN':
      return `CASE WHEN ${v} IS NULL THEN NULL WHEN ${t} = 'BOOLEAN' THEN CAST(${v} AS BOOLEAN) ELSE ${refuse(`field "${name}" must be a boolean`)} END`;
    case 'TIMESTAMPTZ': {
      const bad = refuse(`field "${name}" must be an ISO-8601 date-time or Unix seconds`);
      return `CASE WHEN ${v} IS NULL THEN NULL
        WHEN ${t} = 'VARCHAR' THEN coalesce(TRY_CAST(${v} ->> '$' AS TIMESTAMPTZ), ${bad})
        WHEN ${t} IN ${NUMERIC} THEN to_timestamp(CAST(${v} AS DOUBLE))
        ELSE ${bad} END`;
    }
    case 'VARCHAR':
    case 'JSON':
      return v;
  }
}

/** The INSERT that loads one stage file; `seqBase` plus the input line number is each row's `_airbyte_seq`. */
export function stageLoadSql(table: string, plan: StreamPlan, path: string, seqBase: bigint): string {
  const struct = `STRUCT(${plan.columns.map((c) => `${ident(c.name)} ${fieldType(c)}`).join(', ')})`;
  const required = plan.mode === 'append_dedup' ? plan.primaryKey : [];
  const where = required.map((k) => `CASE WHEN d.${ident(k)} IS NULL THEN ${refuse(`primary key field "${k}" is missing`)} ELSE true END`);
  return `INSERT INTO ${table} (${[...plan.columns, ...META_COLUMNS].map((c) => ident(c.name)).join(', ')})
    SELECT ${plan.columns.map(convert).join(',\n      ')},
      make_timestamp(e * 1000), ${seqBase} + s
    FROM read_json(${literal(path)}, format = 'newline_delimited', auto_detect = false,
      columns = {s: 'BIGINT', e: 'BIGINT', d: ${literal(struct)}})
    ${where.length > 0 ? `WHERE ${where.join(' AND ')}` : ''}`;
}

/** Loads the file and returns the rows it added. DuckDB's refusal is thrown as DuckDB worded it. */
export async function loadStageFile(connection: DuckDBConnection, table: string, plan: StreamPlan, path: string, seqBase: bigint): Promise<number> {
  const result = await connection.runAndReadAll(stageLoadSql(table, plan, path, seqBase));
  return Number((result.getRowObjectsJson()[0] as { Count?: string } | undefined)?.Count ?? 0);
}

/** The input line DuckDB names in a refusal ("… in line 6: …"), as a line of the stage file. */
export function refusedFileLine(error: unknown): number | undefined {
  const match = /\bin line (\d+)/.exec(error instanceof Error ? error.message : String(error));
  return match ? Number(match[1]) : undefined;
}
