import { describe, expect, it } from 'vitest';
import type { KubeObject, ResourceState } from '../../../src/engine/model/index.js';
import { keyLabel, keyOf } from '../../../src/engine/model/index.js';
import { type PlanInput, planSync, type SyncTask, toPlanView } from '../../../src/engine/sync/plan.js';
import { hookInfo, waveOf } from '../../../src/engine/sync/waves.js';
import { app, cm, deploy, job, liveMap, ns, obj, svc, TRACK, tracked } from './fakes.js';

function plan(desired: KubeObject[], over: Partial<PlanInput> = {}) {
  return planSync({ app: app(), desired, live: new Map(), options: {}, trackingAnnotation: TRACK, ...over });
}

const labels = (tasks: SyncTask[]) => tasks.map((t) => `${t.phase}:${t.action}:${keyLabel(t.key)}`);
const order = (tasks: SyncTask[]) => tasks.map((t) => `${t.key.kind}/${t.key.name}`);

describe('planSync ordering', () => {
  it('orders phase → wave → kind → name, Namespaces and CRDs first', () => {
    const crd = obj('apiextensions.k8s.io/v1', 'CustomResourceDefinition', 'widgets.example.com', {
      ns: null,
      extra: { spec: { group: 'example.com', names: { kind: 'Widget' }, scope: 'Namespaced' } },
    });
    const p = plan([
      deploy('b'),
      deploy('a'),
      svc('web'),
      obj('example.com/v1', 'Widget', 'w1'),
      crd,
      cm('late', { 'argocd.argoproj.io/sync-wave': '2' }),
      cm('early', { 'argocd.argoproj.io/sync-wave': '-1' }),
      ns('shop'),
      job('migrate', { 'argocd.argoproj.io/hook': 'PreSync' }),
      job('smoke', { 'argocd.argoproj.io/hook': 'PostSync' }),
    ]);
    expect(p.refusals).toEqual([]);
    // As Argo CD: the Namespace moves up to the first task in it (the PreSync hook), phase and wave included.
    expect(order(p.tasks)).toEqual([
      'Namespace/shop',
      'Job/migrate',
      'ConfigMap/early',
      'CustomResourceDefinition/widgets.example.com',
      'Service/web',
      'Deployment/a',
      'Deployment/b',
      'Widget/w1',
      'ConfigMap/late',
      'Job/smoke',
    ]);
    expect(p.tasks.map((t) => t.phase)).toEqual([
      'PreSync',
      'PreSync',
      'Sync',
      'Sync',
      'Sync',
      'Sync',
      'Sync',
      'Sync',
      'Sync',
      'PostSync',
    ]);
    // steps: PreSync/0, Sync/-1, Sync/0, Sync/2, PostSync/0
    expect(p.tasks.map((t) => t.step)).toEqual([0, 0, 1, 2, 2, 2, 2, 2, 3, 4]);
    expect(p.crdKinds).toEqual(['example.com/Widget']);
  });

  it('moves a Namespace or CRD up to the phase and wave of the first task that needs it, as Argo CD does', () => {
    const crd = obj('apiextensions.k8s.io/v1', 'CustomResourceDefinition', 'widgets.example.com', {
      ns: null,
      annotations: { 'argocd.argoproj.io/sync-wave': '5' },
      extra: { spec: { group: 'example.com', names: { kind: 'Widget' }, scope: 'Namespaced' } },
    });
    const p = plan([
      obj('v1', 'Namespace', 'shop', { ns: null, annotations: { 'argocd.argoproj.io/sync-wave': '3' } }),
      crd,
      obj('example.com/v1', 'Widget', 'w1', { annotations: { 'argocd.argoproj.io/sync-wave': '1' } }),
      cm('cfg', { 'argocd.argoproj.io/sync-wave': '2' }),
    ]);
    expect(p.tasks.map((t) => `${t.phase}/${t.wave}:${t.key.kind}`)).toEqual([
      'Sync/1:Namespace',
      'Sync/1:CustomResourceDefinition',
      'Sync/1:Widget',
      'Sync/2:ConfigMap',
    ]);
  });

  it('uses the Helm hook weight when there is no sync-wave', () => {
    expect(waveOf(cm('x', { 'helm.sh/hook-weight': '5' }))).toBe(5);
    expect(waveOf(cm('x', { 'helm.sh/hook-weight': '5', 'argocd.argoproj.io/sync-wave': '1' }))).toBe(1);
    expect(waveOf(cm('x', { 'argocd.argoproj.io/sync-wave': 'soon' }))).toBe(0);
  });

  it('sets the tracking annotation and the destination namespace', () => {
    const o = cm('cfg');
    delete o.metadata.namespace;
    const p = plan([o, obj('rbac.authorization.k8s.io/v1', 'ClusterRole', 'reader', { ns: null })]);
    const [role, cfg] = [
      p.tasks.find((t) => t.key.kind === 'ClusterRole')!,
      p.tasks.find((t) => t.key.kind === 'ConfigMap')!,
    ];
    expect(cfg.key.namespace).toBe('shop');
    expect(cfg.obj?.metadata.annotations?.[TRACK]).toBe('shop:/ConfigMap:shop/cfg');
    expect(role.key.namespace).toBe('');
    expect(role.obj?.metadata.annotations?.[TRACK]).toBe(
      'shop:rbac.authorization.k8s.io/ClusterRole:/reader',
    );
    expect(cfg.action).toBe('create');
  });

  it('never applies Argo CD kinds', () => {
    const p = plan([obj('argoproj.io/v1alpha1', 'Application', 'child', { ns: 'argocd' }), cm('x')]);
    const t = p.tasks.find((x) => x.key.kind === 'Application')!;
    expect(t.action).toBe('skip');
    expect(t.reason).toMatch(/never applied/);
  });
});

