/**
 * Issue 5 faults against the real control plane: API refusals, a missing CRD, a failing hook with SyncFail
 * hooks, a wave that never gets healthy, two syncs at once, the apiserver stopped in the middle of a sync,
 * and self-heal. Every case has its own namespace(s), removed afterwards.
 */
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ControlPlane, startControlPlane } from '../../src/demo/controlplane/controlplane.js';
import { type BosunEngine, createEngine, realAdapters } from '../../src/engine/index.js';
import { commitFiles, type FixtureRepo } from '../fixtures/repos/index.js';
import { deleteNamespace, e2eEnv, eventually, kubectl } from './helpers.js';
import {
  appFiles,
  configMap,
  deleteBosunRecords,
  deployment,
  exists,
  field,
  hook,
  inProcessEnv,
  job,
  syncCli,
  syncRepo,
  task,
  wave,
} from './sync-fixtures.js';

describe('resources the API rejects', () => {
  let repo: FixtureRepo;
  const [steady, fresh] = ['reject-steady', 'reject-fresh'];
  const badObjects = [
    deployment('bad-replicas', { replicas: 'three' }),
    { ...configMap('bad-field'), spec: { unknown: true } },
  ];
  beforeAll(async () => {
    repo = await syncRepo('reject', {
      [steady]: {
        namespace: 'e2e-reject-steady',
        files: {
          'ok.yaml': configMap('ok-config', { version: 'v1' }),
          'deploy.yaml': deployment('bad-replicas'),
        },
      },
      [fresh]: {
        namespace: 'e2e-reject-fresh',
        files: { 'ok.yaml': configMap('ok-config', { version: 'v1' }), 'bad.yaml': badObjects },
      },
    });
  });
  afterAll(async () => {
    await deleteNamespace('e2e-reject-steady', ['dev']);
    await deleteNamespace('e2e-reject-fresh', ['dev']);
    deleteBosunRecords('dev', [steady, fresh]);
    await repo?.cleanup();
  });

  it('a commit with invalid fields fails in the dry-run pass with the API messages: nothing is applied', async () => {
    const first = await syncCli(repo, steady);
    expect(first.code, first.stderr).toBe(0);
    await commitFiles(
      repo,
      appFiles(steady, { 'ok.yaml': configMap('ok-config', { version: 'v2' }), 'deploy.yaml': badObjects }),
      'Break it',
    );
    const s = await syncCli(repo, steady);
    expect(s.code, s.stderr).toBe(1);
    expect(s.result?.phase).toBe('Failed');
    expect(s.result?.message).toMatch(/^dry run failed: /);
    expect(s.result?.message).toContain('(and 1 more)');
    const replicas = task(s.result, 'Deployment', 'bad-replicas');
    expect(replicas?.status).toBe('Failed');
    expect(replicas?.message).toMatch(/replicas/);
    const unknown = task(s.result, 'ConfigMap', 'bad-field');
    expect(unknown?.status).toBe('Failed');
    expect(unknown?.message).toMatch(/\.spec: field not declared in schema/);
    const ok = task(s.result, 'ConfigMap', 'ok-config');
    expect(ok?.status).toBe('Skipped');
    expect(ok?.message).toMatch(/^dry run passed; not run: dry run failed/);
    // Nothing half-applied: the valid change did not reach the cluster either.
    expect(field('dev', 'e2e-reject-steady', 'cm/ok-config', '{.data.version}')).toBe('v1');
    expect(exists('dev', 'e2e-reject-steady', 'cm/bad-field')).toBe(false);
    expect(field('dev', 'e2e-reject-steady', 'deploy/bad-replicas', '{.spec.replicas}')).toBe('1');
  });

  it('in a namespace the sync creates (no dry run possible) each rejected task fails with the API message, the rest of its wave reports', async () => {
    const s = await syncCli(repo, fresh);
    expect(s.code, s.stderr).toBe(1);
    expect(s.result?.phase).toBe('Failed');
    expect(s.result?.message).toMatch(/^one or more tasks failed: /);
    expect(task(s.result, 'Deployment', 'bad-replicas')?.message).toMatch(/replicas/);
    expect(task(s.result, 'ConfigMap', 'bad-field')?.message).toMatch(/\.spec: field not declared in schema/);
    expect(task(s.result, 'ConfigMap', 'ok-config')).toMatchObject({
      status: 'Succeeded',
      message: 'created',
    });
    expect(exists('dev', 'e2e-reject-fresh', 'cm/bad-field')).toBe(false);
    expect(exists('dev', 'e2e-reject-fresh', 'deploy/bad-replicas')).toBe(false);
  });
});

