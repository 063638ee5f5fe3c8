import type { Writable } from 'node:stream';

/**
 * Newline-delimited JSON out to a stream, batched into chunks, honouring backpressure.
 *
 * Lines are collected and written in chunks of about `chunkBytes`, which keeps
 * the number of write calls small for a million-record sync. When the
 * destination stops accepting data, `ready()` resolves only after it drains, so
 * producers that await it never buffer without bound.
 */
export class NdjsonWriter {
  private pending: string[] = [];
  private pendingBytes = 0;
  private drained: Promise<void> | null = null;
  private failed: Error | null = null;

  constructor(
    private readonly out: Writable,
    private readonly chunkBytes = 64 * 1024,
  ) {
    out.on('error', (err: Error) => {
      this.failed = err;
    });
  }

  /** Queues one line (without its newline). */
  writeLine(line: string): void {
    this.pending.push(line);
    this.pendingBytes += line.length + 1;
    if (this.pendingBytes >= this.chunkBytes) this.flush();
  }

  /** Hands everything queued to the stream. */
  flush(): void {
    if (this.pending.length === 0 || this.failed) return;
    const chunk = this.pending.join('\n') + '\n';
    this.pending = [];
    this.pendingBytes = 0;
    const accepted = this.out.write(chunk);
    if (!accepted && !this.drained) {
      this.drained = new Promise<void>((resolve) => {
        const done = (): void => {
          this.out.off('drain', done);
          this.out.off('close', done);
          this.drained = null;
          resolve();
        };
        this.out.on('drain', done);
        this.out.on('close', done);
      });
    }
  }

  /** Resolves when the stream can take more data. */
  ready(): Promise<void> {
    return this.drained ?? Promise.resolve();
  }

  /** Flushes and waits until the stream has accepted every byte. */
  async end(): Promise<void> {
    this.flush();
    await this.ready();
    if (this.failed) return;
    // An empty write's callback fires once everything before it is flushed.
    await new Promise<void>((resolve) => this.out.write('', () => resolve()));
  }
}
