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
