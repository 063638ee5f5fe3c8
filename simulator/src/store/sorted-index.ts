/**
 * A sorted (key, seq) index over one timestamp of a row table, so a search
 * with a range on that timestamp reads a slice instead of the whole table.
 * Kept as two parallel packed arrays: compact, and cheap to splice.
 */
export class SortedIndex {
  private keys: number[] = [];
  private seqs: number[] = [];

  /** Builds from unsorted parallel arrays of keys and seqs. */
  static build(keys: ArrayLike<number>, seqs: ArrayLike<number>): SortedIndex {
    const order = new Uint32Array(keys.length);
    for (let i = 0; i < order.length; i++) order[i] = i;
    order.sort((a, b) => (keys[a] ?? 0) - (keys[b] ?? 0) || (seqs[a] ?? 0) - (seqs[b] ?? 0));
    const index = new SortedIndex();
    index.keys = Array.from(order, (i) => keys[i] ?? 0);
    index.seqs = Array.from(order, (i) => seqs[i] ?? 0);
    return index;
  }

  get size(): number {
    return this.keys.length;
  }

  /** First position whose (key, seq) is not below (key, seq). */
  private lowerBound(key: number, seq: number): number {
    let lo = 0;
    let hi = this.keys.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      const k = this.keys[mid] ?? 0;
      if (k < key || (k === key && (this.seqs[mid] ?? 0) < seq)) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  insert(key: number, seq: number): void {
    const at = this.lowerBound(key, seq);
    this.keys.splice(at, 0, key);
    this.seqs.splice(at, 0, seq);
  }

  remove(key: number, seq: number): boolean {
    const at = this.lowerBound(key, seq);
    if (this.keys[at] !== key || this.seqs[at] !== seq) return false;
    this.keys.splice(at, 1);
    this.seqs.splice(at, 1);
    return true;
  }

  move(oldKey: number, newKey: number, seq: number): void {
    if (oldKey === newKey) return;
    this.remove(oldKey, seq);
    this.insert(newKey, seq);
  }

  /** Seqs whose key lies in [from, to), in (key, seq) order. */
  range(from: number, to: number): number[] {
    const start = this.lowerBound(from, -Infinity);
    const end = this.lowerBound(to, -Infinity);
    return this.seqs.slice(start, Math.max(start, end));
  }

  /** Every seq in (key, seq) order. */
  all(): number[] {
    return this.seqs.slice();
  }
}
