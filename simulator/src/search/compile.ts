/**
 * Turns a parsed query into a predicate, enforcing the per-type operator rules
 * and value types, and works out which timestamp range the query implies so
 * the executor can read an index slice instead of the whole table.
 *
 * Contact dates compare by calendar day in the workspace time zone:
 * `> T` matches from the start of the next zoned day, `< T` before the start
 * of T's zoned day, `= T` the whole zoned day; other operators are rejected.
 * Conversation and ticket dates compare to the second.
 */
import { badRequest } from '../errors.js';
import { startOfNextZonedDay, startOfZonedDay } from '../calendar.js';
import type { FieldSpec, FieldType, RecordView, Resource } from './fields.js';
import type { FilterNode, Operator, QueryNode, Scalar } from './query.js';

const STRING_OPS: readonly Operator[] = ['=', '!=', 'IN', 'NIN', '~', '!~', '^', '$'];
const NUMBER_OPS: readonly Operator[] = ['=', '!=', 'IN', 'NIN', '<', '>', '<=', '>='];
const BOOLEAN_OPS: readonly Operator[] = ['=', '!=', 'IN', 'NIN'];
const CONTACT_DATE_OPS: readonly Operator[] = ['=', '<', '>'];

function allowedOperators(type: FieldType, dayPrecisionDates: boolean): readonly Operator[] {
  switch (type) {
    case 'string':
      return STRING_OPS;
    case 'boolean':
      return BOOLEAN_OPS;
    case 'date':
      return dayPrecisionDates ? CONTACT_DATE_OPS : NUMBER_OPS;
    default:
      return NUMBER_OPS;
  }
}

export type IndexedField = 'updated_at' | 'created_at';

/** Keys in [from, to). */
export interface KeyRange {
  field: IndexedField;
  from: number;
  to: number;
}

export interface CompiledQuery<R> {
  test(view: RecordView<R>): boolean;
  range: KeyRange | null;
}

type Predicate<R> = (view: RecordView<R>) => boolean;

function coerce(field: string, type: FieldType, value: Scalar): Scalar {
  if (value === null) return null;
  switch (type) {
    case 'string':
      return String(value);
    case 'boolean':
      if (typeof value === 'boolean') return value;
      if (value === 'true' || value === 'false') return value === 'true';
      throw badRequest(`${field} expects a boolean value, got ${JSON.stringify(value)}`);
    default: {
      const n = typeof value === 'number' ? value : typeof value === 'string' && value.trim() !== '' ? Number(value) : NaN;
      if (!Number.isFinite(n)) {
        throw badRequest(`${field} expects ${type === 'date' ? 'a Unix timestamp' : 'a number'}, got ${JSON.stringify(value)}`);
      }
      return n;
    }
  }
}

function normalize(value: unknown): unknown {
  return typeof value === 'string' ? value.toLowerCase() : value;
}

/** Equality with one searched (non-null) value, built once per filter so rows allocate nothing. */
function equalTo(searched: Exclude<Scalar, null>): (recordValue: unknown) => boolean {
  if (typeof searched === 'number') {
    return (v) => (typeof v === 'number' ? v === searched : Number(v) === searched);
  }
  if (typeof searched === 'boolean') return (v) => v === searched;
  const wanted = searched.toLowerCase();
  return (v) => (typeof v === 'string' || typeof v === 'number' ? normalize(String(v)) === wanted : false);
}

/** Whether any value of a (possibly multi-valued) field satisfies `test`; no array is allocated per row. */
function anyValue(raw: unknown, test: (value: unknown) => boolean): boolean {
  if (Array.isArray(raw)) return raw.some(test);
  return raw !== undefined && raw !== null && test(raw);
}

function isMissing(raw: unknown): boolean {
  return raw === undefined || raw === null || (Array.isArray(raw) && raw.length === 0);
}

