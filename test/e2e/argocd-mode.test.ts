import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { type ArgoCd, startArgoCd } from '../argocd/argocd.js';
import type { FixtureRepo } from '../fixtures/repos/index.js';
import { createFixtureRepo, yamlDocs } from '../fixtures/repos/index.js';
import { bosun, deleteNamespace, e2eEnv, eventually, kubectl } from './helpers.js';
import { configMap, deployment, syncRepo } from './sync-fixtures.js';

/**
 * bosun in front of a real Argo CD (test/argocd/: redis, argocd-repo-server and argocd-application-controller
 * built from Go modules) running against the local control plane. First the harness itself: an Application
 * synced through `operation.sync` becomes Synced/Healthy, Argo CD's history records the initiator, the objects
 * land with Argo CD's tracking annotation. Then bosun: `bosun argocd apps` shows Argo CD's view, `bosun argocd
 * sync` runs in Argo CD under the operator's name, read-only and production confirmation write nothing.
 * Stopping the harness leaves none of its processes behind.
 */

const ns = 'e2e-argocd';
const nsProd = 'e2e-argocd-prod';
const appRaw = 'argo-guestbook';
const appCli = 'argo-cli-guestbook';
const appProd = 'argo-guestbook-production';
const appHand = 'argo-handover';
const nsHand = 'e2e-argocd-handover';

type AppStatus = {
  sync?: { status?: string; revision?: string };
  health?: { status?: string };
  operationState?: { phase?: string; message?: string };
  history?: { id: number; revision?: string; initiatedBy?: { username?: string } }[];
};
type AppCr = { operation?: unknown; status?: AppStatus };