describe('a custom resource of a kind the cluster does not serve', () => {
  let repo: FixtureRepo;
  const app = 'crd-demo';
  const ns = 'e2e-crd';
  beforeAll(async () => {
    repo = await syncRepo('crd', {
      [app]: {
        namespace: ns,
        files: {
          'cm.yaml': configMap('plain'),
          'widget.yaml': {
            apiVersion: 'example.bosun.dev/v1',
            kind: 'Widget',
            metadata: { name: 'w1' },
            spec: {},
          },
        },
      },
    });
  });
  afterAll(async () => {
    await deleteNamespace(ns, ['dev']);
    deleteBosunRecords('dev', [app]);
    await repo?.cleanup();
  });

  it('fails with a "CRD missing" message before anything is applied', async () => {
    const s = await syncCli(repo, app);
    expect(s.code, s.stderr).toBe(1);
    expect(s.result?.phase).toBe('Failed');
    const w = task(s.result, 'Widget', 'w1');
    expect(w?.status).toBe('Failed');
    expect(w?.message).toBe('the cluster has no kind Widget in group example.bosun.dev (CRD missing?)');
    expect(s.result?.message).toContain('CRD missing');
    expect(exists('dev', ns, 'cm/plain')).toBe(false);
  });
});

describe('a PreSync hook Job that fails', () => {
  let repo: FixtureRepo;
  const app = 'hookfail-demo';
  const ns = 'e2e-hookfail';
  beforeAll(async () => {
    // kwok completes every scheduled pod; a pod that matches no node stays Pending, so the Job's
    // activeDeadlineSeconds makes the Job controller fail it (DeadlineExceeded).
    repo = await syncRepo('hookfail', {
      [app]: {
        namespace: ns,
        files: {
          'migrate.yaml': job('migrate', {
            annotations: hook('PreSync'),
            nodeSelector: { 'bosun.dev/e2e': 'no-such-node' },
            deadlineSeconds: 2,
          }),
          'on-fail.yaml': job('on-fail', { annotations: hook('SyncFail') }),
          'cm.yaml': configMap('app-config', { k: 'v' }, wave(1)),
        },
      },
    });
  });
  afterAll(async () => {
    await deleteNamespace(ns, ['dev']);
    deleteBosunRecords('dev', [app]);
    await repo?.cleanup();
  });

  it('fails the operation with the hook reason, skips the waves and runs the SyncFail hooks', async () => {
    const s = await syncCli(repo, app);
    expect(s.code, s.stderr).toBe(1);
    expect(s.result?.phase).toBe('Failed');
    expect(s.result?.message).toMatch(/hook Job\/migrate failed: .*DeadlineExceeded/);
    expect(s.result?.message).toMatch(/SyncFail hooks ran$/);
    expect(task(s.result, 'Job', 'migrate')?.status).toBe('Failed');
    expect(task(s.result, 'ConfigMap', 'app-config')?.status).toBe('Skipped');
    const onFail = s.result?.tasks.find((t) => t.phase === 'SyncFail');
    expect(onFail).toMatchObject({ key: { kind: 'Job', name: 'on-fail' }, status: 'Succeeded' });
    expect(exists('dev', ns, 'cm/app-config')).toBe(false);
    expect(field('dev', ns, 'job/on-fail', '{.status.succeeded}')).toBe('1');
  });
});

