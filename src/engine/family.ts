import type { IntercomClient } from '../http/client.js';
import { AuthenticationError } from '../http/errors.js';
import { asConnectorError, SystemError, type ConnectorError } from '../protocol/errors.js';
import type { Output } from '../protocol/output.js';
import type { JsonObject } from '../protocol/types.js';
import { isoFromSeconds, nowSeconds, toUnixSeconds } from '../util/time.js';
import { CheckpointGuard } from './checkpoint-guard.js';
import type { DeleteFeed, FeedContext, FeedTarget } from './delete-feed.js';
import { CDC_UPDATED_AT, sourceCursor, type MapperContext, type Source, type StreamDefinition } from './definition.js';
import { createMapperContext } from './mapper-context.js';
import type { StreamSink } from './sink.js';
import type { SnapshotKeys } from './snapshot-keys.js';
import type { SourceContext } from './source-context.js';
import { keyOf, writeTombstone, type Deletion } from './tombstones.js';

/** A selected stream, ready to receive records from its source. */
export interface Member {
  def: StreamDefinition;
  sink: StreamSink;
  /** Records whose source cursor lies below this are not this stream's to emit (Unix seconds). */
  lowerBound: number;
  /** The cursor the previous sync saved; the new state never goes below it. */
  previousCursor: number | null;
  previousState: JsonObject;
  /**
   * Incremental, and the configured schema declares `_ab_cdc_deleted_at`: the
   * stream takes tombstones (a catalog from before deletes would project the
   * marker away and turn a tombstone into an emptied row).
   */
  takesTombstones: boolean;
  /** Incremental snapshot streams: the keys this sync and the previous one saw. */
  snapshot: SnapshotKeys | null;
}

export interface FamilyEnvironment {
  client: IntercomClient;
  output: Output;
  timeZone: string;
  timeZoneKnown: boolean;
  /** Sync start, Unix seconds. */
  upperBound: number;
  /** The config's start_date, Unix seconds. */
  startDate: number;
  /** Saved cursors stay this far behind the upper bound, for the search index's lag. */
  lagSeconds: number;
  /** A checkpoint STATE at most every this many source records. */
  checkpointEvery: number;
  warnOnce(key: string, message: string): void;
  /** What delete feeds need beyond the above. */
  appId: string;
  apiVersion: string;
  lookbackDays: number;
}

/**
 * Reads one source for all of its selected streams: each source record is
 * mapped to every member stream (itself, link rows, expanded children) and
 * written, and checkpoints go to every member only once everything below
 * them is out. Then the family's delete feeds write their tombstones, and the
 * last state carries their cursors. A member whose own rows fail (its
 * mapper's child calls loop or fail, a row lacks its key) stops alone: it gets
 * no more rows, tombstones or states, and is returned with its error; the
 * others read on. A failure of the source itself fails them all (thrown).
 */