describe('planSync hooks', () => {
  it('reads Argo CD and Helm hooks with their delete policies', () => {
    expect(hookInfo(job('j', { 'argocd.argoproj.io/hook': 'PreSync' }))).toMatchObject({
      kind: 'hook',
      phases: ['PreSync'],
      deletePolicies: ['BeforeHookCreation'],
    });
    expect(
      hookInfo(
        job('j', {
          'helm.sh/hook': 'pre-install,post-upgrade',
          'helm.sh/hook-delete-policy': 'hook-succeeded',
        }),
      ),
    ).toMatchObject({
      kind: 'hook',
      phases: ['PreSync', 'PostSync'],
      deletePolicies: ['HookSucceeded'],
      helm: true,
    });
    expect(hookInfo(cm('crd', { 'helm.sh/hook': 'crd-install' }))).toEqual({ kind: 'resource' });
    expect(hookInfo(job('j', { 'argocd.argoproj.io/hook': 'Skip' })).kind).toBe('skip');
  });

  it('names generateName hooks, keeps SyncFail aside, skips Skip and Helm test hooks', () => {
    const gen = job('', { 'argocd.argoproj.io/hook': 'Sync' });
    gen.metadata.generateName = 'seed-';
    const p = plan(
      [
        gen,
        job('cleanup', {
          'argocd.argoproj.io/hook': 'SyncFail',
          'argocd.argoproj.io/hook-delete-policy': 'HookFailed',
        }),
        cm('skipped', { 'argocd.argoproj.io/hook': 'Skip' }),
        job('test', { 'helm.sh/hook': 'test' }),
      ],
      { revision: 'ABCDEF1234' },
    );
    expect(labels(p.tasks)).toEqual([
      'Sync:skip:ConfigMap/shop/skipped',
      'Sync:hook:Job/shop/seed-abcdef1-sync',
      'Sync:skip:Job/shop/test',
    ]);
    expect(labels(p.syncFailTasks)).toEqual(['SyncFail:hook:Job/shop/cleanup']);
    expect(p.syncFailTasks[0]?.hook?.deletePolicies).toEqual(['HookFailed']);
    expect(toPlanView(p).tasks.at(-1)?.phase).toBe('SyncFail');
  });
});