describe('a wave that never gets healthy', () => {
  let repo: FixtureRepo;
  let engine: BosunEngine;
  const app = 'stuck-demo';
  const ns = 'e2e-stuck';
  beforeAll(async () => {
    repo = await syncRepo('stuck', {
      [app]: {
        namespace: ns,
        files: {
          'deploy.yaml': deployment('stuck', {
            annotations: wave(1),
            nodeSelector: { 'bosun.dev/e2e': 'no-such-node' },
            progressDeadlineSeconds: 2,
          }),
          'after.yaml': configMap('after', { k: 'v' }, wave(2)),
        },
      },
    });
    const { cacheDir, kubeconfig } = inProcessEnv();
    engine = createEngine(
      {
        repoPath: repo.work,
        kubeconfig,
        contexts: ['dev'],
        cacheDir,
        syncWaitTimeoutMs: 8000,
      },
      realAdapters(),
    );
    await engine.start();
  });
  afterAll(async () => {
    await engine?.stop();
    await deleteNamespace(ns, ['dev']);
    deleteBosunRecords('dev', [app]);
    await repo?.cleanup();
  });

  it('stops at that wave with the reason; the next wave is never applied', async () => {
    const result = await engine.sync(app);
    expect(result.phase).toBe('Failed');
    expect(result.message).toMatch(/^wave 1: Deployment\/stuck not healthy after 8s: /);
    expect(result.message).toMatch(/progress deadline|replicas/);
    expect(task(result, 'Deployment', 'stuck')?.status).toBe('Failed');
    expect(task(result, 'Deployment', 'stuck')?.message).toMatch(/^applied, but not healthy after 8s/);
    expect(task(result, 'ConfigMap', 'after')?.status).toBe('Skipped');
    expect(exists('dev', ns, 'cm/after')).toBe(false);
  });
});

describe('two syncs of one app at once', () => {
  let repo: FixtureRepo;
  const app = 'lock-demo';
  const ns = 'e2e-lock';
  beforeAll(async () => {
    // Six waves: with the 2 s pause between waves the first sync holds the lease for 10 s or more.
    const files: Record<string, ReturnType<typeof configMap>> = {};
    for (let w = 1; w <= 6; w++) files[`w${w}.yaml`] = configMap(`w${w}`, { k: 'v' }, wave(w));
    repo = await syncRepo('lock', { [app]: { namespace: ns, files } });
  });
  afterAll(async () => {
    await deleteNamespace(ns, ['dev']);
    deleteBosunRecords('dev', [app]);
    await repo?.cleanup();
  });

  it('refuses the second with the holder identity (exit code 3); the first completes', async () => {
    const first = syncCli(repo, app, [], e2eEnv({ BOSUN_USER: 'alice@bastion-1' }));
    await eventually(
      'the first sync holds the lease',
      () =>
        field('dev', 'bosun-system', `lease/bosun-sync-${app}`, '{.spec.holderIdentity}').startsWith(
          'alice@bastion-1',
        ),
      60_000,
    );
    const second = await syncCli(repo, app, [], e2eEnv({ BOSUN_USER: 'bob@bastion-2' }));
    expect(second.code, second.stderr).toBe(3);
    expect(second.stderr.trim().split('\n')).toHaveLength(1);
    expect(second.stderr).toMatch(/sync of lock-demo is held by alice@bastion-1 since \d\d:\d\d:\d\d/);
    const done = await first;
    expect(done.code, done.stderr).toBe(0);
    expect(done.result?.phase).toBe('Succeeded');
    expect(exists('dev', ns, 'cm/w6')).toBe(true);
    expect(field('dev', 'bosun-system', `lease/bosun-sync-${app}`, '{.spec.holderIdentity}')).toBe('');
  });
});

