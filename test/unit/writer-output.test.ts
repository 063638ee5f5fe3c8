/**
 * src/protocol/writer.ts and src/protocol/output.ts: stdout is the protocol
 * channel (reference: airbyte-protocol-and-acceptance-tests.md A1, A4). One
 * JSON message per line, backpressure honoured without loss or reordering,
 * STATE messages carry sourceStats.recordCount (this stream's records since
 * its previous STATE, serialised with a decimal point), and registered
 * secrets never leave in LOG, TRACE or CONNECTION_STATUS messages.
 */
import { PassThrough, Writable } from 'node:stream';
import t, { type Test } from 'tap';
import { NdjsonWriter } from '../../src/protocol/writer.js';
import { Output } from '../../src/protocol/output.js';
import { ConfigError, SystemError } from '../../src/protocol/errors.js';
import { protocolErrors } from '../support/protocol.js';
import { randInt, rng } from './helpers.js';

const tick = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/** Collects everything written. */
function collector(): { stream: PassThrough; text: () => string } {
  const stream = new PassThrough();
  const chunks: Buffer[] = [];
  stream.on('data', (c: Buffer) => chunks.push(c));
  return { stream, text: () => Buffer.concat(chunks).toString('utf8') };
}

/** A destination whose write callbacks are held until the test lets them go. */
class GatedSink extends Writable {
  readonly received: string[] = [];
  private held: Array<() => void> = [];
  constructor(highWaterMark: number) {
    super({ highWaterMark });
  }
  override _write(chunk: Buffer, _enc: BufferEncoding, cb: (error?: Error | null) => void): void {
    this.received.push(chunk.toString('utf8'));
    this.held.push(() => cb());
  }
  releaseAll(): void {
    const held = this.held;
    this.held = [];
    held.forEach((f) => f());
  }
  get heldCount(): number {
    return this.held.length;
  }
}

/** A destination that acknowledges each write later, after a random number of event-loop turns. */
class SlowSink extends Writable {
  readonly received: string[] = [];
  maxBuffered = 0;
  constructor(
    highWaterMark: number,
    private readonly random: () => number,
  ) {
    super({ highWaterMark });
  }
  override _write(chunk: Buffer, _enc: BufferEncoding, cb: (error?: Error | null) => void): void {
    this.received.push(chunk.toString('utf8'));
    let turns = Math.floor(this.random() * 3);
    const later = (): void => {
      if (turns-- <= 0) cb();
      else setImmediate(later);
    };
    setImmediate(later);
  }
  override write(chunk: unknown, ...rest: unknown[]): boolean {
    const ok = (super.write as (...a: unknown[]) => boolean)(chunk, ...rest);
    this.maxBuffered = Math.max(this.maxBuffered, this.writableLength);
    return ok;
  }
}

async function isPending(p: Promise<void>): Promise<boolean> {
  let settled = false;
  void p.then(() => (settled = true));
  for (let i = 0; i < 5; i++) await tick();
  return !settled;
}

t.test('NdjsonWriter: one line per writeLine, newline-terminated, in order', async (tt) => {
  const { stream, text } = collector();
  const w = new NdjsonWriter(stream, 64);
  const lines = Array.from({ length: 50 }, (_, i) => JSON.stringify({ i, pad: 'x'.repeat(i) }));
  lines.forEach((l) => w.writeLine(l));
  await w.end();
  tt.equal(text(), lines.map((l) => l + '\n').join(''));
});

t.test('NdjsonWriter: nothing is lost when flushed only at the end', async (tt) => {
  const { stream, text } = collector();
  const w = new NdjsonWriter(stream); // default 64 KiB chunks: these few lines wait in the buffer
  w.writeLine('{"a":1}');
  w.writeLine('{"b":2}');
  await w.end();
  tt.equal(text(), '{"a":1}\n{"b":2}\n');
});

t.test('NdjsonWriter: ready() stays pending while the destination is full, resolves once it drains', async (tt) => {
  const sink = new GatedSink(100);
  const w = new NdjsonWriter(sink, 50);
  tt.equal(await isPending(w.ready()), false, 'ready at first');
  let n = 0;
  while (!sink.writableNeedDrain && n < 1000) w.writeLine(JSON.stringify({ n: n++, pad: 'y'.repeat(20) }));
  tt.ok(sink.writableNeedDrain, 'the destination reports backpressure');
  const ready = w.ready();
  tt.equal(await isPending(ready), true, 'pending while no write completes');
  tt.equal(await isPending(w.ready()), true, 'a second call is pending too');
  // Let writes complete until the stream drains.
  while (sink.writableNeedDrain) {
    sink.releaseAll();
    await tick();
  }
  sink.releaseAll();
  tt.equal(await isPending(ready), false, 'resolved after drain');
  tt.equal(await isPending(w.ready()), false, 'ready again');
  let ended = false;
  const endP = w.end().then(() => (ended = true));
  for (let i = 0; i < 1000 && !ended; i++) {
    sink.releaseAll();
    await tick();
  }
  await endP;
  tt.equal(sink.heldCount, 0, 'end() resolved only after every write completed');
  const got = sink.received.join('').split('\n');
  tt.equal(got.pop(), '', 'ends with a newline');
  tt.same(
    got.map((l) => (JSON.parse(l) as { n: number }).n),
    Array.from({ length: n }, (_, i) => i),
    'every line, in order',
  );
});

