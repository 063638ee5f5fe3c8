/**
 * The CPU cost of the record pipeline (parse a search page, place, type,
 * project and serialise each record as an Airbyte message) against a bare
 * JSON.parse + JSON.stringify of the same bytes, in this one process; and the
 * same pipeline with three hashed fields.
 */
import { Writable } from 'node:stream';
import { startSimulator } from 'intercom-simulator';
import {
  attributeFromIntercom,
  contacts,
  compileHashPlans,
  CustomAttributeTyper,
  inWindow,
  Output,
  parseHashedFields,
  projectorFor,
  recordsAt,
  withCustomAttributes,
  type CustomAttribute,
  type HashPlan,
  type JsonObject,
  type SearchWindow,
} from '../connector.js';

export interface PipelineResult {
  bareMbPerSecond: number;
  pipelineMbPerSecond: number;
  /** Pipeline throughput divided by bare throughput. */
  ratio: number;
  /** The same with HASHED_FIELDS hashed (salted). */
  hashedMbPerSecond: number;
  hashedRatio: number;
}

/** The three fields the hashed pipeline hashes. */
export const HASHED_FIELDS = ['contacts.email', 'contacts.name', 'contacts.phone'];

/** Runs `fn` repeatedly for about `seconds` and returns the runs per second. */
function rate(fn: () => void, seconds: number): number {
  const deadline = process.hrtime.bigint() + BigInt(Math.round(seconds * 1e9));
  const started = process.hrtime.bigint();
  let runs = 0;
  while (process.hrtime.bigint() < deadline) {
    fn();
    runs += 1;
  }
  return runs / (Number(process.hrtime.bigint() - started) / 1e9);
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

export async function measurePipeline(seconds: number): Promise<PipelineResult> {
  const sim = await startSimulator({ seed: 5, size: { contacts: 600 }, rateLimitPerMinute: null });
  let page: string;
  let attributes: CustomAttribute[];
  try {
    const headers = { authorization: 'Bearer sim-token', 'content-type': 'application/json', 'intercom-version': '2.16' };
    const search = await fetch(`${sim.url}/contacts/search`, {
      method: 'POST',
      headers,
      body: JSON.stringify({ query: { field: 'updated_at', operator: '>', value: 0 }, pagination: { per_page: 150 } }),
    });
    page = await search.text();
    const attrs = (await (await fetch(`${sim.url}/data_attributes?model=contact`, { headers })).json()) as JsonObject;
    attributes = recordsAt(attrs, '$.data[*]')
      .filter((a) => a.custom === true)
      .map(attributeFromIntercom)
      .filter((a): a is CustomAttribute => a !== null);
  } finally {
    await sim.close();
  }

  const schema = withCustomAttributes(contacts.schema, attributes, 'nested');
  const project = projectorFor(schema);
  const typer = new CustomAttributeTyper(contacts.schema, attributes, 'nested', () => undefined);
  const window: SearchWindow = { updated: { lo: 0, hi: 2 ** 31 }, created: { lo: 0, hi: 2 ** 31 }, ids: [] };
  // The sink takes strings as they are: encoding them for a pipe is I/O, not part of the pipeline.
  const discard = new Writable({ decodeStrings: false, write: (_chunk, _encoding, done) => done() });
  const output = new Output(discard);
  const hashing = compileHashPlans(
    [{ name: 'contacts', schema, primaryKey: contacts.primaryKey, cursor: 'updated_at' }],
    ['contacts'],
    { fields: parseHashedFields(HASHED_FIELDS), salt: 'bench-salt', suffix: '' },
    () => undefined,
  ).get('contacts')!;

  const bare = (): void => {
    JSON.stringify(JSON.parse(page));
  };
  const pipeline = (hash: HashPlan | null) => (): void => {
    for (const record of recordsAt(JSON.parse(page), '$.data[*]')) {
      if (!inWindow(record, window)) continue;
      const typed = typer.apply(record);
      output.record('contacts', project(hash ? hash.apply(typed) : typed));
    }
    output.flush();
  };

  // Alternate the three so drift in machine speed affects all alike.
  const bareRates: number[] = [];
  const pipelineRates: number[] = [];
  const hashedRates: number[] = [];
  const rounds = 5;
  const slice = seconds / (3 * rounds);
  for (let i = 0; i < rounds; i++) {
    bareRates.push(rate(bare, slice));
    pipelineRates.push(rate(pipeline(null), slice));
    hashedRates.push(rate(pipeline(hashing), slice));
  }
  const mb = Buffer.byteLength(page) / 1e6;
  const bareRate = median(bareRates);
  const pipelineRate = median(pipelineRates);
  const hashedRate = median(hashedRates);
  return {
    bareMbPerSecond: bareRate * mb,
    pipelineMbPerSecond: pipelineRate * mb,
    ratio: pipelineRate / bareRate,
    hashedMbPerSecond: hashedRate * mb,
    hashedRatio: hashedRate / bareRate,
  };
}