describe('planSync prune', () => {
  const old = tracked(cm('old'), 'shop');
  const late = tracked(deploy('late-gone', { 'argocd.argoproj.io/sync-wave': '5' }), 'shop');
  const early = tracked(cm('early-gone', { 'argocd.argoproj.io/sync-wave': '-3' }), 'shop');

  it('prunes only with prune enabled, after all waves, in reverse wave order', () => {
    const live = liveMap(old, late, early);
    const off = plan([deploy('web')], { live });
    expect(off.tasks.filter((t) => t.key.name !== 'web').every((t) => t.action === 'skip')).toBe(true);
    expect(off.tasks.find((t) => t.key.name === 'old')?.reason).toMatch(/prune is off/);

    const on = plan([deploy('web'), svc('z', { 'argocd.argoproj.io/sync-wave': '9' })], {
      live,
      options: { prune: true },
    });
    expect(labels(on.tasks)).toEqual([
      'Sync:create:Deployment/shop/web',
      'Sync:create:Service/shop/z',
      'Sync:prune:Deployment/shop/late-gone',
      'Sync:prune:ConfigMap/shop/old',
      'Sync:prune:ConfigMap/shop/early-gone',
    ]);
    expect(on.tasks[2]?.prune?.propagation).toBe('Foreground');
  });

  it('automated syncs prune only with automated.prune', () => {
    const live = liveMap(old);
    const a = app('shop', { syncPolicy: { automated: { prune: false } } });
    expect(plan([cm('x')], { app: a, live, options: { automated: true, prune: true } }).prune).toBe(false);
    const b = app('shop', { syncPolicy: { automated: { prune: true } } });
    expect(plan([cm('x')], { app: b, live, options: { automated: true } }).prune).toBe(true);
  });

  it('never prunes a same-name object without our tracking id, nor another app’s, nor hooks', () => {
    const live = liveMap(
      cm('stranger'),
      tracked(cm('theirs'), 'billing'),
      tracked(job('h', { 'argocd.argoproj.io/hook': 'PreSync' }), 'shop'),
    );
    const p = plan([cm('x')], { live, options: { prune: true } });
    expect(p.tasks.filter((t) => t.action === 'prune')).toEqual([]);
  });

  it('honours Prune=false, Prune=confirm and PruneLast', () => {
    const keep = tracked(cm('keep', { 'argocd.argoproj.io/sync-options': 'Prune=false' }), 'shop');
    const confirm = tracked(cm('confirm', { 'argocd.argoproj.io/sync-options': 'Prune=confirm' }), 'shop');
    const last = tracked(cm('last', { 'argocd.argoproj.io/sync-options': 'PruneLast=true' }), 'shop');
    const live = liveMap(keep, confirm, last, old);
    const p = plan([cm('x')], { live, options: { prune: true } });
    expect(labels(p.tasks)).toEqual([
      'Sync:create:ConfigMap/shop/x',
      'Sync:prune:ConfigMap/shop/confirm',
      'Sync:skip:ConfigMap/shop/keep',
      'Sync:prune:ConfigMap/shop/old',
      'Sync:prune:ConfigMap/shop/last',
    ]);
    expect(p.tasks[1]?.needsConfirmation).toBe(true);
    expect(p.tasks[2]?.reason).toMatch(/Prune=false/);
    expect(p.warnings.join()).toMatch(/Prune=confirm/);
    const ok = plan([cm('x')], { live, options: { prune: true, confirmPrune: [keyOf(confirm)] } });
    expect(ok.tasks.find((t) => t.key.name === 'confirm')?.needsConfirmation).toBeUndefined();
  });
});

describe('planSync refusals', () => {
  it('refuses an empty render while live has our objects, unless allowEmpty', () => {
    const live = liveMap(tracked(cm('a'), 'shop'), tracked(cm('b'), 'shop'));
    const p = plan([], { live, options: { prune: true } });
    expect(p.refusals).toEqual(['render produced no objects; refusing to prune 2 live objects']);
    expect(p.tasks).toEqual([]);
    const allowed = plan([], { live, options: { prune: true, allowEmpty: true } });
    expect(allowed.refusals).toEqual([]);
    expect(allowed.tasks.filter((t) => t.action === 'prune')).toHaveLength(2);
    expect(plan([], { previousDesiredCount: 4 }).refusals[0]).toMatch(/last render had 4/);
  });

  it('refuses to overwrite another owner’s object unless adopted', () => {
    const theirs = tracked(cm('shared'), 'billing');
    const argo = tracked(cm('argo'), 'legacy', 'argocd.argoproj.io/tracking-id');
    const labelled = obj('v1', 'ConfigMap', 'lab', { labels: { 'app.kubernetes.io/instance': 'old-app' } });
    const live = liveMap(theirs, argo, labelled);
    const p = plan([cm('shared'), cm('argo'), cm('lab')], { live });
    expect(p.refusals).toEqual([
      'ConfigMap/shop/shared is owned by bosun app "billing"; refusing to overwrite it (adopt it explicitly to take it over)',
      'ConfigMap/shop/argo is owned by Argo CD app "legacy"; refusing to overwrite it (adopt it explicitly to take it over)',
      'ConfigMap/shop/lab is owned by Argo CD app "old-app"; refusing to overwrite it (adopt it explicitly to take it over)',
    ]);
    const adopted = plan([cm('shared')], { live, options: { adopt: [keyOf(cm('shared'))] } });
    expect(adopted.refusals).toEqual([]);
    expect(adopted.tasks[0]?.reason).toMatch(/adopting it from bosun app "billing"/);
    expect(adopted.tasks[0]?.action).toBe('apply');
  });

  it('refuses what the policy refuses', () => {
    const p = plan([cm('x')], {
      policy: (o) => (o.kind === 'ConfigMap' ? 'project default does not allow ConfigMap' : undefined),
    });
    expect(p.refusals).toEqual(['project default does not allow ConfigMap']);
  });
});

