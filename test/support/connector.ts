/**
 * Runs the connector the way Airbyte does and collects what it prints:
 * in-process through `main` (fast), or as a child process of the built CLI
 * (for exit codes, signals and kill -9). Each stdout line must be one JSON
 * message that validates against the Airbyte protocol, or the run throws.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { main } from '../../src/app/cli.js';
import { Output } from '../../src/protocol/output.js';
import type { AirbyteMessage, AirbyteStream, ConfiguredAirbyteCatalog, JsonObject, SyncMode } from '../../src/protocol/types.js';
import { protocolErrors } from './protocol.js';
import { findRepoRoot } from './vendor.js';

export type Message = AirbyteMessage & JsonObject;

export class RunResult {
  constructor(
    readonly messages: Message[],
    readonly code: number | null,
    readonly stderr = '',
  ) {}

  ofType<T extends Message['type']>(type: T): Array<Extract<Message, { type: T }>> {
    return this.messages.filter((m): m is Extract<Message, { type: T }> => m.type === type);
  }

  records(stream?: string): JsonObject[] {
    return this.ofType('RECORD')
      .filter((m) => stream === undefined || m.record.stream === stream)
      .map((m) => m.record.data);
  }

  /** The STATE messages of a stream, in order. */
  states(stream?: string): Array<{ stream: string; state: JsonObject; recordCount: number }> {
    return this.ofType('STATE')
      .filter((m) => stream === undefined || m.state.stream.stream_descriptor.name === stream)
      .map((m) => ({ stream: m.state.stream.stream_descriptor.name, state: m.state.stream.stream_state ?? {}, recordCount: m.state.sourceStats?.recordCount ?? NaN }));
  }

  /** The last state of every stream, as Airbyte would pass it to the next sync. */
  stateArray(): JsonObject[] {
    const last = new Map<string, JsonObject>();
    for (const m of this.ofType('STATE')) last.set(m.state.stream.stream_descriptor.name, m.state as unknown as JsonObject);
    return [...last.values()].map((s) => ({ type: 'STREAM', stream: (s as { stream: unknown }).stream }));
  }

  errors(): Array<{ message: string; failure_type: string; stream?: string }> {
    return this.ofType('TRACE').flatMap((m) =>
      m.trace.type === 'ERROR'
        ? [{ message: m.trace.error.message, failure_type: m.trace.error.failure_type, stream: m.trace.error.stream_descriptor?.name }]
        : [],
    );
  }

  statuses(stream: string): string[] {
    return this.ofType('TRACE').flatMap((m) =>
      m.trace.type === 'STREAM_STATUS' && m.trace.stream_status.stream_descriptor.name === stream ? [m.trace.stream_status.status] : [],
    );
  }

  logs(level?: string): string[] {
    return this.ofType('LOG')
      .filter((m) => level === undefined || m.log.level === level)
      .map((m) => m.log.message);
  }

  /** Everything printed, for secret scans. */
  text(): string {
    return this.messages.map((m) => JSON.stringify(m)).join('\n') + '\n' + this.stderr;
  }
}

/** Parses stdout; throws on a line that is not a valid protocol message. */
export function parseOutput(stdout: string): Message[] {
  const messages: Message[] = [];
  for (const line of stdout.split('\n')) {
    if (line === '') continue;
    let message: unknown;
    try {
      message = JSON.parse(line);
    } catch {
      throw new Error(`stdout carried a line that is not JSON: ${line.slice(0, 200)}`);
    }
    const problems = protocolErrors(message);
    if (problems) throw new Error(`stdout carried a message the Airbyte protocol rejects: ${problems}\n${line.slice(0, 500)}`);
    messages.push(message as Message);
  }
  return messages;
}

/** Runs a command in this process. */
export async function runInProcess(argv: string[]): Promise<RunResult> {
  const out = new PassThrough();
  const chunks: Buffer[] = [];
  out.on('data', (c: Buffer) => chunks.push(c));
  const code = await main(argv, new Output(out));
  return new RunResult(parseOutput(Buffer.concat(chunks).toString('utf8')), code);
}

