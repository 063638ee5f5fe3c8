import { columnsOf, type ColumnType } from './column-types.js';
import { DestinationError } from './errors.js';
import { isJsonObject, type ConfiguredCatalog, type ConfiguredStream, type JsonValue } from './protocol.js';

export type HistoryKind = 'snapshot' | 'versioned' | 'events' | 'none';
export type WriteMode = 'overwrite' | 'append' | 'append_dedup';

export interface LinkSpec {
  parent: string;
  parentKey: string;
  parentCursor: string;
}

export interface Column {
  name: string;
  type: ColumnType;
}

/** Everything the writer needs to know about one configured stream. */
export interface StreamPlan {
  name: string;
  mode: WriteMode;
  primaryKey: string[];
  cursor: string | undefined;
  history: HistoryKind;
  link: LinkSpec | undefined;
  /** Data columns from the catalog (types later widened to what the table holds). */
  columns: Column[];
  /** Whether the schema declares `_ab_cdc_deleted_at`, i.e. the stream can carry tombstones. */
  hasDeletes: boolean;
}

export const DELETED_AT = '_ab_cdc_deleted_at';
export const UPDATED_AT = '_ab_cdc_updated_at';

export function parseCatalog(raw: unknown): ConfiguredCatalog {
  if (!isJsonObject(raw) || !Array.isArray(raw.streams)) throw new DestinationError('catalog must be an object with a "streams" array', 'config_error');
  for (const [i, s] of raw.streams.entries()) {
    if (!isJsonObject(s) || !isJsonObject(s.stream) || typeof s.stream.name !== 'string' || !isJsonObject(s.stream.json_schema)) {
      throw new DestinationError(`catalog: streams[${i}] needs stream.name and stream.json_schema`, 'config_error');
    }
  }
  return raw as unknown as ConfiguredCatalog;
}

export function planStreams(catalog: ConfiguredCatalog): StreamPlan[] {
  const seen = new Set<string>();
  return catalog.streams.map((configured) => {
    const plan = planStream(configured);
    if (seen.has(plan.name)) throw new DestinationError(`catalog: stream "${plan.name}" appears twice`, 'config_error');
    seen.add(plan.name);
    return plan;
  });
}

function planStream(configured: ConfiguredStream): StreamPlan {
  const { name, json_schema: schema } = configured.stream;
  if (name.startsWith('_airbyte_') || name.startsWith('intercom__') || name.endsWith('_history')) {
    throw new DestinationError(`catalog: stream name "${name}" collides with a table this destination keeps`, 'config_error');
  }
  const mode = writeMode(configured.destination_sync_mode);
  const columns = columnsOf(schema);
  const names = new Set(columns.map((c) => c.name));
  // A configured catalog may leave key and cursor to what the source defines.
  const primaryKey = (configured.primary_key ?? configured.stream.source_defined_primary_key ?? []).map((path) => {
    if (path.length !== 1) throw new DestinationError(`catalog: stream "${name}": nested primary keys are not supported`, 'config_error');
    return path[0] as string;
  });
  const cursorPath = configured.cursor_field ?? configured.stream.default_cursor_field ?? [];
  if (cursorPath.length > 1) throw new DestinationError(`catalog: stream "${name}": nested cursor fields are not supported`, 'config_error');
  const cursor = cursorPath[0];
  for (const field of [...primaryKey, ...(cursor === undefined ? [] : [cursor])]) {
    if (!names.has(field)) throw new DestinationError(`catalog: stream "${name}": field "${field}" is not in its json_schema`, 'config_error');
  }
  if (mode === 'append_dedup' && primaryKey.length === 0) {
    throw new DestinationError(`catalog: stream "${name}" is append_dedup but has no primary_key`, 'config_error');
  }
  const declared = historyKind(schema['x-history']);
  const history: HistoryKind = declared ?? (mode === 'append_dedup' && cursor !== undefined ? 'versioned' : 'none');
  return { name, mode, primaryKey, cursor, history, link: linkSpec(name, schema['x-link']), columns, hasDeletes: names.has(DELETED_AT) };
}

function writeMode(mode: string): WriteMode {
  if (mode === 'overwrite' || mode === 'append' || mode === 'append_dedup') return mode;
  if (mode === 'overwrite_dedup') return 'overwrite';
  throw new DestinationError(`catalog: destination_sync_mode "${mode}" is not supported`, 'config_error');
}

function historyKind(value: JsonValue | undefined): HistoryKind | undefined {
  if (value === 'snapshot' || value === 'versioned' || value === 'events') return value;
  return undefined;
}

/**
 * The current-link rule needs the parent's cursor. A link of a snapshot parent
 * (team_admins of teams) has none: it is a snapshot itself, whose vanished
 * rows arrive as tombstones, so no rule applies to it.
 */
function linkSpec(stream: string, value: JsonValue | undefined): LinkSpec | undefined {
  if (value === undefined) return undefined;
  if (!isJsonObject(value) || typeof value.parent !== 'string' || typeof value.parent_key !== 'string') {
    throw new DestinationError(`catalog: stream "${stream}": x-link needs parent and parent_key`, 'config_error');
  }
  if (value.parent_cursor === undefined) return undefined;
  if (typeof value.parent_cursor !== 'string') throw new DestinationError(`catalog: stream "${stream}": x-link's parent_cursor must be a column name`, 'config_error');
  return { parent: value.parent, parentKey: value.parent_key, parentCursor: value.parent_cursor };
}

/** Whether a plan keeps a `<stream>_history` table under this config. */
export function keepsHistory(plan: StreamPlan, historyTables: boolean): boolean {
  return historyTables && (plan.history === 'versioned' || plan.history === 'snapshot') && plan.primaryKey.length > 0;
}
