import type { DestinationConfig } from './config.js';
import { openDatabase } from './database.js';
import { readStates } from './meta.js';
import type { AirbyteStateMessage } from './protocol.js';
import { existsSync } from 'node:fs';

/** The last committed state of every stream, as STATE messages a source can resume from. */
export async function loadSavedState(config: Pick<DestinationConfig, 'database' | 'schema'>): Promise<AirbyteStateMessage[]> {
  if (config.database !== ':memory:' && !existsSync(config.database)) return [];
  const db = await openDatabase(config.database, { readOnly: true });
  try {
    return await readStates(db.connection, config.schema);
  } finally {
    db.close();
  }
}
