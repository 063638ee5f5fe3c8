import { mkdirSync, openSync, readSync, closeSync, unlinkSync } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';
import { StoreUnavailableError, LogCorruptError } from '../errors.js';
import { decodeEntry, encodeEntry, type StoredEvent } from './entry.js';
import { dedupKey, recoverLog, type IndexEntry, type SegmentInfo } from './recover.js';
import { fsyncDir, segmentFileName, segmentPath } from './segments.js';

export interface StoreOptions {
  dir: string;
  retentionDays: number;
  /** A segment is closed once it reaches this size… */
  segmentMaxBytes: number;
  /** …or once its oldest entry is this old, so retention can drop whole segments. */
  segmentMaxAgeMs: number;
  now: () => number;
  log: (line: string) => void;
}

export type NewEvent = Omit<StoredEvent, 'seq' | 'received_at'>;

export interface AppendResult {
  seq: number;
  duplicate: boolean;
}

export interface ReadPage {
  /** The stored JSON of each event, in sequence order. */
  events: string[];
  next: number;
}

interface Pending {
  entry: IndexEntry;
  line: Buffer;
  receivedMs: number;
  resolve: (seq: number) => void;
  reject: (error: Error) => void;
}

/** How many index entries one read may scan when an app_id filter skips most of them. */
const MAX_SCAN = 10_000;

/**
 * The append-only event log. Appends are grouped: every request that arrives
 * while a write+fdatasync is running joins the next one, so many deliveries
 * share one fsync. A caller's promise settles only after its entry is durable.
 */
export class EventStore {
  private readonly entries: IndexEntry[];
  private readonly segments: SegmentInfo[];
  /** Deduplication: a durable entry's seq, or the commit still in flight for it. */
  private readonly keys = new Map<string, number | Promise<number>>();
  private readonly readFds = new Map<string, number>();
  private pending: Pending[] = [];
  private chain: Promise<void> = Promise.resolve();
  private flushQueued = false;
  private failure: Error | null = null;
  private closed = false;
  private nextSeq: number;
  private active!: SegmentInfo;
  private activeHandle!: FileHandle;
  commits = 0;

  private constructor(
    private readonly options: StoreOptions,
    recovered: ReturnType<typeof recoverLog>,
  ) {
    this.entries = recovered.entries;
    this.segments = recovered.segments;
    this.nextSeq = recovered.nextSeq;
    for (const entry of this.entries) this.keys.set(entry.key, entry.seq);
  }

  static async open(options: StoreOptions): Promise<EventStore> {
    mkdirSync(options.dir, { recursive: true });
    const store = new EventStore(options, recoverLog(options.dir, options.log));
    await store.openActiveSegment();
    await store.applyRetention();
    return store;
  }

  get lastSeq(): number {
    return this.entries.length === 0 ? 0 : this.entries[this.entries.length - 1]!.seq;
  }

  get eventCount(): number {
    return this.entries.length;
  }

  get healthy(): boolean {
    return this.failure === null && !this.closed;
  }

  /** Resolves once the event is durable (or was already stored: duplicate). */
  append(event: NewEvent): Promise<AppendResult> {
    if (this.failure !== null || this.closed) {
      return Promise.reject(new StoreUnavailableError('the event store is not accepting writes'));
    }
    const key = dedupKey(event.app_id, event.id);
    const known = this.keys.get(key);
    if (typeof known === 'number') return Promise.resolve({ seq: known, duplicate: true });
    if (known !== undefined) return known.then((seq) => ({ seq, duplicate: true }));

    const receivedMs = this.options.now();
    const seq = this.nextSeq++;
    const { line } = encodeEntry({ ...event, seq, received_at: new Date(receivedMs).toISOString() });
    const committed = new Promise<number>((resolve, reject) => {
      const entry: IndexEntry = { seq, appId: event.app_id, key, segment: this.active, offset: 0, length: line.length - 1 };
      this.pending.push({ entry, line, receivedMs, resolve, reject });
    });
    this.keys.set(key, committed);
    // The dedup map holds the promise; a failed commit is reported to the caller below.
    committed.catch(() => undefined);
    this.scheduleFlush();
    return committed.then((s) => ({ seq: s, duplicate: false }));
  }

  /** Durable events with seq > after, up to limit, optionally of one app. */
  read(after: number, limit: number, appId?: string): ReadPage {
    let index = this.firstIndexAfter(after);
    const events: string[] = [];
    let next = after;
    let scanned = 0;
    while (index < this.entries.length && events.length < limit && scanned < MAX_SCAN) {
      const entry = this.entries[index]!;
      index += 1;
      scanned += 1;
      next = entry.seq;
      if (appId !== undefined && entry.appId !== appId) continue;
      events.push(this.readEntry(entry));
    }
    return { events, next };
  }

  /** Removes whole segments whose newest entry is older than the retention period, and logs each. */
  applyRetention(): Promise<void> {
    return this.serialize(() => this.retainNow());
  }

  /** Flushes what is pending, then closes every file. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.chain;
    await this.activeHandle.close();
    for (const fd of this.readFds.values()) closeSync(fd);
    this.readFds.clear();
  }

  private scheduleFlush(): void {
    if (this.flushQueued) return;
    this.flushQueued = true;
    void this.serialize(async () => {
      this.flushQueued = false;
      await this.flushPending();
    });
  }

  /** Runs writes, segment rolls and retention one at a time, in order. */
  private serialize(task: () => Promise<void>): Promise<void> {
    const run = this.chain.then(task);
    this.chain = run.catch(() => undefined);
    return run;
  }