t.test('NdjsonWriter: 100k lines through a slow destination: no loss, no reordering, bounded buffering', async (tt) => {
  const random = rng(31);
  const highWaterMark = 512;
  const chunkBytes = 2048;
  const sink = new SlowSink(highWaterMark, random);
  const w = new NdjsonWriter(sink, chunkBytes);
  const total = 100_000;
  let waitedWhileFull = 0;
  for (let i = 0; i < total; i++) {
    w.writeLine(JSON.stringify({ i, s: 'z'.repeat(randInt(random, 0, 40)) }));
    if (sink.writableNeedDrain) waitedWhileFull += 1;
    await w.ready();
    if (sink.writableLength > highWaterMark + 2 * chunkBytes) {
      tt.fail(`after ready(), ${sink.writableLength} bytes are buffered in the destination`);
      break;
    }
  }
  await w.end();
  tt.ok(waitedWhileFull > 0, 'the destination did push back');
  tt.ok(sink.maxBuffered <= highWaterMark + 2 * chunkBytes, `buffered at most ${sink.maxBuffered} bytes`);
  const text = sink.received.join('');
  tt.ok(text.endsWith('\n'));
  const lines = text.slice(0, -1).split('\n');
  tt.equal(lines.length, total, 'line count');
  let firstBad = -1;
  for (let i = 0; i < lines.length; i++) {
    if ((JSON.parse(lines[i]!) as { i: number }).i !== i) {
      firstBad = i;
      break;
    }
  }
  tt.equal(firstBad, -1, 'lines arrive in order, each exactly once');
});

/* ------------------------------------------------------------------ Output */

type Msg = { type: string; [k: string]: unknown };

async function run(build: (o: Output) => void, chunkBytes?: number): Promise<{ raw: string[]; messages: Msg[] }> {
  const { stream, text } = collector();
  const o = new Output(stream, chunkBytes);
  build(o);
  await o.close();
  const body = text();
  const raw = body.split('\n');
  if (raw.pop() !== '') throw new Error('output does not end with a newline');
  return { raw, messages: raw.map((l) => JSON.parse(l) as Msg) };
}

t.test('Output: every line is one protocol-valid JSON message', async (tt) => {
  const { raw, messages } = await run((o) => {
    o.spec({ connectionSpecification: { type: 'object' } });
    o.log('INFO', 'hello\nworld');
    o.record('contacts', { id: '1', text: 'line1\nline2' }, 1700000000000);
    o.state('contacts', { updated_at: 1 });
    o.streamStatus('contacts', 'COMPLETE');
    o.estimate('contacts', 12.6);
    o.errorTrace('bad', 'system_error', 'contacts', 'internal');
    o.connectionStatus('FAILED', 'nope');
    o.catalog([{ name: 'contacts', json_schema: { type: 'object' }, supported_sync_modes: ['full_refresh'] }]);
  }, 16);
  tt.equal(raw.length, 9);
  tt.same(
    messages.map((m) => m.type),
    ['SPEC', 'LOG', 'RECORD', 'STATE', 'TRACE', 'TRACE', 'TRACE', 'CONNECTION_STATUS', 'CATALOG'],
  );
  for (const m of messages) tt.equal(protocolErrors(m), '', `${m.type} validates against airbyte_protocol.yaml`);
  const est = messages[5] as unknown as { trace: { estimate: { row_estimate: number } } };
  tt.ok(Number.isInteger(est.trace.estimate.row_estimate), 'row estimate is an integer');
});