export async function runFamily(
  source: Source,
  read: (ctx: SourceContext) => Promise<void>,
  members: Member[],
  env: FamilyEnvironment,
  feeds: readonly DeleteFeed[] = [],
): Promise<Map<string, ConnectorError>> {
  const failed = new Map<string, ConnectorError>();
  const { output } = env;
  const cursorKey = sourceCursor(source);
  const guard = new CheckpointGuard();
  const feedCursors = new Map<Member, JsonObject>(members.map((m) => [m, feedCursorsOf(m)]));
  const snapshotStamp = isoFromSeconds(env.upperBound);
  let sinceCheckpoint = 0;
  let lastEmitted: number | null = null;
  let latest: { cursor: number; sourceState: JsonObject } | null = null;

  const writeStates = ({ cursor, sourceState }: { cursor: number; sourceState: JsonObject }): void => {
    for (const m of members) {
      if (failed.has(m.def.name)) continue;
      const value = Math.max(cursor, m.previousCursor ?? -Infinity);
      guard.accept(m.def.name, value);
      const feeds = feedCursors.get(m)!;
      for (const [key, v] of Object.entries(feeds)) guard.accept(m.def.name, v as number, key);
      output.state(m.def.name, memberState(m, cursorKey, value, sourceState, feeds, env.upperBound));
    }
    lastEmitted = cursor;
    sinceCheckpoint = 0;
  };

  // The pass-through stream of the source (conversations for the conversation search) takes the tombstones of vanished records.
  // Not on a first sync: its tombstones would only repeat records of the same sync; the deleted list brings them next time.
  const vanishedTarget = members.find((m) => m.takesTombstones && m.previousCursor !== null && m.def.records === undefined && m.def.deletes?.includes('vanished'));
  const mapperContext = createMapperContext(env.client, (message) => output.log('INFO', message), env.warnOnce);

  const ctx: SourceContext = {
    client: env.client,
    lowerBound: Math.min(...members.map((m) => m.lowerBound)),
    upperBound: env.upperBound,
    startDate: env.startDate,
    timeZone: env.timeZone,
    timeZoneKnown: env.timeZoneKnown,
    previousState: members.find((m) => Object.keys(m.previousState).length > 0)?.previousState ?? {},
    emit: async (records, options = {}) => {
      sinceCheckpoint += records.length;
      const vanished: JsonObject[] = [];
      const outputs = await Promise.all(
        members.map(async (m) => {
          if (failed.has(m.def.name)) return [];
          try {
            const rows = await mapRecords(m, records, cursorKey, options.everyRecord ? env.startDate : m.lowerBound, mapperContext, vanished);
            assertKeys(m.def, rows, source);
            return rows;
          } catch (err) {
            if (err instanceof AuthenticationError) throw err;
            failed.set(m.def.name, asConnectorError(err));
            return [];
          }
        }),
      );
      if (failed.size === members.length) throw failed.get(members[0]!.def.name)!;
      members.forEach((m, i) => {
        if (failed.has(m.def.name) || m.snapshot?.ahead) return;
        for (const record of outputs[i]!) {
          if (m.snapshot) m.snapshot.see(record);
          m.sink.write(m.snapshot ? { ...record, [CDC_UPDATED_AT]: snapshotStamp } : record);
        }
      });
      // After the records themselves, so a tombstone is never overtaken by the version it deletes.
      if (vanishedTarget && !failed.has(vanishedTarget.def.name)) {
        for (const record of new Set(vanished)) {
          const deletedAt = Math.max(nowSeconds(), toUnixSeconds(record.updated_at) ?? 0);
          writeTombstone(vanishedTarget.def, vanishedTarget.sink, { key: keyOf(vanishedTarget.def, record), deletedAt, lastKnown: record });
        }
      }
      await output.ready();
    },
    endOfList: async () => {
      for (const m of members) {
        if (!m.snapshot || m.snapshot.ahead || failed.has(m.def.name)) continue;
        const gone = m.snapshot.finish();
        if (!m.takesTombstones) continue;
        for (const key of gone) writeTombstone(m.def, m.sink, { key, deletedAt: env.upperBound });
        if (gone.length > 0) output.log('INFO', `${m.def.name}: ${gone.length} records the previous sync saw are gone; tombstones written.`);
      }
      await output.ready();
    },
    checkpoint: (cursor, sourceState = {}) => {
      // Search results lag writes: never claim what the index may not have shown yet.
      const safe = Math.min(cursor, env.upperBound - env.lagSeconds);
      latest = { cursor: safe, sourceState };
      if (sinceCheckpoint >= env.checkpointEvery && safe > (lastEmitted ?? ctx.lowerBound)) writeStates(latest);
    },
    estimate: (rows) => {
      for (const m of members) if (m.def.records === undefined) output.estimate(m.def.name, rows);
    },
    log: (level, message) => output.log(level, message),
  };

  await read(ctx);
  let feedError: unknown = null;
  for (const feed of feeds) {
    try {
      await feed.run(feedContext(members.filter((m) => !failed.has(m.def.name)), feedCursors, env));
      await output.ready();
    } catch (err) {
      // The scan's records stand; the feed's cursor stays where it was, so its deletes come next time.
      feedError ??= err;
    }
  }
  // Every stream ends with a state, even one that read nothing.
  writeStates(latest ?? { cursor: env.upperBound - env.lagSeconds, sourceState: {} });
  if (feedError) throw feedError;
  return failed;
}

