/**
 * The single place that reads the official Intercom OpenAPI description
 * (OpenAPI 3.0.1, API 2.16) and turns its schemas into JSON Schema draft-07.
 *
 * Two conversions, one pipeline:
 * - `validate`: faithful draft-07 for checking response bodies (types, enums,
 *   required, formats on strings) that tolerates unknown properties;
 * - `stream`: an Airbyte stream schema derived from the `validate` form by
 *   collapsing unions into type lists, so it has no `$ref`/`allOf`/`not`/`anyOf`,
 *   every property is nullable and every object is open. Enums, `required` and
 *   value constraints are dropped too: a value Intercom adds later must not fail a sync.
 *
 * Both read the spec through `SPEC_CORRECTIONS`, the few places where the OpenAPI
 * contradicts its own examples.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Ajv, ErrorObject, ValidateFunction } from 'ajv';
import { createAjv } from '../../src/util/ajv.js';
import { parse as parseYaml } from 'yaml';
import { OPENAPI_FILE, vendorFile } from './vendor.js';

export type JsonSchema = Record<string, unknown>;
export type OpenApiSchema = Record<string, unknown>;

export interface OpenApiDoc {
  openapi: string;
  info: { title: string; version: string };
  paths: Record<string, Record<string, unknown>>;
  components: { schemas: Record<string, OpenApiSchema>; [section: string]: unknown };
}

export type ConversionMode = 'validate' | 'stream';

export interface ConversionOptions {
  mode: ConversionMode;
  /** Resolve `$ref`s against this document instead of the official one (tests). */
  doc?: OpenApiDoc;
}

export interface ValidationResult {
  ok: boolean;
  /** ajv's messages, one a line; empty when ok. */
  errors: string;
}

export type Validator = (value: unknown) => ValidationResult;

export class OpenApiError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'OpenApiError';
  }
}

// ---------------------------------------------------------------------------
// Loading

let cachedDoc: OpenApiDoc | undefined;

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function openApiPath(): string {
  return vendorFile(...OPENAPI_FILE);
}

/** Parses the OpenAPI file once per process. */
export function loadOpenApi(): OpenApiDoc {
  if (cachedDoc) return cachedDoc;
  const path = openApiPath();
  const parsed: unknown = parseYaml(readFileSync(path, 'utf8'));
  if (
    !isRecord(parsed) ||
    typeof parsed['openapi'] !== 'string' ||
    !parsed['openapi'].startsWith('3.0') ||
    !isRecord(parsed['info']) ||
    !isRecord(parsed['paths']) ||
    !isRecord(parsed['components']) ||
    !isRecord(parsed['components']['schemas'])
  ) {
    throw new OpenApiError(`${path} is not an OpenAPI 3.0 document with components.schemas`);
  }
  cachedDoc = parsed as unknown as OpenApiDoc;
  return cachedDoc;
}

/** The raw OpenAPI component `#/components/schemas/<name>`. */
export function componentSchema(name: string, doc: OpenApiDoc = loadOpenApi()): OpenApiSchema {
  const schema = doc.components.schemas[name];
  if (!isRecord(schema)) throw new OpenApiError(`No component schema named "${name}"`);
  return schema;
}

/** Follows a local JSON pointer such as `#/components/responses/Unauthorized`. */
function resolvePointer(doc: OpenApiDoc, ref: string): unknown {
  if (!ref.startsWith('#/')) throw new OpenApiError(`Only local $refs are supported, got "${ref}"`);
  let node: unknown = doc;
  for (const raw of ref.slice(2).split('/')) {
    const key = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    if (!isRecord(node) || !(key in node)) throw new OpenApiError(`Unresolvable $ref "${ref}"`);
    node = node[key];
  }
  return node;
}

function deref(doc: OpenApiDoc, value: unknown): unknown {
  let node = value;
  const seen = new Set<string>();
  while (isRecord(node) && typeof node['$ref'] === 'string') {
    const ref = node['$ref'];
    if (seen.has(ref)) throw new OpenApiError(`Circular $ref "${ref}"`);
    seen.add(ref);
    node = resolvePointer(doc, ref);
  }
  return node;
}

/** The `application/json` schema of an operation's response (`$ref`s to shared responses followed). */
export function responseSchema(
  method: string,
  pathTemplate: string,
  status = 200,
  doc: OpenApiDoc = loadOpenApi(),
): OpenApiSchema {
  const json = responseJsonContent(method, pathTemplate, status, doc);
  const schema = json['schema'];
  if (!isRecord(schema)) {
    throw new OpenApiError(`${method.toUpperCase()} ${pathTemplate} ${status} has no application/json schema`);
  }
  return schema;
}

