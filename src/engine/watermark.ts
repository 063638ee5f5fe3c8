/**
 * How far a scan over a cursor range has finished without a gap.
 *
 * Work on the range finishes out of order (windows run concurrently, a parent
 * waits for its children). Each unfinished piece is registered with its lower
 * bound; the watermark is the lowest bound still open, so a checkpoint never
 * passes a record that has not been emitted.
 */
export class Watermark {
  private readonly open = new Map<number, number>();
  private nextToken = 0;

  constructor(private readonly end: number) {}

  /** Registers unfinished work starting at `lo`; returns its token. */
  hold(lo: number): number {
    const token = this.nextToken++;
    this.open.set(token, lo);
    return token;
  }

  release(token: number): void {
    this.open.delete(token);
  }

  /** Everything below this point is finished. */
  get value(): number {
    let min = this.end;
    for (const lo of this.open.values()) if (lo < min) min = lo;
    return min;
  }
}
