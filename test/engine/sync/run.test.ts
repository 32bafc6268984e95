import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../../../src/engine/model/index.js';
import { keyOf, keyString } from '../../../src/engine/model/index.js';
import { type PlanInput, planSync } from '../../../src/engine/sync/plan.js';
import { SyncRun, type SyncRunOptions } from '../../../src/engine/sync/run.js';
import { app, cm, deploy, FakeClock, FakePort, job, liveMap, obj, svc, TRACK, tracked } from './fakes.js';

function setup(desired: KubeObject[], over: Partial<PlanInput> = {}, runOver: Partial<SyncRunOptions> = {}) {
  const clock = new FakeClock();
  const port = new FakePort(clock);
  const plan = planSync({
    app: app(),
    desired,
    live: new Map(),
    options: {},
    trackingAnnotation: TRACK,
    ...over,
  });
  const events: string[] = [];
  const run = new SyncRun({
    plan,
    port,
    clock,
    waveDelayMs: 0,
    onTask: (t) => events.push(`${t.key.kind}/${t.key.name}:${t.status}`),
    ...runOver,
  });
  return { clock, port, plan, run, events };
}

const k = (o: KubeObject) => keyString(keyOf(o));

describe('SyncRun', () => {
  it('applies wave by wave, waiting for health, with tracking ids', async () => {
    const { port, run, clock } = setup([
      deploy('api', { 'argocd.argoproj.io/sync-wave': '1' }),
      deploy('db'),
      cm('cfg'),
      svc('web', { 'argocd.argoproj.io/sync-wave': '1' }),
    ]);
    port.lag.set('db', 3);
    const state = await run.start();
    expect(state.phase).toBe('Succeeded');
    expect(port.applied()).toEqual([k(cm('cfg')), k(deploy('db')), k(svc('web')), k(deploy('api'))]);
    // api (wave 1) was applied only after db (wave 0) got healthy: the apply's answer (no rollout yet) and 3
    // lagging reads, each followed by a poll of 250 ms.
    const apiAt = port.mutations().find((c) => c.key === k(deploy('api')))!.at;
    const dbAt = port.mutations().find((c) => c.key === k(deploy('db')))!.at;
    expect(apiAt - dbAt).toBe(1000);
    expect(port.objects.get(k(cm('cfg')))?.metadata.annotations?.[TRACK]).toBe('shop:/ConfigMap:shop/cfg');
    expect(state.tasks.every((t) => t.status === 'Succeeded')).toBe(true);
    expect(clock.sleeps.every((ms) => ms === 250)).toBe(true);
  });

  it('dry-runs everything first; dryRun makes no mutating call', async () => {
    const gone = tracked(cm('gone'), 'shop');
    const { port, run } = setup([deploy('a'), job('pre', { 'argocd.argoproj.io/hook': 'PreSync' })], {
      live: liveMap(gone),
      options: { dryRun: true, prune: true },
    });
    port.seed(gone);
    const state = await run.start();
    expect(state.phase).toBe('Succeeded');
    expect(state.message).toMatch(/nothing was changed/);
    expect(port.mutations()).toEqual([]);
    expect(
      port.calls
        .filter((c) => c.dryRun)
        .map((c) => c.method)
        .sort(),
    ).toEqual(['apply', 'apply', 'delete']);
    expect(state.tasks.map((t) => t.message)).toEqual([
      'dry run: would run hook',
      'dry run: would create',
      'dry run: would prune',
    ]);
  });

  it('a dry-run rejection fails the sync before anything changes', async () => {
    const { port, run } = setup([cm('ok'), deploy('bad')]);
    port.reject.set(k(deploy('bad')), {
      status: 422,
      reason: 'Invalid',
      message: 'Deployment.apps "bad" is invalid: spec.replicas: Invalid value: -1',
    });
    const state = await run.start();
    expect(state.phase).toBe('Failed');
    expect(state.message).toMatch(/dry run failed: Deployment\/shop\/bad: Deployment.apps "bad" is invalid/);
    expect(port.mutations()).toEqual([]);
    expect(state.tasks.find((t) => t.key.name === 'ok')?.status).toBe('Skipped');
  });

  it('a task the API rejects fails alone; the rest of its wave still reports; nothing later runs', async () => {
    const { port, run } = setup([
      cm('a'),
      cm('b'),
      cm('c'),
      cm('later', { 'argocd.argoproj.io/sync-wave': '1' }),
    ]);
    let dry = true;
    port.onMutate = () => {
      dry = false;
    };
    const orig = port.apply.bind(port);
    port.apply = async (o, opts) => {
      if (!dry && !opts?.dryRun && o.metadata.name === 'b') {
        const err = new Error('x', {
          cause: { status: 403, reason: 'Forbidden', message: 'exceeded quota: compute\nplease ask' },
        });
        port.calls.push({ method: 'apply', key: k(o), at: 0 });
        throw err;
      }
      return orig(o, opts);
    };
    const state = await run.start();
    expect(state.phase).toBe('Failed');
    const by = Object.fromEntries(state.tasks.map((t) => [t.key.name, t]));
    expect(by.a?.status).toBe('Succeeded');
    expect(by.c?.status).toBe('Succeeded');
    expect(by.b?.status).toBe('Failed');
    expect(by.b?.message).toBe('exceeded quota: compute please ask');
    expect(by.later?.status).toBe('Skipped');
    expect(state.message).toBe(
      'one or more tasks failed: ConfigMap/shop/b: exceeded quota: compute please ask',
    );
  });

  it('reports a missing CRD clearly', async () => {
    const { port, run } = setup([obj('example.com/v1', 'Widget', 'w')]);
    port.unknownKinds.add('example.com/Widget');
    const state = await run.start();
    expect(state.phase).toBe('Failed');
    expect(state.tasks[0]?.message).toBe(
      'the cluster has no kind Widget in group example.com (CRD missing?)',
    );
  });

  it('a wave that never gets healthy stops the sync with the reason', async () => {
    const { port, run } = setup(
      [deploy('x'), cm('next', { 'argocd.argoproj.io/sync-wave': '1' })],
      {},
      { waitTimeoutMs: 300_000 },
    );
    port.neverReady.add('x');
    const state = await run.start();
    expect(state.phase).toBe('Failed');
    expect(state.message).toMatch(
      /^wave 0: Deployment\/x not healthy after 300s: Waiting for rollout to finish: 0 out of 1 new replicas have been updated/,
    );
    expect(port.applied()).toEqual([k(deploy('x'))]);
  });

  it('runs hooks with BeforeHookCreation and HookSucceeded', async () => {
    const { port, run } = setup([
      deploy('app'),
      job('migrate', { 'argocd.argoproj.io/hook': 'PreSync' }),
      job('smoke', {
        'argocd.argoproj.io/hook': 'PostSync',
        'argocd.argoproj.io/hook-delete-policy': 'HookSucceeded',
      }),
    ]);
    port.seed(job('migrate')); // left over from the last sync
    port.lag.set('migrate', 2);
    const state = await run.start();
    expect(state.phase).toBe('Succeeded');
    const muts = port.mutations().map((c) => `${c.method}:${c.key.split('/').slice(1).join('/')}`);
    expect(muts).toEqual([
      'delete:Job/shop/migrate',
      'apply:Job/shop/migrate',
      'apply:Deployment/shop/app',
      'apply:Job/shop/smoke',
      'delete:Job/shop/smoke',
    ]);
    expect(port.objects.has(k(job('migrate')))).toBe(true);
    expect(state.tasks.find((t) => t.key.name === 'smoke')?.message).toMatch(/deleted \(HookSucceeded\)/);
  });

  it('a failing hook fails the sync and runs SyncFail hooks; HookFailed deletes it', async () => {
    const { port, run } = setup([
      deploy('app'),
      job('migrate', {
        'argocd.argoproj.io/hook': 'PreSync',
        'argocd.argoproj.io/hook-delete-policy': 'HookFailed',
      }),
      job('page-oncall', { 'argocd.argoproj.io/hook': 'SyncFail' }),
    ]);
    port.failHooks.add('migrate');
    const state = await run.start();
    expect(state.phase).toBe('Failed');
    expect(state.message).toBe(
      'hook Job/migrate failed: Job "migrate" failed: BackoffLimitExceeded: Job has reached the specified backoff limit. 1 pods failed; read their logs (kubectl logs job/migrate).; SyncFail hooks ran',
    );
    expect(port.applied()).toEqual([k(job('migrate')), k(job('page-oncall'))]);
    expect(port.objects.has(k(job('migrate')))).toBe(false);
    const byName = Object.fromEntries(state.tasks.map((t) => [t.key.name, t.status]));
    expect(byName).toEqual({ migrate: 'Failed', app: 'Skipped', 'page-oncall': 'Succeeded' });
  });

  it('prunes after all waves in reverse wave order, with Foreground, only with prune', async () => {
    const g1 = tracked(cm('g1', { 'argocd.argoproj.io/sync-wave': '1' }), 'shop');
    const g2 = tracked(cm('g2', { 'argocd.argoproj.io/sync-wave': '2' }), 'shop');
    const stranger = cm('stranger');
    const { port, run } = setup([cm('keep'), cm('w3', { 'argocd.argoproj.io/sync-wave': '3' })], {
      live: liveMap(g1, g2, stranger),
      options: { prune: true },
    });
    for (const o of [g1, g2, stranger]) port.seed(o);
    const deletes: string[] = [];
    const orig = port.delete.bind(port);
    port.delete = async (key, opts) => {
      if (!opts?.dryRun) deletes.push(`${key.name}:${opts?.propagationPolicy}`);
      return orig(key, opts);
    };
    const state = await run.start();
    expect(state.phase).toBe('Succeeded');
    expect(deletes).toEqual(['g2:Foreground', 'g1:Foreground']);
    const last = port.mutations().map((c) => c.key.split('/').pop());
    expect(last).toEqual(['keep', 'w3', 'g2', 'g1']);
    expect(port.objects.has(k(stranger))).toBe(true);
  });

  it('never deletes anything when prune is off, nor Prune=false resources when it is on', async () => {
    const a = tracked(cm('a'), 'shop');
    const keep = tracked(cm('keep', { 'argocd.argoproj.io/sync-options': 'Prune=false' }), 'shop');
    for (const prune of [false, true]) {
      const { port, run } = setup([cm('x')], { live: liveMap(a, keep), options: { prune } });
      port.seed(a);
      port.seed(keep);
      const state = await run.start();
      expect(state.phase).toBe('Succeeded');
      expect(port.calls.filter((c) => c.method === 'delete').map((c) => c.key)).toEqual(
        prune ? [k(a), k(a)] : [],
      );
      expect(port.objects.has(k(keep))).toBe(true);
      expect(port.objects.has(k(a))).toBe(!prune);
    }
  });

  it('Prune=confirm resources are not pruned without confirmation', async () => {
    const c = tracked(cm('c', { 'argocd.argoproj.io/sync-options': 'Prune=confirm' }), 'shop');
    const { port, run } = setup([cm('keep')], { live: liveMap(c), options: { prune: true } });
    port.seed(c);
    const state = await run.start();
    expect(state.phase).toBe('Succeeded');
    expect(port.objects.has(k(c))).toBe(true);
    expect(state.tasks.find((t) => t.key.name === 'c')?.message).toMatch(/needs confirmation/);
  });

  it('creates the destination namespace only when absent', async () => {
    const a = app('shop', { syncPolicy: { syncOptions: ['CreateNamespace=true'] } });
    const { port, run } = setup([cm('x')], { app: a });
    const state = await run.start();
    expect(state.phase).toBe('Succeeded');
    expect(port.applied()).toEqual(['/Namespace//shop', k(cm('x'))]);
    expect(state.tasks.find((t) => t.key.name === 'x')?.status).toBe('Succeeded');
    const again = setup([cm('x')], { app: a });
    again.port.seed({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'shop' } });
    await again.run.start();
    expect(again.port.applied()).toEqual([k(cm('x'))]);
  });

  it('the health gate between waves reads what the apply returned before it asks the cluster again', async () => {
    const { port, run } = setup([cm('a'), cm('b', { 'argocd.argoproj.io/sync-wave': '1' })]);
    const state = await run.start();
    expect(state.phase).toBe('Succeeded');
    // A ConfigMap has no health check: the object the apply returned passes the gate, with no read.
    expect(port.calls.filter((c) => c.method === 'get')).toEqual([]);
  });

  it('a lost connection ends in Error, nothing pruned', async () => {
    const gone = tracked(cm('gone'), 'shop');
    const { port, run } = setup([cm('a'), cm('b', { 'argocd.argoproj.io/sync-wave': '1' })], {
      live: liveMap(gone),
      options: { prune: true },
    });
    port.seed(gone);
    port.disconnectAfter = 6;
    const state = await run.start();
    expect(state.phase).toBe('Error');
    expect(state.message).toBe(
      'lost the connection to cluster fake: connect ECONNREFUSED 127.0.0.1:6443; nothing was pruned',
    );
    expect(port.objects.has(k(gone))).toBe(true);
  });

  it('retries failed operations with backoff', async () => {
    const a = app('shop', {
      syncPolicy: { retry: { limit: 2, backoff: { duration: '5s', factor: 2, maxDuration: '1m' } } },
    });
    const { port, plan, clock } = setup([cm('flaky')], { app: a });
    let failures = 2;
    const orig = port.apply.bind(port);
    port.apply = async (o, opts) => {
      if (!opts?.dryRun && failures > 0) {
        failures--;
        throw new Error('conflict', {
          cause: { status: 409, reason: 'Conflict', message: 'Operation cannot be fulfilled' },
        });
      }
      return orig(o, opts);
    };
    const phases: string[] = [];
    const run = new SyncRun({ plan, port, clock, waveDelayMs: 0, onPhase: (s) => phases.push(s.message) });
    const state = await run.start();
    expect(state.phase).toBe('Succeeded');
    expect(state.attempt).toBe(3);
    expect(clock.sleeps.reduce((a, b) => a + b, 0)).toBe(15_000);
    expect(phases.filter((m) => /retrying/.test(m))).toEqual([
      'one or more tasks failed: ConfigMap/shop/flaky: Operation cannot be fulfilled; retrying in 5s (attempt 2)',
      'one or more tasks failed: ConfigMap/shop/flaky: Operation cannot be fulfilled; retrying in 10s (attempt 3)',
    ]);
  });

  it('gives up after the retry limit', async () => {
    const a = app('shop', { syncPolicy: { retry: { limit: 1 } } });
    // wait: the last wave's health is part of the operation only when asked (as --wait does).
    const { port, run } = setup([deploy('x')], { app: a, options: { wait: true } }, { waitTimeoutMs: 1000 });
    port.neverReady.add('x');
    const state = await run.start();
    expect(state.phase).toBe('Failed');
    expect(state.message).toMatch(/not healthy after 1s.*\(after 2 attempts\)$/);
  });

  it('terminate stops the run; nothing later is applied or pruned', async () => {
    const gone = tracked(cm('gone'), 'shop');
    const { port, run } = setup([deploy('x'), cm('later', { 'argocd.argoproj.io/sync-wave': '1' })], {
      live: liveMap(gone),
      options: { prune: true },
    });
    port.seed(gone);
    port.lag.set('x', 1000);
    port.onMutate = () => setTimeout(() => run.terminate(), 0);
    const state = await run.start();
    expect(state.phase).toBe('Terminated');
    expect(port.applied()).toEqual([k(deploy('x'))]);
    expect(port.objects.has(k(gone))).toBe(true);
    expect(state.tasks.find((t) => t.key.name === 'later')?.status).toBe('Skipped');
  });

  it('refuses to start with refusals and calls nothing', async () => {
    const { port, run } = setup([], { live: liveMap(tracked(cm('a'), 'shop')), options: { prune: true } });
    const state = await run.start();
    expect(state.phase).toBe('Failed');
    expect(state.message).toBe('sync refused: render produced no objects; refusing to prune 1 live objects');
    expect(port.calls).toEqual([]);
  });

  it('waits for a CRD of the same sync before applying its objects', async () => {
    const crd = obj('apiextensions.k8s.io/v1', 'CustomResourceDefinition', 'widgets.example.com', {
      ns: null,
      extra: { spec: { group: 'example.com', names: { kind: 'Widget' }, scope: 'Namespaced' } },
    });
    const { port, run } = setup([crd, obj('example.com/v1', 'Widget', 'w')]);
    port.unknownKinds.add('example.com/Widget');
    port.onMutate = (c) => {
      if (c.key.includes('CustomResourceDefinition'))
        setTimeout(() => port.unknownKinds.delete('example.com/Widget'), 0);
    };
    const state = await run.start();
    expect(state.phase).toBe('Succeeded');
    expect(state.tasks.map((t) => t.status)).toEqual(['Succeeded', 'Succeeded']);
  });

  it('exposes an OperationResult', async () => {
    const { run } = setup([cm('a')]);
    await run.start();
    const r = run.toResult('op-1');
    expect(r).toMatchObject({
      id: 'op-1',
      phase: 'Succeeded',
      tasks: [{ action: 'create', status: 'Succeeded' }],
    });
    expect(r.finishedAt).toBeDefined();
  });

  it('sends no apply whose dry run answered the live object itself (no-op), and pauses for no such wave', async () => {
    const same = tracked(cm('same'), 'shop');
    const changed = tracked(cm('changed'), 'shop');
    const later = tracked(cm('later', { 'argocd.argoproj.io/sync-wave': '1' }), 'shop');
    const clock = new FakeClock();
    const port = new FakePort(clock);
    for (const o of [same, changed, later]) port.seed(o);
    const live = liveMap(...[same, changed, later].map((o) => structuredClone(port.objects.get(k(o))!)));
    // The server answers a no-op apply with the stored object; a change comes back with a new value.
    const orig = port.apply.bind(port);
    port.apply = async (o, opts) => {
      if (opts?.dryRun && o.metadata.name !== 'changed') {
        port.calls.push({ method: 'apply', key: k(o), at: clock.now(), dryRun: true });
        return structuredClone(port.objects.get(k(o))!);
      }
      return orig(o, opts);
    };
    const plan = planSync({
      app: app(),
      desired: [
        cm('same'),
        { ...cm('changed'), data: { v: 'new' } },
        cm('later', { 'argocd.argoproj.io/sync-wave': '1' }),
      ],
      live,
      options: {},
      trackingAnnotation: TRACK,
    });
    const state = await new SyncRun({ plan, port, clock, waveDelayMs: 2000 }).start();
    expect(state.phase).toBe('Succeeded');
    expect(port.mutations().map((c) => c.key)).toEqual([k(changed)]);
    const by = Object.fromEntries(state.tasks.map((t) => [t.key.name, t]));
    expect(by.same).toMatchObject({ status: 'Succeeded', message: 'unchanged' });
    expect(by.later).toMatchObject({ status: 'Succeeded', message: 'unchanged' });
    expect(by.changed).toMatchObject({ status: 'Succeeded', message: 'configured' });
    // Wave 0 changed an object: one 2 s pause before wave 1; wave 1 changed nothing and is last anyway.
    // (the run sleeps in slices of 1 s; health polls are 250 ms)
    expect(clock.sleeps.filter((ms) => ms === 1000)).toEqual([1000, 1000]);
  });

  it('a wave whose applies were all no-ops is followed by no pause', async () => {
    const a = tracked(cm('a'), 'shop');
    const clock = new FakeClock();
    const port = new FakePort(clock);
    port.seed(a);
    const live = liveMap(structuredClone(port.objects.get(k(a))!));
    const orig = port.apply.bind(port);
    port.apply = async (o, opts) =>
      opts?.dryRun && o.metadata.name === 'a' ? structuredClone(port.objects.get(k(o))!) : orig(o, opts);
    const plan = planSync({
      app: app(),
      desired: [cm('a'), cm('b', { 'argocd.argoproj.io/sync-wave': '1' })],
      live,
      options: {},
      trackingAnnotation: TRACK,
    });
    const state = await new SyncRun({ plan, port, clock, waveDelayMs: 2000 }).start();
    expect(state.phase).toBe('Succeeded');
    expect(port.mutations().map((c) => c.key)).toEqual([k(cm('b'))]);
    expect(clock.sleeps).not.toContain(1000);
  });
});
