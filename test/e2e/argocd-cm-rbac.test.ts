import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { type FixtureRepo, makeWebAppRepo } from '../fixtures/repos/index.js';
import { bosun, deleteNamespace, e2eEnv, eventually, kubectl } from './helpers.js';
import { TmuxSession } from './tmux.js';

/**
 * A user whose RBAC does not let them read ConfigMaps in Argo CD's namespace: bosun says once per cluster
 * that it cannot read argocd-cm (cluster warnings, `apps -o json`, a stderr line, the console header) and
 * goes on with its built-in health, where an admin sees the argocd-cm script's verdict. Real apiserver,
 * real RBAC, a real ServiceAccount token.
 */

const ns = 'cm-rbac';
const cmNs = 'cm-rbac-argocd';
const root = resolve(import.meta.dirname, '../..');

type Warning = { cluster: string; context: string; message: string };
type AppsJson = {
  apps: { name: string; resources: { key: string; health: string | null; message: string | null }[] }[];
  warnings: Warning[];
};

const apply = (obj: unknown) => kubectl('dev', ['apply', '-f', '-'], JSON.stringify(obj));

describe('argocd-cm that RBAC hides', () => {
  const cp = inject('controlPlane');
  let repo: FixtureRepo;
  let limitedKubeconfig: string;
  let tui: TmuxSession | undefined;
  const admin = () => e2eEnv();
  const limited = () =>
    e2eEnv({
      KUBECONFIG: limitedKubeconfig,
      XDG_CONFIG_HOME: mkdtempSync(join(tmpdir(), 'bosun-e2e-config-')),
    });
  const appsJson = async (env: NodeJS.ProcessEnv) => {
    const r = await bosun(['apps', '-o', 'json', '--repo', repo.work], { env });
    expect(r.code, r.stderr).toBe(0);
    return JSON.parse(r.stdout) as AppsJson;
  };
  const web = (j: AppsJson) =>
    j.apps.find((a) => a.name === 'rbac-web')?.resources.find((r) => r.key.includes('/Deployment/'));

  beforeAll(async () => {
    await deleteNamespace(ns, ['dev']);
    for (const name of [ns, cmNs, 'bosun-system'])
      apply({ apiVersion: 'v1', kind: 'Namespace', metadata: { name } });
    apply({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'argocd-cm', namespace: cmNs },
      data: {
        'resource.customizations.health.apps_Deployment':
          'return {status = "Degraded", message = "judged by argocd-cm"}',
      },
    });
    // The limited user: reads the kinds bosun watches and its own history, but no ConfigMap in cmNs.
    apply({ apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'limited', namespace: ns } });
    const read = ['get', 'list', 'watch'];
    apply({
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'ClusterRole',
      metadata: { name: 'bosun-e2e-no-argocd-cm' },
      rules: [
        { apiGroups: [''], resources: ['namespaces', 'pods', 'pods/log', 'events', 'services'], verbs: read },
        {
          apiGroups: ['apps'],
          resources: ['deployments', 'replicasets', 'statefulsets', 'daemonsets'],
          verbs: read,
        },
        { apiGroups: ['batch'], resources: ['jobs', 'cronjobs'], verbs: read },
        { apiGroups: ['events.k8s.io', 'coordination.k8s.io', 'argoproj.io'], resources: ['*'], verbs: read },
      ],
    });
    apply({
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'ClusterRoleBinding',
      metadata: { name: 'bosun-e2e-no-argocd-cm' },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'bosun-e2e-no-argocd-cm' },
      subjects: [{ kind: 'ServiceAccount', name: 'limited', namespace: ns }],
    });
    apply({
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'Role',
      metadata: { name: 'bosun-e2e-history', namespace: 'bosun-system' },
      rules: [{ apiGroups: [''], resources: ['configmaps'], verbs: read }],
    });
    apply({
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'RoleBinding',
      metadata: { name: 'bosun-e2e-history', namespace: 'bosun-system' },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'bosun-e2e-history' },
      subjects: [{ kind: 'ServiceAccount', name: 'limited', namespace: ns }],
    });
    const token = kubectl('dev', ['-n', ns, 'create', 'token', 'limited', '--duration=1h']).trim();
    // The same kubeconfig, with the dev context's user swapped for the ServiceAccount.
    const config = JSON.parse(kubectl('dev', ['config', 'view', '--raw', '-o', 'json'])) as {
      contexts: { name: string; context: { user: string } }[];
      users: { name: string; user: Record<string, unknown> }[];
    };
    const devUser = config.contexts.find((c) => c.name === 'dev')?.context.user;
    config.users = config.users.map((u) => (u.name === devUser ? { name: u.name, user: { token } } : u));
    limitedKubeconfig = join(mkdtempSync(join(cp.runDir, 'cm-rbac-')), 'kubeconfig');
    writeFileSync(limitedKubeconfig, JSON.stringify(config), { mode: 0o600 });
    const can = (verb: string, what: string, where: string) =>
      kubectl('dev', [
        'auth',
        'can-i',
        verb,
        what,
        '-n',
        where,
        `--as=system:serviceaccount:${ns}:limited`,
      ]).trim();
    await eventually('the limited user may list pods', () => can('list', 'pods', ns) === 'yes', 30_000);
    expect(() => can('list', 'configmaps', cmNs)).toThrow(); // `no` exits 1

    repo = await makeWebAppRepo({ name: 'cm-rbac', app: 'rbac-web', namespace: ns, argocdNamespace: cmNs });
    const r = await bosun(['sync', 'rbac-web', '--yes', '--repo', repo.work], { env: admin() });
    expect(r.code, r.stderr).toBe(0);
  }, 240_000);

  afterAll(async () => {
    tui?.kill();
    kubectl('dev', [
      'delete',
      'clusterrolebinding,clusterrole',
      'bosun-e2e-no-argocd-cm',
      '--ignore-not-found',
    ]);
    kubectl('dev', [
      '-n',
      'bosun-system',
      'delete',
      'rolebinding,role',
      'bosun-e2e-history',
      '--ignore-not-found',
    ]);
    kubectl('dev', ['delete', 'namespace', cmNs, '--ignore-not-found', '--wait=false']);
    await deleteNamespace(ns, ['dev']);
    await repo?.cleanup();
  });

  it('an admin gets the argocd-cm verdict and no warning', async () => {
    const j = await appsJson(admin());
    expect(web(j)).toMatchObject({ health: 'Degraded', message: 'judged by argocd-cm' });
    expect(j.warnings).toEqual([]);
  }, 120_000);

  it('the limited user gets built-in health and one warning for the cluster', async () => {
    const j = await appsJson(limited());
    expect(web(j)?.health).not.toBeNull();
    expect(web(j)?.message).not.toBe('judged by argocd-cm');
    expect(web(j)?.health).not.toBe('Degraded');
    expect(j.warnings).toEqual([
      {
        cluster: 'dev',
        context: 'dev',
        message: expect.stringMatching(
          new RegExp(
            `^cannot read ConfigMap ${cmNs}/argocd-cm in dev \\(forbidden\\): .*built-in health is used$`,
          ),
        ),
      },
    ]);
    const table = await bosun(['apps', '--repo', repo.work], { env: limited() });
    expect(table.code, table.stderr).toBe(0);
    const lines = table.stderr.split('\n').filter((l) => l.includes('argocd-cm'));
    expect(lines).toEqual([expect.stringMatching(/^bosun: warning: cannot read ConfigMap .*\(forbidden\)/)]);
    const clusters = await bosun(['clusters', '-o', 'json', '--repo', repo.work], { env: limited() });
    const dev = (
      JSON.parse(clusters.stdout) as { clusters: { name: string; warnings?: string[] }[] }
    ).clusters.find((c) => c.name === 'dev');
    expect(dev?.warnings).toHaveLength(1);
  }, 120_000);

  it('the console says so in its header', { timeout: 180_000 }, async () => {
    tui = await TmuxSession.start({ name: 'cm-rbac-160x40', width: 160, height: 40, env: limited() });
    tui.run(
      `${process.execPath} ${join(root, 'bin/bosun.js')} --repo ${repo.work}; echo "bosun exited with $?"`,
    );
    const screen = await tui.waitFor(
      'header-warning',
      (s) => s.includes(`cannot read ConfigMap ${cmNs}/argocd-cm in dev (forbidden)`),
      90_000,
    );
    expect(screen.split('\n').slice(0, 2).join('\n')).toContain('argocd-cm');
    tui.keys('q');
    await tui.waitFor('after-quit', /^bosun exited with 0$/m, 30_000);
  });
});
