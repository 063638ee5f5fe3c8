import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type { DestinationConfig } from './config.js';
import { openDatabase } from './database.js';
import { describeError } from './errors.js';
import { ident } from './sql.js';

/** Opens (creating if needed) the database and schema; returns a failure message or undefined. */
export async function checkConfig(config: DestinationConfig): Promise<string | undefined> {
  try {
    if (config.database !== ':memory:') mkdirSync(dirname(config.database), { recursive: true });
    const db = await openDatabase(config.database);
    try {
      await db.connection.run(`CREATE SCHEMA IF NOT EXISTS ${ident(config.schema)}`);
      await db.connection.run('CREATE OR REPLACE TEMP TABLE _airbyte_check (ok BOOLEAN)');
    } finally {
      db.close();
    }
    return undefined;
  } catch (error) {
    return describeError(error);
  }
}