  private async flushPending(): Promise<void> {
    const batch = this.pending;
    this.pending = [];
    if (batch.length === 0) return;
    try {
      if (this.failure !== null) throw this.failure;
      if (this.shouldRoll(batch[0]!.receivedMs)) await this.rollSegment();
      let offset = this.active.size;
      for (const p of batch) {
        p.entry.segment = this.active;
        p.entry.offset = offset;
        offset += p.line.length;
      }
      await writeAll(this.activeHandle, Buffer.concat(batch.map((p) => p.line)));
      await this.activeHandle.datasync();
      this.commits += 1;
    } catch (error) {
      this.failure ??= new StoreUnavailableError(`writing the event log failed: ${(error as Error).message}`);
      this.options.log(`store: ${this.failure.message}; refusing writes until a restart recovers the log`);
      for (const p of batch) {
        this.keys.delete(p.entry.key);
        p.reject(this.failure);
      }
      return;
    }
    for (const p of batch) {
      const segment = this.active;
      segment.size += p.line.length;
      segment.count += 1;
      if (Number.isNaN(segment.oldestReceivedMs)) segment.oldestReceivedMs = p.receivedMs;
      segment.newestReceivedMs = p.receivedMs;
      segment.lastSeq = p.entry.seq;
      this.entries.push(p.entry);
      this.keys.set(p.entry.key, p.entry.seq);
      p.resolve(p.entry.seq);
    }
  }

  private shouldRoll(nowMs: number): boolean {
    const a = this.active;
    if (a.count === 0) return false;
    return a.size >= this.options.segmentMaxBytes || nowMs - a.oldestReceivedMs >= this.options.segmentMaxAgeMs;
  }

  /** Each start writes to a fresh segment, so a recovered one is never appended to. */
  private async openActiveSegment(): Promise<void> {
    const last = this.segments[this.segments.length - 1];
    if (last !== undefined && last.count === 0 && last.size === 0 && last.firstSeq === this.nextSeq) {
      this.active = last;
    } else {
      this.active = this.newSegmentInfo();
      this.segments.push(this.active);
    }
    this.activeHandle = await open(segmentPath(this.options.dir, this.active.name), 'a+');
    fsyncDir(this.options.dir);
  }

  private newSegmentInfo(): SegmentInfo {
    return {
      name: segmentFileName(this.nextSeq),
      firstSeq: this.nextSeq,
      size: 0,
      count: 0,
      lastSeq: 0,
      oldestReceivedMs: Number.NaN,
      newestReceivedMs: Number.NaN,
    };
  }

  private async rollSegment(): Promise<void> {
    await this.activeHandle.close();
    this.active = this.newSegmentInfo();
    this.segments.push(this.active);
    this.activeHandle = await open(segmentPath(this.options.dir, this.active.name), 'a+');
    fsyncDir(this.options.dir);
  }

  private async retainNow(): Promise<void> {
    const cutoff = this.options.now() - this.options.retentionDays * 86_400_000;
    if (this.active.count > 0 && this.active.newestReceivedMs < cutoff) await this.rollSegment();
    let removed = 0;
    while (this.segments.length > 1) {
      const oldest = this.segments[0]!;
      if (oldest === this.active) break;
      if (oldest.count > 0 && !(oldest.newestReceivedMs < cutoff)) break;
      this.removeSegment(oldest);
      removed += 1;
    }
    if (removed > 0) fsyncDir(this.options.dir);
  }

  private removeSegment(segment: SegmentInfo): void {
    let dropped = 0;
    while (this.entries.length > 0 && this.entries[0]!.segment === segment) {
      this.keys.delete(this.entries.shift()!.key);
      dropped += 1;
    }
    const fd = this.readFds.get(segment.name);
    if (fd !== undefined) closeSync(fd);
    this.readFds.delete(segment.name);
    unlinkSync(segmentPath(this.options.dir, segment.name));
    this.segments.shift();
    if (segment.count > 0) {
      this.options.log(
        `retention: removed ${segment.name} (${dropped} events up to seq ${segment.lastSeq}, ` +
          `newest received ${new Date(segment.newestReceivedMs).toISOString()}, older than ${this.options.retentionDays} days)`,
      );
    }
  }

  private firstIndexAfter(after: number): number {
    let lo = 0;
    let hi = this.entries.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.entries[mid]!.seq <= after) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  private readEntry(entry: IndexEntry): string {
    let fd = this.readFds.get(entry.segment.name);
    if (fd === undefined) {
      fd = openSync(segmentPath(this.options.dir, entry.segment.name), 'r');
      this.readFds.set(entry.segment.name, fd);
    }
    const buffer = Buffer.alloc(entry.length);
    const read = readSync(fd, buffer, 0, entry.length, entry.offset);
    const decoded = read === entry.length ? decodeEntry(buffer.toString('utf8')) : null;
    if (decoded === null || decoded.event.seq !== entry.seq) {
      throw new LogCorruptError(`the event log is corrupt: ${entry.segment.name} at byte ${entry.offset} (seq ${entry.seq}) does not verify`);
    }
    return decoded.json;
  }
}

/** The file is opened for appending, so each write lands at the end; loops over short writes. */
async function writeAll(handle: FileHandle, bytes: Buffer): Promise<void> {
  let done = 0;
  while (done < bytes.length) {
    const { bytesWritten } = await handle.write(bytes, done, bytes.length - done);
    done += bytesWritten;
  }
}
