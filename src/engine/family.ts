import type { IntercomClient } from '../http/client.js';
import type { Output } from '../protocol/output.js';
import type { JsonObject } from '../protocol/types.js';
import { AuthenticationError } from '../http/errors.js';
import { asConnectorError, SystemError, type ConnectorError } from '../protocol/errors.js';
import { toUnixSeconds } from '../util/time.js';
import { CheckpointGuard } from './checkpoint-guard.js';
import { sourceCursor, type MapperContext, type Source, type StreamDefinition } from './definition.js';
import { createMapperContext } from './mapper-context.js';
import type { StreamSink } from './sink.js';
import type { SourceContext } from './source-context.js';

/** A selected stream, ready to receive records from its source. */
export interface Member {
  def: StreamDefinition;
  sink: StreamSink;
  /** Records whose source cursor lies below this are not this stream's to emit (Unix seconds). */
  lowerBound: number;
  /** The cursor the previous sync saved; the new state never goes below it. */
  previousCursor: number | null;
  previousState: JsonObject;
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
}

/**
 * Reads one source for all of its selected streams: each source record is
 * mapped to every member stream (itself, link rows, expanded children) and
 * written, and checkpoints go to every member only once everything below
 * them is out. A member whose own rows fail (its mapper's child calls loop
 * or fail, a row lacks its key) stops alone: it gets no more rows and no
 * more states, and is returned with its error; the others read on. A failure
 * of the source itself fails them all (thrown).
 */
export async function runFamily(
  source: Source,
  read: (ctx: SourceContext) => Promise<void>,
  members: Member[],
  env: FamilyEnvironment,
): Promise<Map<string, ConnectorError>> {
  const failed = new Map<string, ConnectorError>();
  const { output } = env;
  const cursorKey = sourceCursor(source);
  const mapperContext = createMapperContext(env.client, (message) => output.log('INFO', message), env.warnOnce);
  const guard = new CheckpointGuard();
  let sinceCheckpoint = 0;
  let lastEmitted: number | null = null;
  let latest: { cursor: number; sourceState: JsonObject } | null = null;

  const writeStates = ({ cursor, sourceState }: { cursor: number; sourceState: JsonObject }): void => {
    for (const m of members) {
      if (failed.has(m.def.name)) continue;
      const value = Math.max(cursor, m.previousCursor ?? -Infinity);
      guard.accept(m.def.name, value);
      output.state(m.def.name, cursorKey ? { [cursorKey]: value, ...sourceState } : { synced_at: env.upperBound });
    }
    lastEmitted = cursor;
    sinceCheckpoint = 0;
  };

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
      const outputs = await Promise.all(
        members.map(async (m) => {
          if (failed.has(m.def.name)) return [];
          try {
            const rows = await mapRecords(m, records, cursorKey, options.everyRecord ? env.startDate : m.lowerBound, mapperContext);
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
        if (failed.has(m.def.name)) return;
        for (const record of outputs[i]!) m.sink.write(record);
      });
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
  // Every stream ends with a state, even one that read nothing.
  writeStates(latest ?? { cursor: env.upperBound - env.lagSeconds, sourceState: {} });
  return failed;
}

async function mapRecords(
  member: Member,
  records: JsonObject[],
  cursorKey: string | undefined,
  lowerBound: number,
  ctx: MapperContext,
): Promise<JsonObject[]> {
  const eligible = cursorKey ? records.filter((r) => (toUnixSeconds(r[cursorKey]) ?? Infinity) >= lowerBound) : records;
  const mapper = member.def.records;
  if (!mapper) return eligible;
  const mapped = await Promise.all(eligible.map((r) => mapper(r, ctx)));
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
