/**
 * Fault injection: each request draws from a dedicated seeded PRNG, so a
 * given seed and request sequence always faults the same requests.
 */
import { ALL_FAULT_KINDS, type FaultKind, type FaultOptions } from './options.js';
import { Rng } from './rng.js';

export class FaultInjector {
  private options: FaultOptions | null = null;
  private rng = new Rng(0);

  constructor(options: FaultOptions | null) {
    this.set(options);
  }

  set(options: FaultOptions | null): void {
    if (options && !(options.rate >= 0 && options.rate <= 1)) throw new RangeError(`fault rate must be within 0..1, got ${options.rate}`);
    this.options = options;
    this.rng = new Rng(options?.seed ?? 0x5eed);
  }

  get stallSeconds(): number {
    return this.options?.stallSeconds ?? 30;
  }

  /** The fault to inject into a request on `path`, or null. */
  draw(path: string): FaultKind | null {
    const options = this.options;
    if (!options || options.rate <= 0) return null;
    if (options.pathPattern) {
      options.pathPattern.lastIndex = 0;
      if (!options.pathPattern.test(path)) return null;
    }
    if (this.rng.next() >= options.rate) return null;
    const kinds = options.kinds && options.kinds.length > 0 ? options.kinds : ALL_FAULT_KINDS;
    return this.rng.pick(kinds);
  }

  /** A coin from the same stream (e.g. whether a 503 comes as HTML from the proxy). */
  coin(): boolean {
    return this.rng.chance(0.5);
  }
}