/** The example bodies of an operation's `application/json` response, by example name. */
export function responseExamples(
  method: string,
  pathTemplate: string,
  status = 200,
  doc: OpenApiDoc = loadOpenApi(),
): Map<string, unknown> {
  const json = responseJsonContent(method, pathTemplate, status, doc);
  const out = new Map<string, unknown>();
  const examples = json['examples'];
  if (isRecord(examples)) {
    for (const [name, example] of Object.entries(examples)) {
      const resolved = deref(doc, example);
      if (isRecord(resolved) && 'value' in resolved) out.set(name, resolved['value']);
    }
  }
  if ('example' in json) out.set('example', json['example']);
  return out;
}

function responseJsonContent(
  method: string,
  pathTemplate: string,
  status: number,
  doc: OpenApiDoc,
): Record<string, unknown> {
  const where = `${method.toUpperCase()} ${pathTemplate}`;
  const pathItem = doc.paths[pathTemplate];
  if (!isRecord(pathItem)) throw new OpenApiError(`No path "${pathTemplate}" in the OpenAPI description`);
  const operation = pathItem[method.toLowerCase()];
  if (!isRecord(operation)) throw new OpenApiError(`No operation ${where}`);
  const responses = operation['responses'];
  const response = deref(doc, isRecord(responses) ? responses[String(status)] : undefined);
  if (!isRecord(response)) throw new OpenApiError(`${where} declares no ${status} response`);
  const content = response['content'];
  const json = isRecord(content) ? content['application/json'] : undefined;
  if (!isRecord(json)) throw new OpenApiError(`${where} ${status} has no application/json content`);
  return json;
}

// ---------------------------------------------------------------------------
// OpenAPI 3.0 schema -> faithful JSON Schema draft-07 (the `validate` form)

const DRAFT_07 = 'http://json-schema.org/draft-07/schema#';

/** Keywords whose meaning is the same in OpenAPI 3.0 and draft-07 and that constrain values. */
const COPIED_CONSTRAINTS = [
  'minimum',
  'maximum',
  'multipleOf',
  'minLength',
  'maxLength',
  'pattern',
  'minItems',
  'maxItems',
  'uniqueItems',
  'minProperties',
  'maxProperties',
] as const;

/**
 * Places where the OpenAPI contradicts its own response examples and Intercom's responses;
 * the conversion reads the corrected schema instead (both modes). Keep `why` factual.
 */
export interface SpecCorrection {
  /** JSON pointer to the schema node that is replaced. */
  pointer: string;
  why: string;
  correct: (original: OpenApiSchema) => OpenApiSchema;
}

const untypedButNullable = (original: OpenApiSchema): OpenApiSchema => ({
  description: original['description'],
  nullable: true,
});

export const SPEC_CORRECTIONS: readonly SpecCorrection[] = [
  {
    pointer: '#/components/schemas/activity_log_metadata/properties/before',
    why:
      'declared `type: object` although its description says the structure varies by activity type; ' +
      'the GET /admins/activity_logs example has the string "before" (now any type)',
    correct: untypedButNullable,
  },
  {
    pointer: '#/components/schemas/activity_log_metadata/properties/after',
    why: 'as `before`: declared `type: object`, the example has the string "after" (now any type)',
    correct: untypedButNullable,
  },
  {
    pointer: '#/components/schemas/activity_log_metadata/properties/auto_changed',
    why: 'declared `type: string` but its own example is the boolean `false` (now string or boolean)',
    correct: (original) => ({
      description: original['description'],
      nullable: true,
      anyOf: [{ type: 'string' }, { type: 'boolean' }],
    }),
  },
  {
    pointer: '#/components/schemas/addressable_list/properties/type',
    why: 'carries `format: uri` but holds an object type name such as "tag" or "note" (format dropped)',
    correct: ({ format: _format, ...rest }) => rest,
  },
];

const correctionsByDoc = new WeakMap<OpenApiDoc, Map<unknown, OpenApiSchema>>();

/** The corrected replacement for each node of `doc` that a correction addresses. */
function correctionsFor(doc: OpenApiDoc): Map<unknown, OpenApiSchema> {
  let corrections = correctionsByDoc.get(doc);
  if (!corrections) {
    corrections = new Map();
    for (const { pointer, correct } of SPEC_CORRECTIONS) {
      const node = tryResolvePointer(doc, pointer);
      if (isRecord(node)) corrections.set(node, correct(node));
    }
    correctionsByDoc.set(doc, corrections);
  }
  return corrections;
}

function tryResolvePointer(doc: OpenApiDoc, pointer: string): unknown {
  try {
    return resolvePointer(doc, pointer);
  } catch {
    return undefined;
  }
}

