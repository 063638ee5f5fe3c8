import type { IntercomClient } from '../http/client.js';
import type { JsonObject, LogLevel } from '../protocol/types.js';

/** What a source needs from the sync to read its records and report progress. */
export interface SourceContext {
  client: IntercomClient;
  /** The lowest cursor value a selected stream of this source still needs (Unix seconds). */
  lowerBound: number;
  /** The config's start_date: nothing updated before it is emitted, not even by a full re-sync. */
  startDate: number;
  /** Frozen at sync start: what changes later is read by the next sync. */
  upperBound: number;
  /** The workspace time zone (GET /me app.timezone). */
  timeZone: string;
  /** False when the zone is a guess: day-resolution queries then take a day of margin. */
  timeZoneKnown: boolean;
  /** The source's own state from the previous sync (for example the companies' last full resync). */
  previousState: JsonObject;
  /**
   * Sends records to every selected stream of the source; resolves once all of
   * them are out. Each stream drops records below its own lower bound, or
   * only those before the start date when `everyRecord` is set (a periodic
   * full re-sync).
   */
  emit(records: JsonObject[], options?: { everyRecord?: boolean }): Promise<void>;
  /**
   * Declares that a list was read to its end: every record it holds has been
   * emitted. Only then are snapshot streams compared with the previous sync's
   * keys; a list that fails or stops early never calls it, so it deletes nothing.
   */
  endOfList(): Promise<void>;
  /** Declares that every record with a cursor below `cursor` has been emitted. */
  checkpoint(cursor: number, sourceState?: JsonObject): void;
  estimate(rows: number): void;
  log(level: LogLevel, message: string): void;
}
