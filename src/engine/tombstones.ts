import { SystemError } from '../protocol/errors.js';
import type { JsonObject } from '../protocol/types.js';
import { isoFromSeconds } from '../util/time.js';
import { carriesDeletes, CDC_DELETED_AT, CDC_UPDATED_AT, streamCursor, type StreamDefinition } from './definition.js';
import type { StreamSink } from './sink.js';

/** What a producer knows of one deleted record. */
export interface Deletion {
  /** The primary key's columns and values. */
  key: JsonObject;
  /** When it was deleted, Unix seconds. */
  deletedAt: number;
  /** The last version the connector holds, when it has one: the tombstone then carries it in full. */
  lastKnown?: JsonObject;
}

/**
 * A tombstone in Airbyte's CDC convention: the key, `_ab_cdc_deleted_at` set
 * to the deletion time, and the stream's cursor set to that same instant (in
 * the cursor's own type), because append_dedup destinations apply a delete
 * only when its cursor is newer than the row they hold. The history decides
 * the shape: snapshots order by the ISO `_ab_cdc_updated_at`, versioned
 * streams by their integer cursor. Events are never deleted.
 */
export function tombstoneRecord(def: StreamDefinition, { key, deletedAt, lastKnown }: Deletion): JsonObject {
  if (!carriesDeletes(def)) throw new SystemError(`Stream '${def.name}' (${def.history}) takes no tombstones; this is a bug in the connector.`);
  const at = isoFromSeconds(deletedAt);
  const cursor = streamCursor(def);
  return {
    ...lastKnown,
    ...key,
    [CDC_DELETED_AT]: at,
    [CDC_UPDATED_AT]: at,
    ...(cursor && cursor !== CDC_UPDATED_AT ? { [cursor]: deletedAt } : {}),
  };
}

/**
 * The one path every producer of deletes writes through (snapshot
 * comparison, deleted lists, vanished records, the webhook relay): the
 * tombstone is typed, projected and written like any record of the stream.
 */
export function writeTombstone(def: StreamDefinition, sink: StreamSink, deletion: Deletion): void {
  sink.write(tombstoneRecord(def, deletion));
}

/** The primary key of a record, as the columns a tombstone carries. */
export function keyOf(def: StreamDefinition, record: JsonObject): JsonObject {
  const key: JsonObject = {};
  for (const column of def.primaryKey) key[column] = record[column] ?? null;
  return key;
}