function memberState(m: Member, cursorKey: string | undefined, value: number, sourceState: JsonObject, feeds: JsonObject, upperBound: number): JsonObject {
  if (m.snapshot) return m.snapshot.state(isoFromSeconds(upperBound));
  return cursorKey ? { [cursorKey]: value, ...sourceState, ...feeds } : { synced_at: upperBound };
}

/** Feed cursors the previous sync saved in the stream's state. */
function feedCursorsOf(m: Member): JsonObject {
  const out: JsonObject = {};
  for (const key of FEED_CURSOR_KEYS) {
    const v = m.previousState[key];
    if (typeof v === 'number' && Number.isFinite(v)) out[key] = v;
  }
  return out;
}

/** The state keys delete feeds may save beside a stream's cursor. */
export const FEED_CURSOR_KEYS = ['deleted_at', 'relay_seq'] as const;

function feedContext(members: Member[], cursors: Map<Member, JsonObject>, env: FamilyEnvironment): FeedContext {
  return {
    client: env.client,
    appId: env.appId,
    apiVersion: env.apiVersion,
    upperBound: env.upperBound,
    startDate: env.startDate,
    lagSeconds: env.lagSeconds,
    lookbackDays: env.lookbackDays,
    log: (level, message) => env.output.log(level, message),
    warnOnce: env.warnOnce,
    target: (stream) => {
      const m = members.find((x) => x.def.name === stream && x.takesTombstones && x.def.records === undefined);
      if (!m) return null;
      const target: FeedTarget = {
        def: m.def,
        saved: (key) => m.previousState[key],
        tombstone: (deletion: Deletion) => writeTombstone(m.def, m.sink, deletion),
        record: (record) => m.sink.write(record),
        advance: (key, value) => {
          if (!(FEED_CURSOR_KEYS as readonly string[]).includes(key)) throw new SystemError(`A delete feed saved an unknown cursor '${key}'; this is a bug in the connector.`);
          const c = cursors.get(m)!;
          c[key] = Math.max(value, typeof c[key] === 'number' ? (c[key] as number) : -Infinity);
        },
        flush: () => env.output.ready(),
      };
      return target;
    },
  };
}

async function mapRecords(
  member: Member,
  records: JsonObject[],
  cursorKey: string | undefined,
  lowerBound: number,
  ctx: Omit<MapperContext, 'recordGone'>,
  vanished: JsonObject[],
): Promise<JsonObject[]> {
  const eligible = cursorKey ? records.filter((r) => (toUnixSeconds(r[cursorKey]) ?? Infinity) >= lowerBound) : records;
  const mapper = member.def.records;
  if (!mapper) return eligible;
  const mapped = await Promise.all(eligible.map((r) => mapper(r, { ...ctx, recordGone: () => vanished.push(r) })));
  return mapped.flatMap((rows) => [...rows]);
}

/** A row without its primary key cannot be deduplicated or deleted downstream: it is an error, not a row. */
function assertKeys(def: StreamDefinition, rows: JsonObject[], source: Source): void {
  for (const row of rows) {
    const missing = def.primaryKey.find((k) => row[k] === undefined || row[k] === null || row[k] === '');
    if (missing !== undefined) {
      throw new SystemError(
        `${def.name}: Intercom returned a record without its primary key '${missing}' (from ${source.path}); the stream stops rather than write a row that cannot be told apart.`,
      );
    }
  }
}
