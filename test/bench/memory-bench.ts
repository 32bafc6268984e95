/**
 * RSS of the engine with 20,000 live objects cached (budget ≤ 300 MiB).
 * Run: npx tsx test/bench/memory-bench.ts [count]
 */
import { join } from 'node:path';
import { startControlPlane } from '../../src/demo/controlplane/controlplane.js';
import { KubeCluster } from '../../src/engine/kube/cluster.js';
import { loadContexts } from '../../src/engine/kube/kubeconfig.js';
import { createFixtureRepo, yamlDocs } from '../fixtures/repos/index.js';

const count = Number(process.argv[2] ?? 20_000);
const cp = await startControlPlane({ clusters: ['mem'], workloads: false, log: () => {} });
const repo = await createFixtureRepo({
  name: 'memory-bench',
  files: (url) => ({
    'argocd/app.yaml': yamlDocs({
      apiVersion: 'argoproj.io/v1alpha1',
      kind: 'Application',
      metadata: { name: 'cfg' },
      spec: {
        project: 'default',
        source: { repoURL: url, path: 'manifests', targetRevision: 'main' },
        destination: { name: 'mem', namespace: 'default' },
      },
    }),
    'manifests/cm.yaml': yamlDocs({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'cfg' },
      data: { a: 'b' },
    }),
  }),
});
try {
  const ctx = loadContexts({ kubeconfig: cp.kubeconfig }).contexts[0]!;
  const k = new KubeCluster(ctx);
  const t0 = performance.now();
  let i = 0;
  const nsCount = 20;
  for (let n = 0; n < nsCount; n++)
    await k.apply({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: `mem-${n}` } });
  await Promise.all(
    Array.from({ length: 32 }, async () => {
      while (i < count) {
        const j = i++;
        await k.create({
          apiVersion: 'v1',
          kind: 'ConfigMap',
          metadata: {
            name: `cm-${j}`,
            namespace: `mem-${j % nsCount}`,
            labels: { app: `svc-${j % 50}`, team: 'bench' },
          },
          data: { 'config.yaml': `key: value-${j}\nreplicas: ${j % 7}\nfeature: ${'x'.repeat(200)}\n` },
        });
      }
    }),
  );
  k.close();
  console.log(`created ${count} ConfigMaps in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  // Measure in a fresh process: only the engine and its cache, not the objects this process created.
  const { execFileSync } = await import('node:child_process');
  const out = execFileSync(
    process.execPath,
    [
      '--expose-gc',
      '--import',
      'tsx',
      join(import.meta.dirname, 'memory-engine.ts'),
      repo.work,
      cp.kubeconfig,
      join(cp.runDir, 'cache'),
    ],
    {
      encoding: 'utf8',
    },
  );
  process.stdout.write(out);
} finally {
  await cp.stop();
  await repo.cleanup();
}