/** The OpenAPI node a correction addresses, or undefined once the spec no longer has it. */
export function correctedNode(correction: SpecCorrection, doc: OpenApiDoc = loadOpenApi()): unknown {
  return tryResolvePointer(doc, correction.pointer);
}

interface ConvertContext {
  doc: OpenApiDoc;
  corrections: Map<unknown, OpenApiSchema>;
  /** `$ref`s being expanded on the current path: a repeat is a cycle. */
  refStack: readonly string[];
}

function convert(original: unknown, ctx: ConvertContext): JsonSchema {
  const schema = ctx.corrections.get(original) ?? original;
  if (!isRecord(schema)) return {};
  const nullable = schema['nullable'] === true;

  const ref = schema['$ref'];
  if (typeof ref === 'string') {
    // Spec quirk: `nullable` (and description) written next to a `$ref`; OpenAPI 3.0 ignores
    // siblings of `$ref`, but the intent is "this reference may be null", so honour it.
    if (ctx.refStack.includes(ref)) return {};
    const resolved = convert(resolvePointer(ctx.doc, ref), { ...ctx, refStack: [...ctx.refStack, ref] });
    // A description beside the `$ref` says what this property means, more precisely than the target's.
    const target = typeof schema['description'] === 'string' ? { ...resolved, description: schema['description'] } : resolved;
    return nullable ? makeNullable(target) : target;
  }

  let result = convertOwnKeywords(schema, ctx);
  const allOf = schema['allOf'];
  if (Array.isArray(allOf)) {
    for (const part of allOf) result = mergeSchemas(result, convert(part, ctx));
  }
  // The outer `nullable` wins over non-nullable `allOf` parts: that is what the spec means by
  // `{nullable: true, allOf: [{$ref}]}`, even though OpenAPI 3.0.3 would read it otherwise.
  return nullable ? makeNullable(result) : result;
}

function convertOwnKeywords(schema: OpenApiSchema, ctx: ConvertContext): JsonSchema {
  const out: JsonSchema = {};
  if (typeof schema['description'] === 'string' && schema['description'].trim() !== '') out['description'] = schema['description'].trim();
  const type = schema['type'];
  if (typeof type === 'string') out['type'] = type;
  // Formats describe strings only; Intercom writes `format: date-time` (and `timestamp`) on
  // Unix-second integers, which must stay plain integers.
  const format = schema['format'];
  if (type === 'string' && typeof format === 'string') {
    // Intercom's `url` fields hold relative references ("/contacts/1/tags") though typed `uri`.
    out['format'] = format === 'uri' ? 'uri-reference' : format;
  }
  if (Array.isArray(schema['enum'])) out['enum'] = [...schema['enum']];
  for (const keyword of COPIED_CONSTRAINTS) {
    if (schema[keyword] !== undefined) out[keyword] = schema[keyword];
  }
  // OpenAPI 3.0 exclusive bounds are booleans beside minimum/maximum; draft-07 wants numbers.
  if (schema['exclusiveMinimum'] === true && typeof schema['minimum'] === 'number') {
    out['exclusiveMinimum'] = schema['minimum'];
    delete out['minimum'];
  }
  if (schema['exclusiveMaximum'] === true && typeof schema['maximum'] === 'number') {
    out['exclusiveMaximum'] = schema['maximum'];
    delete out['maximum'];
  }

  const properties = schema['properties'];
  if (isRecord(properties)) {
    const converted: Record<string, JsonSchema> = {};
    for (const [name, property] of Object.entries(properties)) converted[name] = convert(property, ctx);
    out['properties'] = converted;
  }
  const required = schema['required'];
  if (Array.isArray(required) && required.length > 0) out['required'] = [...required];
  // `additionalProperties: false` is dropped on purpose: unknown properties are tolerated.
  const additional = schema['additionalProperties'];
  if (isRecord(additional)) out['additionalProperties'] = convert(additional, ctx);
  if (schema['items'] !== undefined) out['items'] = convert(schema['items'], ctx);

  // `oneOf` becomes `anyOf`: Intercom's variants overlap (open objects), so a value often
  // matches several of them and `oneOf` would reject it.
  const unions = ['oneOf', 'anyOf']
    .map((keyword) => schema[keyword])
    .filter((variants): variants is unknown[] => Array.isArray(variants))
    .map((variants) => variants.map((variant) => convert(variant, ctx)));
  const [firstUnion, ...moreUnions] = unions;
  if (firstUnion) out['anyOf'] = firstUnion;
  if (moreUnions.length > 0) out['allOf'] = moreUnions.map((variants) => ({ anyOf: variants }));
  if (schema['not'] !== undefined) out['not'] = convert(schema['not'], ctx);
  return out;
}

