/**
 * Values in a type their schema does not declare: Intercom (here a proxy in
 * front of the simulator) sends ids as numbers, timestamps as ISO strings,
 * counts as numeric strings, booleans as text. Where nothing is lost the
 * connector converts them, so the read delivers exactly what a clean read
 * delivers and every record of every stream validates against its
 * discovered schema; a value that cannot be converted is passed through
 * with one warning per field and stream.
 */
import t from 'tap';
import { runInProcess, type RunResult } from '../support/connector.js';
import { jsonOf, startFaultProxy } from '../support/fault-proxy.js';
import { workspace } from '../support/workspace.js';
import { createAjv } from '../../src/util/ajv.js';

const iso = (seconds: number): string => new Date(seconds * 1000).toISOString().replace('.000Z', 'Z');

/** Every value Intercom could plausibly mistype, mistyped; custom attributes are left alone (they have their own typing). */
function mistype(value: unknown, key = ''): unknown {
  if (Array.isArray(value)) return value.map((v) => mistype(v));
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = k === 'custom_attributes' ? v : mistype(v, k);
    return out;
  }
  if (key === 'id' && typeof value === 'string' && /^[1-9]\d{0,14}$/.test(value)) return Number(value);
  if (key.endsWith('_at') && typeof value === 'number' && Number.isInteger(value) && value > 0) return iso(value);
  if ((key === 'session_count' || key === 'user_count') && typeof value === 'number') return String(value);
  if (typeof value === 'boolean' && (key === 'open' || key === 'read' || key === 'has_hard_bounced')) return String(value);
  // Cannot be converted without loss.
  if (key === 'monthly_spend' && typeof value === 'number') return 'a lot';
  return value;
}

type Schema = { type?: unknown; properties?: Record<string, Schema>; items?: Schema };

/** The parts of a value its schema declares a type for: what the connector answers for. */
function declared(value: unknown, schema: Schema | undefined): unknown {
  if (!schema) return undefined;
  if (Array.isArray(value)) return schema.items && (schema.items.type || schema.items.properties) ? value.map((v) => declared(v, schema.items)) : undefined;
  if (value !== null && typeof value === 'object') {
    if (!schema.properties) return undefined;
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) if (schema.properties[k]) out[k] = declared(v, schema.properties[k]);
    return out;
  }
  return schema.type ? value : undefined;
}

function fingerprints(run: RunResult, stream: string, schema: Schema, drop: string[]): string[] {
  return run
    .records(stream)
    .map((r) => {
      const copy = { ...r };
      for (const k of drop) delete copy[k];
      return JSON.stringify(declared(copy, schema));
    })
    .sort();
}

t.test('mistyped values are converted where nothing is lost, and every record fits its schema', async (t) => {
  const ws = await workspace(t, { seed: 12, size: { contacts: 150, conversations: 80, companies: 40, tickets: 30, articles: 40 } });
  const catalog = await ws.catalogPath(undefined, 'full_refresh');
  const clean = await runInProcess(['read', '--config', ws.configPath, '--catalog', catalog]);
  t.equal(clean.code, 0, JSON.stringify(clean.errors()));

  const proxy = await startFaultProxy(ws.sim.url, (ex) => {
    const body = ex.status === 200 ? jsonOf(ex) : null;
    return body ? { kind: 'body', body: mistype(body) } : undefined;
  });
  t.teardown(() => proxy.close());
  const run = await runInProcess(['read', '--config', ws.configWith({ api_base_url: proxy.url }), '--catalog', catalog]);
  t.equal(run.code, 0, JSON.stringify(run.errors()));

  const typeWarnings = run.logs('WARN').filter((m) => /: field '[^']+' is declared/.test(m));
  const warned = typeWarnings.map((m) => /^(\w+): field '([^']+)'/.exec(m)!.slice(1, 3).join('/'));
  t.same(warned.filter((w) => w.endsWith('/monthly_spend')).sort(), ['companies/monthly_spend'], 'the unconvertible field is reported');
  t.equal(new Set(warned).size, warned.length, 'one warning per field and stream');

  const customWarned = run.logs('WARN').flatMap((m) => /^(\w+): custom attribute '([^']+)'/.exec(m)?.slice(1, 3).join('/') ?? []);
  const ajv = createAjv();
  for (const s of await ws.streams()) {
    const validate = ajv.compile({ ...s.json_schema, additionalProperties: false });
    const problems = new Set<string>();
    for (const r of run.records(s.name)) {
      if (validate(r)) continue;
      for (const e of validate.errors ?? []) {
        const field = e.instancePath.split('/')[1] ?? '';
        const attribute = /^\/custom_attributes\/([^/]+)$/.exec(e.instancePath)?.[1];
        if (warned.includes(`${s.name}/${field}`) || (attribute && customWarned.includes(`${s.name}/${attribute}`))) continue;
        problems.add(`${e.instancePath} ${e.message ?? ''}`);
      }
    }
    t.same([...problems], [], `${s.name}: every record fits the discovered schema`);
    const drop = warned.filter((w) => w.startsWith(`${s.name}/`)).map((w) => w.split('/')[1]!);
    const schema = s.json_schema as Schema;
    t.same(fingerprints(run, s.name, schema, drop), fingerprints(clean, s.name, schema, drop), `${s.name}: the same declared values as a clean read`);
  }
});
