import { describe, expect, it } from 'vitest';
import {
  argoAppState,
  argoExplain,
  argoOnlyDiffs,
  argoOperationTasks,
  argoPlanTasks,
} from '../../../src/engine/argocd/app-view.js';
import { type ArgoApp, appSetState, generatorOf } from '../../../src/engine/argocd/source.js';
import { type ArgoApplicationObject, argoAppStatus } from '../../../src/engine/argocd/status.js';
import type { AppSpec } from '../../../src/engine/model/app.js';
import { decideAppPolicy } from '../../../src/engine/policy/index.js';

const object: ArgoApplicationObject = {
  metadata: { name: 'shop-prod', namespace: 'argocd' },
  spec: { project: 'default' },
  status: {
    sync: { status: 'OutOfSync', revision: 'c0ffee0123' },
    health: { status: 'Degraded' },
    summary: { images: ['shop:v2'] },
    conditions: [{ type: 'SyncError', message: 'one object failed' }],
    resources: [
      {
        group: 'apps',
        version: 'v1',
        kind: 'Deployment',
        namespace: 'shop',
        name: 'web',
        status: 'OutOfSync',
        health: { status: 'Degraded', message: 'Deployment exceeded its progress deadline' },
        syncWave: 2,
      },
      { version: 'v1', kind: 'ConfigMap', namespace: 'shop', name: 'cfg', status: 'Synced', syncWave: -1 },
      {
        version: 'v1',
        kind: 'Service',
        namespace: 'shop',
        name: 'new',
        status: 'OutOfSync',
        health: { status: 'Missing' },
      },
      {
        version: 'v1',
        kind: 'Secret',
        namespace: 'shop',
        name: 'old',
        status: 'OutOfSync',
        requiresPruning: true,
      },
    ],
    operationState: {
      operation: { sync: { revision: 'c0ffee0123' }, initiatedBy: { username: 'ana@bastion' } },
      phase: 'Failed',
      message: 'one or more objects failed to apply',
      startedAt: '2026-12-05T20:00:00Z',
      finishedAt: '2026-12-05T20:00:05Z',
      syncResult: {
        revision: 'c0ffee0123',
        resources: [
          {
            group: '',
            kind: 'ConfigMap',
            namespace: 'shop',
            name: 'cfg',
            status: 'Synced',
            syncPhase: 'Sync',
            message: 'configmap/cfg configured',
          },
          {
            group: 'apps',
            kind: 'Deployment',
            namespace: 'shop',
            name: 'web',
            status: 'SyncFailed',
            syncPhase: 'Sync',
            message: 'invalid spec',
          },
          { group: '', kind: 'Secret', namespace: 'shop', name: 'old', status: 'Pruned', syncPhase: 'Sync' },
          {
            group: 'batch',
            kind: 'Job',
            namespace: 'shop',
            name: 'migrate',
            hookType: 'PreSync',
            hookPhase: 'Succeeded',
            syncPhase: 'PreSync',
          },
        ],
      },
    },
  },
};

const spec: AppSpec = {
  name: 'shop-prod',
  project: 'default',
  sources: [{ repoURL: 'file:///repo', path: 'shop', targetRevision: 'main' }],
  destination: { name: 'production', namespace: 'shop' },
  labels: {},
  annotations: {},
  origin: {},
  environment: 'prod',
  service: 'shop',
};
const argo: ArgoApp = { spec, status: argoAppStatus(object), object };
const policy = decideAppPolicy({
  app: 'shop-prod',
  environment: 'prod',
  environments: [],
  clusterProduction: true,
  engineReadOnly: false,
});