function typeList(schema: JsonSchema): string[] | undefined {
  const type = schema['type'];
  if (typeof type === 'string') return [type];
  if (Array.isArray(type)) return type.filter((t): t is string => typeof t === 'string');
  return undefined;
}

function setTypeList(schema: JsonSchema, types: string[]): void {
  schema['type'] = types.length === 1 ? types[0] : types;
}

/** Whether a (converted) schema lets `null` through at its own level. */
export function acceptsNull(schema: unknown): boolean {
  if (!isRecord(schema)) return schema !== false;
  const types = typeList(schema);
  if (types && !types.includes('null')) return false;
  const values = schema['enum'];
  if (Array.isArray(values) && !values.includes(null)) return false;
  const anyOf = schema['anyOf'];
  if (Array.isArray(anyOf) && !anyOf.some(acceptsNull)) return false;
  const allOf = schema['allOf'];
  if (Array.isArray(allOf) && !allOf.every(acceptsNull)) return false;
  return !('not' in schema);
}

function makeNullable(schema: JsonSchema): JsonSchema {
  if (acceptsNull(schema)) return schema;
  if (schema['allOf'] !== undefined || schema['not'] !== undefined) {
    return { anyOf: [schema, { type: 'null' }] };
  }
  const out: JsonSchema = { ...schema };
  const types = typeList(out);
  if (types && !types.includes('null')) setTypeList(out, [...types, 'null']);
  const values = out['enum'];
  if (Array.isArray(values) && !values.includes(null)) out['enum'] = [...values, null];
  const anyOf = out['anyOf'];
  if (Array.isArray(anyOf) && !anyOf.some(acceptsNull)) out['anyOf'] = [...anyOf, { type: 'null' }];
  return out;
}

