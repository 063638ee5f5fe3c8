/**
 * Page-numbered lists (articles, collections: most recently updated first)
 * under churn on every page. Creations and updates push unread records back,
 * which repeats them and never skips one, so a pass proves itself complete
 * when its total_count never falls between pages. A deletion ahead of the
 * reader pulls records past a page boundary: that pass is read again, and
 * when every pass sees deletions the read fails (transient) without a
 * checkpoint, never moving the state past a record it did not read.
 */
import t, { type Test } from 'tap';
import { startSimulator, type Simulator } from 'intercom-simulator';
import { LIST_PAGE_SIZE, MAX_PASSES, readList } from '../../src/engine/sources/list.js';
import type { ListSource } from '../../src/engine/definition.js';
import { articles, helpCenterCollections } from '../../src/streams/help-center.js';
import { recordingContext, testClient } from '../support/source-context.js';

type Kind = 'articles' | 'collections';
type Churn = (sim: Simulator, kind: Kind, page: number, pass: number, changed: Set<string>) => void;

/** The list as the API orders it. */
function ordered(sim: Simulator, kind: Kind): string[] {
  return sim.store
    .all(kind)
    .sort((a, b) => Number(b.updated_at) - Number(a.updated_at) || Number(a.id) - Number(b.id))
    .map((a) => String(a.id));
}

/** Before every page but the first: two creations, and updates of an unread record and of a read one. */
const createAndUpdate: Churn = (sim, kind, page, _pass, changed) => {
  if (page === 1) return;
  const list = ordered(sim, kind);
  const boundary = (page - 1) * LIST_PAGE_SIZE;
  for (const id of [list[boundary + 3], list[boundary - 5]]) {
    if (id === undefined) continue;
    sim.store.touchHelpCenterItem(kind, id);
    changed.add(id);
  }
  for (let i = 0; i < 2; i++) changed.add(sim.store.createHelpCenterItem(kind, list[0]!));
};

/** Before every page but the first, the record just before the boundary is deleted: the next page's first record slides onto the page already read. */
const deleteAhead =
  (passes: number): Churn =>
  (sim, kind, page, pass, changed) => {
    if (page === 1 || pass > passes) return;
    const list = ordered(sim, kind);
    const id = list[(page - 1) * LIST_PAGE_SIZE - 1];
    if (id === undefined) return;
    sim.store.deleteHelpCenterItem(kind, id);
    changed.add(id);
  };

const SOURCES: Array<{ kind: Kind; source: ListSource }> = [
  { kind: 'articles', source: articles.source as ListSource },
  { kind: 'collections', source: helpCenterCollections.source as ListSource },
];

async function readUnderChurn(t: Test, kind: Kind, source: ListSource, churn: Churn) {
  const sim = await startSimulator({ seed: 7, size: { articles: 480, collections: 480 } });
  t.teardown(() => sim.close());
  const before = new Set(ordered(sim, kind));
  const changed = new Set<string>();
  let pass = 0;
  sim.onRequest((req) => {
    if (req.method !== 'GET' || !req.path.startsWith(source.path)) return;
    const page = Number(req.query.get('page') ?? 1);
    if (page === 1) pass += 1;
    churn(sim, kind, page, pass, changed);
  });
  const recorded = recordingContext(testClient(sim.url));
  const err = await readList(source, recorded.ctx).then(
    () => null,
    (e: unknown) => e as Error & { failureType?: string },
  );
  const emitted = new Set(recorded.emitted.map((r) => String(r.id)));
  const unchangedMissing = [...before].filter((id) => !changed.has(id) && !emitted.has(id));
  return { err, emitted, unchangedMissing, passes: pass, checkpoints: recorded.checkpoints, logs: recorded.logs, changed };
}

for (const { kind, source } of SOURCES) {
  t.test(`${kind}: creations and updates on every page: one pass, nothing unchanged missed`, async (t) => {
    const r = await readUnderChurn(t, kind, source, createAndUpdate);
    t.equal(r.err, null, String(r.err));
    t.ok(r.changed.size > 4, `${r.changed.size} records changed during the read`);
    t.same(r.unchangedMissing, [], 'every record unchanged throughout is read');
    t.equal(r.passes, 1, 'the pass proves itself complete');
    t.equal(r.checkpoints.length, 1, 'then the state moves');
  });

  t.test(`${kind}: deletions on every page of the first pass: read again, nothing unchanged missed`, async (t) => {
    const r = await readUnderChurn(t, kind, source, deleteAhead(1));
    t.equal(r.err, null, String(r.err));
    t.same(r.unchangedMissing, [], 'every record unchanged throughout is read');
    t.equal(r.passes, 2, 'a second pass');
    t.ok(r.logs.some((l) => /changed while it was read \(total_count fell/.test(l.message)), 'the reason is logged');
  });

  t.test(`${kind}: deletions on every page of every pass: a clear transient failure, no checkpoint`, async (t) => {
    const r = await readUnderChurn(t, kind, source, deleteAhead(Infinity));
    t.equal(r.err?.failureType, 'transient_error', String(r.err));
    t.match(r.err?.message, new RegExp(`GET ${source.path}`));
    t.match(r.err?.message, /cannot be shown complete/);
    t.equal(r.passes, MAX_PASSES, `stopped after ${MAX_PASSES} passes`);
    t.same(r.checkpoints, [], 'the state does not move past records it may not have read');
  });
}
