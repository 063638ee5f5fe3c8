// First: it configures DuckDB's allocator, which reads its settings when the library loads.
import './allocator.js';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { DestinationError, describeError } from './errors.js';
import { START_MEMORY_MB } from './memory.js';

export interface Database {
  connection: DuckDBConnection;
  close(): void;
}

/** Opens (or creates) a DuckDB file with UTC as the session time zone. */
export async function openDatabase(path: string, options: { readOnly?: boolean } = {}): Promise<Database> {
  let instance: DuckDBInstance;
  try {
    instance = await DuckDBInstance.create(path, options.readOnly ? { access_mode: 'READ_ONLY' } : {});
  } catch (error) {
    throw new DestinationError(`cannot open DuckDB database "${path}": ${describeError(error)}`, 'config_error', { cause: error });
  }
  const connection = await instance.connect();
  await connection.run("SET TimeZone = 'UTC'");
  // A write's ceiling for DuckDB's own buffers (it spills to disk beyond it), so memory stays flat as tables
  // grow; the write raises it when a statement needs more (memory.ts). At 256 MB 50,000 contacts were written
  // about 4% faster, but a 500,000-contact sync peaked 170 MB higher. A read-only `query` keeps DuckDB's
  // default (80% of the machine's memory): a person's ad hoc query is no write to keep flat.
  if (options.readOnly !== true) await connection.run(`SET memory_limit = '${START_MEMORY_MB}MB'`);
  // Row order is always stated (by _airbyte_seq or ORDER BY), so DuckDB need not keep it: loads run faster and lighter.
  await connection.run('SET preserve_insertion_order = false');
  // DuckDB's allocator keeps freed memory in per-thread caches (128 and 512 MB by default) outside memory_limit:
  // a load of wide records left ~200 MB resident that way. Handing it back after each task costs little.
  await connection.run("SET allocator_flush_threshold = '1MB'");
  await connection.run("SET allocator_bulk_deallocation_flush_threshold = '1MB'");
  // Writes get one worker thread: loads measured no faster on two, took more memory, and a sync's JS
  // thread needs the other core. A read-only `query` keeps every core.
  if (options.readOnly !== true) await connection.run('SET threads = 1');
  return {
    connection,
    close() {
      connection.closeSync();
      instance.closeSync();
    },
  };
}

/** Runs a query and returns its rows as plain JSON-friendly objects. */
export async function rows(connection: DuckDBConnection, sql: string): Promise<Array<Record<string, unknown>>> {
  const reader = await connection.runAndReadAll(sql);
  return reader.getRowObjectsJson() as Array<Record<string, unknown>>;
}
