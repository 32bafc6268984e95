/**
 * Render benchmark: a Kustomize repository of 21 services × 3 environments (63 apps) rendered
 * cold (every app through `kustomize build`, sequentially like a shell loop and then in parallel),
 * warm from memory, warm from the disk cache (a restart), and after a commit touching one service.
 * Run with `npx tsx test/bench/render-bench.ts [services]`.
 */

import { mkdtemp } from 'node:fs/promises';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { binPath } from '../../src/demo/controlplane/bins.js';
import { GitRepo } from '../../src/engine/git/index.js';
import type { AppSpec, RenderResult } from '../../src/engine/model/index.js';
import { RenderCache } from '../../src/engine/render/index.js';
import { bigShop, commitFiles, removeTree, yamlDocs } from '../fixtures/repos/index.js';

const SERVICES = Number(process.argv[2] ?? 21);

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

const ms = (n: number) => `${(n < 10 ? n.toFixed(2) : n.toFixed(0)).padStart(6)} ms`;

async function main(): Promise<void> {
  const kustomizeBin = binPath('kustomize');
  const shop = await bigShop({ services: SERVICES });
  const cacheRoot = await mkdtemp(join(tmpdir(), 'bosun-render-bench-'));
  try {
    const git = await GitRepo.open({ path: shop.work, cacheDir: join(cacheRoot, 'repo') });
    const specs: AppSpec[] = shop.apps
      .filter((a) => a.environment)
      .map((a) => ({
        name: a.name,
        project: 'default',
        sources: [{ repoURL: shop.repoURL, targetRevision: 'main', path: a.path }],
        destination: { name: a.cluster, namespace: a.namespace },
        labels: { environment: a.environment! },
        annotations: {},
        origin: {},
        service: a.service,
        environment: a.environment,
      }));

    async function pass(
      cache: RenderCache,
      concurrency: number,
    ): Promise<{ total: number; per: number[]; cached: number }> {
      const t0 = performance.now();
      const sha = await git.resolve('main');
      const snapshotDir = await git.snapshot(sha);
      const per: number[] = [];
      let cached = 0;
      let next = 0;
      const worker = async () => {
        while (next < specs.length) {
          const spec = specs[next++]!;
          const t = performance.now();
          const r: RenderResult = await cache.render({
            spec,
            snapshotDir,
            revision: sha,
            kustomizeBin,
            objectId: (p) => git.objectId(sha, p),
          });
          per.push(performance.now() - t);
          if (!r.ok) throw new Error(`${spec.name}: ${r.error}`);
          if (r.cached) cached++;
        }
      };
      await Promise.all(Array.from({ length: concurrency }, worker));
      return { total: performance.now() - t0, per, cached };
    }

    const par = Math.min(8, availableParallelism());
    console.log(
      `render benchmark: ${SERVICES} services × 3 environments = ${specs.length} Kustomize apps, ${availableParallelism()} CPUs, load ${loadavg()[0]!.toFixed(1)}`,
    );
    console.log('');
    console.log('                                   total     per-app median   from cache');
    const row = (label: string, r: { total: number; per: number[]; cached: number }) =>
      console.log(
        `${label.padEnd(32)} ${ms(r.total)}   ${ms(median(r.per))}      ${String(r.cached).padStart(3)}/${specs.length}`,
      );

    const seq = await pass(new RenderCache(), 1);
    row('cold, sequential (kustomize loop)', seq);
    const cache = new RenderCache({ cacheDir: join(cacheRoot, 'cache') });
    const cold = await pass(cache, par);
    row(`cold, ${par} in parallel`, cold);
    const warm = await pass(cache, par);
    row('warm, memory', warm);
    const warmSeq = await pass(cache, 1);
    row('warm, memory, sequential', warmSeq);
    const disk = await pass(new RenderCache({ cacheDir: join(cacheRoot, 'cache') }), par);
    row('warm, disk (after a restart)', disk);
    await commitFiles(
      shop,
      {
        [`apps/${shop.services[0]}/base/configmap.yaml`]: yamlDocs({
          apiVersion: 'v1',
          kind: 'ConfigMap',
          metadata: { name: `${shop.services[0]}-config` },
          data: { LOG_LEVEL: 'debug' },
        }),
      },
      'one service: debug logging',
    );
    const after = await pass(cache, par);
    row(`after a commit to 1 service base`, after);
    console.log('');
    console.log(
      `cold ${(cold.total / 1000).toFixed(2)} s, warm ${warm.total.toFixed(0)} ms, per-app median cold ${median(seq.per).toFixed(0)} ms / warm ${median(warmSeq.per).toFixed(2)} ms`,
    );
  } finally {
    await shop.cleanup();
    await removeTree(cacheRoot);
  }
}

await main();
