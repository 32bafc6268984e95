import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEngine, type EngineEvent, realAdapters } from '../../src/engine/index.js';
import { commitFiles, type FixtureRepo, makeWavesRepo, type WavesRepo } from '../fixtures/repos/index.js';
import { bosun, deleteNamespace, eventually, kubectl } from './helpers.js';
import {
  appFiles,
  configMap,
  deleteBosunRecords,
  exists,
  field,
  inProcessEnv,
  type SyncJson,
  seconds,
  syncCli,
  syncRepo,
  task,
} from './sync-fixtures.js';

describe('the sync-wave fixture (billing-dev)', () => {
  let waves: WavesRepo;
  const ns = 'billing';
  beforeAll(async () => {
    waves = await makeWavesRepo();
  });
  afterAll(async () => {
    await deleteNamespace(ns, ['dev']);
    deleteBosunRecords('dev', ['billing-dev']);
    await waves?.cleanup();
  });

  it('syncs PreSync hook → wave 1 → wave 2 Deployment → wave 3 Service, and ends Synced and Healthy', async () => {
    const { code, stderr, result } = await syncCli(waves, 'billing-dev');
    expect(code, stderr).toBe(0);
    expect(result?.phase).toBe('Succeeded');
    // The namespace (Sync wave -1) moves up to the PreSync hook that needs it, as Argo CD orders it.
    expect(result?.tasks.map((t) => `${t.phase}/${t.wave} ${t.key.kind}/${t.key.name} ${t.status}`)).toEqual([
      'PreSync/1 Namespace/billing Succeeded',
      'PreSync/1 Job/billing-migrate Succeeded',
      'Sync/1 ConfigMap/billing-config Succeeded',
      'Sync/2 Deployment/billing Succeeded',
      'Sync/3 PodDisruptionBudget/billing Succeeded',
      'Sync/3 Service/billing Succeeded',
    ]);
    expect(task(result, 'Job', 'billing-migrate')?.message).toMatch(/succeeded/);
    // Creation times (1 s resolution; waves are ≥ 2 s apart): hook < wave 1 < wave 2 < wave 3.
    const created = (what: string) => seconds(field('dev', ns, what, '{.metadata.creationTimestamp}'));
    const order = [
      'job/billing-migrate',
      'configmap/billing-config',
      'deployment/billing',
      'service/billing',
    ];
    const times = order.map(created);
    for (let i = 1; i < times.length; i++) expect(times[i], order[i]).toBeGreaterThan(times[i - 1]!);
    expect(created('poddisruptionbudget/billing')).toBeGreaterThan(times[2]!); // wave 3 too
    // The operation history in the cluster has the same ordered results.
    const ops = JSON.parse(
      field('dev', 'bosun-system', 'configmap/bosun-history-billing-dev', '{.data.operations}'),
    ) as {
      id: string;
      phase: string;
      initiator: string;
      tasks: { resources: { key: string; status: string }[] };
    }[];
    const op = ops.find((o) => o.id === result?.id);
    expect(op).toMatchObject({ phase: 'Succeeded', initiator: 'e2e@test' });
    expect(op?.tasks.resources.map((r) => r.key)).toEqual([
      '/Namespace//billing',
      'batch/Job/billing/billing-migrate',
      '/ConfigMap/billing/billing-config',
      'apps/Deployment/billing/billing',
      'policy/PodDisruptionBudget/billing/billing',
      '/Service/billing/billing',
    ]);
    await eventually('billing-dev Synced and Healthy', async () => {
      const r = await bosun(['apps', '--repo', waves.work, '-o', 'json']);
      const a = (
        JSON.parse(r.stdout) as { apps: { name: string; sync: string; health: string }[] }
      ).apps.find((x) => x.name === 'billing-dev');
      return a?.sync === 'Synced' && a.health === 'Healthy';
    });
  });

  it('runs the BeforeHookCreation hook Job again on a second sync, still in wave order', async () => {
    const before = field('dev', ns, 'job/billing-migrate', '{.metadata.uid}');
    const deployUid = field('dev', ns, 'deployment/billing', '{.metadata.uid}');
    const { cacheDir, kubeconfig } = inProcessEnv();
    const engine = createEngine(
      { repoPath: waves.work, kubeconfig, contexts: ['dev'], cacheDir },
      realAdapters(),
    );
    const running: string[] = [];
    try {
      await engine.start();
      engine.onEvent((e: EngineEvent) => {
        if (e.type === 'task' && e.app === 'billing-dev' && e.status === 'Running') running.push(e.key.kind);
        if (e.type === 'task' && e.app === 'billing-dev' && e.status === 'Succeeded' && e.key.kind === 'Job')
          running.push('Job done');
      });
      const result = await engine.sync('billing-dev');
      expect(result.phase, result.message).toBe('Succeeded');
    } finally {
      await engine.stop();
    }
    const after = field('dev', ns, 'job/billing-migrate', '{.metadata.uid}');
    expect(after).not.toBe('');
    expect(after).not.toBe(before);
    expect(field('dev', ns, 'deployment/billing', '{.metadata.uid}')).toBe(deployUid);
    // The old hook Job was deleted with propagation Background: its pod went with it (not orphaned).
    await eventually('only the new hook pod is left', () => {
      const pods = kubectl('dev', [
        '-n',
        ns,
        'get',
        'pods',
        '-l',
        'batch.kubernetes.io/job-name=billing-migrate',
        '-o',
        'jsonpath={range .items[*]}{.metadata.name}={.metadata.ownerReferences[0].uid}{"\\n"}{end}',
      ]).trim();
      const lines = pods.split('\n');
      return lines.length === 1 && lines[0]!.endsWith(`=${after}`);
    });
    // Progress events in the order the tasks started: the hook completes before wave 1 starts.
    const first = (k: string) => running.indexOf(k);
    expect(first('Job')).toBeGreaterThanOrEqual(0);
    expect(first('Job')).toBeLessThan(first('Job done'));
    expect(first('Job done')).toBeLessThan(first('ConfigMap'));
    expect(first('ConfigMap')).toBeLessThan(first('Deployment'));
    expect(first('Deployment')).toBeLessThan(first('Service'));
  });
});

