import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeMessages } from './writer.js';

/**
 * Destination throughput: N records of a simple stream (and of a wider,
 * conversation-like one) written through `writeMessages`, with a STATE every
 * 1,000 records. Prints records/s and peak RSS. `--records N` (default 200,000).
 */
async function* messages(stream: string, n: number, wide: boolean): AsyncIterable<string> {
  // Lines are built from templates so the figure is the destination's, not JSON.stringify's.
  const base = 1_700_000_000;
  const emitted = Date.now();
  for (let i = 0; i < n; i++) {
    const data = wide
      ? `{"id":"${i}","created_at":${base + i},"updated_at":${base + i},"state":"${i % 3 === 0 ? 'closed' : 'open'}","read":${i % 2 === 0},"title":"Conversation ${i}",` +
        `"admin_assignee_id":${i % 50},"source":{"type":"conversation","delivered_as":"customer_initiated","author":{"type":"user","id":"u${i % 1000}"}},` +
        `"tags":{"type":"tag.list","tags":[{"id":"${i % 20}","name":"tag ${i % 20}"}]},"statistics":{"count_reopens":${i % 4},"time_to_admin_reply":300}}`
      : `{"id":"${i}","name":"contact ${i}","email":"c${i}@example.com","updated_at":${base + i}}`;
    yield `{"type":"RECORD","record":{"stream":"${stream}","data":${data},"emitted_at":${emitted}}}`;
    if ((i + 1) % 1000 === 0) yield `{"type":"STATE","state":{"type":"STREAM","stream":{"stream_descriptor":{"name":"${stream}"},"stream_state":{"updated_at":${base + i}}}}}`;
  }
}

function catalog(stream: string, wide: boolean): unknown {
  const t = (type: string) => ({ type: ['null', type] });
  const properties = wide
    ? { id: t('string'), created_at: t('integer'), updated_at: t('integer'), state: t('string'), read: t('boolean'), title: t('string'), admin_assignee_id: t('integer'), source: t('object'), tags: t('object'), statistics: t('object') }
    : { id: t('string'), name: t('string'), email: t('string'), updated_at: t('integer') };
  return {
    streams: [{ stream: { name: stream, json_schema: { type: 'object', properties, 'x-history': 'versioned' } }, sync_mode: 'incremental', destination_sync_mode: 'append_dedup', cursor_field: ['updated_at'], primary_key: [['id']] }],
  };
}

interface Figures {
  rate: number;
  cpuRate: number;
  ms: number;
}

async function run(n: number, wide: boolean, history: boolean): Promise<Figures> {
  const dir = mkdtempSync(join(tmpdir(), 'duckdb-bench-'));
  try {
    const stream = wide ? 'conversations' : 'contacts';
    const started = process.hrtime.bigint();
    const cpu = process.cpuUsage();
    await writeMessages({
      config: { database: join(dir, 'bench.duckdb'), schema: 'main', cdc_deletion_mode: 'hard', history_tables: history, models: false },
      catalog: catalog(stream, wide),
      input: messages(stream, n, wide),
    });
    const ms = Number(process.hrtime.bigint() - started) / 1e6;
    const used = process.cpuUsage(cpu);
    const cpuSeconds = (used.user + used.system) / 1e6;
    return { rate: Math.round(n / (ms / 1000)), cpuRate: Math.round(n / cpuSeconds), ms: Math.round(ms) };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const CASES = {
  simple: ['simple stream (4 columns), history off', false, false],
  'simple-history': ['simple stream (4 columns), history on', false, true],
  wide: ['conversation-like (10 columns, 3 JSON), history on', true, true],
} as const;

async function main(): Promise<void> {
  const arg = (name: string) => {
    const i = process.argv.indexOf(name);
    return i === -1 ? undefined : process.argv[i + 1];
  };
  const n = Number(arg('--records') ?? 200_000);
  const only = arg('--case');
  const cases = Object.entries(CASES).filter(([key]) => only === undefined || key === only);
  if (!Number.isInteger(n) || n <= 0 || cases.length === 0) throw new Error(`usage: bench [--records N] [--case ${Object.keys(CASES).join('|')}]`);
  let peak = 0;
  const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage.rss())), 100);
  for (const [, [name, wide, history]] of cases) {
    const r = await run(n, wide, history);
    process.stdout.write(`destination records/s  ${name}: ${r.rate} wall, ${r.cpuRate} per CPU-second (${n} records in ${r.ms} ms)\n`);
  }
  clearInterval(timer);
  peak = Math.max(peak, process.memoryUsage.rss());
  process.stdout.write(`destination peak RSS: ${Math.round(peak / 1024 / 1024)} MB\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`bench failed: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
});
