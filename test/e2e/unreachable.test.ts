import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ControlPlane, startControlPlane } from '../../src/demo/controlplane/controlplane.js';
import { type BosunEngine, createEngine, realAdapters } from '../../src/engine/index.js';
import { createFixtureRepo, type FixtureRepo, yamlDocs } from '../fixtures/repos/index.js';
import { eventually } from './helpers.js';

function app(repoURL: string, name: string, cluster: string) {
  return yamlDocs({
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'Application',
    metadata: { name },
    spec: {
      project: 'default',
      source: { repoURL, path: `apps/${name}`, targetRevision: 'main' },
      destination: { name: cluster, namespace: 'default' },
    },
  });
}

const cm = (name: string) =>
  yamlDocs({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name }, data: { k: 'v' } });

describe('an unreachable cluster is marked within seconds, never delays the others, and recovers by itself', () => {
  let cp: ControlPlane;
  let repo: FixtureRepo;
  let engine: BosunEngine;

  beforeAll(async () => {
    cp = await startControlPlane({ clusters: ['east', 'west'], workloads: false, log: () => {} });
    repo = await createFixtureRepo({
      name: 'two-clusters',
      files: (url) => ({
        'argocd/east.yaml': app(url, 'cfg-east', 'east'),
        'argocd/west.yaml': app(url, 'cfg-west', 'west'),
        'apps/cfg-east/cm.yaml': cm('cfg-east'),
        'apps/cfg-west/cm.yaml': cm('cfg-west'),
      }),
    });
    engine = createEngine(
      { repoPath: repo.work, kubeconfig: cp.kubeconfig, cacheDir: `${cp.runDir}/cache` },
      realAdapters(),
    );
    await engine.start();
  });

  afterAll(async () => {
    await engine?.stop();
    await cp?.stop();
    await repo?.cleanup();
  });

  const cluster = (name: string) => engine.getSnapshot().clusters.find((c) => c.context === name);
  const appState = (name: string) => engine.getSnapshot().apps.find((a) => a.name === name);

  it('starts with both clusters connected and both apps compared', () => {
    expect(cluster('east')?.status).toBe('Connected');
    expect(cluster('west')?.status).toBe('Connected');
    expect(appState('cfg-east')?.sync).toBe('OutOfSync');
    expect(appState('cfg-west')?.sync).toBe('OutOfSync');
  });

  it('marks only the stopped cluster Unreachable, with the reason, and does not storm it', async () => {
    const before = { ...cluster('west')!.requests };
    const t0 = Date.now();
    await cp.stopApiserver('west');
    await eventually('west Unreachable', () => cluster('west')?.status === 'Unreachable', 15_000);
    const markedAfterMs = Date.now() - t0;
    expect(markedAfterMs).toBeLessThan(15_000);
    expect(cluster('west')?.message).toMatch(/unreachable|refused|timed out/i);
    expect(cluster('east')?.status).toBe('Connected');
    expect(appState('cfg-west')?.sync).toBe('Unknown');
    expect(
      appState('cfg-west')
        ?.conditions.map((c) => c.message)
        .join(' '),
    ).toMatch(/west unreachable/);
    await engine.refresh();
    expect(appState('cfg-east')?.sync).toBe('OutOfSync');
    // Wait 5 s while it is down: no list/watch storm (watches wait for the probe instead of retrying).
    await new Promise((r) => setTimeout(r, 5000));
    const during = cluster('west')!.requests;
    const kinds = cluster('west')!.watchedKinds;
    expect(during.list - before.list).toBeLessThanOrEqual(kinds);
    expect(during.watch - before.watch).toBeLessThanOrEqual(kinds);
    console.log(
      `west marked Unreachable after ${markedAfterMs} ms; list/watch calls while down: ${during.list - before.list}/${during.watch - before.watch} for ${kinds} kinds`,
    );
  });

  it('recovers without restarting bosun: one re-list per kind', async () => {
    const before = { ...cluster('west')!.requests };
    await cp.startApiserver('west');
    await eventually('west Connected again', () => cluster('west')?.status === 'Connected', 30_000);
    await eventually(
      'cfg-west compared again',
      async () => {
        await engine.refresh({ app: 'cfg-west' });
        return appState('cfg-west')?.sync === 'OutOfSync';
      },
      30_000,
    );
    const after = cluster('west')!.requests;
    const kinds = cluster('west')!.watchedKinds;
    expect(after.list - before.list).toBeLessThanOrEqual(kinds * 2);
    console.log(
      `west recovered: ${after.list - before.list} lists, ${after.watch - before.watch} watches for ${kinds} kinds`,
    );
  });
});