describe("Argo CD's view in the engine's shapes", () => {
  it("an AppState carries Argo CD's sync, health, resources, operation and revision", () => {
    const s = argoAppState({ argo, spec, context: 'production', policy });
    expect([s.sync, s.health, s.revision, s.context]).toEqual([
      'OutOfSync',
      'Degraded',
      'c0ffee0123',
      'production',
    ]);
    expect(s.healthMessage).toBe('Deployment exceeded its progress deadline');
    expect(s.resources.map((r) => `${r.key.kind}/${r.key.name}:${r.sync}`)).toEqual([
      'Deployment/web:OutOfSync',
      'ConfigMap/cfg:Synced',
      'Service/new:Missing',
      'Secret/old:Extra',
    ]);
    expect(s.desiredCount).toBe(3);
    expect(s.images).toEqual(['shop:v2']);
    expect(s.operation).toMatchObject({ phase: 'Failed', initiator: 'ana@bastion' });
    expect(s.conditions).toEqual([{ type: 'SyncError', message: 'one object failed' }]);
    expect(s.policy.confirm).toContain('sync');
  });

  it('the plan lists what Argo CD calls out of sync, in wave order; prune only when asked', () => {
    const plan = argoPlanTasks(argo, {});
    expect(plan.map((t) => [t.action, t.key.kind, t.wave])).toEqual([
      ['create', 'Service', 0],
      ['apply', 'Deployment', 2],
      ['skip', 'Secret', 0],
    ]);
    expect(plan[2]?.reason).toBe('not in Git; prune is off');
    expect(argoPlanTasks(argo, { prune: true }).at(-1)?.action).toBe('prune');
    const selected = argoPlanTasks(argo, {
      resources: [{ group: '', kind: 'ConfigMap', namespace: 'shop', name: 'cfg' }],
    });
    expect(selected.map((t) => t.key.name)).toEqual(['cfg']);
  });

  it("the operation's per-resource results become task results (hooks included)", () => {
    const waves = new Map([['apps/Deployment/shop/web', 2]]);
    const tasks = argoOperationTasks(object, waves);
    expect(tasks.map((t) => [t.phase, t.wave, t.action, t.key.name, t.status])).toEqual([
      ['Sync', 0, 'apply', 'cfg', 'Succeeded'],
      ['Sync', 2, 'apply', 'web', 'Failed'],
      ['Sync', 0, 'prune', 'old', 'Succeeded'],
      ['PreSync', 0, 'hook', 'migrate', 'Succeeded'],
    ]);
    expect(tasks[1]?.message).toBe('invalid spec');
    expect(argoOperationTasks({ metadata: { name: 'x' } }, waves)).toEqual([]);
  });

  it('explain names Argo CD as the source and lists what needs a look', () => {
    const lines = argoExplain(argo, { context: 'ops', namespace: 'argocd' });
    expect(lines[0]).toBe('shop-prod: OutOfSync, Degraded at c0ffee0 (Argo CD, ops/argocd)');
    expect(lines).toContain('  SyncError: one object failed');
    expect(lines).toContain(
      '  operation: Failed by ana@bastion: one or more objects failed to apply (c0ffee0)',
    );
    expect(lines).toContain('Deployment/shop/web: OutOfSync, Degraded');
    expect(lines).not.toContain('ConfigMap/shop/cfg: Synced');
    const one = argoExplain(
      argo,
      { context: 'ops', namespace: 'argocd' },
      {
        group: '',
        kind: 'Secret',
        namespace: 'shop',
        name: 'old',
      },
    );
    expect(one).toContain('  not in Git: a sync with prune removes it');
  });

  it('a pending refresh (the annotation still set) shows as refreshing, not as a condition', () => {
    const pending: ArgoApplicationObject = {
      ...object,
      metadata: { ...object.metadata, annotations: { 'argocd.argoproj.io/refresh': 'hard' } },
    };
    const s = argoAppState({
      argo: { spec, status: argoAppStatus(pending), object: pending },
      spec,
      policy,
    });
    expect(s.refreshing).toBe('hard');
    expect(s.conditions).toEqual([{ type: 'SyncError', message: 'one object failed' }]);
    expect(argoAppState({ argo, spec, policy }).refreshing).toBeUndefined();
  });

  it("the diff of an app bosun cannot render is Argo CD's comparison, and says so", () => {
    const diffs = argoOnlyDiffs(argo, { context: 'ops', namespace: 'argocd' });
    const note =
      "shop-prod is in Argo CD (ops/argocd) but not in the repository bosun reads: this is Argo CD's comparison; the full diff needs the repository";
    expect(diffs.map((d) => d.text).join('')).toBe(
      [
        `# ${note}`,
        'OutOfSync Deployment/shop/web: Argo CD reports it out of sync, health Degraded',
        'Missing Service/shop/new: missing from the cluster',
        'Extra Secret/shop/old: not in Git (a sync with prune removes it)',
        '',
      ].join('\n'),
    );
    expect(diffs.every((d) => d.source === 'argocd' && d.explain[0] === note)).toBe(true);
  });
});

describe("Argo CD's ApplicationSets", () => {
  const owner = (kind: string, name: string) => ({
    apiVersion: 'argoproj.io/v1alpha1',
    kind,
    name,
    uid: `${name}-uid`,
    controller: true,
  });

  it('an Application names the ApplicationSet that owns it', () => {
    const app = (refs: ReturnType<typeof owner>[]) => ({
      apiVersion: 'argoproj.io/v1alpha1',
      kind: 'Application',
      metadata: { name: 'a', ownerReferences: refs },
    });
    expect(generatorOf(app([owner('ApplicationSet', 'previews')]))).toBe('previews');
    expect(generatorOf(app([owner('Application', 'root')]))).toBeUndefined();
    expect(generatorOf(app([]))).toBeUndefined();
  });

  it("a set's generated apps come from its status and the apps it owns; ErrorOccurred is its error", () => {
    const set = {
      apiVersion: 'argoproj.io/v1alpha1',
      kind: 'ApplicationSet',
      metadata: { name: 'previews' },
      status: {
        resources: [
          { kind: 'Application', name: 'pr-2', status: 'Synced' },
          { kind: 'Application', name: 'pr-1', status: 'OutOfSync' },
        ],
        conditions: [
          { type: 'ParametersGenerated', status: 'True', message: 'ok' },
          { type: 'ErrorOccurred', status: 'True', message: 'failed to get params for generator' },
        ],
      },
    };
    expect(appSetState(set, ['pr-1', 'pr-3'])).toEqual({
      name: 'previews',
      generated: ['pr-1', 'pr-2', 'pr-3'],
      error: 'failed to get params for generator',
    });
    const fine = {
      ...set,
      status: { conditions: [{ type: 'ErrorOccurred', status: 'False', message: '' }] },
    };
    expect(appSetState(fine, [])).toEqual({ name: 'previews', generated: [] });
  });
});
