/**
 * Out-of-band change → OutOfSync in engine state (budget ≤ 1 s), median and p95 over 20 tries, next to
 * `kubectl diff` of the same app in the same run. Run: npx tsx test/bench/drift-bench.ts
 */

import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { startControlPlane } from '../../src/demo/controlplane/controlplane.js';
import { createEngine, realAdapters } from '../../src/engine/index.js';
import { KubeCluster } from '../../src/engine/kube/cluster.js';
import { loadContexts } from '../../src/engine/kube/kubeconfig.js';
import { makeKustomizeShop } from '../fixtures/repos/index.js';
import { kubectl, ms, stats, until } from './bench-util.js';

const cp = await startControlPlane({ clusters: ['dev'], log: () => {} });
const shop = await makeKustomizeShop({ services: ['order-service'], envs: ['dev'] });
process.env.PATH = `${cp.binDir}:${process.env.PATH}`;
const engine = createEngine(
  {
    repoPath: shop.work,
    kubeconfig: cp.kubeconfig,
    cacheDir: `${cp.runDir}/cache`,
  },
  realAdapters(),
);
try {
  await engine.start();
  const app = 'order-service-dev';
  await engine.sync(app, {});
  const state = () => engine.getSnapshot().apps.find((a) => a.name === app)?.sync;
  await until(() => state() === 'Synced');
  const samples: number[] = [];
  for (let i = 0; i < 20; i++) {
    const tag = `oob-${i}`;
    let seenAt = 0;
    const off = engine.subscribe(() => {
      if (!seenAt && state() === 'OutOfSync') seenAt = performance.now();
    });
    const t0 = performance.now();
    kubectl(cp, 'dev', [
      '-n',
      'shop',
      'set',
      'image',
      'deploy/order-service',
      `order-service=registry.local/shop/order-service:${tag}`,
    ]);
    await until(() => seenAt > 0, 10_000);
    off();
    samples.push(seenAt - t0);
    await engine.sync(app, {});
    await until(() => state() === 'Synced');
  }
  const s = stats(samples);
  console.log(`out-of-band change → OutOfSync in engine state (20 tries, includes kubectl's own run time):`);
  console.log(
    `  median ${ms(s.median)}  p95 ${ms(s.p95)}  min ${ms(s.min)}  max ${ms(s.max)}   budget ≤ 1000 ms`,
  );

  // kubectl diff of the same app (render + diff), for comparison: what a user would run instead.
  kubectl(cp, 'dev', [
    '-n',
    'shop',
    'set',
    'image',
    'deploy/order-service',
    'order-service=registry.local/shop/order-service:oob-x',
  ]);
  const kd: number[] = [];
  for (let i = 0; i < 5; i++) {
    const t0 = performance.now();
    try {
      execFileSync(
        join(cp.binDir, 'kubectl'),
        [
          '--kubeconfig',
          cp.kubeconfig,
          '--context',
          'dev',
          'diff',
          '-k',
          join(shop.work, 'apps/order-service/overlays/dev'),
        ],
        { stdio: 'pipe' },
      );
    } catch {
      /* exit 1 = differences */
    }
    kd.push(performance.now() - t0);
  }
  const bd: number[] = [];
  for (let i = 0; i < 5; i++) {
    const t0 = performance.now();
    await engine.diff(app);
    bd.push(performance.now() - t0);
  }
  console.log(
    `diff of ${app}: kubectl diff -k (render + server dry-run) median ${ms(stats(kd).median)}; bosun engine.diff (state kept live) median ${ms(stats(bd).median)}`,
  );
  await engine.stop();

  // Self-heal: the same app with automation on (selfHeal: true); time from the out-of-band change
  // until the live Deployment carries Git's image again (budget ≤ 2 s for the first correction).
  const healer = createEngine(
    {
      repoPath: shop.work,
      kubeconfig: cp.kubeconfig,
      cacheDir: `${cp.runDir}/cache`,
      automation: true,
    },
    realAdapters(),
  );
  await healer.start();
  const ctx = loadContexts({ kubeconfig: cp.kubeconfig }).contexts.find((c) => c.name === 'dev')!;
  const k = new KubeCluster(ctx);
  const imageNow = async () =>
    (
      (await k.get({ group: 'apps', kind: 'Deployment', namespace: 'shop', name: 'order-service' })) as {
        spec?: { template?: { spec?: { containers?: { image?: string }[] } } };
      }
    )?.spec?.template?.spec?.containers?.[0]?.image;
  const want = 'registry.local/shop/order-service:v1.48.0-rc.1';
  const heal: number[] = [];
  for (let i = 0; i < 10; i++) {
    await until(() => healer.getSnapshot().apps.find((a) => a.name === app)?.sync === 'Synced', 60_000);
    await new Promise((r) => setTimeout(r, 300));
    const t0 = performance.now();
    kubectl(cp, 'dev', [
      '-n',
      'shop',
      'set',
      'image',
      'deploy/order-service',
      `order-service=registry.local/shop/order-service:heal-${i}`,
    ]);
    let healedAt = 0;
    while (performance.now() - t0 < 30_000) {
      if ((await imageNow()) === want) {
        healedAt = performance.now();
        break;
      }
      await new Promise((r) => setTimeout(r, 20));
    }
    heal.push(healedAt ? healedAt - t0 : Number.NaN);
  }
  k.close();
  await healer.stop();
  const h = stats(heal);
  console.log(
    `self-heal: out-of-band change → Git's state applied again (10 tries, includes kubectl's run time):`,
  );
  console.log(
    `  median ${ms(h.median)}  p95 ${ms(h.p95)}  max ${ms(h.max)}   budget ≤ 2000 ms (first correction)`,
  );
} finally {
  await engine.stop();
  await cp.stop();
  await shop.cleanup();
}
