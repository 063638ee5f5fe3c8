import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';
import type { DuckDBAppender } from '@duckdb/node-api';
import { keepsHistory, parseCatalog, planStreams, type StreamPlan } from './catalog.js';
import type { DestinationConfig } from './config.js';
import { openDatabase } from './database.js';
import { DestinationError, InputError, describeError } from './errors.js';
import { clearStage, createScratchTables, DELETED_KEYS, enforceLinkRule, mergeCurrent, mergeHistory, type MergeContext } from './merge.js';
import { ensureMetaTables, finishSync, recordProgress, saveStates, startSync, type SyncProgress } from './meta.js';
import { buildModelsOn } from './models.js';
import { isJsonObject, type AirbyteStateMessage, type ConfiguredCatalog, type JsonValue, type LogLevel } from './protocol.js';
import { RecordAppender, ValueError } from './record-appender.js';
import { qualified } from './sql.js';
import { dropStageTable, prepareStreamTables, stageTable } from './tables.js';

export interface WriteOptions {
  config: DestinationConfig;
  catalog: ConfiguredCatalog | unknown;
  /** The source's messages: a stream of JSON lines, or the lines themselves. */
  input: AsyncIterable<string> | Readable;
  /** Called with each STATE message once everything before it is committed. */
  onState?: (state: AirbyteStateMessage) => void;
  log?: (level: LogLevel, message: string) => void;
  /**
   * A STATE commits once this many records wait (default 100,000) or
   * `commitEveryMs` passed since the last commit (default 5,000). 1 commits at every STATE.
   */
  commitEveryRecords?: number;
  commitEveryMs?: number;
}

export interface WriteSummary {
  syncId: number;
  status: 'succeeded';
  /** Records (tombstones included) and tombstones written per stream. */
  records: Record<string, number>;
  tombstones: Record<string, number>;
  requests: number | undefined;
  /** STATE messages committed and echoed. */
  states: number;
  commits: number;
  durationMs: number;
  models: string[];
}

/** Lines of text from either a byte stream or an iterable of lines. */
function linesOf(input: AsyncIterable<string> | Readable): AsyncIterable<string> {
  if (typeof (input as Readable).pipe === 'function') return createInterface({ input: input as Readable, crlfDelay: Infinity });
  return input as AsyncIterable<string>;
}

const FLUSH_ROWS = 20_000;
const SEQ_PER_SYNC = 1_000_000_000_000n;

interface StreamSlot {
  plan: StreamPlan;
  converter: RecordAppender;
  appender: DuckDBAppender | undefined;
  /** Rows in the stage table waiting for the next commit. */
  staged: number;
  sinceFlush: number;
  /** Overwrite streams: whether this write already replaced the table. */
  replaced: boolean;
  reportedUnknown: Set<string>;
}

/**
 * Reads Airbyte messages and writes them into DuckDB. Records are staged
 * through the Appender; at a STATE (batched: see commitEveryRecords) the
 * staged rows are merged into the current and history tables and the state
 * is saved, in one transaction. On bad input it rolls the open batch back,
 * marks the sync failed and throws an InputError naming the line and stream.
 */