describe('the apiserver stops in the middle of a sync (own control plane)', () => {
  let cp: ControlPlane;
  let repo: FixtureRepo;
  let engine: BosunEngine;
  const app = 'outage-demo';
  const ns = 'e2e-outage';
  const kc = (args: string[]) =>
    execFileSync(join(cp.binDir, 'kubectl'), ['--kubeconfig', cp.kubeconfig, '--context', 'edge', ...args], {
      encoding: 'utf8',
      stdio: ['pipe', 'pipe', 'pipe'],
    }).trim();
  const has = (name: string) => kc(['-n', ns, 'get', 'cm', name, '--ignore-not-found', '-o', 'name']) !== '';

  beforeAll(async () => {
    // With controllers: a pruned object goes away only when the garbage collector ends its foreground deletion.
    cp = await startControlPlane({ clusters: ['edge'], log: () => {} });
    const files: Record<string, ReturnType<typeof configMap>> = { 'doomed.yaml': configMap('doomed') };
    for (let w = 1; w <= 4; w++) files[`w${w}.yaml`] = configMap(`w${w}`, { k: 'v' }, wave(w));
    repo = await syncRepo('outage', { [app]: { namespace: ns, cluster: 'edge', files } });
    const { cacheDir } = inProcessEnv();
    engine = createEngine({ repoPath: repo.work, kubeconfig: cp.kubeconfig, cacheDir }, realAdapters());
    await engine.start();
  });
  afterAll(async () => {
    await engine?.stop();
    await cp?.stop();
    await repo?.cleanup();
  });

  it('syncs, then a commit removes a resource', async () => {
    const r = await engine.sync(app);
    expect(r.phase, r.message).toBe('Succeeded');
    expect(has('doomed')).toBe(true);
    await commitFiles(
      repo,
      // w2..w4 change, so each of their waves is a real apply followed by the wave pause: the apiserver
      // is stopped in the pause after w2 (no-op applies are not sent and get no pause).
      appFiles(app, {
        'doomed.yaml': null,
        'w2.yaml': configMap('w2', { k: 'v2' }, wave(2)),
        'w3.yaml': configMap('w3', { k: 'v2' }, wave(3)),
        'w4.yaml': configMap('w4', { k: 'v2' }, wave(4)),
      }),
      'Remove doomed, change w2..w4',
    );
    await engine.refresh();
    expect(engine.getSnapshot().apps.find((a) => a.name === app)?.desiredCount).toBe(4);
  });

  it('ends the operation with phase Error and a clear message; nothing is pruned', async () => {
    let stopping: Promise<void> | undefined;
    const off = engine.onEvent((e) => {
      if (!stopping && e.type === 'task' && e.key.name === 'w2' && e.status === 'Succeeded')
        stopping = cp.stopApiserver('edge');
    });
    const result = await engine.sync(app, { prune: true });
    off();
    await stopping;
    expect(stopping).toBeDefined();
    expect(result.phase).toBe('Error');
    expect(result.message).toMatch(/^lost the connection to cluster edge: .+; nothing was pruned$/);
    expect(task(result, 'ConfigMap', 'doomed')).toMatchObject({ action: 'prune' });
    expect(task(result, 'ConfigMap', 'doomed')?.status).not.toBe('Succeeded');
    expect(task(result, 'ConfigMap', 'w4')?.status).toBe('Skipped');
  });

  it('after the restart the object is still there, and a later sync completes', async () => {
    await cp.startApiserver('edge');
    await eventually(
      'edge Connected again',
      () => engine.getSnapshot().clusters.find((c) => c.context === 'edge')?.status === 'Connected',
      60_000,
    );
    expect(has('doomed')).toBe(true);
    expect(kc(['-n', ns, 'get', 'cm', 'w4', '-o', 'jsonpath={.data.k}'])).toBe('v');
    const r = await engine.sync(app, { prune: true });
    expect(r.phase, r.message).toBe('Succeeded');
    expect(task(r, 'ConfigMap', 'doomed')).toMatchObject({ action: 'prune', status: 'Succeeded' });
    expect(kc(['-n', ns, 'get', 'cm', 'w4', '-o', 'jsonpath={.data.k}'])).toBe('v2');
    await eventually('doomed pruned', () => !has('doomed'));
  });
});

