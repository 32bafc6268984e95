/**
 * Runs `fn` over `items` with at most `concurrency` calls in flight, in order of the items;
 * resolves when all are done (a rejection rejects the whole run, like Promise.all).
 */
export async function forEachLimit<T>(
  items: Iterable<T>,
  concurrency: number,
  fn: (item: T) => Promise<void>,
): Promise<void> {
  const queue = [...items];
  let next = 0;
  const worker = async () => {
    while (next < queue.length) {
      const item = queue[next++] as T;
      await fn(item);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(concurrency, queue.length)) }, worker));
}

/**
 * Runs `fn` over `items` concurrently with at most `limit` in flight per key (e.g. per cluster); items of
 * one key start in their order, keys run side by side. Resolves when all have settled: `fn` reports its
 * own failures, and one that throws never stops the others.
 */
export async function forEachPerKey<T>(
  items: readonly T[],
  opts: { key: (item: T) => string; limit: number },
  fn: (item: T) => Promise<void>,
): Promise<void> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const k = opts.key(item);
    const g = groups.get(k);
    if (g) g.push(item);
    else groups.set(k, [item]);
  }
  const settle = (item: T) => fn(item).catch(() => {});
  await Promise.all([...groups.values()].map((g) => forEachLimit(g, opts.limit, settle)));
}
