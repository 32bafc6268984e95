/**
 * Runs `run` over `items` concurrently with at most `limit` in flight per key (e.g. per cluster); items of
 * one key start in their order. Resolves when all have settled; `run` reports its own failures.
 */
export async function runPerKey<T>(
  items: readonly T[],
  opts: { key: (item: T) => string; limit: number; run: (item: T) => Promise<void> },
): Promise<void> {
  const queues = new Map<string, T[]>();
  for (const item of items) {
    const k = opts.key(item);
    const q = queues.get(k) ?? [];
    q.push(item);
    queues.set(k, q);
  }
  const workers: Promise<void>[] = [];
  for (const q of queues.values()) {
    const worker = async () => {
      for (let item = q.shift(); item !== undefined; item = q.shift()) {
        try {
          await opts.run(item);
        } catch {
          // `run` reports its own failures; one failing item never stops the others
        }
      }
    };
    const n = Math.max(1, Math.min(opts.limit, q.length));
    for (let i = 0; i < n; i++) workers.push(worker());
  }
  await Promise.all(workers);
}
