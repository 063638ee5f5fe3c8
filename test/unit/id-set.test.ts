/**
 * src/util/id-set.ts IdSet: the same answers as a Set<string> for every kind
 * of id (hex of any length, upper-case hex, numbers, text, non-ASCII, long
 * and empty strings), through many rehashes, and less memory than a Set.
 */
import t from 'tap';
import { IdSet } from '../../src/util/id-set.js';
import { pick, randInt, rng } from './helpers.js';

const HEX = '0123456789abcdef';

function randomId(random: () => number): string {
  const kind = randInt(random, 0, 8);
  const chars = (alphabet: string, n: number) => Array.from({ length: n }, () => pick(random, [...alphabet])).join('');
  switch (kind) {
    case 0:
      return chars(HEX, 24); // a contact's id
    case 1:
      return String(randInt(random, 0, 2_000_000)); // a conversation's id
    case 2:
      return chars(HEX, randInt(random, 1, 6)); // short hex, odd and even lengths
    case 3:
      return chars('0123456789ABCDEF', randInt(random, 1, 5)); // upper case is not packed
    case 4:
      return chars('ab', randInt(random, 0, 4)); // tiny texts, the empty one included
    case 5:
      return chars('éü日本🙂x', randInt(random, 1, 6)); // non-ASCII
    case 6:
      return chars(HEX, randInt(random, 120, 140)); // hex across the 127-character limit
    default:
      return chars('xyz', randInt(random, 120, 300)); // long texts across the 127-byte header limit
  }
}

t.test('agrees with a Set<string> on add, has and size', (tt) => {
  for (const seed of [1, 2, 3]) {
    const random = rng(seed);
    const ids = new IdSet();
    const oracle = new Set<string>();
    for (let i = 0; i < 30_000; i++) {
      const id = randomId(random);
      if (random() < 0.3) {
        if (ids.has(id) !== oracle.has(id)) tt.fail(`seed ${seed}: has(${JSON.stringify(id)}) disagrees`);
        continue;
      }
      const added = ids.add(id);
      if (added !== !oracle.has(id)) tt.fail(`seed ${seed}: add(${JSON.stringify(id)}) returned ${added}`);
      oracle.add(id);
    }
    tt.equal(ids.size, oracle.size, `seed ${seed}: size`);
    tt.ok([...oracle].every((id) => ids.has(id)), `seed ${seed}: every id added is there`);
    tt.ok(oracle.size > 10_000, 'the table grew through many rehashes');
  }
  tt.end();
});

t.test('texts that pack alike are told apart', (tt) => {
  const ids = new IdSet();
  const texts = ['', '0', '00', '000', 'a', 'A', 'a0', 'a00', '0a', 'ab', 'abc', 'abc0', 'ABC', 'é', 'e', '1'.repeat(127), '1'.repeat(128), 'x'.repeat(126), 'x'.repeat(127)];
  for (const text of texts) tt.ok(ids.add(text), `${JSON.stringify(text.slice(0, 8))} (${text.length}) is new`);
  for (const text of texts) tt.notOk(ids.add(text), `${JSON.stringify(text.slice(0, 8))} (${text.length}) is there`);
  tt.equal(ids.size, texts.length);
  tt.notOk(ids.has('0000'));
  tt.notOk(ids.has('abcd'));
  tt.end();
});

t.test("holds 200,000 contact ids in under 48 bytes each", (tt) => {
  const random = rng(9);
  const ids = Array.from({ length: 200_000 }, () => Array.from({ length: 24 }, () => pick(random, [...HEX])).join(''));
  const set = new IdSet();
  for (const id of ids) set.add(id);
  // 13 bytes of entry and 8 of slot, with room to grow; a Set<string> takes about 80 bytes of heap an id before any headroom.
  tt.ok(set.byteLength < ids.length * 48, `${(set.byteLength / ids.length).toFixed(1)} bytes an id`);
  tt.equal(set.size, new Set(ids).size);
  tt.end();
});