function words(html: unknown): string[] {
  if (typeof html !== 'string') return [];
  return html
    .replace(/<[^>]+>/g, ' ')
    .toLowerCase()
    .split(/[^\p{L}\p{N}'@.-]+/u)
    .filter((w) => w !== '');
}

function stringTest(operator: Operator, searched: string): (value: string) => boolean {
  const s = searched.toLowerCase();
  switch (operator) {
    case '~':
    case '!~':
      return (v) => v.toLowerCase().includes(s);
    case '^':
      return (v) => v.toLowerCase().startsWith(s);
    default:
      return (v) => v.toLowerCase().endsWith(s);
  }
}

function compareTest(operator: Operator, searched: number): (value: number) => boolean {
  switch (operator) {
    case '<':
      return (v) => v < searched;
    case '<=':
      return (v) => v <= searched;
    case '>':
      return (v) => v > searched;
    default:
      return (v) => v >= searched;
  }
}

interface CompiledFilter<R> {
  test: Predicate<R>;
  range: KeyRange | null;
}

function indexed(field: string): IndexedField | null {
  return field === 'updated_at' || field === 'created_at' ? field : null;
}

function compileFilter<R>(node: FilterNode, resource: Resource<R>, timezone: string): CompiledFilter<R> {
  const spec: FieldSpec<R> | undefined = resource.field(node.field);
  if (!spec) throw badRequest(`${node.field} is not a searchable field for ${resource.name}`);
  const allowed = spec.operators ?? allowedOperators(spec.type, resource.dayPrecisionDates);
  if (!allowed.includes(node.operator)) {
    throw badRequest(`Operator ${node.operator} is not supported for field ${node.field} (allowed: ${allowed.join(' ')})`);
  }
  const map = spec.mapValue ?? ((v: Scalar) => v);
  const get = spec.get;
  const op = node.operator;
  const field = indexed(node.field);

  if (op === 'IN' || op === 'NIN') {
    const searched = (node.value as Scalar[]).map((v) => map(coerce(node.field, spec.type, v)));
    const wantsMissing = searched.includes(null);
    const tests = searched.filter((v): v is Exclude<Scalar, null> => v !== null).map(equalTo);
    const equalsAny = (v: unknown): boolean => {
      for (const test of tests) if (test(v)) return true;
      return false;
    };
    const any = (view: RecordView<R>): boolean => {
      const raw = get(view);
      return (wantsMissing && isMissing(raw)) || anyValue(raw, equalsAny);
    };
    return { test: op === 'IN' ? any : (view) => !any(view), range: null };
  }

  const searched = map(coerce(node.field, spec.type, node.value as Scalar));
  if (spec.type === 'date' && resource.dayPrecisionDates) {
    if (typeof searched !== 'number') throw badRequest(`${node.field} expects a Unix timestamp`);
    const dayStart = startOfZonedDay(searched, timezone);
    const nextDay = startOfNextZonedDay(searched, timezone);
    const [from, to] = op === '>' ? [nextDay, Infinity] : op === '<' ? [-Infinity, dayStart] : [dayStart, nextDay];
    const inDays = (v: unknown): boolean => typeof v === 'number' && v >= from && v < to;
    return { test: (view) => anyValue(get(view), inDays), range: field ? { field, from, to } : null };
  }

  if (op === '=' || op === '!=') {
    const eq = spec.words
      ? (view: RecordView<R>): boolean => typeof searched === 'string' && words(get(view)).includes(searched.toLowerCase())
      : searched === null
        ? (view: RecordView<R>): boolean => isMissing(get(view))
        : ((equal) => (view: RecordView<R>): boolean => anyValue(get(view), equal))(equalTo(searched));
    let range: KeyRange | null = null;
    if (op === '=' && field && typeof searched === 'number') range = { field, from: searched, to: searched + 1 };
    return { test: op === '=' ? eq : (view) => !eq(view), range };
  }

  if (op === '~' || op === '!~' || op === '^' || op === '$') {
    if (typeof searched !== 'string') throw badRequest(`Operator ${op} on ${node.field} needs a string value`);
    const test = stringTest(op, searched);
    const matchesString = (v: unknown): boolean => typeof v === 'string' && test(v);
    const matches = (view: RecordView<R>): boolean => anyValue(get(view), matchesString);
    return { test: op === '!~' ? (view) => !matches(view) : matches, range: null };
  }

  if (typeof searched !== 'number') throw badRequest(`Operator ${op} on ${node.field} needs a numeric value`);
  const test = compareTest(op, searched);
  let range: KeyRange | null = null;
  if (field) {
    if (op === '>') range = { field, from: Math.floor(searched) + 1, to: Infinity };
    else if (op === '>=') range = { field, from: Math.ceil(searched), to: Infinity };
    else if (op === '<') range = { field, from: -Infinity, to: Math.ceil(searched) };
    else range = { field, from: -Infinity, to: Math.floor(searched) + 1 };
  }
  const matchesNumber = (v: unknown): boolean => typeof v === 'number' && test(v);
  return { test: (view) => anyValue(get(view), matchesNumber), range };
}

function intersect(a: KeyRange | null, b: KeyRange | null): KeyRange | null {
  if (!a) return b;
  if (!b || a.field !== b.field) return a;
  return { field: a.field, from: Math.max(a.from, b.from), to: Math.min(a.to, b.to) };
}

function compileNode<R>(node: QueryNode, resource: Resource<R>, timezone: string, topLevel: boolean): CompiledFilter<R> {
  if (node.kind === 'filter') return compileFilter(node, resource, timezone);
  const children = node.children.map((child) => compileNode(child, resource, timezone, false));
  const tests = children.map((c) => c.test);
  // Plain loops: a closure per row and group would dominate a scan of 500,000 rows.
  if (node.operator === 'OR') {
    return {
      test: (view) => {
        for (const test of tests) if (test(view)) return true;
        return false;
      },
      range: null,
    };
  }
  let range: KeyRange | null = null;
  if (topLevel) {
    // Prefer updated_at, the field incremental syncs filter on; created_at otherwise.
    for (const wanted of ['updated_at', 'created_at'] as const) {
      for (const child of children) if (child.range?.field === wanted) range = intersect(range, child.range);
      if (range) break;
    }
  }
  return {
    test: (view) => {
      for (const test of tests) if (!test(view)) return false;
      return true;
    },
    range,
  };
}

export function compileQuery<R>(node: QueryNode, resource: Resource<R>, timezone: string): CompiledQuery<R> {
  const compiled = compileNode(node, resource, timezone, true);
  return { test: compiled.test, range: compiled.range };
}