describe('self-heal while the engine runs with automation', () => {
  let repo: FixtureRepo;
  let engine: BosunEngine;
  const logs: string[] = [];
  const apps = { heal: 'heal-demo', keep: 'noheal-demo' };
  const nss = { heal: 'e2e-heal', keep: 'e2e-noheal' };
  const replicas = (ns: string) => field('dev', ns, 'deploy/web', '{.spec.replicas}');
  const state = (name: string) => engine.getSnapshot().apps.find((a) => a.name === name);

  beforeAll(async () => {
    // No ignoreDifferences: a replica count changed out of band is drift.
    repo = await syncRepo('selfheal', {
      [apps.heal]: {
        namespace: nss.heal,
        files: { 'web.yaml': deployment('web', { replicas: 2 }) },
        syncPolicy: { automated: { prune: false, selfHeal: true } },
      },
      [apps.keep]: {
        namespace: nss.keep,
        files: { 'web.yaml': deployment('web', { replicas: 2 }) },
        syncPolicy: { automated: { prune: false, selfHeal: false } },
      },
    });
    const { cacheDir, kubeconfig } = inProcessEnv();
    engine = createEngine(
      {
        repoPath: repo.work,
        kubeconfig,
        contexts: ['dev'],
        cacheDir,
        automation: true,
        pollIntervalMs: 600_000,
      },
      realAdapters(),
    );
    engine.onEvent((e) => {
      if (e.type === 'log') logs.push(`${e.app ?? ''}: ${e.message}`);
    });
    await engine.start();
  });
  afterAll(async () => {
    await engine?.stop();
    await deleteNamespace(nss.heal, ['dev']);
    await deleteNamespace(nss.keep, ['dev']);
    deleteBosunRecords('dev', Object.values(apps));
    await repo?.cleanup();
  });

  it('auto-syncs both apps once at start', async () => {
    for (const name of Object.values(apps)) {
      await eventually(
        `${name} Synced and Healthy`,
        () => state(name)?.sync === 'Synced' && state(name)?.health === 'Healthy',
        90_000,
      );
    }
    expect(replicas(nss.heal)).toBe('2');
    expect(replicas(nss.keep)).toBe('2');
  });

  it('reverts a kubectl scale on the selfHeal app; the app without selfHeal stays OutOfSync', async () => {
    kubectl('dev', ['-n', nss.heal, 'scale', 'deploy/web', '--replicas=5']);
    kubectl('dev', ['-n', nss.keep, 'scale', 'deploy/web', '--replicas=5']);
    // Wait for what is asserted, together: the replicas restored and the self-heal log line written.
    const healLogged = () => logs.some((l) => l.startsWith(`${apps.heal}:`) && /self-heal/.test(l));
    await eventually(
      'self-heal restores 2 replicas and logs it',
      () => replicas(nss.heal) === '2' && healLogged(),
      30_000,
    );
    expect(replicas(nss.heal)).toBe('2');
    expect(healLogged()).toBe(true);
    await eventually('noheal-demo OutOfSync on /spec/replicas', () => {
      const a = state(apps.keep);
      return a?.sync === 'OutOfSync' && a.resources.some((r) => r.changedPaths?.includes('/spec/replicas'));
    });
    // Give automation every chance to (wrongly) act on it.
    await new Promise((r) => setTimeout(r, 5000));
    expect(replicas(nss.keep)).toBe('5');
    expect(state(apps.keep)?.sync).toBe('OutOfSync');
    expect(logs.filter((l) => l.startsWith(`${apps.keep}:`) && /self-heal/.test(l))).toEqual([]);
    await eventually('heal-demo Synced again', () => state(apps.heal)?.sync === 'Synced', 30_000);
  });
});
