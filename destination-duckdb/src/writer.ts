import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';
import { keepsHistory, parseCatalog, planStreams, type StreamPlan } from './catalog.js';
import type { DestinationConfig } from './config.js';
import { checkpoint, openDatabase, ROW_GROUP_SIZE, rows } from './database.js';
import { DestinationError, InputError, describeError } from './errors.js';
import { clearScratchTables, clearStage, countTombstones, createScratchTables, enforceLinkRule, mergeCurrent, mergeHistory, noteTouchedParents, type MergeContext } from './merge.js';
import { ensureMetaTables, finishSync, recordProgress, saveStates, startSync, type SyncProgress } from './meta.js';
import { MemoryCeiling } from './memory.js';
import { buildModelsOn } from './models.js';
import { isJsonObject, type AirbyteStateMessage, type ConfiguredCatalog, type JsonObject, type JsonValue, type LogLevel } from './protocol.js';
import { recordChecker } from './record-check.js';
import { splitRecordLine } from './record-line.js';
import { explainRefusal } from './refusal.js';
import { StageDir, type StageFile } from './stage-file.js';
import { loadStageFile } from './stage-load.js';
import { createOverwriteTable, dropOverwriteTable, dropStageTable, prepareStreamTables, stageTable, swapInOverwriteTable } from './tables.js';

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
   * `commitEveryMs` passed since the last commit (default 5,000), or their data
   * reaches `commitEveryBytes` (default 48 MB). 1 commits at every STATE.
   */
  commitEveryRecords?: number;
  commitEveryBytes?: number;
  /**
   * A stream's stage file is loaded in the background once it holds this many
   * bytes (default 16 MB), or `loadWhenIdleBytes` (default 1 MB) while DuckDB
   * has no load or commit to run.
   */
  loadEveryBytes?: number;
  loadWhenIdleBytes?: number;
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

const SEQ_PER_SYNC = 1_000_000_000_000n;
/** Of the records in the canonical layout, one in this many is parsed to look for fields the catalog lacks. */
const KEY_SAMPLE = 1_000;
/** A commit waits for a STATE that suits its row groups until its batch is this many times as large (or as old) as due. */
const OVERDUE = 1.5;

interface StreamSlot {
  plan: StreamPlan;
  /** The stage file records are routed into now. */
  file: StageFile;
  /** Stage files handed over for loading and not yet loaded, oldest first (the current file is not among them). */
  unloaded: StageFile[];
  /** Rows loaded into the stage table, waiting for the next commit. */
  staged: number;
  /** Records and their bytes routed since the last batch was taken. */
  batchRecords: number;
  batchBytes: number;
  check: (data: JsonValue) => string | undefined;
  known: Set<string>;
  /** Fields seen in records but not in the catalog: dropped, reported once. */
  unknownFields: Set<string>;
  reportedUnknown: Set<string>;
  sinceSample: number;
}

/** What one commit takes: the first `states` pending states, and the stage files routed before them. */
interface Batch {
  states: number;
  files: Map<StreamSlot, StageFile[]>;
  records: Record<string, number>;
  requests: number | undefined;
}

/** A STATE read but not yet committed, with the input line it came on and the record counts up to it. */
interface PendingState {
  state: AirbyteStateMessage;
  line: number;
  records: Record<string, number>;
}

/**
 * Reads Airbyte messages and writes them into DuckDB. Records are routed,
 * unparsed where their layout allows, into one stage file per stream; at a
 * STATE (batched: see commitEveryRecords) DuckDB loads the files into stage
 * tables, and the staged rows are merged into the current and history tables
 * and the state is saved, in one transaction. On bad input it commits the
 * complete checkpoints before the bad line, marks the sync failed and throws
 * an InputError naming the line and stream.
 */