export const CLI_PATH = join(findRepoRoot(), 'dist', 'src', 'bin', 'source-intercom.js');

export interface ProcessOptions {
  env?: Record<string, string>;
  /** Called for each parsed message while the process runs; may kill it. */
  onMessage?: (message: Message, child: ChildProcess) => void;
}

/** Runs the built CLI (`npm run build` first) as a child process. */
export function runProcess(argv: string[], options: ProcessOptions = {}): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI_PATH, ...argv], { env: { ...process.env, ...options.env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let pending = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk;
      if (!options.onMessage) return;
      pending += chunk;
      const lines = pending.split('\n');
      pending = lines.pop()!;
      for (const line of lines) if (line) options.onMessage(JSON.parse(line) as Message, child);
    });
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code) => {
      // A killed process may leave a partial last line; Airbyte drops it too.
      const complete = stdout.endsWith('\n') ? stdout : stdout.slice(0, stdout.lastIndexOf('\n') + 1);
      try {
        resolve(new RunResult(parseOutput(complete), code, stderr));
      } catch (err) {
        reject(err);
      }
    });
  });
}

/** What a helper command printed: plain text, not protocol messages. */
export interface TextRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the built CLI with text on stdin, for the helper commands (help, catalog, state). */
export function runText(argv: string[], stdin = ''): Promise<TextRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI_PATH, ...argv], { stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (c: string) => (stdout += c));
    child.stderr.setEncoding('utf8').on('data', (c: string) => (stderr += c));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(stdin);
  });
}

/** Runs the CLI as a child process and kills it with SIGKILL right after its Nth STATE message (Infinity: never). */
export function runKilledAfterState(argv: string[], killAfter: number, env: Record<string, string> = {}): Promise<RunResult> {
  let seen = 0;
  return runProcess(argv, {
    env,
    onMessage: (m, child) => {
      if (m.type === 'STATE' && ++seen === killAfter) child.kill('SIGKILL');
    },
  });
}

/** The state to resume from: each stream's last state, from the earlier runs and this one. */
export function mergeStates(state: JsonObject[], run: RunResult): JsonObject[] {
  const merged = new Map(state.map((s) => [JSON.stringify((s.stream as JsonObject).stream_descriptor), s]));
  for (const s of run.stateArray()) merged.set(JSON.stringify((s.stream as JsonObject).stream_descriptor), s);
  return [...merged.values()];
}

let tempDir: string | undefined;

/** This test process's temporary folder, removed when the process exits (however its tests end). */
export function testTempDir(): string {
  if (tempDir === undefined) {
    const dir = mkdtempSync(join(tmpdir(), 'source-intercom-test-'));
    process.on('exit', () => rmSync(dir, { recursive: true, force: true }));
    tempDir = dir;
  }
  return tempDir;
}

/** Writes JSON to a fresh temporary file and returns its path. */
export function tempJson(name: string, value: unknown): string {
  const tempDir = testTempDir();
  const path = join(tempDir, `${Date.now()}-${Math.random().toString(36).slice(2)}-${name}`);
  writeFileSync(path, typeof value === 'string' ? value : JSON.stringify(value));
  return path;
}

/** A configured catalog from discovered streams. */
export function configuredCatalog(streams: AirbyteStream[], mode: SyncMode | ((s: AirbyteStream) => SyncMode) = 'incremental'): ConfiguredAirbyteCatalog {
  return {
    streams: streams.map((stream) => {
      const syncMode = typeof mode === 'function' ? mode(stream) : stream.supported_sync_modes.includes(mode) ? mode : 'full_refresh';
      return {
        stream,
        sync_mode: syncMode,
        destination_sync_mode: syncMode === 'incremental' ? 'append_dedup' : 'overwrite',
        ...(stream.default_cursor_field ? { cursor_field: stream.default_cursor_field } : {}),
        ...(stream.source_defined_primary_key ? { primary_key: stream.source_defined_primary_key } : {}),
      };
    }),
  };
}
