import { isJsonObject, type JsonObject, type JsonValue } from './protocol.js';

/** The DuckDB column types this destination creates. */
export type ColumnType = 'BIGINT' | 'DOUBLE' | 'BOOLEAN' | 'VARCHAR' | 'TIMESTAMPTZ' | 'JSON';

/** The column type of one JSON-schema property: a union with null is just nullable. */
export function columnTypeOf(property: JsonValue | undefined): ColumnType {
  if (!isJsonObject(property)) return 'JSON';
  const declared = property.type;
  const types = (Array.isArray(declared) ? declared : [declared]).filter((t): t is string => typeof t === 'string' && t !== 'null');
  if (types.length === 0) return 'JSON';
  if (types.length > 1) return types.every((t) => t === 'integer' || t === 'number') ? 'DOUBLE' : 'JSON';
  switch (types[0]) {
    case 'integer':
      return 'BIGINT';
    case 'number':
      return 'DOUBLE';
    case 'boolean':
      return 'BOOLEAN';
    case 'string':
      return property.format === 'date-time' || property.airbyte_type === 'timestamp_with_timezone' ? 'TIMESTAMPTZ' : 'VARCHAR';
    case 'object':
    case 'array':
      return 'JSON';
    default:
      return 'JSON';
  }
}

/** Columns of a stream, in schema order. */
export function columnsOf(jsonSchema: JsonObject): Array<{ name: string; type: ColumnType }> {
  const properties = isJsonObject(jsonSchema.properties) ? jsonSchema.properties : {};
  return Object.entries(properties).map(([name, property]) => ({ name, type: columnTypeOf(property) }));
}

/**
 * The type a column must have to hold both what it holds and what a new
 * catalog declares. Never narrows: BIGINT widens to DOUBLE, every other
 * change to VARCHAR (which holds any value's text).
 */
export function widen(existing: ColumnType, declared: ColumnType): ColumnType {
  if (existing === declared) return existing;
  if (existing === 'VARCHAR') return 'VARCHAR';
  if (existing === 'BIGINT' && declared === 'DOUBLE') return 'DOUBLE';
  if (existing === 'DOUBLE' && declared === 'BIGINT') return 'DOUBLE';
  return 'VARCHAR';
}

/** Maps the type names DuckDB reports back to ours. */
export function fromDuckType(name: string): ColumnType {
  const n = name.toUpperCase();
  if (n === 'BIGINT' || n === 'INTEGER' || n === 'SMALLINT' || n === 'TINYINT' || n === 'HUGEINT') return 'BIGINT';
  if (n === 'DOUBLE' || n === 'FLOAT' || n === 'REAL' || n.startsWith('DECIMAL')) return 'DOUBLE';
  if (n === 'BOOLEAN') return 'BOOLEAN';
  if (n === 'TIMESTAMP WITH TIME ZONE' || n === 'TIMESTAMPTZ') return 'TIMESTAMPTZ';
  if (n === 'JSON') return 'JSON';
  return 'VARCHAR';
}
