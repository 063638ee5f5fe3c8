/**
 * The folders' arrows point one way: the composition root (app) at the top,
 * protocol at the bottom. This reads every import of src/ and fails on one
 * that points the wrong way.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, resolve, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import t from 'tap';

const src = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', 'src');

function files(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? files(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : []));
}

/** Each file's folder under src/, and the src/ files it imports (relative imports only). */
const edges = files(src).flatMap((file) => {
  const from = relative(src, file);
  const text = readFileSync(file, 'utf8');
  return [...text.matchAll(/from '(\.[^']+)'/g)].map((m) => ({ from, to: relative(src, resolve(dirname(file), m[1]!)) }));
});
const folder = (path: string): string => path.split('/')[0]!;

t.test('protocol imports no other folder of ours', (t) => {
  t.same(edges.filter((e) => folder(e.from) === 'protocol' && folder(e.to) !== 'protocol'), []);
  t.end();
});

t.test('streams import only the engine declaration types, schemas, protocol types and utilities', (t) => {
  const allowed = (to: string): boolean =>
    to === 'engine/definition.js' || ['streams', 'schemas', 'util'].includes(folder(to)) || to === 'protocol/types.js';
  t.same(edges.filter((e) => folder(e.from) === 'streams' && !allowed(e.to)), []);
  t.end();
});

t.test('nothing below the composition root imports it, and the engine does not import the streams', (t) => {
  t.same(edges.filter((e) => folder(e.from) !== 'app' && folder(e.from) !== 'bin' && folder(e.to) === 'app'), []);
  t.same(edges.filter((e) => folder(e.from) === 'engine' && folder(e.to) === 'streams'), []);
  t.end();
});

t.test('the engine reads no environment variables: settings are bound by the composition root', (t) => {
  const readers = files(join(src, 'engine')).filter((f) => /process\.env/.test(readFileSync(f, 'utf8')));
  t.same(readers.map((f) => relative(src, f)), []);
  t.end();
});

t.test('the simulator imports nothing from the connector, and the relay and destination nothing of ours', (t) => {
  const root = resolve(src, '..');
  for (const pkg of ['simulator', 'webhook-relay', 'destination-duckdb']) {
    const dir = join(root, pkg, 'src');
    let sources: string[];
    try {
      sources = files(dir);
    } catch {
      continue;
    }
    const outside = sources.flatMap((file) =>
      [...readFileSync(file, 'utf8').matchAll(/from '(\.[^']+)'/g)]
        .map((m) => resolve(dirname(file), m[1]!))
        .filter((target) => relative(join(root, pkg), target).startsWith('..'))
        .map((target) => `${relative(root, file)} -> ${relative(root, target)}`),
    );
    t.same(outside, [], `${pkg} stays inside its package`);
    const named = sources.filter((file) => /from 'source-intercom/.test(readFileSync(file, 'utf8')));
    t.same(named, [], `${pkg} does not import the connector by name`);
  }
  t.end();
});
