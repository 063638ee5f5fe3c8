/**
 * src/engine/watermark.ts: the checkpoint never passes unfinished work.
 * src/engine/work-queue.ts: drainQueue runs lowest key first, never more than
 * `concurrency` at once, runs what workers push, and stops starting work at
 * the first failure.
 */
import t from 'tap';
import { Watermark } from '../../src/engine/watermark.js';
import { drainQueue } from '../../src/engine/work-queue.js';
import { randInt, rng } from './helpers.js';

/** Resolves after every pending microtask and one macrotask turn. */
const tick = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

t.test('Watermark: the end when nothing is open', (tt) => {
  tt.equal(new Watermark(1000).value, 1000);
  tt.end();
});

t.test('Watermark: the lowest open bound, released out of order', (tt) => {
  const w = new Watermark(1000);
  const a = w.hold(100);
  const b = w.hold(300);
  const c = w.hold(200);
  tt.equal(w.value, 100);
  w.release(c);
  tt.equal(w.value, 100, 'releasing a higher piece does not move it');
  w.release(a);
  tt.equal(w.value, 300);
  w.release(b);
  tt.equal(w.value, 1000);
  tt.end();
});

t.test('Watermark: two holds at the same bound are independent', (tt) => {
  const w = new Watermark(50);
  const a = w.hold(10);
  const b = w.hold(10);
  tt.not(a, b, 'distinct tokens');
  w.release(a);
  tt.equal(w.value, 10, 'still held by the other');
  w.release(a);
  tt.equal(w.value, 10, 'releasing twice changes nothing');
  w.release(b);
  tt.equal(w.value, 50);
  tt.end();
});

t.test('Watermark: work starting at or above the end does not hold it back', (tt) => {
  const w = new Watermark(50);
  w.hold(50);
  w.hold(70);
  tt.equal(w.value, 50);
  tt.end();
});

t.test('Watermark property: never above an unfinished piece, equal to the lowest one', (tt) => {
  const random = rng(21);
  for (let run = 0; run < 50; run++) {
    const end = 10_000;
    const w = new Watermark(end);
    const open = new Map<number, number>();
    for (let step = 0; step < 200; step++) {
      if (open.size === 0 || random() < 0.55) {
        const lo = randInt(random, 0, end);
        open.set(w.hold(lo), lo);
      } else {
        const tokens = [...open.keys()];
        const token = tokens[randInt(random, 0, tokens.length)]!;
        w.release(token);
        open.delete(token);
      }
      const expected = open.size === 0 ? end : Math.min(end, ...open.values());
      if (w.value !== expected) {
        tt.fail(`run ${run} step ${step}: watermark ${w.value}, lowest open ${expected}`);
        break;
      }
    }
  }
  tt.pass('checked');
  tt.end();
});

t.test('drainQueue: resolves at once with nothing to do', async (tt) => {
  let calls = 0;
  await drainQueue<number>([], (x) => x, 4, async () => {
    calls += 1;
  });
  tt.equal(calls, 0);
});

t.test('drainQueue: with concurrency 1, items run in key order, ties in insertion order', async (tt) => {
  const items = [
    { k: 5, name: 'a' },
    { k: 1, name: 'b' },
    { k: 3, name: 'c' },
    { k: 1, name: 'd' },
    { k: 9, name: 'e' },
    { k: 3, name: 'f' },
  ];
  const order: string[] = [];
  await drainQueue(items, (x) => x.k, 1, async (x) => {
    order.push(x.name);
    await tick();
  });
  tt.same(order, ['b', 'd', 'c', 'f', 'a', 'e']);
});

t.test('drainQueue: pushed items run, and a pushed lower key runs before queued higher ones', async (tt) => {
  const order: number[] = [];
  await drainQueue([10, 20, 30], (x) => x, 1, async (x, push) => {
    order.push(x);
    await tick();
    if (x === 10) push(15);
    if (x === 15) push(5);
    if (x === 30) push(40);
  });
  tt.same(order, [10, 15, 5, 20, 30, 40]);
});

