import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FixtureRepo, makeWebAppRepo } from '../fixtures/repos/index.js';
import { bosun, deleteNamespace, kubectl } from './helpers.js';

/**
 * System-level diffing customizations from a cluster's argocd-cm, as Argo CD reads them: an out-of-band
 * `kubectl scale` makes the app OutOfSync; once argocd-cm says
 * `resource.customizations.ignoreDifferences.apps_Deployment: jsonPointers: [/spec/replicas]`, the same
 * live state is Synced and `bosun diff` is empty, with no change to the app. Real apiserver, real Git.
 */

const ns = 'cm-ignore';
const cmNs = 'cm-ignore-argocd';

type AppsJson = { apps: { name: string; sync: string; resources: { key: string; sync: string }[] }[] };

const apply = (obj: unknown) => kubectl('dev', ['apply', '-f', '-'], JSON.stringify(obj));

describe('argocd-cm system-level ignoreDifferences', () => {
  let repo: FixtureRepo;
  const app = async () => {
    const r = await bosun(['apps', '-o', 'json', '--repo', repo.work]);
    expect(r.code, r.stderr).toBe(0);
    return (JSON.parse(r.stdout) as AppsJson).apps.find((a) => a.name === 'ignore-web');
  };

  beforeAll(async () => {
    await deleteNamespace(ns, ['dev']);
    await deleteNamespace(cmNs, ['dev']);
    for (const name of [ns, cmNs]) apply({ apiVersion: 'v1', kind: 'Namespace', metadata: { name } });
    repo = await makeWebAppRepo({
      name: 'cm-ignore',
      app: 'ignore-web',
      namespace: ns,
      argocdNamespace: cmNs,
    });
    const r = await bosun(['sync', 'ignore-web', '--yes', '--repo', repo.work]);
    expect(r.code, r.stderr).toBe(0);
    kubectl('dev', ['-n', ns, 'scale', 'deployment/web', '--replicas=3']);
  }, 240_000);

  afterAll(async () => {
    await deleteNamespace(ns, ['dev']);
    await deleteNamespace(cmNs, ['dev']);
    await repo?.cleanup();
  });

  it('without a rule, the scaled Deployment makes the app OutOfSync', async () => {
    const a = await app();
    expect(a?.sync).toBe('OutOfSync');
    expect(a?.resources.find((r) => r.key.includes('/Deployment/'))?.sync).toBe('OutOfSync');
  });

  it('with argocd-cm ignoring /spec/replicas of Deployments, the same live state is Synced', async () => {
    apply({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'argocd-cm', namespace: cmNs },
      data: {
        'resource.customizations.ignoreDifferences.apps_Deployment': 'jsonPointers:\n- /spec/replicas\n',
      },
    });
    const a = await app();
    expect(a?.sync).toBe('Synced');
    const diff = await bosun(['diff', 'ignore-web', '--repo', repo.work]);
    expect(diff.code, diff.stdout + diff.stderr).toBe(0);
    // The rule only hides the difference: the live object keeps its three replicas.
    expect(kubectl('dev', ['-n', ns, 'get', 'deployment/web', '-o', 'jsonpath={.spec.replicas}'])).toBe('3');
  });

  it('the `all` key applies the rule to every kind', async () => {
    apply({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'argocd-cm', namespace: cmNs },
      data: { 'resource.customizations.ignoreDifferences.all': 'jsonPointers:\n- /spec/replicas\n' },
    });
    expect((await app())?.sync).toBe('Synced');
    kubectl('dev', ['-n', cmNs, 'delete', 'configmap', 'argocd-cm']);
    expect((await app())?.sync).toBe('OutOfSync');
  });
});
