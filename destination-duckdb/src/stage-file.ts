import { closeSync, createReadStream, existsSync, mkdtempSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Bytes gathered in memory before they are written out: memory stays flat however long a batch is. */
const WRITE_BYTES = 1 << 20;

/** A temporary folder for one write's stage files, removed when the write ends. */
export class StageDir {
  readonly path = mkdtempSync(join(tmpdir(), 'intercom-duckdb-stage-'));
  private count = 0;

  file(): StageFile {
    this.count += 1;
    return new StageFile(join(this.path, `${this.count}.ndjson`));
  }

  remove(): void {
    rmSync(this.path, { recursive: true, force: true });
  }
}

/**
 * One stream's records since the last commit, as NDJSON lines
 * `{"s":<input line>,"e":<emitted_at>,"d":<data>}` for DuckDB to read.
 * The data is the source's own text, copied without being parsed.
 */
export class StageFile {
  private fd: number | undefined;
  private pending: string[] = [];
  private pendingBytes = 0;
  /** Lines and bytes written since the last reset. */
  lines = 0;
  bytes = 0;

  constructor(readonly path: string) {}

  add(line: number, emittedAt: number, dataText: string): void {
    this.append(`{"s":${line},"e":${emittedAt},"d":${dataText}}`);
  }

  /** Writes out what is gathered, so DuckDB sees every line added. */
  flush(): void {
    if (this.pending.length === 0) return;
    this.fd ??= openSync(this.path, 'a');
    writeSync(this.fd, this.pending.join(''));
    this.pending = [];
    this.pendingBytes = 0;
  }

  /** The file's lines, with the input line each came from (undefined where a line is unreadable). */
  async *read(): AsyncIterable<{ line: number | undefined; text: string }> {
    this.flush();
    if (!existsSync(this.path)) return;
    for await (const text of createInterface({ input: createReadStream(this.path), crlfDelay: Infinity })) {
      const match = /^\{"s":(\d+),/.exec(text);
      yield { line: match ? Number(match[1]) : undefined, text };
    }
  }

  /** Drops the lines that came after input line `last` (after bad input: only complete checkpoints are kept). */
  async keepUpTo(last: number): Promise<void> {
    if (this.lines === 0) return;
    const kept = new StageFile(`${this.path}.kept`);
    for await (const { line, text } of this.read()) if (line !== undefined && line <= last) kept.append(text);
    kept.flush();
    kept.close();
    this.close();
    if (kept.lines === 0) {
      rmSync(kept.path, { force: true });
      rmSync(this.path, { force: true });
    } else renameSync(kept.path, this.path);
    this.lines = kept.lines;
  }

  private append(text: string): void {
    this.pending.push(`${text}\n`);
    this.pendingBytes += text.length + 1;
    this.bytes += text.length + 1;
    this.lines += 1;
    if (this.pendingBytes >= WRITE_BYTES) this.flush();
  }

  /** Empties the file for the next batch. */
  reset(): void {
    this.close();
    rmSync(this.path, { force: true });
    this.lines = 0;
    this.bytes = 0;
  }

  close(): void {
    this.pending = [];
    this.pendingBytes = 0;
    if (this.fd !== undefined) closeSync(this.fd);
    this.fd = undefined;
  }
}
