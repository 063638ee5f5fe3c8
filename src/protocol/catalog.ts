import { ConfigError } from './errors.js';
import type { ConfiguredAirbyteCatalog } from './types.js';

/**
 * Checks the shape of a configured catalog. Per-stream problems a read can
 * survive (an unknown stream, a bad sync mode) are left to the read, which
 * reports them on that stream alone.
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
    const schema = (stream as { json_schema?: unknown }).json_schema;
    if (schema !== undefined && (schema === null || typeof schema !== 'object')) throw bad(`streams[${i}].stream.json_schema is not an object`);
  });
  return raw as ConfiguredAirbyteCatalog;
}
