/** Child of memory-bench.ts: starts the engine on (repo, kubeconfig, cacheDir) and prints its RSS. */
import { createEngine, realAdapters } from '../../src/engine/index.js';

const [repo, kubeconfig, cacheDir] = process.argv.slice(2) as [string, string, string];
global.gc?.();
const base = process.memoryUsage().rss;
const t0 = performance.now();
const engine = createEngine({ repoPath: repo, kubeconfig, cacheDir }, realAdapters());
await engine.start();
const startMs = performance.now() - t0;
const objects = engine.getSnapshot().clusters.reduce((n, c) => n + c.objects, 0);
global.gc?.();
const rss = process.memoryUsage().rss;
console.log(
  `engine with ${objects} live objects cached: RSS ${(rss / 2 ** 20).toFixed(0)} MiB (node + modules before start: ${(base / 2 ** 20).toFixed(0)} MiB; start ${(startMs / 1000).toFixed(1)} s)   budget ≤ 300 MiB`,
);
await engine.stop();
process.exit(0);