t.test('drainQueue property: concurrency is reached and never exceeded; every item, pushed ones included, runs once', async (tt) => {
  const random = rng(22);
  for (let run = 0; run < 40; run++) {
    const concurrency = randInt(random, 1, 9);
    const initial = Array.from({ length: randInt(random, 0, 30) }, (_, i) => ({ id: `i${i}`, key: randInt(random, 0, 100), depth: 0 }));
    type Item = (typeof initial)[number];
    const seen = new Map<string, number>();
    const pushed: string[] = [];
    let active = 0;
    let maxActive = 0;
    let nextId = 0;
    const started: number[] = [];
    await drainQueue(initial, (x) => x.key, concurrency, async (x: Item, push) => {
      active += 1;
      maxActive = Math.max(maxActive, active);
      started.push(x.key);
      seen.set(x.id, (seen.get(x.id) ?? 0) + 1);
      // Every worker yields at least once, so the ones started together overlap.
      await tick();
      if (x.depth < 2 && random() < 0.4) {
        for (let i = randInt(random, 1, 4); i > 0; i--) {
          const child = { id: `p${nextId++}`, key: randInt(random, 0, 100), depth: x.depth + 1 };
          pushed.push(child.id);
          push(child);
        }
      }
      const waits = randInt(random, 0, 4);
      for (let i = 0; i < waits; i++) await tick();
      active -= 1;
    });
    const all = [...initial.map((x) => x.id), ...pushed];
    if (maxActive > concurrency) tt.fail(`run ${run}: ${maxActive} at once with concurrency ${concurrency}`);
    if (initial.length >= concurrency && maxActive < concurrency) tt.fail(`run ${run}: only ${maxActive} at once with ${initial.length} items and concurrency ${concurrency}`);
    if (active !== 0) tt.fail(`run ${run}: resolved with ${active} still running`);
    const counts = all.map((id) => seen.get(id) ?? 0);
    if (seen.size !== all.length || counts.some((c) => c !== 1)) tt.fail(`run ${run}: items ran ${JSON.stringify(counts)} times`);
    // The first `concurrency` starts take the lowest initial keys.
    const firstWave = started.slice(0, Math.min(concurrency, initial.length)).sort((a, b) => a - b);
    const lowest = initial.map((x) => x.key).sort((a, b) => a - b).slice(0, firstWave.length);
    if (JSON.stringify(firstWave) !== JSON.stringify(lowest)) tt.fail(`run ${run}: first wave ${firstWave} is not the lowest keys ${lowest}`);
  }
  tt.pass('40 random runs');
});

t.test('drainQueue: each start takes the lowest key queued at that moment', async (tt) => {
  const random = rng(23);
  const queued = new Set<number>(Array.from({ length: 40 }, () => randInt(random, 0, 1000)));
  const violations: string[] = [];
  await drainQueue([...queued], (x) => x, 3, async (x, push) => {
    const lower = [...queued].filter((q) => q < x && q !== x);
    queued.delete(x);
    if (lower.length > 0) violations.push(`${x} started while ${lower.join(',')} waited`);
    await tick();
    if (random() < 0.3) {
      const child = randInt(random, 0, 1000);
      if (!queued.has(child)) {
        queued.add(child);
        push(child);
      }
    }
  });
  tt.same(violations, []);
});

t.test('drainQueue: the first failure rejects and nothing starts after it', async (tt) => {
  const started: number[] = [];
  const finished: number[] = [];
  const boom = new Error('boom');
  let release!: () => void;
  const gate = new Promise<void>((resolve) => (release = resolve));
  const run = drainQueue([1, 2, 3, 4, 5, 6, 7, 8], (x) => x, 2, async (x) => {
    started.push(x);
    if (x === 1) {
      await tick();
      throw boom;
    }
    await gate; // item 2 is still running when 1 fails
    finished.push(x);
  });
  await tt.rejects(run, boom, 'rejects with the worker error');
  tt.same(started, [1, 2], 'nothing started after the failure');
  release();
  await tick();
  await tick();
  tt.same(started, [1, 2], 'a worker finishing after the failure starts nothing either');
  tt.same(finished, [2]);
});

t.test('drainQueue: a failure among pushed items also stops the queue', async (tt) => {
  const started: number[] = [];
  const run = drainQueue([1], (x) => x, 1, async (x, push) => {
    started.push(x);
    if (x === 1) {
      push(2);
      push(3);
    }
    if (x === 2) throw new Error('child failed');
  });
  await tt.rejects(run, { message: 'child failed' });
  tt.same(started, [1, 2]);
});
