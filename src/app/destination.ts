import { ConfigError } from '../protocol/errors.js';
import type { ConfiguredAirbyteCatalog, JsonObject } from '../protocol/types.js';

/** The package `sync` and `query` write into; an optional dependency, so the Airbyte image does without it. */
export const DESTINATION_PACKAGE = 'intercom-destination-duckdb';

export interface DestinationConfig {
  database: string;
  schema: string;
  cdc_deletion_mode: 'hard' | 'soft';
  history_tables: boolean;
  models: boolean;
}

export interface WriteSummary {
  records: Record<string, number>;
  tombstones: Record<string, number>;
  durationMs: number;
  models: string[];
}

/** The part of the destination's API the connector uses. */
export interface DuckDbDestination {
  parseConfig(raw: unknown): DestinationConfig;
  writeMessages(options: {
    config: DestinationConfig;
    catalog: ConfiguredAirbyteCatalog;
    input: AsyncIterable<string>;
    log?: (level: string, message: string) => void;
  }): Promise<WriteSummary>;
  loadSavedState(config: DestinationConfig): Promise<JsonObject[]>;
  runQuery(database: string, sql: string): Promise<{ columns: string[]; rows: Array<Record<string, unknown>> }>;
  formatTable(rows: Array<Record<string, unknown>>, columns?: string[]): string;
}

function notInstalled(): ConfigError {
  return new ConfigError(
    `This command writes into DuckDB through the optional package ${DESTINATION_PACKAGE}, which is not installed. ` +
      `Install it beside the connector (npm install ${DESTINATION_PACKAGE}); the Docker image leaves it out on purpose.`,
  );
}

function isNotFound(err: unknown): boolean {
  const code = (err as NodeJS.ErrnoException).code;
  return code === 'ERR_MODULE_NOT_FOUND' || code === 'MODULE_NOT_FOUND';
}

/** Fails as `loadDestination` would when the package is missing, but at once and without loading it: `sync` checks before it sends a request. */
export function assertDestinationInstalled(): void {
  try {
    import.meta.resolve(DESTINATION_PACKAGE);
  } catch (err) {
    throw isNotFound(err) ? notInstalled() : err;
  }
}

/** Loads the DuckDB destination only when a command needs it. */
export async function loadDestination(): Promise<DuckDbDestination> {
  assertDestinationInstalled();
  try {
    return (await import(DESTINATION_PACKAGE)) as DuckDbDestination;
  } catch (err) {
    // A package that is there but lacks one of its own dependencies (DuckDB's binary) is as good as missing.
    throw isNotFound(err) ? notInstalled() : err;
  }
}
