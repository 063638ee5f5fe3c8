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

/**
 * A copy of a record with its Unix-second timestamps as ISO strings; values of
 * another type are left as they are. Only the objects on the plan's paths are
 * copied. The record itself is never changed: the sync still reads it (cursors,
 * the rows of sibling streams, the last version a tombstone carries).
 */
export function withIsoTimestamps<T>(value: T, plan: TimestampPlan): T {
  if (Array.isArray(value)) return value.map((item: unknown) => withIsoTimestamps(item, plan)) as T;
  if (!isObject(value)) return value;
  let copy: JsonObject | null = null;
  for (const name in plan) {
    const entry = plan[name]!;
    const v = value[name];
    let next: unknown = v;
    if (entry === true) {
      if (typeof v === 'number' && Number.isFinite(v)) next = isoFromSeconds(v);
    } else if (v !== null && typeof v === 'object') {
      next = withIsoTimestamps(v, entry);
    }
    if (next !== v) (copy ??= { ...value })[name] = next as JsonObject[string];
  }
  return (copy ?? value) as T;
}
