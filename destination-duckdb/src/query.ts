import { openDatabase } from './database.js';
import { DestinationError, describeError } from './errors.js';

export interface QueryResult {
  columns: string[];
  rows: Array<Record<string, unknown>>;
}

/** Runs one SQL statement on a database file (read-only) and returns its rows as JSON-friendly values. */
export async function runQuery(database: string, sql: string): Promise<QueryResult> {
  const db = await openDatabase(database, { readOnly: true });
  try {
    const reader = await db.connection.runAndReadAll(sql);
    return { columns: reader.columnNames(), rows: reader.getRowObjectsJson() as Array<Record<string, unknown>> };
  } catch (error) {
    if (error instanceof DestinationError) throw error;
    throw new DestinationError(`query failed: ${describeError(error)}`, 'config_error', { cause: error });
  } finally {
    db.close();
  }
}

function cell(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value).replace(/\r?\n/g, '\\n');
}

/** An aligned text table: a header, a rule, the rows (numbers right-aligned), then a row count. */
export function formatTable(rows: Array<Record<string, unknown>>, columns: string[] = rows[0] === undefined ? [] : Object.keys(rows[0])): string {
  const texts = rows.map((r) => columns.map((c) => cell(r[c])));
  const numeric = columns.map((c) => rows.length > 0 && rows.every((r) => r[c] === null || r[c] === undefined || typeof r[c] === 'number' || /^-?\d+(\.\d+)?$/.test(String(r[c]))));
  const widths = columns.map((c, i) => Math.max(c.length, ...texts.map((t) => (t[i] as string).length)));
  const line = (values: string[], header: boolean) =>
    values.map((v, i) => (numeric[i] && !header ? v.padStart(widths[i] as number) : v.padEnd(widths[i] as number))).join(' | ').trimEnd();
  const out = [line(columns, true), widths.map((w) => '-'.repeat(w)).join('-+-'), ...texts.map((t) => line(t, false))];
  out.push(`(${rows.length} row${rows.length === 1 ? '' : 's'})`);
  return out.join('\n');
}
