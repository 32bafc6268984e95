/**
 * Prune never misses a kind: when Git drops the last object of a kind (here the app's only ConfigMap), a
 * fresh bosun process still sees the live object (the sync inventory in the app's history names the kind),
 * shows the app OutOfSync with the object as Extra, leaves it without `--prune` and deletes it with it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { commitFiles, type FixtureRepo } from '../fixtures/repos/index.js';
import { bosun, deleteNamespace, e2eEnv } from './helpers.js';
import { appFiles, configMap, deleteBosunRecords, deployment, exists, syncRepo } from './sync-fixtures.js';

type AppsJson = { apps: { name: string; sync: string; resources: { key: string; sync: string }[] }[] };
type SyncJson = {
  phase: string;
  tasks: { key: { kind: string; name: string }; action: string; status?: string }[];
};

const app = 'prune-kinds';
const ns = 'e2e-prune-kinds';

const sync = async (repo: FixtureRepo, extra: string[] = []) => {
  const r = await bosun(['sync', app, '--repo', repo.work, '--yes', '-o', 'json', ...extra], {
    env: e2eEnv(),
    timeoutMs: 170_000,
  });
  return { ...r, result: r.stdout.trim() ? (JSON.parse(r.stdout) as SyncJson) : undefined };
};

const appState = async (repo: FixtureRepo) => {
  const r = await bosun(['apps', '--repo', repo.work, '-o', 'json'], { env: e2eEnv() });
  expect(r.code, r.stderr).toBe(0);
  return (JSON.parse(r.stdout) as AppsJson).apps.find((a) => a.name === app);
};

describe('prune after Git drops the last object of a kind', () => {
  let repo: FixtureRepo;
  beforeAll(async () => {
    repo = await syncRepo('prune-kinds', {
      [app]: {
        namespace: ns,
        files: { 'deploy.yaml': deployment('web'), 'config.yaml': configMap('only-config') },
      },
    });
  });
  afterAll(async () => {
    await deleteNamespace(ns, ['dev']);
    deleteBosunRecords('dev', [app]);
    await repo?.cleanup();
  });

  it('syncs the Deployment and the only ConfigMap, then a commit removes the ConfigMap', async () => {
    const s = await sync(repo);
    expect(s.code, s.stderr).toBe(0);
    expect(exists('dev', ns, 'cm/only-config')).toBe(true);
    await commitFiles(repo, appFiles(app, { 'config.yaml': null }), 'Remove the only ConfigMap');
  });

  it('a fresh process shows the app OutOfSync with the ConfigMap as Extra', async () => {
    const a = await appState(repo);
    expect(a?.sync).toBe('OutOfSync');
    expect(a?.resources.find((r) => r.key === `/ConfigMap/${ns}/only-config`)?.sync).toBe('Extra');
  });

  it('sync without --prune leaves the ConfigMap (skipped), and the app stays OutOfSync', async () => {
    const s = await sync(repo);
    expect(s.code, s.stderr).toBe(0);
    const t = s.result?.tasks.find((x) => x.key.kind === 'ConfigMap' && x.key.name === 'only-config');
    expect(t).toMatchObject({ action: 'skip', status: 'Skipped' });
    expect(exists('dev', ns, 'cm/only-config')).toBe(true);
    expect((await appState(repo))?.sync).toBe('OutOfSync');
  });

  it('sync --prune deletes it, and the app is Synced', async () => {
    const s = await sync(repo, ['--prune']);
    expect(s.code, s.stderr).toBe(0);
    const t = s.result?.tasks.find((x) => x.key.kind === 'ConfigMap' && x.key.name === 'only-config');
    expect(t).toMatchObject({ action: 'prune', status: 'Succeeded' });
    expect(exists('dev', ns, 'cm/only-config')).toBe(false);
    const a = await appState(repo);
    expect(a?.sync).toBe('Synced');
    expect(a?.resources.some((r) => r.key.startsWith('/ConfigMap/'))).toBe(false);
  });
});
