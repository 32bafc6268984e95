/**
 * Sync of 500 objects (Deployments, Services, ConfigMaps across 10 namespaces) by bosun vs
 * `kubectl apply --server-side` of the same objects, each against a fresh apiserver of the same
 * control plane, in one run. Budget: bosun ≤ 0.5 × kubectl. Run: npx tsx test/bench/sync-bench.ts
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createEngine, realAdapters } from '../../src/engine/index.js';
import { startControlPlane } from '../controlplane/controlplane.js';
import { createFixtureRepo, yamlDocs } from '../fixtures/repos/index.js';
import { kubectl, ms } from './bench-util.js';

function objects(): unknown[] {
  const out: unknown[] = [];
  for (let n = 0; n < 10; n++) {
    const ns = `bench-${n}`;
    out.push({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } });
    for (let i = 0; i < 50; i++) {
      const name = `svc-${i}`;
      const kind = i % 3;
      if (kind === 0) {
        out.push({
          apiVersion: 'apps/v1',
          kind: 'Deployment',
          metadata: { name, namespace: ns, labels: { app: name } },
          spec: {
            replicas: 1,
            selector: { matchLabels: { app: name } },
            template: {
              metadata: { labels: { app: name } },
              spec: { containers: [{ name: 'app', image: `registry.local/${name}:1.0` }] },
            },
          },
        });
      } else if (kind === 1) {
        out.push({
          apiVersion: 'v1',
          kind: 'Service',
          metadata: { name, namespace: ns },
          spec: { selector: { app: name }, ports: [{ port: 80 }] },
        });
      } else {
        out.push({
          apiVersion: 'v1',
          kind: 'ConfigMap',
          metadata: { name, namespace: ns },
          data: { key: `value-${i}` },
        });
      }
    }
  }
  return out;
}

const cp = await startControlPlane({ clusters: ['kubectl', 'bosun'], workloads: false, log: () => {} });
const objs = objects();
const count = objs.filter((o) => (o as { kind: string }).kind !== 'Namespace').length;
const repo = await createFixtureRepo({
  name: 'sync-bench',
  files: (url) => ({
    'argocd/bench.yaml': yamlDocs({
      apiVersion: 'argoproj.io/v1alpha1',
      kind: 'Application',
      metadata: { name: 'bench' },
      spec: {
        project: 'default',
        source: { repoURL: url, path: 'manifests', targetRevision: 'main' },
        destination: { name: 'bosun', namespace: 'default' },
      },
    }),
    'manifests/all.yaml': yamlDocs(...objs),
  }),
});
const engine = createEngine(
  {
    repoPath: repo.work,
    kubeconfig: cp.kubeconfig,
    cacheDir: join(cp.runDir, 'cache'),
    contexts: ['bosun'],
  },
  realAdapters(),
);
try {
  const file = join(cp.runDir, 'all.yaml');
  writeFileSync(file, yamlDocs(...objs));
  const t0 = performance.now();
  kubectl(cp, 'kubectl', ['apply', '--server-side', '--field-manager=bench', '-f', file]);
  const kubectlMs = performance.now() - t0;

  await engine.start();
  const t1 = performance.now();
  const r = await engine.sync('bench', { wait: false });
  const bosunMs = performance.now() - t1;
  if (r.phase !== 'Succeeded') throw new Error(`bosun sync ${r.phase}: ${r.message}`);
  const applied = Number(
    kubectl(cp, 'bosun', ['get', 'deploy,svc,cm', '-A', '-l', '', '--no-headers'])
      .trim()
      .split('\n')
      .filter((l) => l.startsWith('bench-')).length,
  );
  console.log(`sync of ${count} objects + 10 namespaces (fresh apiservers, same control plane):`);
  console.log(`  kubectl apply --server-side   ${ms(kubectlMs)}`);
  console.log(`  bosun sync (pre-flight dry-run + apply, 16 in flight, no health wait)   ${ms(bosunMs)}`);
  console.log(
    `  ratio bosun/kubectl = ${(bosunMs / kubectlMs).toFixed(2)}   budget ≤ 0.50   (objects present after bosun sync: ${applied})`,
  );
} finally {
  await engine.stop();
  await cp.stop();
  await repo.cleanup();
}
