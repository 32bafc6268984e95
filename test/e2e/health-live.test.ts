import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { type BosunEngine, createEngine, realAdapters } from '../../src/engine/index.js';
import { createFixtureRepo, type FixtureRepo, yamlDocs } from '../fixtures/repos/index.js';
import { deleteNamespace, eventually } from './helpers.js';

const ns = 'health-live';

function deployment(name: string, extra: Record<string, unknown> = {}) {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, namespace: ns },
    spec: {
      replicas: 3,
      selector: { matchLabels: { app: name } },
      template: {
        metadata: { labels: { app: name } },
        spec: { containers: [{ name: 'app', image: `registry.local/${name}:1.0` }], ...extra },
      },
    },
  };
}

describe('live health: Progressing → Healthy as kwok readies pods; a missed progress deadline is Degraded', () => {
  let repo: FixtureRepo;
  let engine: BosunEngine;
  const seen: string[] = [];

  beforeAll(async () => {
    const cp = inject('controlPlane');
    process.env.PATH = `${cp.binDir}:${process.env.PATH}`;
    repo = await createFixtureRepo({
      name: 'health-live',
      files: (url) => ({
        'argocd/app.yaml': yamlDocs({
          apiVersion: 'argoproj.io/v1alpha1',
          kind: 'Application',
          metadata: { name: 'health-live' },
          spec: {
            project: 'default',
            source: { repoURL: url, path: 'manifests', targetRevision: 'main' },
            destination: { name: 'dev', namespace: ns },
            syncPolicy: { syncOptions: ['CreateNamespace=true'] },
          },
        }),
        // minReadySeconds keeps it Progressing for a few seconds after kwok readies the pods.
        'manifests/ok.yaml': yamlDocs({
          ...deployment('ok'),
          spec: { ...deployment('ok').spec, minReadySeconds: 6 },
        }),
        'manifests/stuck.yaml': yamlDocs({
          ...deployment('stuck', { nodeSelector: { 'no-such-node': 'true' } }),
          spec: {
            ...deployment('stuck').spec,
            progressDeadlineSeconds: 3,
            template: deployment('stuck', { nodeSelector: { 'no-such-node': 'true' } }).spec.template,
          },
        }),
      }),
    });
    engine = createEngine(
      {
        repoPath: repo.work,
        kubeconfig: cp.kubeconfig,
        contexts: ['dev'],
        cacheDir: join(cp.runDir, 'health-live-cache'),
      },
      realAdapters(),
    );
    await engine.start();
    engine.subscribe(() => {
      const r = engine.getSnapshot().apps[0]?.resources.find((x) => x.key.name === 'ok');
      const h = r?.health?.status;
      if (h && seen[seen.length - 1] !== h) seen.push(h);
    });
  });

  afterAll(async () => {
    await engine?.stop();
    await deleteNamespace(ns, ['dev']);
    await repo?.cleanup();
  });

  it('the ready Deployment is seen Progressing, then Healthy', async () => {
    const r = await engine.sync('health-live', { wait: false });
    expect(r.phase).toBe('Succeeded');
    const ok = () => engine.getSnapshot().apps[0]?.resources.find((x) => x.key.name === 'ok');
    await eventually('ok Healthy', () => ok()?.health?.status === 'Healthy', 60_000);
    // The subscriber sees states through the store's coalesced notifications (~100 ms behind).
    await eventually('subscriber saw Healthy', () => seen[seen.length - 1] === 'Healthy', 10_000);
    expect(seen).toContain('Progressing');
    expect(seen[seen.length - 1]).toBe('Healthy');
    expect(seen.indexOf('Progressing')).toBeLessThan(seen.lastIndexOf('Healthy'));
  });

  it('the Deployment whose pods never schedule is Degraded after its progress deadline, with the cause named', async () => {
    const stuck = () => engine.getSnapshot().apps[0]?.resources.find((x) => x.key.name === 'stuck');
    await eventually('stuck Degraded', () => stuck()?.health?.status === 'Degraded', 90_000);
    expect(stuck()?.health?.message).toMatch(/progress deadline|ProgressDeadlineExceeded/i);
    expect(engine.getSnapshot().apps[0]?.health).toBe('Degraded');
    const explain = engine.explain('health-live').join('\n');
    expect(explain).toMatch(/stuck/);
  });
});