t.test('Output: STATE recordCount counts this stream since its previous STATE, with a decimal point', async (tt) => {
  const { raw, messages } = await run((o) => {
    for (let i = 0; i < 3; i++) o.record('contacts', { i });
    for (let i = 0; i < 2; i++) o.record('tags', { i });
    o.state('contacts', { updated_at: 10 }); // 3
    for (let i = 0; i < 5; i++) o.record('contacts', { i });
    o.state('tags', { synced_at: 1 }); // 2
    o.state('contacts', { updated_at: 20 }); // 5
    o.state('contacts', { updated_at: 20 }); // 0
    o.record('tags', { x: 1 });
    o.state('companies', { updated_at: 1 }); // 0: no records at all
    o.state('tags', { synced_at: 2, recordCount: 99 }); // 1; a key of the same name in the state blob is untouched
  });
  const states = messages
    .map((m, i) => ({ m, line: raw[i]! }))
    .filter(({ m }) => m.type === 'STATE')
    .map(({ m, line }) => {
      const s = (m as unknown as { state: { stream: { stream_descriptor: { name: string }; stream_state: Record<string, unknown> }; sourceStats: { recordCount: number } } }).state;
      return { name: s.stream.stream_descriptor.name, count: s.sourceStats.recordCount, blob: s.stream.stream_state, line };
    });
  tt.same(
    states.map((s) => [s.name, s.count]),
    [
      ['contacts', 3],
      ['tags', 2],
      ['contacts', 5],
      ['contacts', 0],
      ['companies', 0],
      ['tags', 1],
    ],
  );
  for (const s of states) {
    tt.match(s.line, new RegExp(`"sourceStats":\\{"recordCount":${s.count}\\.0\\}`), `${s.name}: recordCount written as ${s.count}.0`);
    tt.equal(protocolErrors(JSON.parse(s.line)), '', 'valid STATE');
  }
  tt.same(states[5]!.blob, { synced_at: 2, recordCount: 99 }, 'the state blob is written as given');
  tt.end();
});

t.test('Output: recordCount(stream) is the running total', async (tt) => {
  const { stream } = collector();
  const o = new Output(stream);
  o.record('a', {});
  o.record('a', {});
  o.state('a', {});
  o.record('a', {});
  tt.equal(o.recordCount('a'), 3);
  tt.equal(o.recordCount('b'), 0);
  await o.close();
});

const TOKEN = 'dG9rOjEyMzQ1Njc4OWFiY2RlZjpzZWNyZXQ=';
const CLIENT_SECRET = 'cs_9f8e7d6c5b4a3210';

/** Every string inside a parsed message. */
function strings(value: unknown, out: string[] = []): string[] {
  if (typeof value === 'string') out.push(value);
  else if (Array.isArray(value)) value.forEach((v) => strings(v, out));
  else if (value && typeof value === 'object') Object.entries(value).forEach(([k, v]) => (out.push(k), strings(v, out)));
  return out;
}

function leaks(tt: Test, raw: string[], messages: Msg[], secrets: string[]): void {
  messages.forEach((m, i) => {
    if (m.type === 'RECORD') return;
    for (const secret of secrets) {
      tt.notOk(raw[i]!.includes(secret), `${m.type} line ${i} does not contain the secret verbatim`);
      tt.notOk(
        strings(m).some((s) => s.includes(secret)),
        `${m.type} line ${i} does not carry the secret once parsed`,
      );
    }
  });
}

t.test('Output: registered secrets never appear in LOG, TRACE or CONNECTION_STATUS', async (tt) => {
  const { raw, messages } = await run((o) => {
    o.redactor.add(TOKEN);
    o.redactor.add(CLIENT_SECRET);
    o.log('ERROR', `request failed: Authorization: Bearer ${TOKEN}`);
    o.log('DEBUG', `client_secret=${CLIENT_SECRET}&token=${TOKEN}${TOKEN}`);
    o.errorTrace(`token ${TOKEN} rejected`, 'config_error', 'contacts', `stack with ${CLIENT_SECRET}`);
    o.error(new ConfigError(`bad token ${TOKEN}`, `internal ${TOKEN}`), 'tags');
    o.error(new SystemError(`oops ${CLIENT_SECRET}`));
    o.connectionStatus('FAILED', `401 for token ${TOKEN}`);
    o.streamStatus('contacts', 'INCOMPLETE');
  });
  tt.equal(messages.length, 7);
  leaks(tt, raw, messages, [TOKEN, CLIENT_SECRET]);
  tt.match(raw[0]!, 'request failed: Authorization: Bearer ', 'the rest of the message is kept');
});

t.test('Output: a secret that contains another registered secret is removed whole', async (tt) => {
  const { raw, messages } = await run((o) => {
    o.redactor.add('abcd');
    o.redactor.add('abcd1234efgh');
    o.log('WARN', 'value xabcd1234efghy and abcd');
  });
  leaks(tt, raw, messages, ['abcd', '1234efgh']);
});

t.test('Output: records are written as given (redaction is for messages, not data)', async (tt) => {
  const { messages } = await run((o) => {
    o.redactor.add(TOKEN);
    o.record('contacts', { note: `contains ${TOKEN}` }, 1);
  });
  tt.same((messages[0] as unknown as { record: { data: unknown } }).record.data, { note: `contains ${TOKEN}` });
});

t.test('Output: a secret with characters JSON escapes (quote, backslash) is redacted too', async (tt) => {
  const secret = 'p@ss"word\\with-escapes';
  const { raw, messages } = await run((o) => {
    o.redactor.add(secret);
    o.log('ERROR', `login failed for password ${secret}`);
    o.connectionStatus('FAILED', `rejected ${secret}`);
  });
  leaks(tt, raw, messages, [secret]);
});
