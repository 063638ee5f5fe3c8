import type { Column, StreamPlan } from './catalog.js';
import type { JsonObject, JsonValue } from './protocol.js';

/**
 * The rules a record must meet to be written, stated in JS. DuckDB applies
 * the same rules while it loads a stage file (stage-load.ts); when it refuses
 * a file, these find the line and say which field is wrong.
 */

type Check = (value: JsonValue) => string | undefined;

function preview(value: JsonValue): string {
  const text = JSON.stringify(value);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

function isTimestamp(value: JsonValue): boolean {
  if (typeof value === 'string') return !Number.isNaN(Date.parse(value));
  return typeof value === 'number' && Number.isFinite(value);
}

function check(column: Column): Check {
  const name = column.name;
  switch (column.type) {
    case 'BIGINT':
      return (v) => (typeof v === 'boolean' || (typeof v === 'number' && Number.isInteger(v)) ? undefined : `field "${name}" must be an integer, got ${preview(v)}`);
    case 'DOUBLE':
      return (v) => (typeof v === 'number' ? undefined : `field "${name}" must be a number, got ${preview(v)}`);
    case 'BOOLEAN':
      return (v) => (typeof v === 'boolean' ? undefined : `field "${name}" must be a boolean, got ${preview(v)}`);
    case 'TIMESTAMPTZ':
      return (v) => (isTimestamp(v) ? undefined : `field "${name}" must be an ISO-8601 date-time or Unix seconds, got ${preview(v)}`);
    case 'JSON':
    case 'VARCHAR':
      // Any value fits: a VARCHAR column holds the text of what is not a string.
      return () => undefined;
  }
}

/** Returns why a record's data does not fit its stream, or undefined when it does. */
export function recordChecker(plan: StreamPlan): (data: JsonValue) => string | undefined {
  const required = plan.mode === 'append_dedup' ? plan.primaryKey : [];
  const checks = plan.columns.map((c) => [c.name, check(c)] as const);
  return (data) => {
    if (data === null || typeof data !== 'object' || Array.isArray(data)) return 'record.data must be an object';
    const record = data as JsonObject;
    for (const key of required) {
      if (record[key] === undefined || record[key] === null) return `primary key field "${key}" is missing`;
    }
    for (const [name, fits] of checks) {
      const v = record[name];
      if (v === undefined || v === null) continue;
      const problem = fits(v);
      if (problem !== undefined) return problem;
    }
    return undefined;
  };
}