function sameJson(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/** Intersection of two type lists; `integer` is the meet of `integer` and `number`. */
function intersectTypes(a: string[], b: string[]): string[] {
  const out: string[] = [];
  for (const t of a) {
    if (b.includes(t)) out.push(t);
    else if (t === 'integer' && b.includes('number')) out.push('integer');
    else if (t === 'number' && b.includes('integer')) out.push('integer');
  }
  return [...new Set(out)];
}

/**
 * `allOf` semantics for two converted schemas, written as one schema. Whatever cannot be
 * merged exactly is kept as a residual `allOf` (the `stream` step flattens those too).
 */
function mergeSchemas(a: JsonSchema, b: JsonSchema): JsonSchema {
  const out: JsonSchema = { ...a };
  const residual: JsonSchema[] = [];
  for (const [keyword, value] of Object.entries(b)) {
    const mine = out[keyword];
    if (mine === undefined) {
      out[keyword] = value;
      continue;
    }
    switch (keyword) {
      case 'type': {
        const meet = intersectTypes(typeList(a) ?? [], typeList(b) ?? []);
        if (meet.length > 0) setTypeList(out, meet);
        else residual.push({ type: value });
        break;
      }
      case 'enum': {
        const theirs = Array.isArray(value) ? value : [];
        const kept = (Array.isArray(mine) ? mine : []).filter((v) => theirs.some((w) => sameJson(v, w)));
        if (kept.length > 0) out['enum'] = kept;
        else residual.push({ enum: value });
        break;
      }
      case 'properties': {
        const merged: Record<string, JsonSchema> = { ...(mine as Record<string, JsonSchema>) };
        for (const [name, property] of Object.entries(value as Record<string, JsonSchema>)) {
          const existing = merged[name];
          merged[name] = existing ? mergeSchemas(existing, property) : property;
        }
        out['properties'] = merged;
        break;
      }
      case 'required':
        out['required'] = [...new Set([...(mine as string[]), ...(value as string[])])];
        break;
      case 'items':
      case 'additionalProperties':
        out[keyword] = mergeSchemas(mine as JsonSchema, value as JsonSchema);
        break;
      case 'minimum':
      case 'minLength':
      case 'minItems':
      case 'minProperties':
      case 'exclusiveMinimum':
        out[keyword] = Math.max(mine as number, value as number);
        break;
      case 'maximum':
      case 'maxLength':
      case 'maxItems':
      case 'maxProperties':
      case 'exclusiveMaximum':
        out[keyword] = Math.min(mine as number, value as number);
        break;
      case 'allOf':
        out['allOf'] = [...(mine as JsonSchema[]), ...(value as JsonSchema[])];
        break;
      case 'description':
        // An annotation, not a constraint: the first (the outer schema's own) is kept.
        break;
      default:
        if (!sameJson(mine, value)) residual.push({ [keyword]: value });
    }
  }
  if (residual.length > 0) out['allOf'] = [...((out['allOf'] as JsonSchema[] | undefined) ?? []), ...residual];
  return out;
}

// ---------------------------------------------------------------------------
// `validate` form -> Airbyte stream schema

type BaseType = 'string' | 'number' | 'integer' | 'boolean' | 'object' | 'array';
const TYPE_ORDER: readonly BaseType[] = ['string', 'integer', 'number', 'boolean', 'object', 'array'];

/**
 * A loose description of the values a schema admits: a set of types plus, for objects and
 * arrays, the declared properties and items. Unions widen it, so it never rejects a value the
 * source schema accepts at the type level.
 */
interface Shape {
  /** Any type at all (an untyped schema). */
  any: boolean;
  types: Set<BaseType>;
  nullable: boolean;
  properties: Map<string, Shape>;
  items: Shape | undefined;
  /** The string format every string alternative agrees on; null once they disagree. */
  format: string | null | undefined;
  /** What the OpenAPI says the value means: the schema's own, else the first alternative's. */
  description: string | undefined;
}

function isBaseType(value: string): value is BaseType {
  return (TYPE_ORDER as readonly string[]).includes(value);
}

function emptyShape(): Shape {
  return { any: false, types: new Set(), nullable: false, properties: new Map(), items: undefined, format: undefined, description: undefined };
}

function jsonTypeOf(value: unknown): BaseType | 'null' {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'number';
  if (typeof value === 'string' || typeof value === 'boolean') return typeof value as BaseType;
  return 'object';
}

function shapeOf(schema: unknown): Shape {
  const shape = emptyShape();
  if (isRecord(schema) && typeof schema['description'] === 'string') shape.description = schema['description'];
  if (!isRecord(schema)) {
    shape.any = schema !== false;
    shape.nullable = shape.any;
    return shape;
  }
  const declared = typeList(schema);
  // Without `type` (and `enum`) a schema lets null through, whatever else it says.
  shape.nullable = true;
  if (declared) {
    for (const t of declared) if (isBaseType(t)) shape.types.add(t);
    shape.nullable = declared.includes('null');
  } else if (Array.isArray(schema['enum'])) {
    shape.nullable = false;
    for (const value of schema['enum']) {
      const t = jsonTypeOf(value);
      if (t === 'null') shape.nullable = true;
      else shape.types.add(t);
    }
  }
  const properties = schema['properties'];
  if (isRecord(properties)) {
    for (const [name, property] of Object.entries(properties)) shape.properties.set(name, shapeOf(property));
    if (!declared) shape.types.add('object');
  }
  if (schema['items'] !== undefined) {
    shape.items = shapeOf(schema['items']);
    if (!declared) shape.types.add('array');
  }
  if (typeof schema['format'] === 'string') shape.format = schema['format'];

  const constrained = declared !== undefined || shape.types.size > 0 || Array.isArray(schema['enum']);
  const anyOf = Array.isArray(schema['anyOf']) ? schema['anyOf'] : [];
  const allOf = Array.isArray(schema['allOf']) ? schema['allOf'] : [];
  if (!constrained && anyOf.length === 0 && allOf.length === 0) {
    shape.any = true;
    return shape;
  }

  let result = shape;
  if (anyOf.length > 0) {
    // The union of the alternatives, each read as if it also carried this level's types.
    const variants = anyOf.map((variant) => inheritTypes(shapeOf(variant), shape, constrained));
    const union = variants.reduce(unionShapes);
    result = narrowTo(union, shape, constrained);
  }
  for (const part of allOf) {
    // Residual allOf parts only add detail here; their properties are all kept (loosely).
    result = narrowTo(unionShapes(result, inheritTypes(shapeOf(part), result, true)), result, true);
  }
  return result;
}

/** A variant without types of its own takes those of the schema it sits in. */
function inheritTypes(variant: Shape, outer: Shape, outerConstrained: boolean): Shape {
  if (!variant.any || !outerConstrained) return variant;
  return { ...variant, any: false, types: new Set(outer.types), nullable: outer.nullable && variant.nullable };
}

/** Keeps the union's types within the outer schema's own (when it has any) and adds its properties. */
function narrowTo(union: Shape, outer: Shape, outerConstrained: boolean): Shape {
  const merged = unionShapes(union, { ...outer, types: new Set(), any: false, nullable: false });
  merged.description = outer.description ?? union.description;
  merged.nullable = union.nullable && (outer.nullable || !outerConstrained);
  if (outerConstrained && !outer.any) {
    const meet = new Set([...union.types].filter((t) => outer.types.has(t)));
    if (outer.types.has('number') && union.types.has('integer')) meet.add('integer');
    if (meet.size > 0 || union.any) {
      merged.types = union.any ? new Set(outer.types) : meet;
      merged.any = false;
    }
  }
  return merged;
}

function unionShapes(a: Shape, b: Shape): Shape {
  const properties = new Map(a.properties);
  for (const [name, property] of b.properties) {
    const existing = properties.get(name);
    properties.set(name, existing ? unionShapes(existing, property) : property);
  }
  const items = a.items && b.items ? unionShapes(a.items, b.items) : (a.items ?? b.items);
  return {
    any: a.any || b.any,
    types: new Set([...a.types, ...b.types]),
    nullable: a.nullable || b.nullable,
    properties,
    items,
    format: unionFormat(a, b),
    description: a.description ?? b.description,
  };
}

function unionFormat(a: Shape, b: Shape): string | null | undefined {
  const stringy = [a, b].filter((s) => s.types.has('string'));
  if (stringy.length === 0) return a.format ?? b.format;
  const formats = stringy.map((s) => s.format);
  if (formats.some((f) => f === undefined || f === null)) return null;
  return formats.every((f) => f === formats[0]) ? formats[0] : null;
}

/** A nullable, open stream property for a shape. */
function emitStreamProperty(shape: Shape): JsonSchema {
  const out: JsonSchema = {};
  if (shape.description) out['description'] = shape.description;
  const types = TYPE_ORDER.filter((t) => shape.types.has(t) && !(t === 'integer' && shape.types.has('number')));
  const untyped = shape.any;
  if (!untyped) out['type'] = [...types, 'null'];
  if (!untyped && types.length === 1 && types[0] === 'string' && typeof shape.format === 'string') {
    out['format'] = shape.format;
  }
  const isObject = untyped ? shape.properties.size > 0 : shape.types.has('object');
  if (isObject) {
    out['additionalProperties'] = true;
    if (shape.properties.size > 0) out['properties'] = emitProperties(shape.properties);
  }
  if (untyped ? shape.items !== undefined : shape.types.has('array')) {
    out['items'] = shape.items ? emitStreamProperty(shape.items) : {};
  }
  return out;
}

function emitProperties(properties: Map<string, Shape>): Record<string, JsonSchema> {
  const out: Record<string, JsonSchema> = {};
  for (const [name, property] of properties) out[name] = emitStreamProperty(property);
  return out;
}

function toStreamSchema(validateForm: JsonSchema): JsonSchema {
  const shape = shapeOf(validateForm);
  if (!shape.types.has('object') && !(shape.any && shape.properties.size > 0)) {
    throw new OpenApiError('A stream schema needs an object at the top level');
  }
  return {
    $schema: DRAFT_07,
    type: 'object',
    additionalProperties: true,
    properties: emitProperties(shape.properties),
  };
}

/**
 * Converts an OpenAPI 3.0 schema (typically `{$ref: '#/components/schemas/x'}` or a component)
 * to JSON Schema draft-07. See the module comment for the two modes.
 */
export function toJsonSchema(schema: unknown, options: ConversionOptions): JsonSchema {
  const doc = options.doc ?? loadOpenApi();
  const validateForm = convert(schema, { doc, corrections: correctionsFor(doc), refStack: [] });
  if (options.mode === 'stream') return toStreamSchema(validateForm);
  return { $schema: DRAFT_07, ...validateForm };
}

// ---------------------------------------------------------------------------
// Validators

export { createAjv };

let sharedAjv: Ajv | undefined;
const validators = new Map<string, Validator>();

function formatErrors(errors: ErrorObject[] | null | undefined): string {
  return (errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message ?? 'is invalid'}${paramsNote(e)}`).join('\n');
}

function paramsNote(error: ErrorObject): string {
  const params: unknown = error.params;
  if (!isRecord(params)) return '';
  if (Array.isArray(params['allowedValues'])) return ` (${JSON.stringify(params['allowedValues'])})`;
  return '';
}

function wrap(validate: ValidateFunction): Validator {
  return (value) => {
    const ok = validate(value) === true;
    return { ok, errors: ok ? '' : formatErrors(validate.errors) };
  };
}

/** Compiles any draft-07 schema into a validator reporting errors the way the others do. */
export function compileValidator(schema: JsonSchema): Validator {
  sharedAjv ??= createAjv();
  return wrap(sharedAjv.compile(schema));
}

function cachedValidator(key: string, schema: () => JsonSchema): Validator {
  let validator = validators.get(key);
  if (!validator) {
    validator = compileValidator(schema());
    validators.set(key, validator);
  }
  return validator;
}

/** Validates a value against component `name` (`validate` mode). */
export function componentValidator(name: string): Validator {
  componentSchema(name);
  return cachedValidator(`component ${name}`, () =>
    toJsonSchema({ $ref: `#/components/schemas/${name}` }, { mode: 'validate' }),
  );
}

