import { JSONPath } from 'jsonpath-plus';
import type { JsonObject } from '../protocol/types.js';

const SIMPLE = /^\$((?:\.[A-Za-z_][A-Za-z0-9_]*)+)\[\*\]$/;

/**
 * The records a JSONPath selects in a response body, objects only.
 *
 * Paths of the form `$.a.b[*]` (all of this connector's) are walked directly:
 * they run on every page of a sync, and a direct walk is far cheaper than a
 * general evaluation. Anything else goes through jsonpath-plus.
 */
export function recordsAt(body: unknown, path: string): JsonObject[] {
  const simple = SIMPLE.exec(path);
  let found: unknown = body;
  if (simple) {
    for (const key of simple[1]!.slice(1).split('.')) {
      found = found !== null && typeof found === 'object' ? (found as JsonObject)[key] : undefined;
    }
  }
  // `[*]` over an object selects its values: only arrays take the direct route.
  if (!simple || (found !== undefined && found !== null && !Array.isArray(found))) {
    found = body !== null && typeof body === 'object' ? JSONPath({ path, json: body as object, wrap: true }) : [];
  }
  return Array.isArray(found) ? found.filter(isObject) : [];
}

function isObject(value: unknown): value is JsonObject {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}
