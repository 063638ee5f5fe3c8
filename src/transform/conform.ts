import type { JsonObject, JsonSchema } from '../protocol/types.js';
import { fromIsoString } from '../util/time.js';

type JsonType = 'string' | 'integer' | 'number' | 'boolean' | 'object' | 'array' | 'null';

/** What one schema node accepts, compiled once per stream. */
interface Plan {
  /** Null: any value. */
  types: Set<JsonType> | null;
  properties: Map<string, Plan> | null;
  items: Plan | null;
}

/** Told once per stream and field when a value is passed through in a type its schema does not allow. */
export type MismatchReporter = (path: string, value: unknown, expected: string) => void;

/**
 * Makes records fit their stream's declared schema where that loses no
 * information: a number or boolean where a string is declared becomes its
 * text, a numeric string where a number or integer is declared becomes the
 * number, an ISO-8601 instant on whole seconds where an integer is declared
 * (Intercom's timestamps) becomes Unix seconds, "true"/"false" where a
 * boolean is declared becomes the boolean. Anything else is passed through
 * as it came and reported. Records that fit are returned as they are.
 */
export function conformerFor(schema: JsonSchema, report: MismatchReporter): (record: JsonObject) => JsonObject {
  const plan = compile(schema);
  if (!plan.properties) return (record) => record;
  return (record) => conformObject(record, plan, '', report);
}

function compile(node: unknown): Plan {
  if (node === null || typeof node !== 'object' || Array.isArray(node)) return { types: null, properties: null, items: null };
  const n = node as JsonObject;
  const declared = typeof n.type === 'string' ? [n.type] : Array.isArray(n.type) ? n.type.filter((x): x is string => typeof x === 'string') : null;
  const props = n.properties !== null && typeof n.properties === 'object' && !Array.isArray(n.properties) ? (n.properties as JsonObject) : null;
  return {
    types: declared ? new Set(declared as JsonType[]) : null,
    properties: props ? new Map(Object.entries(props).map(([k, v]) => [k, compile(v)])) : null,
    items: n.items !== undefined ? compile(n.items) : null,
  };
}

function typeOf(value: unknown): JsonType {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'number';
  return typeof value as JsonType;
}

function fits(types: Set<JsonType>, t: JsonType): boolean {
  return types.has(t) || (t === 'integer' && types.has('number'));
}

function conformObject(record: JsonObject, plan: Plan, path: string, report: MismatchReporter): JsonObject {
  let out: JsonObject | null = null;
  for (const key in record) {
    const child = plan.properties!.get(key);
    if (!child) continue;
    const value = record[key];
    const next = conformValue(value, child, path ? `${path}.${key}` : key, report);
    if (next !== value) {
      out ??= { ...record };
      out[key] = next;
    }
  }
  return out ?? record;
}

function conformValue(value: unknown, plan: Plan, path: string, report: MismatchReporter): unknown {
  const t = typeOf(value);
  if (plan.types && !fits(plan.types, t)) {
    const converted = convert(value, t, plan.types);
    if (converted === undefined) {
      report(path, value, [...plan.types].join(' or '));
      return value;
    }
    return converted;
  }
  if (t === 'object' && plan.properties) return conformObject(value as JsonObject, plan, path, report);
  if (t === 'array' && plan.items && (plan.items.types || plan.items.properties)) {
    const items = value as unknown[];
    let out: unknown[] | null = null;
    items.forEach((item, i) => {
      const next = conformValue(item, plan.items!, `${path}[]`, report);
      if (next !== item) {
        out ??= [...items];
        out[i] = next;
      }
    });
    return out ?? value;
  }
  return value;
}

/** The value in a declared type, when nothing is lost on the way; undefined otherwise. */
function convert(value: unknown, t: JsonType, types: Set<JsonType>): unknown {
  if ((t === 'integer' || t === 'number' || t === 'boolean') && types.has('string')) return String(value);
  if (t === 'string') {
    const text = value as string;
    if ((types.has('integer') || types.has('number')) && /^-?\d+(\.\d+)?$/.test(text.trim())) {
      const n = Number(text);
      if (Number.isFinite(n) && (types.has('number') || (Number.isSafeInteger(n) && String(n) === text.trim()))) return n;
    }
    if (types.has('integer')) {
      // Whole seconds only: a fraction would be lost.
      const seconds = /\.\d*[1-9]/.test(text) ? null : fromIsoString(text);
      if (seconds !== null) return seconds;
    }
    if (types.has('boolean') && (text === 'true' || text === 'false')) return text === 'true';
  }
  return undefined;
}
