import { ConfigError } from './errors.js';
import type { AirbyteStream, ConfiguredAirbyteCatalog, SyncMode } from './types.js';

/**
 * Checks the shape of a configured catalog. Per-stream problems a read can
 * survive (an unknown stream, a bad sync mode, a missing json_schema) are left
 * to the read, which reports them on that stream alone, by name.
 */
export function parseConfiguredCatalog(raw: unknown, fileName: string): ConfiguredAirbyteCatalog {
  const bad = (problem: string): ConfigError => new ConfigError(`The catalog file ${fileName} is not a configured catalog: ${problem}.`);
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) throw bad('expected a JSON object with a "streams" array');
  const streams = (raw as { streams?: unknown }).streams;
  if (!Array.isArray(streams)) throw bad('"streams" is missing or not an array');
  streams.forEach((s: unknown, i) => {
    if (s === null || typeof s !== 'object') throw bad(`streams[${i}] is not an object`);
    const stream = (s as { stream?: unknown }).stream;
    if (stream === null || typeof stream !== 'object' || typeof (stream as { name?: unknown }).name !== 'string') {
      throw bad(`streams[${i}].stream.name is missing`);
    }
  });
  return raw as ConfiguredAirbyteCatalog;
}

/**
 * A configured catalog selecting the named streams (every stream when none
 * are named): incremental where the stream supports it unless full_refresh
 * is asked for, with the source's cursor and primary key.
 */
export function configureCatalog(streams: AirbyteStream[], names: string[] | null, mode: SyncMode): ConfiguredAirbyteCatalog {
  const unknown = (names ?? []).filter((n) => !streams.some((s) => s.name === n));
  if (unknown.length > 0) {
    throw new ConfigError(`Unknown stream${unknown.length > 1 ? 's' : ''} ${unknown.map((n) => `'${n}'`).join(', ')}. The streams are: ${streams.map((s) => s.name).join(', ')}.`);
  }
  const chosen = names ? streams.filter((s) => names.includes(s.name)) : streams;
  return {
    streams: chosen.map((stream) => {
      const syncMode: SyncMode = mode === 'incremental' && stream.supported_sync_modes.includes('incremental') ? 'incremental' : 'full_refresh';
      return {
        stream,
        sync_mode: syncMode,
        destination_sync_mode: syncMode === 'incremental' ? 'append_dedup' : 'overwrite',
        ...(syncMode === 'incremental' && stream.default_cursor_field ? { cursor_field: stream.default_cursor_field } : {}),
        ...(stream.source_defined_primary_key ? { primary_key: stream.source_defined_primary_key } : {}),
      };
    }),
  };
}
