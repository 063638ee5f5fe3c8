import type { JsonObject, JsonSchema } from '../protocol/types.js';
import { isoFromSeconds } from '../util/time.js';

/**
 * Intercom's standard timestamps (created_at, updated_at, statistics.
 * first_contact_reply_at, ...) are integer Unix seconds; custom date
 * attributes are ISO strings already. With `timestamp_format: iso8601` the
 * standard ones are written as ISO-8601 UTC strings and declared
 * `format: date-time`. Cursors and state are computed from the source's
 * records before this runs, so they keep their Unix seconds.
 */

/** Where the timestamps of a schema are: `true` for one, a nested plan for an object or an array's items. */
export interface TimestampPlan {
  [key: string]: true | TimestampPlan;
}

/** An integer named like a point in time: `*_at`, `waiting_since`, `snoozed_until`; durations (`time_to_*`) are not. */
function isTimestamp(name: string, schema: JsonSchema): boolean {
  return types(schema).includes('integer') && (/_at$/.test(name) || name === 'waiting_since' || name === 'snoozed_until');
}

function types(schema: JsonSchema): string[] {
  const type = schema.type;
  return Array.isArray(type) ? (type as string[]) : typeof type === 'string' ? [type] : [];
}

function isObject(value: unknown): value is JsonObject {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** The timestamps a declared schema holds, at any depth (objects and arrays of objects). */
export function timestampPlan(schema: JsonSchema): TimestampPlan | null {
  const properties = isObject(schema.properties) ? schema.properties : null;
  const items = isObject(schema.items) ? (schema.items as JsonSchema) : null;
  if (items) return timestampPlan(items);
  if (!properties) return null;
  const plan: TimestampPlan = {};
  for (const [name, child] of Object.entries(properties)) {
    if (!isObject(child)) continue;
    if (isTimestamp(name, child)) plan[name] = true;
    else {
      const nested = timestampPlan(child);
      if (nested) plan[name] = nested;
    }
  }
  return Object.keys(plan).length > 0 ? plan : null;
}

/** The schema with its timestamps declared as ISO strings (`format: date-time`). */
export function isoTimestampSchema(schema: JsonSchema, plan: TimestampPlan | null = timestampPlan(schema)): JsonSchema {
  if (!plan) return schema;
  if (isObject(schema.items)) return { ...schema, items: isoTimestampSchema(schema.items as JsonSchema, plan) };
  const properties = { ...(schema.properties as JsonObject) };
  for (const [name, entry] of Object.entries(plan)) {
    const child = properties[name] as JsonSchema;
    if (entry === true) {
      const { minimum: _min, maximum: _max, ...rest } = child;
      properties[name] = { ...rest, type: types(child).includes('null') ? ['string', 'null'] : 'string', format: 'date-time' };
    } else {
      properties[name] = isoTimestampSchema(child, entry);
    }
  }
  return { ...schema, properties };
}

/** Rewrites a record's Unix-second timestamps as ISO strings, in place; values of another type are left as they are. */
export function applyTimestampPlan(value: unknown, plan: TimestampPlan): void {
  if (Array.isArray(value)) {
    for (const item of value) applyTimestampPlan(item, plan);
    return;
  }
  if (!isObject(value)) return;
  for (const name in plan) {
    const entry = plan[name]!;
    const v = value[name];
    if (entry === true) {
      if (typeof v === 'number' && Number.isFinite(v)) value[name] = isoFromSeconds(v);
    } else if (v !== null && typeof v === 'object') {
      applyTimestampPlan(v, entry);
    }
  }
}
