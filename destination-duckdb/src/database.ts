// First: it configures DuckDB's allocator, which reads its settings when the library loads.
import './allocator.js';
import { availableParallelism } from 'node:os';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { DestinationError, describeError } from './errors.js';
import { START_MEMORY_MB } from './memory.js';
import { ident, literal } from './sql.js';

export interface Database {
  connection: DuckDBConnection;
  close(): void;
}

/**
 * Rows per row group in the tables a write creates or appends to. At DuckDB's
 * default (122,880) a checkpoint's appended rows fill a partial row group that
 * every later checkpoint rewrites whole: a 500,000-contact sync spent 4 to 18 s
 * in some COMMITs, and each added about 120 MB to its peak memory. A group no
 * larger than a commit's rows is written once, during the INSERT, and COMMIT
 * stays at a fifth of a second however large the tables grow.
 */
export const ROW_GROUP_SIZE = 16_384;

/** Opens (or creates) a DuckDB file with UTC as the session time zone. */
export async function openDatabase(path: string, options: { readOnly?: boolean } = {}): Promise<Database> {
  let instance: DuckDBInstance;
  let connection: DuckDBConnection;
  try {
    if (options.readOnly === true) {
      instance = await DuckDBInstance.create(path, { access_mode: 'READ_ONLY' });
      connection = await instance.connect();
    } else {
      instance = await DuckDBInstance.create(':memory:');
      connection = await instance.connect();
      await attachForWrites(connection, path);
    }
  } catch (error) {
    throw new DestinationError(`cannot open DuckDB database "${path}": ${describeError(error)}`, 'config_error', { cause: error });
  }
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

/**
 * The row group size is an option of ATTACH only, so a write starts from an
 * in-memory database and attaches the file. The file keeps the name DuckDB
 * gives it when opened directly (its stem: the models' source_relation shows
 * it), so the in-memory database steps aside first, under a name of its own,
 * in case the file is called memory.duckdb.
 */
async function attachForWrites(connection: DuckDBConnection, path: string): Promise<void> {
  const scratch = ident('_airbyte_scratch');
  await connection.run(`ATTACH ':memory:' AS ${scratch}`);
  await connection.run(`USE ${scratch}`);
  await connection.run('DETACH memory');
  await connection.run(`ATTACH ${literal(path)} (ROW_GROUP_SIZE ${ROW_GROUP_SIZE})`);
  const [attached] = await rows(connection, "SELECT database_name FROM duckdb_databases() WHERE NOT internal AND database_name <> '_airbyte_scratch'");
  await connection.run(`USE ${ident(String(attached?.database_name))}`);
  await connection.run(`DETACH ${scratch}`);
  // Where DuckDB spills beyond its memory limit: beside the file, as when it opens the file itself (not ./.tmp).
  await connection.run(`SET temp_directory = ${literal(`${path}.tmp`)}`);
}

/**
 * Writes everything the write committed into the database file, with every
 * core (the write's JS thread has nothing left to do). Left to the close,
 * DuckDB checkpoints on the write's one thread and beyond its memory limit: a
 * 500,000-contact sync peaked at 465 MB there, against 327 MB with this, and
 * its checkpoint took 2.2 s on two threads against 5.4 s on one.
 */
export async function checkpoint(connection: DuckDBConnection): Promise<void> {
  await connection.run(`SET threads = ${availableParallelism()}`);
  await connection.run('CHECKPOINT');
}

/** Runs a query and returns its rows as plain JSON-friendly objects. */
export async function rows(connection: DuckDBConnection, sql: string): Promise<Array<Record<string, unknown>>> {
  const reader = await connection.runAndReadAll(sql);
  return reader.getRowObjectsJson() as Array<Record<string, unknown>>;
}