describe('prune: only with --prune, and never an object without our tracking id', () => {
  let repo: FixtureRepo;
  const app = 'prune-demo';
  const ns = 'e2e-prune';
  beforeAll(async () => {
    repo = await syncRepo('prune', {
      [app]: {
        namespace: ns,
        files: {
          'keep.yaml': configMap('keep'),
          'old.yaml': configMap('old-config'),
          'shadow.yaml': configMap('shadow'),
        },
      },
    });
  });
  afterAll(async () => {
    await deleteNamespace(ns, ['dev']);
    deleteBosunRecords('dev', [app]);
    await repo?.cleanup();
  });

  it('syncs, then a commit removes two resources; one of them is re-created by hand without a tracking id', async () => {
    const s = await syncCli(repo, app);
    expect(s.code, s.stderr).toBe(0);
    expect(field('dev', ns, 'cm/shadow', '{.metadata.annotations.bosun\\.dev/tracking-id}')).toBe(
      `${app}:/ConfigMap:${ns}/shadow`,
    );
    await commitFiles(
      repo,
      appFiles(app, { 'old.yaml': null, 'shadow.yaml': null }),
      'Remove old-config and shadow',
    );
    kubectl('dev', ['-n', ns, 'delete', 'cm', 'shadow']);
    kubectl('dev', ['-n', ns, 'create', 'cm', 'shadow', '--from-literal=owner=someone-else']);
  });

  it('without --prune: the removed resource is Extra, the app OutOfSync, and the object still exists', async () => {
    const r = await bosun(['apps', '--repo', repo.work, '-o', 'json']);
    const a = (
      JSON.parse(r.stdout) as {
        apps: { name: string; sync: string; resources: { key: string; sync: string }[] }[];
      }
    ).apps.find((x) => x.name === app);
    expect(a?.sync).toBe('OutOfSync');
    expect(a?.resources.find((x) => x.key === `/ConfigMap/${ns}/old-config`)?.sync).toBe('Extra');
    expect(a?.resources.some((x) => x.key.endsWith('/shadow'))).toBe(false);

    const s = await syncCli(repo, app);
    expect(s.code, s.stderr).toBe(0);
    const old = task(s.result, 'ConfigMap', 'old-config');
    expect(old).toMatchObject({ action: 'skip', status: 'Skipped' });
    expect(old?.reason).toMatch(/not pruned because prune is off/);
    expect(task(s.result, 'ConfigMap', 'shadow')).toBeUndefined();
    expect(exists('dev', ns, 'cm/old-config')).toBe(true);
    expect(exists('dev', ns, 'cm/shadow')).toBe(true);
  });

  it('a dry run with --prune deletes nothing', async () => {
    const r = await bosun(['sync', app, '--repo', repo.work, '--prune', '--dry-run', '-o', 'json']);
    expect(r.code, r.stderr).toBe(0);
    const result = JSON.parse(r.stdout) as SyncJson;
    expect(result.message).toMatch(/nothing was changed/);
    expect(task(result, 'ConfigMap', 'old-config')).toMatchObject({
      action: 'prune',
      status: 'Succeeded',
      message: 'dry run: would prune',
    });
    expect(exists('dev', ns, 'cm/old-config')).toBe(true);
    expect(field('dev', ns, 'cm/old-config', '{.metadata.deletionTimestamp}')).toBe('');
  });

  it('with --prune: the tracked object is pruned, the hand-made one with the same name as a removed resource is kept', async () => {
    const s = await syncCli(repo, app, ['--prune']);
    expect(s.code, s.stderr).toBe(0);
    expect(s.result?.phase).toBe('Succeeded');
    expect(task(s.result, 'ConfigMap', 'old-config')).toMatchObject({ action: 'prune', status: 'Succeeded' });
    expect(task(s.result, 'ConfigMap', 'shadow')).toBeUndefined();
    await eventually('old-config pruned', () => !exists('dev', ns, 'cm/old-config'));
    expect(field('dev', ns, 'cm/shadow', '{.data.owner}')).toBe('someone-else');
    expect(exists('dev', ns, 'cm/keep')).toBe(true);
  });
});
