import { forEachLimit } from '../../engine/index.js';

/**
 * Runs `run` over `items` concurrently with at most `limit` in flight per key (e.g. per cluster); items of
 * one key start in their order. Resolves when all have settled; `run` reports its own failures.
 */
export async function runPerKey<T>(
  items: readonly T[],
  opts: { key: (item: T) => string; limit: number; run: (item: T) => Promise<void> },
): Promise<void> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const k = opts.key(item);
    groups.set(k, [...(groups.get(k) ?? []), item]);
  }
  // One failing item never stops the others: `run` reports its own failures.
  const settle = (item: T) => opts.run(item).catch(() => {});
  await Promise.all([...groups.values()].map((g) => forEachLimit(g, opts.limit, settle)));
}