/** Validates a body against an operation's `application/json` response schema (`validate` mode). */
export function responseValidator(method: string, pathTemplate: string, status = 200): Validator {
  const schema = responseSchema(method, pathTemplate, status);
  return cachedValidator(`response ${method.toLowerCase()} ${pathTemplate} ${status}`, () =>
    toJsonSchema(schema, { mode: 'validate' }),
  );
}

// ---------------------------------------------------------------------------
// Committed stream schemas (written by tools/scripts/gen-schemas.ts, checked by the tests)

/** Components that get a generated stream schema under src/schemas/intercom/. */
export const STREAM_SCHEMA_COMPONENTS = [
  'admin',
  'team',
  'tag',
  'segment',
  'subscription_type',
  'data_attribute',
  'conversation_attribute',
  'company',
  'contact',
  'conversation',
  'conversation_part',
  'ticket',
  'activity_log',
  'help_center',
  'collection',
  'article_list_item',
] as const;

export const STREAM_SCHEMA_DIR = join('src', 'schemas', 'intercom');
export const GENERATOR_SCRIPT = 'tools/scripts/gen-schemas.ts';
export const GENERATOR_COMMAND = 'npm run gen-schemas';

/** The stream schema file for a component, exactly as the generator writes it (parsed). */
/**
 * Descriptions for the few top-level properties the OpenAPI leaves without
 * one, so that every column of a catalog says what it holds. Written from
 * the OpenAPI's own sub-properties and enums.
 */