export async function writeMessages(options: WriteOptions): Promise<WriteSummary> {
  const { config } = options;
  const log = options.log ?? (() => undefined);
  const plans = planStreams(parseCatalog(options.catalog));
  const started = Date.now();
  const db = await openDatabase(config.database);
  const connection = db.connection;
  const schema = config.schema;
  let syncId = 0;
  let inTransaction = false;
  const slots = new Map<string, StreamSlot>();
  const progress: SyncProgress = { records: {}, tombstones: {}, requests: undefined };
  let committedProgress: SyncProgress = { records: {}, tombstones: {}, requests: undefined };
  let pendingStates: AirbyteStateMessage[] = [];
  let pendingRecords = 0;
  let sinceState = 0;
  let lastCommit = Date.now();
  let states = 0;
  const completed = new Set<string>();
  // Where the last STATE was read: on bad input, everything up to it is still committed.
  let checkpointLine = 0;
  let checkpointProgress: SyncProgress = { records: {}, tombstones: {}, requests: undefined };
  let commits = 0;
  const byName = new Map(plans.map((p) => [p.name, p]));
  const linkParents = new Set(plans.flatMap((p) => (p.link !== undefined && byName.has(p.link.parent) ? [p.link.parent] : [])));
  const ctx: MergeContext = { connection, schema, deletionMode: config.cdc_deletion_mode, linkParents };
  const commitEveryRecords = options.commitEveryRecords ?? 100_000;
  const commitEveryMs = options.commitEveryMs ?? 5_000;

  const begin = async () => {
    if (inTransaction) return;
    await connection.run('BEGIN TRANSACTION');
    inTransaction = true;
  };

  const commit = async (final: boolean) => {
    await begin();
    for (const slot of slots.values()) {
      if (slot.appender !== undefined) {
        slot.appender.closeSync();
        slot.appender = undefined;
      }
    }
    const touched = new Set<string>();
    for (const slot of slots.values()) {
      // An overwrite stream that sent nothing is emptied only when the source said it completed.
      const replaceEmpty = final && slot.plan.mode === 'overwrite' && !slot.replaced && completed.has(slot.plan.name);
      if (slot.staged === 0 && !replaceEmpty) continue;
      touched.add(slot.plan.name);
      if (slot.staged > 0 && keepsHistory(slot.plan, config.history_tables)) await mergeHistory(ctx, slot.plan);
      await mergeCurrent(ctx, slot.plan, slot.plan.mode === 'overwrite' && !slot.replaced);
      slot.replaced = true;
      await clearStage(ctx, slot.plan);
      slot.staged = 0;
      for (const field of slot.converter.unknownFields) {
        if (slot.reportedUnknown.has(field)) continue;
        slot.reportedUnknown.add(field);
        log('WARN', `stream "${slot.plan.name}": field "${field}" is not in the catalog's json_schema and was not written`);
      }
    }
    for (const plan of plans) {
      if (plan.link === undefined) continue;
      const parent = byName.get(plan.link.parent);
      if (parent === undefined || (!touched.has(plan.name) && !touched.has(parent.name))) continue;
      const removed = await enforceLinkRule(ctx, plan, parent, keepsHistory(plan, config.history_tables));
      if (removed > 0) log('DEBUG', `stream "${plan.name}": ${removed} links left behind by a newer or deleted ${parent.name} row removed`);
    }
    await connection.run(`DELETE FROM ${DELETED_KEYS}`);
    await saveStates(connection, schema, syncId, pendingStates);
    await recordProgress(connection, schema, syncId, progress);
    await connection.run('COMMIT');
    inTransaction = false;
    commits += 1;
    committedProgress = { records: { ...progress.records }, tombstones: { ...progress.tombstones }, requests: progress.requests };
    const committed = pendingStates;
    pendingStates = [];
    pendingRecords = 0;
    lastCommit = Date.now();
    for (const state of committed) {
      states += 1;
      options.onState?.(state);
    }
  };

  /** Commits the complete checkpoints read so far, dropping the records after the last STATE. */
  const commitUpTo = async (line: number) => {
    for (const slot of slots.values()) {
      slot.appender?.closeSync();
      slot.appender = undefined;
      if (slot.staged > 0) {
        const stage = qualified(schema, stageTable(slot.plan.name));
        await connection.run(`DELETE FROM ${stage} WHERE "_airbyte_seq" > ${BigInt(syncId) * SEQ_PER_SYNC + BigInt(line)}`);
        // What is left decides whether the stream is merged (an overwrite must not be emptied for nothing).
        const left = await connection.runAndReadAll(`SELECT count(*) AS n FROM ${stage}`);
        slot.staged = Number((left.getRowObjectsJson()[0] as { n: string }).n);
      }
    }
    progress.records = checkpointProgress.records;
    progress.tombstones = checkpointProgress.tombstones;
    await commit(false);
  };

  const abandon = async () => {
    for (const slot of slots.values()) {
      try {
        slot.appender?.closeSync();
      } catch {
        // The batch is being rolled back anyway.
      }
      slot.appender = undefined;
    }
    if (inTransaction) {
      try {
        await connection.run('ROLLBACK');
      } catch {
        // Nothing was committed by this batch; a failed rollback leaves the same state.
      }
      inTransaction = false;
    }
  };

  try {
    await ensureMetaTables(connection, schema);
    syncId = await startSync(connection, schema);
    await connection.run('BEGIN TRANSACTION');
    for (const plan of plans) {
      const prepared = await prepareStreamTables(connection, schema, plan, config.history_tables, (m) => log('INFO', m));
      byName.set(prepared.name, prepared);
      slots.set(prepared.name, {
        plan: prepared,
        converter: new RecordAppender(prepared),
        appender: undefined,
        staged: 0,
        sinceFlush: 0,
        replaced: false,
        reportedUnknown: new Set(),
      });
    }
    await connection.run('COMMIT');
    for (const [i, plan] of plans.entries()) plans[i] = byName.get(plan.name) as StreamPlan;
    await createScratchTables(connection);
    const seqBase = BigInt(syncId) * SEQ_PER_SYNC;
    log('INFO', `sync ${syncId}: writing ${plans.length} stream${plans.length === 1 ? '' : 's'} into ${config.database} (schema ${schema})`);

    let lineNo = 0;
    const lines = linesOf(options.input)[Symbol.asyncIterator]();
    for (;;) {
      let next = lines.next();
      if (pendingStates.length > 0 && sinceState === 0) {
        // A source that goes quiet right after a STATE must not hold that state back.
        // (Only then: a commit must never include records read after the last STATE.)
        const wait = Math.max(0, commitEveryMs - (Date.now() - lastCommit));
        let timer: NodeJS.Timeout | undefined;
        const idle = new Promise<'idle'>((resolve) => (timer = setTimeout(() => resolve('idle'), wait)));
        const first = await Promise.race([next, idle]);
        clearTimeout(timer);
        if (first === 'idle') await commit(false);
        else next = Promise.resolve(first);
      }
      const step = await next;
      if (step.done === true) break;
      const line = step.value;
      lineNo += 1;
      if (line.trim() === '') continue;
      let message: JsonValue;
      try {
        message = JSON.parse(line) as JsonValue;
      } catch (error) {
        throw new InputError(lineNo, undefined, `not a JSON message (${describeError(error)})`);
      }
      if (!isJsonObject(message) || typeof message.type !== 'string') throw new InputError(lineNo, undefined, 'not an Airbyte message (no "type")');
      if (message.type === 'RECORD') {
        const record = message.record;
        if (!isJsonObject(record) || typeof record.stream !== 'string') throw new InputError(lineNo, undefined, 'RECORD without record.stream');
        const slot = slots.get(record.stream);
        if (slot === undefined) throw new InputError(lineNo, record.stream, 'stream is not in the configured catalog', 'config_error');
        if (!isJsonObject(record.data)) throw new InputError(lineNo, record.stream, 'record.data must be an object');
        const emittedAt = typeof record.emitted_at === 'number' ? record.emitted_at : Date.now();
        if (!inTransaction) await begin();
        if (slot.appender === undefined) slot.appender = await connection.createAppender(stageTable(slot.plan.name), schema);
        let facts;
        try {
          facts = slot.converter.append(slot.appender, record.data, emittedAt, seqBase + BigInt(lineNo));
        } catch (error) {
          if (error instanceof ValueError) throw new InputError(lineNo, record.stream, `record does not fit the stream's schema: ${error.message}`);
          throw error;
        }
        progress.records[slot.plan.name] = (progress.records[slot.plan.name] ?? 0) + 1;
        if (facts.tombstone) progress.tombstones[slot.plan.name] = (progress.tombstones[slot.plan.name] ?? 0) + 1;
        slot.staged += 1;
        slot.sinceFlush += 1;
        pendingRecords += 1;
        sinceState += 1;
        if (slot.sinceFlush >= FLUSH_ROWS) {
          // Bounded memory: hand rows to DuckDB, still inside the open transaction.
          slot.appender.flushSync();
          slot.sinceFlush = 0;
        }
      } else if (message.type === 'STATE') {
        if (!isJsonObject(message.state)) throw new InputError(lineNo, undefined, 'STATE without a state object');
        const state = message.state as unknown as AirbyteStateMessage;
        pendingStates.push({ ...state, destinationStats: { recordCount: sinceState } });
        sinceState = 0;
        checkpointLine = lineNo;
        checkpointProgress = { records: { ...progress.records }, tombstones: { ...progress.tombstones }, requests: progress.requests };
        await begin();
        if (pendingRecords >= commitEveryRecords || Date.now() - lastCommit >= commitEveryMs) await commit(false);
      } else if (message.type === 'TRACE') {
        const trace = message.trace;
        if (isJsonObject(trace) && trace.type === 'STREAM_STATUS' && isJsonObject(trace.stream_status) && trace.stream_status.status === 'COMPLETE') {
          const descriptor = trace.stream_status.stream_descriptor;
          if (isJsonObject(descriptor) && typeof descriptor.name === 'string') completed.add(descriptor.name);
        }
        if (isJsonObject(trace) && trace.type === 'ANALYTICS' && isJsonObject(trace.analytics) && trace.analytics.type === 'intercom_requests') {
          const n = Number(trace.analytics.value);
          if (Number.isFinite(n)) progress.requests = (progress.requests ?? 0) + n;
        }
      }
      // LOG, CONTROL and other messages from the source are not the destination's to repeat.
    }
    await commit(true);
    for (const plan of plans) await dropStageTable(connection, schema, plan.name);
    await finishSync(connection, schema, syncId, 'succeeded');
  } catch (error) {
    if (error instanceof InputError && pendingStates.length > 0) {
      try {
        await commitUpTo(checkpointLine);
      } catch {
        // Then only what was committed before stays, as for any other failure.
      }
    }
    await abandon();
    const wrapped =
      error instanceof DestinationError ? error : new DestinationError(`write failed: ${describeError(error)}`, 'system_error', { cause: error });
    if (syncId > 0) {
      try {
        // What the failed sync left committed, not what it read.
        await recordProgress(connection, schema, syncId, committedProgress);
        await finishSync(connection, schema, syncId, 'failed', wrapped.message);
      } catch {
        // The database itself is failing; the error below says why.
      }
    }
    db.close();
    throw wrapped;
  }
  let models: string[] = [];
  try {
    if (config.models) models = await buildModelsOn(connection, schema, log);
  } finally {
    db.close();
  }
  return {
    syncId,
    status: 'succeeded',
    records: progress.records,
    tombstones: progress.tombstones,
    requests: progress.requests,
    states,
    commits,
    durationMs: Date.now() - started,
    models,
  };
}