describe('bosun with a real Argo CD', () => {
  let argo: ArgoCd;
  let repo: FixtureRepo;
  let pids: number[] = [];
  let configFile: string;
  let handRepo: FixtureRepo;
  let handConfig: string;

  const cr = (name: string): AppCr =>
    JSON.parse(argo.kubectl(['get', 'applications.argoproj.io', name, '-o', 'json'])) as AppCr;
  const status = (name: string): AppStatus => cr(name).status ?? {};
  const application = (name: string, dest: { cluster: string; namespace: string }) => ({
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'Application',
    metadata: { name, namespace: argo.namespace },
    spec: {
      project: 'default',
      source: { repoURL: repo.repoURL, targetRevision: 'main', path: 'apps/guestbook' },
      destination: { name: dest.cluster, namespace: dest.namespace },
      syncPolicy: { syncOptions: ['CreateNamespace=true'] },
    },
  });
  const run = (args: string[], extra: NodeJS.ProcessEnv = {}) =>
    bosun(['argocd', ...args, '--repo', repo.work, '--config', configFile], { env: e2eEnv(extra) });
  const syncedHealthy = (name: string) => {
    const s = status(name);
    if (s.operationState?.phase === 'Failed' || s.operationState?.phase === 'Error')
      throw new Error(`sync ${s.operationState.phase}: ${s.operationState.message}`);
    return (
      s.operationState?.phase === 'Succeeded' && s.sync?.status === 'Synced' && s.health?.status === 'Healthy'
    );
  };

  beforeAll(async () => {
    const cp = inject('controlPlane');
    await deleteNamespace(ns, ['staging']);
    await deleteNamespace(`${ns}-cli`, ['staging']);
    await deleteNamespace(nsProd, ['production']);
    await deleteNamespace(nsHand, ['staging']);
    repo = await createFixtureRepo({
      name: 'argocd-mode',
      files: {
        'apps/guestbook/objects.yaml': yamlDocs(
          configMap('guestbook-config', { color: 'blue' }),
          deployment('guestbook'),
        ),
      },
    });
    handRepo = await syncRepo('argocd-handover', {
      [appHand]: {
        namespace: nsHand,
        cluster: 'staging',
        files: { 'objects.yaml': [configMap('hand-config'), deployment('hand')] },
      },
    });
    handConfig = join(handRepo.root, 'bosun.yaml');
    writeFileSync(
      handConfig,
      [
        'backend: { type: argocd, context: dev, namespace: argocd }',
        // Argo CD's own tracking annotation: objects bosun deploys are already Argo CD's when it adopts them.
        'tracking: { annotation: argocd.argoproj.io/tracking-id }',
        '',
      ].join('\n'),
    );
    configFile = join(repo.root, 'bosun.yaml');
    writeFileSync(configFile, 'backend: { type: argocd, context: dev, namespace: argocd }\n');
    argo = await startArgoCd({
      kubeconfig: cp.kubeconfig,
      binDir: cp.binDir,
      clusters: cp.clusters,
      host: 'dev',
    });
    pids = argo.pids();
  });

  afterAll(async () => {
    await argo?.stop();
    await repo?.cleanup();
    await handRepo?.cleanup();
    await deleteNamespace(nsHand, ['staging']);
    await deleteNamespace(ns, ['staging']);
    await deleteNamespace(`${ns}-cli`, ['staging']);
    await deleteNamespace(nsProd, ['production']);
  });

  it('Argo CD compares an app from a file:// repository with a registered cluster and does not sync it by itself', async () => {
    argo.kubectl(
      ['apply', '-f', '-'],
      JSON.stringify(application(appRaw, { cluster: 'staging', namespace: ns })),
    );
    await eventually(
      'Argo CD compares the app (OutOfSync)',
      () => status(appRaw).sync?.status === 'OutOfSync',
      120_000,
    );
    expect(kubectl('staging', ['get', 'namespace', ns, '--ignore-not-found', '-o', 'name']).trim()).toBe('');
  });

  it('runs a sync requested through operation.sync: Synced/Healthy, history names the initiator', async () => {
    argo.kubectl([
      'patch',
      'applications.argoproj.io',
      appRaw,
      '--type',
      'merge',
      '-p',
      JSON.stringify({
        operation: {
          sync: { revision: 'main', syncOptions: ['CreateNamespace=true'] },
          initiatedBy: { username: 'harness@test' },
        },
      }),
    ]);
    await eventually('the sync succeeds and the app is Synced/Healthy', () => syncedHealthy(appRaw), 180_000);
    const s = status(appRaw);
    expect(s.history?.map((h) => h.initiatedBy?.username)).toEqual(['harness@test']);
    expect(s.history?.[0]?.revision).toBe(s.sync?.revision);
    const dep = JSON.parse(
      kubectl('staging', ['-n', ns, 'get', 'deployment', 'guestbook', '-o', 'json']),
    ) as {
      metadata: { annotations?: Record<string, string> };
    };
    expect(dep.metadata.annotations?.['argocd.argoproj.io/tracking-id']).toBe(
      `${appRaw}:apps/Deployment:${ns}/guestbook`,
    );
  });

  it("bosun argocd apps lists Argo CD's apps with Argo CD's sync and health", async () => {
    argo.kubectl(
      ['apply', '-f', '-'],
      JSON.stringify(application(appCli, { cluster: 'staging', namespace: `${ns}-cli` })),
    );
    argo.kubectl(
      ['apply', '-f', '-'],
      JSON.stringify(application(appProd, { cluster: 'production', namespace: nsProd })),
    );
    await eventually(
      'Argo CD compares the new apps',
      () => status(appCli).sync?.status === 'OutOfSync' && status(appProd).sync?.status === 'OutOfSync',
      120_000,
    );
    const r = await run(['apps', '-o', 'json']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout) as {
      argocd: { context: string; namespace: string };
      apps: { name: string; sync: string; health: string; history: { initiator: string }[] }[];
    };
    expect(out.argocd).toEqual({ context: 'dev', namespace: 'argocd' });
    expect(out.apps.map((a) => [a.name, a.sync, a.health])).toEqual([
      [appCli, 'OutOfSync', 'Missing'],
      [appRaw, 'Synced', 'Healthy'],
      [appProd, 'OutOfSync', 'Missing'],
    ]);
    expect(out.apps.find((a) => a.name === appRaw)?.history.map((h) => h.initiator)).toEqual([
      'harness@test',
    ]);
  });

  it('bosun argocd sync runs the sync in Argo CD, recorded under the operator name', async () => {
    const r = await run(['sync', appCli, '--yes', '--wait'], { BOSUN_USER: 'ana@bastion' });
    expect(r.stderr).toContain(`${appCli}: sync requested from Argo CD by ana@bastion`);
    expect(r.stdout).toContain(`${appCli}: Succeeded`);
    expect(r.code).toBe(0);
    expect(syncedHealthy(appCli)).toBe(true);
    expect(status(appCli).history?.map((h) => h.initiatedBy?.username)).toEqual(['ana@bastion']);
    expect(
      kubectl('staging', ['-n', `${ns}-cli`, 'get', 'deployment', 'guestbook', '-o', 'name']).trim(),
    ).toBe('deployment.apps/guestbook');
    const h = await run(['history', appCli, '-o', 'json']);
    expect(
      (JSON.parse(h.stdout) as { history: { initiator: string }[] }).history.map((x) => x.initiator),
    ).toEqual(['ana@bastion']);
  });

  it('read-only and the production confirmation write nothing to Argo CD', async () => {
    const ro = await run(['sync', appProd, '--yes', '--read-only']);
    expect(ro.code).toBe(3);
    expect(ro.stderr.trim().split('\n')).toEqual([
      `bosun: refused to sync ${appProd}: app ${appProd}: its destination production is read-only`,
    ]);
    // Not a terminal and no --yes: the production app's name cannot be typed, so nothing is sent.
    const noConfirm = await run(['sync', appProd]);
    expect(noConfirm.code).toBe(3);
    expect(noConfirm.stderr).toContain('needs confirmation');
    const c = cr(appProd);
    expect(c.operation).toBeUndefined();
    expect(c.status?.history ?? []).toEqual([]);
    expect(
      kubectl('production', ['get', 'namespace', nsProd, '--ignore-not-found', '-o', 'name']).trim(),
    ).toBe('');
  });

  it('adopt hands an app bosun deployed to Argo CD with no diff and nothing recreated; release takes it back', async () => {
    const hand = (args: string[]) =>
      bosun([...args, '--repo', handRepo.work, '--config', handConfig], {
        env: e2eEnv({ BOSUN_USER: 'ana@bastion' }),
      });
    // Deployed by the embedded engine first (no backend block yet: with one, sync goes through Argo CD,
    // which does not know the app before it is adopted).
    const embeddedConfig = join(handRepo.root, 'bosun-embedded.yaml');
    writeFileSync(embeddedConfig, 'tracking: { annotation: argocd.argoproj.io/tracking-id }\n');
    const deployed = await bosun(
      ['sync', appHand, '--yes', '-o', 'json', '--repo', handRepo.work, '--config', embeddedConfig],
      { env: e2eEnv({ BOSUN_USER: 'ana@bastion' }) },
    );
    expect(deployed.stderr).toBe('');
    expect(deployed.code).toBe(0);
    const uids = () =>
      kubectl('staging', [
        '-n',
        nsHand,
        'get',
        'deployment/hand',
        'configmap/hand-config',
        '-o',
        'jsonpath={.items[*].metadata.uid}{" "}{.items[*].metadata.deletionTimestamp}',
      ]).trim();
    const before = uids();
    expect(before.split(' ')).toHaveLength(2);
    const inArgo = () =>
      argo
        .kubectl(['get', 'applications.argoproj.io', appHand, '--ignore-not-found', '-o', 'name'])
        .trim() !== '';

    // The preview writes nothing.
    const preview = await hand(['argocd', 'adopt', appHand, '--dry-run', '-o', 'json']);
    expect(preview.code).toBe(0);
    expect((JSON.parse(preview.stdout) as { items: unknown[] }).items).toEqual([
      { kind: 'Application', name: appHand, file: `argocd/${appHand}.yaml`, action: 'create', changed: [] },
    ]);
    expect(inArgo()).toBe(false);

    const adopted = await hand(['argocd', 'adopt', appHand, '--yes']);
    expect(adopted.stderr).toContain(`adopted: Application/${appHand}`);
    expect(adopted.code).toBe(0);
    await eventually(
      'Argo CD compares the adopted app: Synced and Healthy',
      () => status(appHand).sync?.status === 'Synced' && status(appHand).health?.status === 'Healthy',
      120_000,
    );
    // No diff: Argo CD had nothing to sync, so it ran no operation; and nothing was recreated.
    expect(cr(appHand).status?.operationState).toBeUndefined();
    expect(cr(appHand).status?.history ?? []).toEqual([]);
    expect(uids()).toBe(before);
    const again = await hand(['argocd', 'adopt', appHand, '--dry-run', '-o', 'json']);
    expect((JSON.parse(again.stdout) as { items: { action: string }[] }).items.map((i) => i.action)).toEqual([
      'unchanged',
    ]);

    // Argo CD's resources finalizer would delete the objects with the app; release must drop it first.
    argo.kubectl([
      'patch',
      'applications.argoproj.io',
      appHand,
      '--type',
      'merge',
      '-p',
      '{"metadata":{"finalizers":["resources-finalizer.argocd.argoproj.io"]}}',
    ]);
    const released = await hand(['argocd', 'release', appHand, '--yes']);
    expect(released.stderr).toContain(`released: ${appHand}`);
    expect(released.code).toBe(0);
    await eventually('the Application is gone from Argo CD', () => !inArgo(), 60_000);
    expect(uids()).toBe(before);
  });

  it('stops exactly the processes it started', async () => {
    expect(pids).toHaveLength(3);
    await argo.stop();
    for (const pid of pids) expect(() => process.kill(pid, 0)).toThrow();
  });
});
