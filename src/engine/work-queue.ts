/**
 * Runs work items with bounded concurrency, lowest key first, while workers
 * may add more items. Resolves when every item is done; rejects with the first
 * failure and starts nothing after it.
 */
export async function drainQueue<T>(
  initial: T[],
  key: (item: T) => number,
  concurrency: number,
  worker: (item: T, push: (item: T) => void) => Promise<void>,
): Promise<void> {
  const queue: T[] = [];
  const push = (item: T): void => {
    // Binary insertion keeps the queue sorted by key.
    let lo = 0;
    let hi = queue.length;
    const k = key(item);
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (key(queue[mid]!) <= k) lo = mid + 1;
      else hi = mid;
    }
    queue.splice(lo, 0, item);
  };
  initial.forEach(push);

  await new Promise<void>((resolve, reject) => {
    let active = 0;
    let failed = false;
    const pump = (): void => {
      if (failed) return;
      if (queue.length === 0 && active === 0) return resolve();
      while (active < concurrency && queue.length > 0) {
        const item = queue.shift()!;
        active += 1;
        worker(item, push).then(
          () => {
            active -= 1;
            pump();
          },
          (err: unknown) => {
            failed = true;
            reject(err);
          },
        );
      }
    };
    pump();
  });
}
