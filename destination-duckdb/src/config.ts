import { DestinationError } from './errors.js';
import { isJsonObject, type JsonObject } from './protocol.js';

export type CdcDeletionMode = 'hard' | 'soft';

export interface DestinationConfig {
  /** Path of the DuckDB file. */
  database: string;
  schema: string;
  cdc_deletion_mode: CdcDeletionMode;
  history_tables: boolean;
  models: boolean;
}

export const SPEC: JsonObject = {
  documentationUrl: 'https://github.com/source-intercom/source-intercom/tree/main/destination-duckdb',
  supportsIncremental: true,
  supported_destination_sync_modes: ['overwrite', 'append', 'append_dedup'],
  connectionSpecification: {
    $schema: 'http://json-schema.org/draft-07/schema#',
    title: 'DuckDB destination for Intercom',
    type: 'object',
    required: [],
    additionalProperties: false,
    properties: {
      database: { type: 'string', title: 'Database file', description: 'Path of the DuckDB file; created when absent.', default: 'intercom.duckdb' },
      schema: { type: 'string', title: 'Schema', description: 'Schema the tables and models are written to.', default: 'main' },
      cdc_deletion_mode: {
        type: 'string',
        title: 'CDC deletion mode',
        description: 'hard: a tombstone removes the row. soft: the row stays with _ab_cdc_deleted_at set.',
        enum: ['hard', 'soft'],
        default: 'hard',
      },
      history_tables: { type: 'boolean', title: 'History tables', description: 'Keep <stream>_history (type-2 SCD) for versioned and snapshot streams.', default: true },
      models: { type: 'boolean', title: 'Models', description: 'Build the intercom__* models after every write.', default: true },
    },
  },
};

const KEYS = new Set(['database', 'schema', 'cdc_deletion_mode', 'history_tables', 'models']);

/** Validates a raw config object and fills in the defaults. */
export function parseConfig(raw: unknown): DestinationConfig {
  if (!isJsonObject(raw)) throw new DestinationError('config must be a JSON object', 'config_error');
  for (const key of Object.keys(raw)) {
    if (!KEYS.has(key)) throw new DestinationError(`config: unknown property "${key}"`, 'config_error');
  }
  const config: DestinationConfig = { database: 'intercom.duckdb', schema: 'main', cdc_deletion_mode: 'hard', history_tables: true, models: true };
  if (raw.database !== undefined) {
    if (typeof raw.database !== 'string' || raw.database === '') throw new DestinationError('config: "database" must be a non-empty string', 'config_error');
    config.database = raw.database;
  }
  if (raw.schema !== undefined) {
    if (typeof raw.schema !== 'string' || !/^[A-Za-z_][A-Za-z0-9_]*$/.test(raw.schema)) {
      throw new DestinationError('config: "schema" must be a plain identifier (letters, digits, underscore)', 'config_error');
    }
    config.schema = raw.schema;
  }
  if (raw.cdc_deletion_mode !== undefined) {
    const mode = normaliseDeletionMode(raw.cdc_deletion_mode);
    if (mode === undefined) throw new DestinationError('config: "cdc_deletion_mode" must be "hard" or "soft"', 'config_error');
    config.cdc_deletion_mode = mode;
  }
  for (const key of ['history_tables', 'models'] as const) {
    const value = raw[key];
    if (value === undefined) continue;
    if (typeof value !== 'boolean') throw new DestinationError(`config: "${key}" must be true or false`, 'config_error');
    config[key] = value;
  }
  return config;
}

/** Accepts Airbyte's spelling ("Hard delete") as well as ours. */
function normaliseDeletionMode(value: unknown): CdcDeletionMode | undefined {
  if (typeof value !== 'string') return undefined;
  const v = value.toLowerCase();
  if (v === 'hard' || v === 'hard delete') return 'hard';
  if (v === 'soft' || v === 'soft delete') return 'soft';
  return undefined;
}
