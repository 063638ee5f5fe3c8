// TIMESTAMP values go through the native append path; DuckDB reads their micros as the UTC instant of the TIMESTAMPTZ column.
import { DuckDBTimestampValue, type DuckDBAppender } from '@duckdb/node-api';
import type { Column, StreamPlan } from './catalog.js';
import { DELETED_AT } from './catalog.js';
import type { ColumnType } from './column-types.js';
import type { JsonObject, JsonValue } from './protocol.js';

/** A value that does not fit its column; the writer adds the stream and line. */
export class ValueError extends Error {}

type Prepared = bigint | number | boolean | string | null;
type Convert = (value: JsonValue) => Prepared;

function isoToMicros(text: string): bigint | undefined {
  const ms = Date.parse(text);
  if (Number.isNaN(ms)) return undefined;
  // Keep microseconds that Date.parse drops ("…:05.123456Z").
  const fraction = /\.(\d{4,6})/.exec(text);
  const extra = fraction ? Number((fraction[1] as string).padEnd(6, '0').slice(3)) : 0;
  return BigInt(ms) * 1000n + BigInt(ms >= 0 ? extra : -extra);
}

/** Micros since the epoch for a cursor or date-time value: ISO string or Unix seconds. */
export function timestampMicros(value: JsonValue): bigint | undefined {
  if (typeof value === 'string') return isoToMicros(value);
  if (typeof value === 'number' && Number.isFinite(value)) return BigInt(Math.round(value * 1_000_000));
  return undefined;
}

/** Checks one value against its column and turns it into what the appender takes. */
function converter(column: Column): Convert {
  const name = column.name;
  switch (column.type) {
    case 'BIGINT':
      // Kept as a JS number: appended with appendDouble, which DuckDB casts
      // exactly (every JSON integer is a double already), sparing a BigInt per value.
      return (v) => {
        if (typeof v === 'number' && Number.isInteger(v)) return v;
        if (typeof v === 'boolean') return v ? 1 : 0;
        throw new ValueError(`field "${name}" must be an integer, got ${preview(v)}`);
      };
    case 'DOUBLE':
      return (v) => {
        if (typeof v === 'number') return v;
        throw new ValueError(`field "${name}" must be a number, got ${preview(v)}`);
      };
    case 'BOOLEAN':
      return (v) => {
        if (typeof v === 'boolean') return v;
        throw new ValueError(`field "${name}" must be a boolean, got ${preview(v)}`);
      };
    case 'TIMESTAMPTZ':
      return (v) => {
        const micros = timestampMicros(v);
        if (micros === undefined) throw new ValueError(`field "${name}" must be an ISO-8601 date-time or Unix seconds, got ${preview(v)}`);
        return micros;
      };
    case 'JSON':
      return (v) => JSON.stringify(v);
    case 'VARCHAR':
      // A widened column (or a lenient source) holds the text of other values.
      return (v) => (typeof v === 'string' ? v : typeof v === 'object' ? JSON.stringify(v) : String(v));
  }
}

function preview(value: JsonValue): string {
  const text = JSON.stringify(value);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

export interface RowFacts {
  tombstone: boolean;
}

/**
 * Appends records of one stream as rows of its stage table: the data
 * columns in table order, then `_airbyte_extracted_at` and `_airbyte_seq`.
 */
export class RecordAppender {
  private readonly names: string[];
  private readonly types: ColumnType[];
  private readonly converts: Convert[];
  private readonly known: Set<string>;
  private readonly required: string[];
  private readonly prepared: Prepared[];
  /** Fields seen in records but not in the catalog: dropped, reported once. */
  readonly unknownFields = new Set<string>();
  // Records of one read share few emitted_at values: one timestamp object each.
  private lastEmittedAt = Number.NaN;
  private lastEmitted = new DuckDBTimestampValue(0n);

  constructor(private readonly plan: StreamPlan) {
    this.names = plan.columns.map((c) => c.name);
    this.types = plan.columns.map((c) => c.type);
    this.converts = plan.columns.map(converter);
    this.known = new Set(this.names);
    this.required = plan.mode === 'append_dedup' ? plan.primaryKey : [];
    this.prepared = new Array<Prepared>(this.names.length).fill(null);
  }

  /** Throws ValueError before touching the appender when the record does not fit. */
  append(appender: DuckDBAppender, data: JsonObject, emittedAt: number, seq: bigint): RowFacts {
    for (const key of this.required) {
      const v = data[key];
      if (v === undefined || v === null) throw new ValueError(`primary key field "${key}" is missing`);
    }
    for (const key in data) if (!this.known.has(key)) this.unknownFields.add(key);
    // Convert every value first so a bad record leaves no half-appended row.
    const prepared = this.prepared;
    for (let i = 0; i < this.names.length; i++) {
      const v = data[this.names[i] as string];
      prepared[i] = v === undefined || v === null ? null : (this.converts[i] as Convert)(v);
    }
    for (let i = 0; i < prepared.length; i++) {
      const p = prepared[i] as Prepared;
      if (p === null) {
        appender.appendNull();
        continue;
      }
      switch (this.types[i]) {
        case 'BIGINT':
        case 'DOUBLE':
          appender.appendDouble(p as number);
          break;
        case 'BOOLEAN':
          appender.appendBoolean(p as boolean);
          break;
        case 'TIMESTAMPTZ':
          appender.appendTimestamp(new DuckDBTimestampValue(p as bigint));
          break;
        default:
          appender.appendVarchar(p as string);
      }
    }
    if (emittedAt !== this.lastEmittedAt) {
      this.lastEmittedAt = emittedAt;
      this.lastEmitted = new DuckDBTimestampValue(BigInt(Math.trunc(emittedAt)) * 1000n);
    }
    appender.appendTimestamp(this.lastEmitted);
    appender.appendBigInt(seq);
    appender.endRow();
    const deleted = data[DELETED_AT];
    return { tombstone: this.plan.hasDeletes && deleted !== undefined && deleted !== null };
  }
}