const MISSING_DESCRIPTIONS: Record<string, Record<string, string>> = {
  company: { plan: 'The plan the company is on: its type, id and name.' },
  contact: { avatar: "The contact's avatar: its type and image_url." },
  activity_log: { activity_type: 'The kind of activity, one of the values the OpenAPI enumerates (for example admin_away_mode_change).' },
};

export function streamSchemaDocument(componentName: string): JsonSchema {
  const doc = loadOpenApi();
  componentSchema(componentName, doc);
  const { $schema, ...rest } = toJsonSchema({ $ref: `#/components/schemas/${componentName}` }, { mode: 'stream' });
  const properties = rest['properties'] as Record<string, JsonSchema>;
  for (const [name, description] of Object.entries(MISSING_DESCRIPTIONS[componentName] ?? {})) {
    const property = properties[name];
    if (property && property['description'] === undefined) properties[name] = { description, ...property };
  }
  return {
    $schema,
    $comment:
      `Generated from the official Intercom OpenAPI ${doc.info.version} description, ` +
      `component "${componentName}" (#/components/schemas/${componentName}), by ${GENERATOR_SCRIPT}. ` +
      `Do not edit: change the generator and run \`${GENERATOR_COMMAND}\`.`,
    ...rest,
  };
}

/** A JSON array of strings, as `JSON.stringify(…, null, 2)` spreads it over lines. */
const STRING_ARRAY = /\[\s*"(?:[^"\\]|\\.)*"(?:\s*,\s*"(?:[^"\\]|\\.)*")*\s*\]/g;

/** The exact text of a generated file: 2-space JSON, `"type": ["string", "null"]` on one line. */
export function serializeSchemaFile(schema: JsonSchema): string {
  const text = JSON.stringify(schema, null, 2).replace(STRING_ARRAY, (array) => {
    const values: unknown = JSON.parse(array);
    return Array.isArray(values) ? `[${values.map((v) => JSON.stringify(v)).join(', ')}]` : array;
  });
  return `${text}\n`;
}

// ---------------------------------------------------------------------------
// Holding a connector's stream schema against the OpenAPI

/**
 * Problems with `streamSchema` as a stream schema for component `componentName`; empty when
 * fine. Every property the component declares (recursively into objects and array items) must
 * be in the stream schema with a type that accepts the component's types, and must be nullable.
 */
export function assertStreamSchemaHoldsAgainstOpenApi(streamSchema: unknown, componentName: string): string[] {
  const expected = shapeOf(toJsonSchema({ $ref: `#/components/schemas/${componentName}` }, { mode: 'validate' }));
  if (!isRecord(streamSchema)) return [`${componentName}: the stream schema is not an object schema`];
  const problems: string[] = [];
  compareShapes(expected, streamSchema, componentName, false, problems);
  return problems;
}