describe('planSync options', () => {
  it('ApplyOutOfSyncOnly skips Synced resources', () => {
    const live = liveMap(tracked(cm('same'), 'shop'), tracked(cm('drift'), 'shop'));
    const states: ResourceState[] = [
      { key: keyOf(cm('same')), version: 'v1', sync: 'Synced' },
      { key: keyOf(cm('drift')), version: 'v1', sync: 'OutOfSync' },
    ];
    const a = app('shop', { syncPolicy: { syncOptions: ['ApplyOutOfSyncOnly=true'] } });
    const p = plan([cm('same'), cm('drift'), cm('new')], { app: a, live, resourceStates: states });
    expect(labels(p.tasks)).toEqual([
      'Sync:apply:ConfigMap/shop/drift',
      'Sync:create:ConfigMap/shop/new',
      'Sync:skip:ConfigMap/shop/same',
    ]);
  });

  it('selective sync keeps only the chosen resources and no hooks', () => {
    const live = liveMap(tracked(cm('gone'), 'shop'), tracked(cm('gone2'), 'shop'));
    const p = plan([cm('a'), cm('b'), job('pre', { 'argocd.argoproj.io/hook': 'PreSync' })], {
      live,
      options: { prune: true, resources: [keyOf(cm('b')), keyOf(cm('gone'))] },
    });
    expect(labels(p.tasks)).toEqual(['Sync:create:ConfigMap/shop/b', 'Sync:prune:ConfigMap/shop/gone']);
    expect(p.syncFailTasks).toEqual([]);
  });

  it('CreateNamespace adds the destination namespace first, untracked', () => {
    const a = app('shop', { syncPolicy: { syncOptions: ['CreateNamespace=true'] } });
    const p = plan(
      [cm('x'), job('pre', { 'argocd.argoproj.io/hook': 'PreSync', 'argocd.argoproj.io/sync-wave': '-2' })],
      { app: a },
    );
    expect(labels(p.tasks)[0]).toBe('PreSync:create:Namespace/shop');
    expect(p.tasks[0]?.createOnly).toBe(true);
    expect(p.tasks[0]?.obj?.metadata.annotations).toBeUndefined();
    expect(
      plan([cm('x'), ns('shop')], { app: a }).tasks.filter((t) => t.key.kind === 'Namespace'),
    ).toHaveLength(1);
  });

  it('Replace=true and Validate=false per resource; unknown options warn', () => {
    const a = app('shop', { syncPolicy: { syncOptions: ['Validate=false', 'FancyThing=true'] } });
    const p = plan([cm('r', { 'argocd.argoproj.io/sync-options': 'Replace=true,Validate=true' }), cm('v')], {
      app: a,
    });
    const [r, v] = p.tasks;
    expect(r?.action).toBe('replace');
    expect(r?.validate).toBe(true);
    expect(v?.validate).toBe(false);
    expect(p.warnings).toContain('sync option FancyThing=true is not supported by bosun; ignored');
  });

  it('warns about duplicates and keeps the last', () => {
    const first = cm('dup', { v: '1' });
    const second = cm('dup', { v: '2' });
    const p = plan([first, second]);
    expect(p.tasks).toHaveLength(1);
    expect(p.tasks[0]?.obj?.metadata.annotations?.v).toBe('2');
    expect(p.warnings[0]).toMatch(/appears 2 times/);
  });
});
