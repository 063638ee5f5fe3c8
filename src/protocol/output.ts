import type { Writable } from 'node:stream';
import { NdjsonWriter } from './writer.js';
import { Redactor } from './redact.js';
import type {
  AirbyteMessage,
  AirbyteStream,
  FailureType,
  JsonObject,
  LogLevel,
  StreamStatus,
} from './types.js';
import type { ConnectorError } from './errors.js';

/**
 * The connector's only way to stdout: builds protocol messages, redacts
 * secrets from everything except records, counts records per stream for the
 * STATE messages' sourceStats, and writes NDJSON with backpressure.
 */
export class Output {
  readonly redactor = new Redactor();
  private readonly writer: NdjsonWriter;
  private readonly recordsSinceState = new Map<string, number>();
  private readonly recordsTotal = new Map<string, number>();
  private readonly recordPrefixes = new Map<string, string>();
  private flushTimer: NodeJS.Timeout | null = null;
  private readonly estimates = new Map<string, number>();

  /**
   * `console`, when given, is where a person reads along (stderr): errors are
   * echoed there as they happen, and `say` writes there. Never stdout.
   */
  constructor(
    out: Writable,
    chunkBytes?: number,
    private readonly console?: Writable,
  ) {
    this.writer = new NdjsonWriter(out, chunkBytes);
  }

  /** Whether `say` reaches anyone. */
  get hasConsole(): boolean {
    return this.console !== undefined;
  }

  /** Human text for the console (stderr), redacted; nothing when there is none. */
  say(text: string): void {
    if (!this.console) return;
    // On a terminal, the progress line is erased first, and redrawn by its next tick.
    const erase = (this.console as Writable & { isTTY?: boolean }).isTTY ? '\r\x1b[K' : '';
    this.console.write(`${erase}${this.redactor.redact(text)}${text.endsWith('\n') ? '' : '\n'}`);
  }

  /** The last row estimate of a stream, if one was emitted. */
  estimateOf(stream: string): number | undefined {
    return this.estimates.get(stream);
  }

  /** Flushes queued lines at least this often, so logs and states are not held back by a quiet stream. */
  startAutoFlush(intervalMs = 500): void {
    this.flushTimer ??= setInterval(() => this.writer.flush(), intervalMs);
    this.flushTimer.unref();
  }

  /** Writes a record that has already been transformed and projected. */
  record(stream: string, data: JsonObject, emittedAt = Date.now()): void {
    // Hot path: the envelope is spliced around the data rather than built as objects.
    let prefix = this.recordPrefixes.get(stream);
    if (prefix === undefined) {
      prefix = `{"type":"RECORD","record":{"stream":${JSON.stringify(stream)},"data":`;
      this.recordPrefixes.set(stream, prefix);
    }
    this.writer.writeLine(`${prefix}${JSON.stringify(data)},"emitted_at":${emittedAt}}}`);
    this.recordsSinceState.set(stream, (this.recordsSinceState.get(stream) ?? 0) + 1);
    this.recordsTotal.set(stream, (this.recordsTotal.get(stream) ?? 0) + 1);
  }

  /** A per-stream STATE; sourceStats.recordCount counts this stream's records since its previous STATE. */
  state(stream: string, streamState: JsonObject): void {
    const recordCount = this.recordsSinceState.get(stream) ?? 0;
    this.recordsSinceState.set(stream, 0);
    const line = JSON.stringify({
      type: 'STATE',
      state: {
        type: 'STREAM',
        stream: { stream_descriptor: { name: stream }, stream_state: streamState },
        sourceStats: { recordCount },
      },
    });
    // The protocol asks for recordCount to be serialised as a double ("5.0").
    this.writer.writeLine(line.replace(/"recordCount":(\d+)}}}$/, '"recordCount":$1.0}}}'));
  }

  recordCount(stream: string): number {
    return this.recordsTotal.get(stream) ?? 0;
  }

  log(level: LogLevel, message: string): void {
    this.emit({ type: 'LOG', log: { level, message } });
  }

  streamStatus(stream: string, status: StreamStatus): void {
    this.emit({
      type: 'TRACE',
      trace: { type: 'STREAM_STATUS', emitted_at: Date.now(), stream_status: { stream_descriptor: { name: stream }, status } },
    });
  }

  estimate(stream: string, rows: number): void {
    this.estimates.set(stream, Math.round(rows));
    this.emit({
      type: 'TRACE',
      trace: { type: 'ESTIMATE', emitted_at: Date.now(), estimate: { name: stream, type: 'STREAM', row_estimate: Math.round(rows) } },
    });
  }

  /** A usage figure for the platform (and for destinations that record what a sync did). */
  analytics(type: string, value: string): void {
    this.emit({ type: 'TRACE', trace: { type: 'ANALYTICS', emitted_at: Date.now(), analytics: { type, value } } });
  }

  error(err: ConnectorError, stream?: string): void {
    this.errorTrace(err.message, err.failureType, stream, err.internalMessage);
    this.say(`Error${stream ? ` in ${stream}` : ''} (${err.failureType}): ${err.message}`);
  }

  errorTrace(message: string, failureType: FailureType, stream?: string, internalMessage?: string): void {
    this.emit({
      type: 'TRACE',
      trace: {
        type: 'ERROR',
        emitted_at: Date.now(),
        error: {
          message,
          failure_type: failureType,
          ...(internalMessage ? { internal_message: internalMessage } : {}),
          ...(stream ? { stream_descriptor: { name: stream } } : {}),
        },
      },
    });
  }

  connectionStatus(status: 'SUCCEEDED' | 'FAILED', message: string): void {
    this.emit({ type: 'CONNECTION_STATUS', connectionStatus: { status, message } });
  }

  catalog(streams: AirbyteStream[]): void {
    this.emit({ type: 'CATALOG', catalog: { streams } });
  }

  spec(spec: JsonObject): void {
    this.emit({ type: 'SPEC', spec });
  }

  /** Resolves when stdout can take more; producers await this between pages. */
  ready(): Promise<void> {
    return this.writer.ready();
  }

  flush(): void {
    this.writer.flush();
  }

  async close(): Promise<void> {
    if (this.flushTimer) clearInterval(this.flushTimer);
    this.flushTimer = null;
    await this.writer.end();
  }

  private emit(message: AirbyteMessage): void {
    this.writer.writeLine(this.redactor.redact(JSON.stringify(message)));
  }
}