export async function writeMessages(options: WriteOptions): Promise<WriteSummary> {
  const { config } = options;
  const log = options.log ?? (() => undefined);
  const plans = planStreams(parseCatalog(options.catalog));
  const started = Date.now();
  const db = await openDatabase(config.database);
  const connection = db.connection;
  const ceiling = new MemoryCeiling(connection, log);
  const schema = config.schema;
  const stageDir = new StageDir();
  let syncId = 0;
  let seqBase = 0n;
  let inTransaction = false;
  const slots = new Map<string, StreamSlot>();
  const progress: SyncProgress = { records: {}, tombstones: {}, requests: undefined };
  let committedProgress: SyncProgress = { records: {}, tombstones: {}, requests: undefined };
  let pendingStates: PendingState[] = [];
  let pendingRecords = 0;
  let pendingBytes = 0;
  let sinceState = 0;
  let lastCommit = Date.now();
  let states = 0;
  const completed = new Set<string>();
  /** Streams the source sent any STREAM_STATUS for. */
  const statusSeen = new Set<string>();
  /** Committed states that describe an overwrite stream not yet swapped in: saved and echoed with the swap. */
  let heldStates: PendingState[] = [];
  /** Link streams whose current-link rule this write has checked in full (later commits look at touched parents only). */
  const linksChecked = new Set<string>();
  let commits = 0;
  const byName = new Map(plans.map((p) => [p.name, p]));
  const linkParents = new Set(plans.flatMap((p) => (p.link !== undefined && byName.has(p.link.parent) ? [p.link.parent] : [])));
  const ctx: MergeContext = { connection, schema, deletionMode: config.cdc_deletion_mode, linkParents };
  const overwrites = new Set(plans.filter((p) => p.mode === 'overwrite').map((p) => p.name));
  /** At the write's end, an overwrite stream's new table is swapped in if the source reported it complete (or, reporting nothing, sent records). */
  const swapsIn = (name: string) => completed.has(name) || (!statusSeen.has(name) && (progress.records[name] ?? 0) > 0);
  /**
   * A state waits for the swap while it describes an overwrite stream not
   * swapped in (a state of no one stream, while any is not): saved before, it
   * would let the next write resume a stream whose table lacks what came before.
   */
  const waitsForSwap = (state: AirbyteStateMessage, swapping: Set<string>) => {
    const unswapped = (name: string) => overwrites.has(name) && !swapping.has(name);
    return state.type !== 'GLOBAL' && state.stream !== undefined ? unswapped(state.stream.stream_descriptor.name) : [...overwrites].some(unswapped);
  };
  const commitEveryRecords = options.commitEveryRecords ?? 100_000;
  const commitEveryMs = options.commitEveryMs ?? 5_000;
  // A stage file this large is loaded in the background while the write reads on.
  const loadEveryBytes = options.loadEveryBytes ?? 16 << 20;
  // So is a smaller one while DuckDB's thread would otherwise wait: when the source waits on the network,
  // the records are loaded as they come, and the end of the write finds little left to load.
  const loadWhenIdleBytes = options.loadWhenIdleBytes ?? 1 << 20;
  // Staged rows wait in temporary tables, which DuckDB keeps in memory: wide records commit sooner.
  const commitEveryBytes = options.commitEveryBytes ?? 48 << 20;

  const noteKeys = (slot: StreamSlot, data: JsonObject) => {
    for (const key in data) if (!slot.known.has(key)) slot.unknownFields.add(key);
  };

  /**
   * Loads a stage file into its stage table. Outside the transaction: a
   * refused file aborts only its own statement, and the stage is a temporary
   * table, so nothing reaches the database file before the commit.
   */
  const loadFile = async (slot: StreamSlot, file: StageFile) => {
    file.flush();
    // A file that keepUpTo emptied has nothing to load.
    if (file.lines > 0) {
      try {
        slot.staged += await ceiling.run(`loading stream "${slot.plan.name}"`, () => loadStageFile(connection, stageTable(slot.plan.name), slot.plan, file.path, seqBase));
      } catch (error) {
        // Out of memory at the ceiling is not the input's fault: no line to look for.
        if (error instanceof DestinationError) throw error;
        throw await explainRefusal(slot.plan.name, file, slot.check, error);
      }
    }
    file.reset();
    slot.unloaded = slot.unloaded.filter((f) => f !== file);
  };

  // Loads and commits run one at a time in DuckDB's threads while the JS thread routes the next lines.
  let loads: Promise<void> = Promise.resolve();
  let loadFailure: DestinationError | undefined;
  /** Loads and commits queued and not yet finished. */
  let queued = 0;
  const inBackground = (task: () => Promise<void>) => {
    queued += 1;
    loads = loads.then(async () => {
      try {
        await task();
      } catch (error) {
        loadFailure = error instanceof DestinationError ? error : new DestinationError(describeError(error), 'system_error', { cause: error });
      } finally {
        queued -= 1;
      }
    });
  };
  const loadInBackground = (slot: StreamSlot) => {
    const file = slot.file;
    slot.unloaded.push(file);
    slot.file = stageDir.file();
    inBackground(async () => {
      if (loadFailure === undefined) await loadFile(slot, file);
    });
  };
  const waitForLoads = async () => {
    await loads;
    if (loadFailure !== undefined) throw loadFailure;
  };

  /** Routes one record's data into its stream's stage file, and counts it. */
  const stage = (slot: StreamSlot, line: number, emittedAt: number, dataText: string) => {
    slot.file.add(line, emittedAt, dataText);
    pendingBytes += dataText.length;
    slot.batchRecords += 1;
    slot.batchBytes += dataText.length;
    const due = slot.file.bytes >= loadEveryBytes || (queued === 0 && slot.file.bytes >= loadWhenIdleBytes);
    if (due && loadFailure === undefined) loadInBackground(slot);
    progress.records[slot.plan.name] = (progress.records[slot.plan.name] ?? 0) + 1;
    pendingRecords += 1;
    sinceState += 1;
  };

  /**
   * Whether a commit now leaves each row group it writes more than half full.
   * A commit of at least a row group's rows appends whole row groups and a
   * partial last one; at a checkpoint DuckDB merges adjacent partials that fit
   * in one, rewriting them whole (a 500,000-contact sync's last checkpoint took
   * 13–20 s instead of 2). STATEs come every thousand records or so, so the
   * commit waits a few of them for a remainder past half, judged by the stream
   * with the most bytes in the batch. Smaller commits fill the last group.
   */
  const leavesFullRowGroups = () => {
    let widest: StreamSlot | undefined;
    for (const slot of slots.values()) if (widest === undefined || slot.batchBytes > widest.batchBytes) widest = slot;
    const n = widest?.batchRecords ?? 0;
    return n < ROW_GROUP_SIZE || n % ROW_GROUP_SIZE === 0 || n % ROW_GROUP_SIZE > ROW_GROUP_SIZE / 2;
  };

  // Pending states already taken by a commit that has not finished.
  let queuedStates = 0;
  /** Takes everything read so far into a batch; records read from now on go to new stage files. */
  const takeBatch = (): Batch => {
    const files = new Map<StreamSlot, StageFile[]>();
    for (const slot of slots.values()) {
      if (slot.file.lines > 0) {
        slot.unloaded.push(slot.file);
        slot.file = stageDir.file();
      }
      files.set(slot, [...slot.unloaded]);
      slot.batchRecords = 0;
      slot.batchBytes = 0;
    }
    const batch = { states: pendingStates.length - queuedStates, files, records: { ...progress.records }, requests: progress.requests };
    queuedStates = pendingStates.length;
    pendingRecords = 0;
    pendingBytes = 0;
    return batch;
  };

  /**
   * One commit's transaction: merges the staged rows of every stream that has
   * any into its tables and saves the batch's states. It changes nothing in
   * this closure, so after a rollback it can run again as it did the first time.
   */
  const mergeBatch = async (batch: Batch, final: boolean, committing: PendingState[], swapping: Set<string>) => {
    await connection.run('BEGIN TRANSACTION');
    inTransaction = true;
    const merged: StreamSlot[] = [];
    const tombstones = { ...progress.tombstones };
    for (const slot of slots.values()) {
      if (slot.staged === 0) continue;
      merged.push(slot);
      await noteTouchedParents(ctx, slot.plan);
      if (slot.plan.hasDeletes) {
        const found = await countTombstones(ctx, slot.plan);
        if (found > 0) tombstones[slot.plan.name] = (tombstones[slot.plan.name] ?? 0) + found;
      }
      if (keepsHistory(slot.plan, config.history_tables)) await mergeHistory(ctx, slot.plan);
      await mergeCurrent(ctx, slot.plan);
      await clearStage(ctx, slot.plan);
    }
    if (final) {
      for (const name of overwrites) {
        if (swapping.has(name)) await swapInOverwriteTable(connection, schema, name);
        else await dropOverwriteTable(connection, schema, name);
      }
    }
    const touched = new Set([...merged.map((slot) => slot.plan.name), ...swapping]);
    // Until its swap, an overwrite stream's table is as it was: no link of it or to it has changed.
    const unchanged = (name: string) => overwrites.has(name) && !swapping.has(name);
    const checked: string[] = [];
    for (const plan of plans) {
      if (plan.link === undefined) continue;
      const parent = byName.get(plan.link.parent);
      if (parent === undefined || (!touched.has(plan.name) && !touched.has(parent.name))) continue;
      if (unchanged(plan.name) || unchanged(parent.name)) continue;
      // A write's first check looks at every link: an earlier write may have synced the parent without its links.
      // So does a check after a swap, which changed every row of the table.
      const whole = !linksChecked.has(plan.name) || swapping.has(plan.name) || swapping.has(parent.name);
      const removed = await enforceLinkRule(ctx, plan, parent, keepsHistory(plan, config.history_tables), !whole);
      checked.push(plan.name);
      if (removed > 0) log('DEBUG', `stream "${plan.name}": ${removed} links left behind by a newer or deleted ${parent.name} row removed`);
    }
    await clearScratchTables(connection);
    const done: SyncProgress = { records: batch.records, tombstones, requests: batch.requests };
    await saveStates(connection, schema, syncId, committing.map((p) => p.state));
    await recordProgress(connection, schema, syncId, done);
    // The last commit also ends the sync's row: one COMMIT (and one checkpoint of the log) less.
    if (final) await finishSync(connection, schema, syncId, 'succeeded');
    await connection.run('COMMIT');
    inTransaction = false;
    return { merged, done, checked };
  };

  const rollback = async () => {
    if (!inTransaction) return;
    inTransaction = false;
    try {
      await connection.run('ROLLBACK');
    } catch {
      // A COMMIT that failed has already ended its transaction.
    }
  };

  const commit = async (batch: Batch, final: boolean) => {
    for (const [slot, files] of batch.files) for (const file of files) await loadFile(slot, file);
    const taken = pendingStates.slice(0, batch.states);
    const swapping = new Set(final ? [...overwrites].filter(swapsIn) : []);
    // Held states go first: they are older than this batch's.
    const releasing = [...heldStates, ...taken].filter((p) => !waitsForSwap(p.state, swapping));
    const holding = taken.filter((p) => waitsForSwap(p.state, swapping));
    const { merged, done, checked } = await ceiling.run('merging staged records', () => mergeBatch(batch, final, releasing, swapping), rollback);
    for (const name of checked) linksChecked.add(name);
    // The write ends: a state still held describes a table this write did not replace, and is dropped with its rows.
    heldStates = final ? [] : [...heldStates, ...holding];
    for (const name of final ? overwrites : []) {
      const read = progress.records[name] ?? 0;
      if (!swapping.has(name) && read > 0) {
        log('WARN', `stream "${name}": the source did not report it complete, so its table keeps the rows of the last write that completed it; this write's ${read} records for it were dropped, and its states for it not saved`);
      }
    }
    for (const slot of merged) {
      slot.staged = 0;
      for (const field of slot.unknownFields) {
        if (slot.reportedUnknown.has(field)) continue;
        slot.reportedUnknown.add(field);
        log('WARN', `stream "${slot.plan.name}": field "${field}" is not in the catalog's json_schema and was not written`);
      }
    }
    progress.tombstones = { ...done.tombstones };
    commits += 1;
    committedProgress = done;
    pendingStates.splice(0, batch.states);
    queuedStates -= batch.states;
    lastCommit = Date.now();
    for (const { state } of releasing) {
      states += 1;
      options.onState?.(state);
    }
  };

  /**
   * A commit in DuckDB's threads while the JS thread reads on, so the source
   * is not held back; it runs after the loads queued before it, and at most
   * one waits at a time. Its failure surfaces at the next STATE or the end.
   */
  let commitQueued = false;
  const commitInBackground = () => {
    if (commitQueued || loadFailure !== undefined) return;
    commitQueued = true;
    const batch = takeBatch();
    inBackground(async () => {
      try {
        if (loadFailure === undefined) await commit(batch, false);
      } finally {
        commitQueued = false;
      }
    });
  };

  /** After bad input on `badLine`: commits the complete checkpoints before it, dropping every record after the last of them. */
  const commitBefore = async (badLine: number) => {
    // First let a background commit finish: it takes its states from the front of pendingStates.
    await loads;
    loadFailure = undefined;
    pendingStates = pendingStates.filter((p) => p.line < badLine);
    const last = pendingStates[pendingStates.length - 1];
    if (last === undefined) return;
    // A background commit failed inside its transaction: nothing of it stays.
    await rollback();
    queuedStates = 0;
    for (const slot of slots.values()) {
      for (const file of [...slot.unloaded, slot.file]) await file.keepUpTo(last.line);
      if (slot.staged > 0) {
        const stage = stageTable(slot.plan.name);
        await connection.run(`DELETE FROM ${stage} WHERE "_airbyte_seq" > ${seqBase + BigInt(last.line)}`);
        // What is left decides whether the stream is merged (an overwrite must not be emptied for nothing).
        const [left] = await rows(connection, `SELECT count(*) AS n FROM ${stage}`);
        slot.staged = Number(left?.n ?? 0);
      }
    }
    progress.records = last.records;
    await commit(takeBatch(), false);
  };

  const abandon = async () => {
    await loads;
    for (const slot of slots.values()) for (const file of [slot.file, ...slot.unloaded]) file.close();
    // Nothing was committed by this batch; a failed rollback leaves the same state.
    await rollback();
    for (const name of overwrites) {
      try {
        await dropOverwriteTable(connection, schema, name);
      } catch {
        // A leftover is dropped or replaced by the next write of the stream.
      }
    }
  };

  try {
    await ensureMetaTables(connection, schema);
    syncId = await startSync(connection, schema);
    await connection.run('BEGIN TRANSACTION');
    for (const plan of plans) {
      const prepared = await prepareStreamTables(connection, schema, plan, config.history_tables, (m) => log('INFO', m));
      // A killed write's overwrite table is left behind: replaced here, or dropped when the stream is not overwritten now.
      if (prepared.mode === 'overwrite') await createOverwriteTable(connection, schema, prepared.name);
      else await dropOverwriteTable(connection, schema, prepared.name);
      byName.set(prepared.name, prepared);
      slots.set(prepared.name, {
        plan: prepared,
        file: stageDir.file(),
        unloaded: [],
        staged: 0,
        batchRecords: 0,
        batchBytes: 0,
        check: recordChecker(prepared),
        known: new Set(prepared.columns.map((c) => c.name)),
        unknownFields: new Set(),
        reportedUnknown: new Set(),
        sinceSample: 0,
      });
    }
    await connection.run('COMMIT');
    for (const [i, plan] of plans.entries()) plans[i] = byName.get(plan.name) as StreamPlan;
    await createScratchTables(connection);
    seqBase = BigInt(syncId) * SEQ_PER_SYNC;
    log('INFO', `sync ${syncId}: writing ${plans.length} stream${plans.length === 1 ? '' : 's'} into ${config.database} (schema ${schema})`);

    let lineNo = 0;
    const lines = linesOf(options.input)[Symbol.asyncIterator]();
    for (;;) {
      let next = lines.next();
      if (pendingStates.length > queuedStates && sinceState === 0) {
        // A source that goes quiet right after a STATE must not hold that state back, also when it came
        // while a commit was running. (Only then: a commit must never include records read after the last STATE.)
        // (setTimeout takes at most 2^31-1 ms; a longer wait would fire at once.)
        const wait = Math.min(2 ** 31 - 1, Math.max(0, commitEveryMs - (Date.now() - lastCommit)));
        let timer: NodeJS.Timeout | undefined;
        const running = loads;
        const idle = new Promise<void>((resolve) => (timer = setTimeout(resolve, wait))).then(() => running).then(() => 'idle' as const);
        const first = await Promise.race([next, idle]);
        clearTimeout(timer);
        if (first === 'idle') commitInBackground();
        else next = Promise.resolve(first);
      }
      const step = await next;
      if (step.done === true) break;
      const line = step.value;
      lineNo += 1;
      const canonical = splitRecordLine(line);
      const fastSlot = canonical === undefined ? undefined : slots.get(canonical.stream);
      if (canonical !== undefined && fastSlot !== undefined) {
        if (fastSlot.sinceSample === 0) {
          try {
            noteKeys(fastSlot, JSON.parse(canonical.dataText) as JsonObject);
          } catch {
            // A fault in the data is DuckDB's to find, and explainRefusal's to report.
          }
        }
        fastSlot.sinceSample = (fastSlot.sinceSample + 1) % KEY_SAMPLE;
        stage(fastSlot, lineNo, canonical.emittedAt, canonical.dataText);
        continue;
      }
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
        const emittedAt = typeof record.emitted_at === 'number' && Number.isFinite(record.emitted_at) ? Math.trunc(record.emitted_at) : Date.now();
        noteKeys(slot, record.data);
        const dataText = JSON.stringify(record.data);
        stage(slot, lineNo, emittedAt, dataText);
      } else if (message.type === 'STATE') {
        if (!isJsonObject(message.state)) throw new InputError(lineNo, undefined, 'STATE without a state object');
        const state = message.state as unknown as AirbyteStateMessage;
        pendingStates.push({ state: { ...state, destinationStats: { recordCount: sinceState } }, line: lineNo, records: { ...progress.records } });
        sinceState = 0;
        if (loadFailure !== undefined) throw loadFailure;
        const since = Date.now() - lastCommit;
        const sizeDue = pendingRecords >= commitEveryRecords || pendingBytes >= commitEveryBytes;
        const overdue = pendingRecords >= OVERDUE * commitEveryRecords || pendingBytes >= OVERDUE * commitEveryBytes || since >= OVERDUE * commitEveryMs;
        if ((sizeDue || since >= commitEveryMs) && (overdue || leavesFullRowGroups())) {
          // Holds the input while the last commit runs: else the next batch takes everything that comes meanwhile.
          if (sizeDue && commitQueued) await waitForLoads();
          commitInBackground();
        }
      } else if (message.type === 'TRACE') {
        const trace = message.trace;
        if (isJsonObject(trace) && trace.type === 'STREAM_STATUS' && isJsonObject(trace.stream_status)) {
          const descriptor = trace.stream_status.stream_descriptor;
          if (isJsonObject(descriptor) && typeof descriptor.name === 'string') {
            statusSeen.add(descriptor.name);
            if (trace.stream_status.status === 'COMPLETE') completed.add(descriptor.name);
          }
        }
        if (isJsonObject(trace) && trace.type === 'ANALYTICS' && isJsonObject(trace.analytics) && trace.analytics.type === 'intercom_requests') {
          const n = Number(trace.analytics.value);
          if (Number.isFinite(n)) progress.requests = (progress.requests ?? 0) + n;
        }
      }
      // LOG, CONTROL and other messages from the source are not the destination's to repeat.
    }
    await waitForLoads();
    await commit(takeBatch(), true);
    for (const plan of plans) await dropStageTable(connection, plan.name);
  } catch (error) {
    if (error instanceof InputError && pendingStates.length > 0) {
      try {
        await commitBefore(error.line);
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
    stageDir.remove();
    throw wrapped;
  }
  let models: string[] = [];
  try {
    if (config.models) models = await ceiling.run('building the models', () => buildModelsOn(connection, schema, log));
    try {
      await ceiling.run('checkpointing the database', () => checkpoint(connection));
    } catch (error) {
      // What was committed is safe in the write-ahead log, and DuckDB checkpoints it when the database next opens.
      log('WARN', `the database was not checkpointed: ${describeError(error)}`);
    }
  } finally {
    db.close();
    stageDir.remove();
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

