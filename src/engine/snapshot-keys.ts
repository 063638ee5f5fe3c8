import type { JsonObject } from '../protocol/types.js';
import { toUnixSeconds } from '../util/time.js';
import { CDC_UPDATED_AT, type StreamDefinition } from './definition.js';
import { keyOf } from './tombstones.js';

/** Where a snapshot stream's state keeps the keys its last sync saw. */
export const SNAPSHOT_KEYS = 'keys';

/**
 * The keys of a snapshot stream: those the previous sync saw (from its
 * state) and those this sync sees. Only a list read to its end is compared;
 * until then the next sync must still know every key either sync saw, so a
 * key missed now is compared again later rather than forgotten.
 *
 * In the state a key is its value for a one-column key (`"8114927"`), or
 * the array of its values (`["4711", "991267412"]`): about 10 bytes per
 * numeric id.
 */
export class SnapshotKeys {
  private readonly previous = new Map<string, JsonObject>();
  private readonly seen = new Map<string, JsonObject>();
  private complete = false;
  /**
   * The previous sync claims a time after this sync's start (a clock set
   * back, or a state written by hand): like a scan whose cursor lies ahead,
   * the stream then emits nothing and keeps its state.
   */
  readonly ahead: boolean;

  constructor(
    private readonly def: StreamDefinition,
    private readonly previousState: JsonObject,
    syncStart: number,
  ) {
    this.ahead = (toUnixSeconds(previousState[CDC_UPDATED_AT]) ?? -Infinity) > syncStart;
    const saved = previousState[SNAPSHOT_KEYS];
    if (!Array.isArray(saved)) return;
    for (const entry of saved) {
      const key = this.fromState(entry);
      if (key) this.previous.set(encode(key), key);
    }
  }

  /** Notes the key of a record this sync emitted. */
  see(record: JsonObject): void {
    const key = keyOf(this.def, record);
    this.seen.set(encode(key), key);
  }

  /** The list was read to its end: the keys of the previous sync that this one did not see are deleted. */
  finish(): JsonObject[] {
    this.complete = true;
    return [...this.previous].filter(([id]) => !this.seen.has(id)).map(([, key]) => key);
  }

  /** The state for the next sync: this sync's time and the keys it compares with. */
  state(syncStamp: string): JsonObject {
    return this.ahead ? this.previousState : { [CDC_UPDATED_AT]: syncStamp, [SNAPSHOT_KEYS]: this.stateKeys() };
  }

  /** What the next sync compares with. */
  stateKeys(): unknown[] {
    const keys = this.complete ? this.seen : new Map([...this.previous, ...this.seen]);
    const columns = this.def.primaryKey;
    return [...keys.values()].map((key) => (columns.length === 1 ? key[columns[0]!] : columns.map((c) => key[c])));
  }

  private fromState(entry: unknown): JsonObject | null {
    const columns = this.def.primaryKey;
    const values = columns.length === 1 ? [entry] : entry;
    if (!Array.isArray(values) || values.length !== columns.length) return null;
    const key: JsonObject = {};
    columns.forEach((c, i) => (key[c] = values[i]));
    return key;
  }
}

function encode(key: JsonObject): string {
  return JSON.stringify(Object.values(key));
}
