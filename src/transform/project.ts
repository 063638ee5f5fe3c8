import type { JsonObject, JsonSchema } from '../protocol/types.js';

export type Projector = (record: JsonObject) => JsonObject;

/**
 * Field selection ("data blocking"): keeps only the top-level properties the
 * configured stream's json_schema declares, and always the `required` ones
 * (primary key, cursor), without which a destination cannot place a row. A
 * record that already fits is returned as it is, without a copy.
 */
export function projectorFor(schema: JsonSchema, required: readonly string[] = []): Projector {
  const properties = schema.properties;
  if (properties === null || typeof properties !== 'object' || Array.isArray(properties)) return (record) => record;
  const allowed = new Set([...Object.keys(properties), ...required]);
  return (record) => {
    let fits = true;
    for (const key in record) {
      if (!allowed.has(key)) {
        fits = false;
        break;
      }
    }
    if (fits) return record;
    const out: JsonObject = {};
    for (const key in record) if (allowed.has(key)) out[key] = record[key];
    return out;
  };
}
