/**
 * Deterministic randomness for the simulated workspace.
 *
 * Everything the simulator generates must be identical for the same seed on
 * every machine, so nothing here touches Math.random or the clock.
 */

/** Finalizer of MurmurHash3: a fast, well-mixed 32-bit hash of a 32-bit input. */
export function mix32(x: number): number {
  let h = x | 0;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/**
 * A stateless derived value: the k-th pseudo-random 32-bit number of `seed`.
 * Rows keep one seed and derive their static attributes from it on demand, so
 * 500,000 contacts do not have to store every name, city and browser.
 */
export function derive(seed: number, k: number): number {
  return mix32((seed ^ Math.imul(k + 1, 0x9e3779b9)) >>> 0);
}

/** `derive` scaled to [0, 1). */
export function deriveUnit(seed: number, k: number): number {
  return derive(seed, k) / 4294967296;
}

/** `derive` scaled to an integer in [0, n). */
export function deriveIndex(seed: number, k: number, n: number): number {
  return Math.floor(deriveUnit(seed, k) * n);
}

/** Picks an element with a derived index. */
export function derivePick<T>(seed: number, k: number, items: readonly T[]): T {
  const item = items[deriveIndex(seed, k, items.length)];
  if (item === undefined) throw new RangeError('derivePick from an empty list');
  return item;
}

/** A small, fast seeded PRNG (SFC32) with the helpers the generators need. */
export class Rng {
  private a: number;
  private b: number;
  private c: number;
  private d: number;

  constructor(seed: number) {
    // Spread one seed over four words so nearby seeds start far apart.
    this.a = mix32(seed ^ 0x6a09e667);
    this.b = mix32(seed ^ 0xbb67ae85);
    this.c = mix32(seed ^ 0x3c6ef372);
    this.d = 1;
    for (let i = 0; i < 12; i++) this.nextUint32();
  }

  nextUint32(): number {
    const t = (((this.a + this.b) | 0) + this.d) | 0;
    this.d = (this.d + 1) | 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) | 0;
    this.c = (this.c << 21) | (this.c >>> 11);
    this.c = (this.c + t) | 0;
    return t >>> 0;
  }

  /** Uniform in [0, 1). */
  next(): number {
    return this.nextUint32() / 4294967296;
  }

  /** Uniform integer in [min, max] (both inclusive). */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  chance(p: number): boolean {
    return this.next() < p;
  }

  pick<T>(items: readonly T[]): T {
    const item = items[Math.floor(this.next() * items.length)];
    if (item === undefined) throw new RangeError('pick from an empty list');
    return item;
  }

  /** `count` distinct indices from [0, n), in ascending order. */
  sample(n: number, count: number): number[] {
    const k = Math.min(n, count);
    const chosen = new Set<number>();
    while (chosen.size < k) chosen.add(Math.floor(this.next() * n));
    return [...chosen].sort((x, y) => x - y);
  }

  /** Exponentially distributed value with the given mean. */
  exponential(mean: number): number {
    return -Math.log(1 - this.next()) * mean;
  }

  /** Lowercase hex string of `length` digits. */
  hex(length: number): string {
    let out = '';
    while (out.length < length) out += this.nextUint32().toString(16).padStart(8, '0');
    return out.slice(0, length);
  }

  /** A UUID v4 shaped string (Intercom uses these for activity logs and scroll params). */
  uuid(): string {
    const h = this.hex(32);
    const variant = ((parseInt(h[16] ?? '0', 16) & 0x3) | 0x8).toString(16);
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-${variant}${h.slice(17, 20)}-${h.slice(20, 32)}`;
  }
}
