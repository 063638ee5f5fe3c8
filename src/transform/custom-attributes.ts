import type { CustomAttributeMode } from '../config/config.js';
import type { JsonObject, JsonSchema } from '../protocol/types.js';
import { fromIsoString, isoFromSeconds, toUnixSeconds } from '../util/time.js';

/** The JSON type a custom attribute is declared with in Intercom. */
export type AttributeKind = 'string' | 'integer' | 'number' | 'boolean' | 'date-time' | 'unknown';

export interface CustomAttribute {
  /** The key under `custom_attributes`. */
  name: string;
  kind: AttributeKind;
  /** Intercom's id, when it has one: the stable tie-breaker for column names. */
  id?: number;
}

/** A data attribute as GET /data_attributes or GET /conversations/attributes describe it. */
export function attributeFromIntercom(item: JsonObject): CustomAttribute | null {
  if (typeof item.name !== 'string' || item.name === '') return null;
  const idNumber = Number(item.id);
  return {
    name: item.name,
    kind: kindOf(String(item.data_type ?? '')),
    ...(Number.isFinite(idNumber) && item.id !== null && item.id !== undefined ? { id: idNumber } : {}),
  };
}

function kindOf(dataType: string): AttributeKind {
  switch (dataType) {
    case 'string':
    case 'list':
      return 'string';
    case 'integer':
      return 'integer';
    case 'float':
    case 'decimal':
      return 'number';
    case 'boolean':
      return 'boolean';
    case 'date':
    case 'datetime':
      return 'date-time';
    default:
      return 'unknown';
  }
}

export function attributeSchema(kind: AttributeKind): JsonSchema {
  switch (kind) {
    case 'date-time':
      return { type: ['string', 'null'], format: 'date-time' };
    case 'unknown':
      return {};
    default:
      return { type: [kind, 'null'] };
  }
}

/**
 * Warehouse-safe column names for flattened attributes: `custom_` plus the
 * name in lower snake case. When two names map to the same column, the
 * attribute with the lowest Intercom id keeps it and the others get their id
 * as a suffix, so a column never changes meaning when attributes are added.
 */
export function flattenedColumns(attributes: CustomAttribute[], reserved: Iterable<string> = []): Map<string, string> {
  const taken = new Set(reserved);
  const columns = new Map<string, string>();
  const ordered = [...attributes].sort(
    (a, b) => (a.id ?? Number.MAX_SAFE_INTEGER) - (b.id ?? Number.MAX_SAFE_INTEGER) || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0),
  );
  for (const attribute of ordered) {
    const base = `custom_${snake(attribute.name) || 'attribute'}`;
    let column = base;
    if (taken.has(column) && attribute.id !== undefined) column = `${base}_${attribute.id}`;
    for (let n = 2; taken.has(column); n++) column = `${base}_${n}`;
    taken.add(column);
    columns.set(attribute.name, column);
  }
  return columns;
}

function snake(name: string): string {
  return name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '')
    // Room for `custom_` and a suffix within Postgres's 63-character identifiers.
    .slice(0, 44)
    .replace(/_+$/, '');
}

/** Column names for a stream schema's flattened attributes, clear of its other columns. */
export function flattenedColumnsFor(schema: JsonSchema, attributes: CustomAttribute[]): Map<string, string> {
  const reserved = Object.keys((schema.properties as JsonObject | undefined) ?? {}).filter((k) => k !== 'custom_attributes');
  return flattenedColumns(attributes, reserved);
}

/** Adds the typed custom attributes to a stream schema, nested or as flattened columns. */
export function withCustomAttributes(schema: JsonSchema, attributes: CustomAttribute[], mode: CustomAttributeMode): JsonSchema {
  const properties = { ...((schema.properties as JsonObject | undefined) ?? {}) };
  if (mode === 'nested') {
    const typed: JsonObject = {};
    for (const a of attributes) typed[a.name] = attributeSchema(a.kind);
    properties.custom_attributes = { type: ['object', 'null'], additionalProperties: true, properties: typed };
  } else {
    const columns = flattenedColumnsFor(schema, attributes);
    delete properties.custom_attributes;
    for (const a of attributes) properties[columns.get(a.name)!] = attributeSchema(a.kind);
  }
  return { ...schema, properties };
}

/**
 * Types custom attribute values at read time: dates arrive as Unix seconds
 * and leave as ISO 8601 strings; a value that does not match its declared
 * type is passed through unchanged and reported once per attribute.
 */
export class CustomAttributeTyper {
  private readonly kinds = new Map<string, AttributeKind>();
  private readonly columns: Map<string, string> | null;

  /** `schema` is the stream's schema before custom attributes were added, as discover saw it. */
  constructor(
    schema: JsonSchema,
    attributes: CustomAttribute[],
    mode: CustomAttributeMode,
    private readonly onMismatch: (attribute: string, value: unknown, kind: AttributeKind) => void,
  ) {
    for (const a of attributes) this.kinds.set(a.name, a.kind);
    this.columns = mode === 'flattened' ? flattenedColumnsFor(schema, attributes) : null;
  }

  /** Where an attribute's value lands in the emitted record: under custom_attributes, or its flattened column (null: none yet). */
  fieldOf(name: string): string[] | null {
    if (!this.columns) return ['custom_attributes', name];
    const column = this.columns.get(name);
    return column ? [column] : null;
  }

  /**
   * Types the record's custom attributes, changing the record in place: a
   * record belongs to the sync that read it, and copying every record would
   * cost more than the typing itself.
   */
  apply(record: JsonObject): JsonObject {
    const custom = record.custom_attributes;
    if (custom === null || typeof custom !== 'object' || Array.isArray(custom)) return record;
    const values = custom as JsonObject;
    for (const name in values) values[name] = this.typeValue(name, values[name]);
    if (!this.columns) return record;
    for (const name in values) {
      const column = this.columns.get(name);
      // Attributes created after discovery have no column in the catalog yet.
      if (column) record[column] = values[name];
    }
    // Undefined is not serialised; field selection drops the key.
    record.custom_attributes = undefined;
    return record;
  }

  private typeValue(name: string, value: unknown): unknown {
    const kind = this.kinds.get(name);
    if (kind === undefined || kind === 'unknown' || value === null || value === undefined) return value;
    if (matches(kind, value)) return kind === 'date-time' ? isoDateTime(value) : value;
    this.onMismatch(name, value, kind);
    return value;
  }
}

/** Unix seconds (or milliseconds) or an ISO date string, as a full ISO 8601 date-time. */
function isoDateTime(value: unknown): string {
  return isoFromSeconds(typeof value === 'number' ? toUnixSeconds(value)! : fromIsoString(value as string)!);
}

function matches(kind: AttributeKind, value: unknown): boolean {
  switch (kind) {
    case 'string':
      return typeof value === 'string';
    case 'integer':
      return typeof value === 'number' && Number.isInteger(value);
    case 'number':
      return typeof value === 'number';
    case 'boolean':
      return typeof value === 'boolean';
    case 'date-time':
      return (typeof value === 'number' && Number.isFinite(value)) || (typeof value === 'string' && fromIsoString(value) !== null);
    default:
      return true;
  }
}
