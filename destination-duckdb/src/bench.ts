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

async function run(n: number, wide: boolean, history: boolean): Promise<{ rate: number; ms: number }> {
  const dir = mkdtempSync(join(tmpdir(), 'duckdb-bench-'));
  try {
    const stream = wide ? 'conversations' : 'contacts';
    const started = process.hrtime.bigint();
    await writeMessages({
      config: { database: join(dir, 'bench.duckdb'), schema: 'main', cdc_deletion_mode: 'hard', history_tables: history, models: false },
      catalog: catalog(stream, wide),
      input: messages(stream, n, wide),
    });
    const ms = Number(process.hrtime.bigint() - started) / 1e6;
    return { rate: Math.round(n / (ms / 1000)), ms: Math.round(ms) };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  const i = process.argv.indexOf('--records');
  const n = i === -1 ? 200_000 : Number(process.argv[i + 1]);
  let peak = 0;
  const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 50);
  const results: Array<[string, { rate: number; ms: number }]> = [];
  results.push(['simple stream (4 columns), history off', await run(n, false, false)]);
  results.push(['simple stream (4 columns), history on', await run(n, false, true)]);
  results.push(['conversation-like (10 columns, 3 JSON), history on', await run(n, true, true)]);
  clearInterval(timer);
  peak = Math.max(peak, process.memoryUsage().rss);
  for (const [name, r] of results) process.stdout.write(`destination records/s  ${name}: ${r.rate} (${n} records in ${r.ms} ms)\n`);
  process.stdout.write(`destination peak RSS: ${Math.round(peak / 1024 / 1024)} MB\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`bench failed: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
});