function describeTypes(schema: JsonSchema): string {
  return schema['type'] === undefined ? '(untyped)' : JSON.stringify(schema['type']);
}

function compareShapes(
  expected: Shape,
  actualSchema: JsonSchema,
  path: string,
  mustBeNullable: boolean,
  problems: string[],
): void {
  const actual = shapeOf(actualSchema);
  if (mustBeNullable && !actual.nullable) problems.push(`${path}: not nullable (type ${describeTypes(actualSchema)})`);
  if (!actual.any) {
    if (expected.any) {
      const coversAll = ['string', 'number', 'boolean', 'object', 'array'].every((t) => actual.types.has(t as BaseType));
      if (!coversAll) {
        problems.push(`${path}: the OpenAPI allows any type here, the stream schema only ${describeTypes(actualSchema)}`);
      }
    } else {
      const missing = [...expected.types].filter(
        (t) => !actual.types.has(t) && !(t === 'integer' && actual.types.has('number')),
      );
      if (missing.length > 0) {
        problems.push(`${path}: type ${describeTypes(actualSchema)} does not accept ${missing.join(', ')} from the OpenAPI`);
      }
    }
  }
  const actualProperties = collectProperties(actualSchema);
  for (const [name, property] of expected.properties) {
    const actualProperty = actualProperties.get(name);
    if (!actualProperty) {
      problems.push(`${path}.${name}: declared by the OpenAPI but missing from the stream schema`);
      continue;
    }
    compareShapes(property, actualProperty, `${path}.${name}`, true, problems);
  }
  if (expected.items && hasDeclarations(expected.items)) {
    const actualItems = collectItems(actualSchema);
    if (!actualItems) problems.push(`${path}[]: the OpenAPI declares array items, the stream schema none`);
    else compareShapes(expected.items, actualItems, `${path}[]`, false, problems);
  }
}

function hasDeclarations(shape: Shape): boolean {
  return !shape.any || shape.properties.size > 0 || shape.items !== undefined;
}

/** Properties a stream schema declares at this level, looking through anyOf/oneOf variants. */
function collectProperties(schema: JsonSchema): Map<string, JsonSchema> {
  const out = new Map<string, JsonSchema>();
  const visit = (node: unknown): void => {
    if (!isRecord(node)) return;
    const properties = node['properties'];
    if (isRecord(properties)) {
      for (const [name, property] of Object.entries(properties)) {
        if (!out.has(name) && isRecord(property)) out.set(name, property);
      }
    }
    for (const keyword of ['anyOf', 'oneOf']) {
      const variants = node[keyword];
      if (Array.isArray(variants)) variants.forEach(visit);
    }
  };
  visit(schema);
  return out;
}

function collectItems(schema: JsonSchema): JsonSchema | undefined {
  if (isRecord(schema['items'])) return schema['items'];
  for (const keyword of ['anyOf', 'oneOf']) {
    const variants = schema[keyword];
    if (!Array.isArray(variants)) continue;
    for (const variant of variants) {
      if (isRecord(variant) && isRecord(variant['items'])) return variant['items'];
    }
  }
  return undefined;
}

// ---------------------------------------------------------------------------
// Examples written inside component schemas

export interface PropertyExample {
  /** Property names from the component root; `[]` steps into array items. */
  path: string[];
  example: unknown;
}

/**
 * The `example` values the OpenAPI writes on a component and on its properties (recursively,
 * through `$ref`, `allOf`, `oneOf`, `anyOf` and array items; cycles stop at the second visit).
 */
export function componentExamples(componentName: string, doc: OpenApiDoc = loadOpenApi()): PropertyExample[] {
  const out: PropertyExample[] = [];
  const visit = (node: unknown, path: string[], refStack: readonly string[]): void => {
    if (!isRecord(node)) return;
    const ref = node['$ref'];
    if (typeof ref === 'string') {
      if (!refStack.includes(ref)) visit(resolvePointer(doc, ref), path, [...refStack, ref]);
      return;
    }
    if ('example' in node) out.push({ path, example: node['example'] });
    const properties = node['properties'];
    if (isRecord(properties)) {
      for (const [name, property] of Object.entries(properties)) visit(property, [...path, name], refStack);
    }
    if (node['items'] !== undefined) visit(node['items'], [...path, '[]'], refStack);
    for (const keyword of ['allOf', 'oneOf', 'anyOf']) {
      const parts = node[keyword];
      if (Array.isArray(parts)) for (const part of parts) visit(part, path, refStack);
    }
  };
  visit({ $ref: `#/components/schemas/${componentName}` }, [], []);
  return out;
}
