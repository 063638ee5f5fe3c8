/**
 * A small reference of what an Airbyte destination does with incremental
 * append_dedup streams and CDC hard deletes (see the reference notes):
 * records are committed at their stream's STATE; each committed batch is
 * deduplicated by primary key (greatest cursor, ties to the later arrival);
 * a row is replaced by a batch row whose cursor is not older; a tombstone
 * (`_ab_cdc_deleted_at` set) deletes the row when its cursor is not older and
 * is never written as a row. Every record is also checked against its
 * stream's declared schema.
 */
import type { ValidateFunction } from 'ajv';
import type { ConfiguredAirbyteCatalog, JsonObject } from '../../src/protocol/types.js';
import { createAjv } from '../../src/util/ajv.js';
import type { Message } from './connector.js';

interface Row {
  cursor: number | null;
  data: JsonObject;
}

interface StreamTable {
  primaryKey: string[];
  cursor: string | null;
  rows: Map<string, Row>;
  validate: ValidateFunction;
}

/** A cursor value as a timestamp: integer Unix seconds or an ISO-8601 string. */
export function cursorTimestamp(value: unknown): number | null {
  if (typeof value === 'number') return value;
  if (typeof value === 'string') {
    const ms = Date.parse(value);
    return Number.isFinite(ms) ? ms / 1000 : null;
  }
  return null;
}

export class DedupDestination {
  private readonly tables = new Map<string, StreamTable>();
  /** Keys (`stream|key`) of every tombstone received. */
  readonly tombstoned = new Set<string>();
  /** Records that failed their declared schema: `stream: problem`. */
  readonly schemaProblems: string[] = [];

  constructor(catalog: ConfiguredAirbyteCatalog) {
    const ajv = createAjv();
    for (const s of catalog.streams) {
      this.tables.set(s.stream.name, {
        primaryKey: (s.primary_key ?? s.stream.source_defined_primary_key ?? []).map((p) => p[0]!),
        cursor: s.cursor_field?.[0] ?? s.stream.default_cursor_field?.[0] ?? null,
        rows: new Map(),
        validate: ajv.compile(s.stream.json_schema),
      });
    }
  }

  /** Applies one run's output: only what a STATE committed counts (a killed run loses its tail). */
  ingest(messages: Message[]): void {
    const pending = new Map<string, JsonObject[]>();
    for (const m of messages) {
      if (m.type === 'RECORD') {
        const list = pending.get(m.record.stream) ?? [];
        list.push(m.record.data);
        pending.set(m.record.stream, list);
      } else if (m.type === 'STATE') {
        const name = m.state.stream.stream_descriptor.name;
        this.applyBatch(name, pending.get(name) ?? []);
        pending.set(name, []);
      }
    }
  }

  /** The rows a user would see. */
  rows(stream: string): JsonObject[] {
    return [...this.table(stream).rows.values()].map((r) => r.data);
  }

  keyOf(stream: string, record: JsonObject): string {
    return this.table(stream).primaryKey.map((k) => String(record[k])).join('|');
  }

  private table(stream: string): StreamTable {
    const table = this.tables.get(stream);
    if (!table) throw new Error(`stream ${stream} is not in the catalog`);
    return table;
  }

  private applyBatch(stream: string, records: JsonObject[]): void {
    const table = this.table(stream);
    const latest = new Map<string, Row>();
    for (const data of records) {
      if (!table.validate(data)) this.schemaProblems.push(`${stream}: ${JSON.stringify(table.validate.errors?.slice(0, 2))}`);
      const key = this.keyOf(stream, data);
      if (data._ab_cdc_deleted_at !== null && data._ab_cdc_deleted_at !== undefined) this.tombstoned.add(`${stream}|${key}`);
      const cursor = table.cursor ? cursorTimestamp(data[table.cursor]) : null;
      const seen = latest.get(key);
      if (!seen || (cursor ?? -Infinity) >= (seen.cursor ?? -Infinity)) latest.set(key, { cursor, data });
    }
    for (const [key, row] of latest) {
      const existing = table.rows.get(key);
      const newer = !existing || existing.cursor === null || (row.cursor ?? -Infinity) >= existing.cursor;
      const deleted = row.data._ab_cdc_deleted_at !== null && row.data._ab_cdc_deleted_at !== undefined;
      if (!newer) continue;
      if (deleted) table.rows.delete(key);
      else table.rows.set(key, row);
    }
  }
}
