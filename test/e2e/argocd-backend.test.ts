import { writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { type ArgoCd, startArgoCd } from '../argocd/argocd.js';
import { createFixtureRepo, type FixtureRepo, git, yamlDocs } from '../fixtures/repos/index.js';
import { bosun, deleteNamespace, e2eEnv, eventually, kubectl } from './helpers.js';
import { configMap, deployment } from './sync-fixtures.js';
import { TmuxSession } from './tmux.js';

/**
 * bosun's normal commands and console with `backend: argocd` in bosun.yaml, in front of a real Argo CD (redis,
 * argocd-repo-server and argocd-application-controller from test/argocd/) on the local control plane: `bosun
 * apps` shows Argo CD's sync and health; a sync from the console runs in Argo CD under the operator's name;
 * a promotion pushed by bosun is picked up by Argo CD through the refresh bosun requests (the controller's own
 * resync is an hour here, so nothing else would); read-only and the production confirmation write nothing;
 * without the backend block, bosun says that Argo CD manages these apps. A refresh shows as pending in the
 * console until Argo CD's controller has reconciled; a resource action patches the live object after the
 * AppProject check and records Argo CD's ResourceActionRan event on the Application; the apps a real
 * ApplicationSet controller generates are listed as its own, and one that only Argo CD has diffs as Argo CD
 * compares it.
 */

const root = resolve(import.meta.dirname, '../..');
const ns = 'e2e-argocd-backend';
const staging = 'abw-staging';
const production = 'abw-production';
const operator = 'ana@bastion';
const nsPreview = `${ns}-preview`;
const previewSet = 'abw-previews';
const preview = 'abw-pr1';

type AppStatus = {
  sync?: { status?: string; revision?: string };
  health?: { status?: string };
  operationState?: { phase?: string; operation?: { initiatedBy?: { username?: string } } };
  history?: { id: number; revision?: string; initiatedBy?: { username?: string } }[];
};
type AppCr = {
  metadata: { annotations?: Record<string, string>; uid?: string };
  operation?: unknown;
  status?: AppStatus;
};
type KubeEvent = {
  reason: string;
  message: string;
  type: string;
  metadata: { annotations?: Record<string, string> };
  involvedObject: { kind: string; name: string; namespace?: string; uid?: string };
};

function overlay(env: string, tag: string): Record<string, string> {
  return {
    [`apps/abw/overlays/${env}/kustomization.yaml`]: yamlDocs({
      apiVersion: 'kustomize.config.k8s.io/v1beta1',
      kind: 'Kustomization',
      namespace: ns,
      resources: ['../../base'],
      images: [{ name: 'registry.local/e2e/abw', newTag: tag }],
    }),
  };
}

function application(repoURL: string, env: string): Record<string, unknown> {
  return {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'Application',
    metadata: { name: `abw-${env}`, namespace: 'argocd' },
    spec: {
      project: 'default',
      source: { repoURL, targetRevision: 'main', path: `apps/abw/overlays/${env}` },
      destination: { name: env, namespace: ns },
      syncPolicy: { syncOptions: ['CreateNamespace=true'] },
    },
  };
}

/** The fleet row of a service (`▶`/space, mark/space, then the name), or undefined. */
function fleetRow(screen: string, service: string): string | undefined {
  return screen.split('\n').find((l) => /^[▶ ][◆ ]/.test(l) && l.slice(2).startsWith(`${service} `));
}

describe('backend: argocd — the normal commands and the console show and act through Argo CD', () => {
  let argo: ArgoCd;
  let repo: FixtureRepo;
  let config: string;
  let embeddedConfig: string;
  let tui: TmuxSession | undefined;

  const cr = (name: string): AppCr =>
    JSON.parse(argo.kubectl(['get', 'applications.argoproj.io', name, '-o', 'json'])) as AppCr;
  const status = (name: string): AppStatus => cr(name).status ?? {};
  const run = (args: string[], opts: { config?: string; env?: NodeJS.ProcessEnv } = {}) =>
    bosun([...args, '--repo', repo.work, '--config', opts.config ?? config], {
      env: e2eEnv({ BOSUN_USER: operator, ...opts.env }),
    });
  const originHead = () => git(repo.origin, ['rev-parse', 'main']).trim();

  beforeAll(async () => {
    const cp = inject('controlPlane');
    await deleteNamespace(ns, ['staging', 'production']);
    repo = await createFixtureRepo({
      name: 'argocd-backend',
      files: (repoURL) => ({
        'apps/abw/base/kustomization.yaml': yamlDocs({
          apiVersion: 'kustomize.config.k8s.io/v1beta1',
          kind: 'Kustomization',
          resources: ['objects.yaml'],
        }),
        'apps/abw/base/objects.yaml': yamlDocs(configMap('abw-config', { color: 'blue' }), deployment('abw')),
        ...overlay('staging', 'v2'),
        ...overlay('production', 'v1'),
        // Only the ApplicationSet in Argo CD uses it (the repository bosun reads has no Application for it).
        'apps/abw/overlays/preview/kustomization.yaml': yamlDocs({
          apiVersion: 'kustomize.config.k8s.io/v1beta1',
          kind: 'Kustomization',
          namespace: nsPreview,
          resources: ['../../base'],
        }),
        'argocd/abw-staging.yaml': yamlDocs(application(repoURL, 'staging')),
        'argocd/abw-production.yaml': yamlDocs(application(repoURL, 'production')),
      }),
    });
    const environments = 'environments: [{ name: staging }, { name: production, production: true }]';
    config = join(repo.root, 'bosun.yaml');
    writeFileSync(config, `backend: { type: argocd, context: dev, namespace: argocd }\n${environments}\n`);
    // The embedded backend, with the cluster Argo CD runs in registered (so bosun watches it).
    embeddedConfig = join(repo.root, 'bosun-embedded.yaml');
    writeFileSync(embeddedConfig, `clusters: [{ name: dev, context: dev }]\n${environments}\n`);
    argo = await startArgoCd({
      kubeconfig: cp.kubeconfig,
      binDir: cp.binDir,
      clusters: cp.clusters,
      host: 'dev',
      // Argo CD looks at Git again only when asked (bosun's refresh), not on its 3-minute resync.
      controllerArgs: ['--app-resync=3600'],
      applicationSets: true,
    });
    for (const env of ['staging', 'production'])
      argo.kubectl(['apply', '-f', '-'], JSON.stringify(application(repo.repoURL, env)));
    await eventually(
      'Argo CD compares both apps (OutOfSync)',
      () => status(staging).sync?.status === 'OutOfSync' && status(production).sync?.status === 'OutOfSync',
      120_000,
    );
  }, 600_000);

  afterAll(async () => {
    tui?.kill();
    await argo?.stop();
    await repo?.cleanup();
    await deleteNamespace(ns, ['staging', 'production']);
  });

  it('without the backend block, bosun apps says that Argo CD manages these apps (a hint, not an error)', async () => {
    const r = await run(['apps'], { config: embeddedConfig });
    expect(r.code).toBe(0);
    expect(r.stderr.trim().split('\n')).toEqual([
      `bosun: hint: Argo CD in dev/argocd manages 2 of these apps (${production}, ${staging}): set backend: { type: argocd, context: dev, namespace: argocd } in bosun.yaml to show its view`,
    ]);
    const j = await run(['apps', '-o', 'json'], { config: embeddedConfig });
    expect((JSON.parse(j.stdout) as { backend: unknown }).backend).toMatchObject({
      type: 'embedded',
      detected: { context: 'dev', namespace: 'argocd', apps: [production, staging] },
    });
  });

  it("bosun apps -o json lists Argo CD's apps with Argo CD's sync and health", async () => {
    const r = await run(['apps', '-o', 'json']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout) as {
      backend: unknown;
      apps: { name: string; environment: string; context: string; sync: string; health: string }[];
    };
    expect(out.backend).toEqual({ type: 'argocd', context: 'dev', namespace: 'argocd', applications: 2 });
    expect(out.apps.map((a) => [a.name, a.environment, a.context, a.sync, a.health])).toEqual([
      [staging, 'staging', 'staging', 'OutOfSync', 'Missing'],
      [production, 'production', 'production', 'OutOfSync', 'Missing'],
    ]);
  });

  it('read-only and the production confirmation write nothing to Argo CD', async () => {
    const ro = await run(['sync', staging, '--yes', '--read-only']);
    expect(ro.code).toBe(3);
    expect(ro.stderr).toContain(`refused to sync ${staging}: bosun runs --read-only`);
    const noConfirm = await run(['sync', production]);
    expect(noConfirm.code).toBe(3);
    expect(noConfirm.stderr).toContain('needs confirmation');
    for (const name of [staging, production]) {
      expect(cr(name).operation).toBeUndefined();
      expect(cr(name).status?.history ?? []).toEqual([]);
    }
    expect(kubectl('staging', ['get', 'namespace', ns, '--ignore-not-found', '-o', 'name']).trim()).toBe('');
  });

  it('a sync from the console runs in Argo CD and its history names the operator', {
    timeout: 300_000,
  }, async () => {
    tui = await TmuxSession.start({
      name: 'argocd-backend',
      // Wide enough for the header's backend badge after a long file:// remote.
      width: 200,
      height: 30,
      env: e2eEnv({ BOSUN_USER: operator }),
    });
    tui.run(
      `${process.execPath} ${join(root, 'bin/bosun.js')} --repo ${repo.work} --config ${config} 2>${join(repo.root, 'console.err')}; echo "bosun exited with $?"`,
    );
    // The first start on a loaded machine can be slow: wait for the apps themselves.
    const fleet = await tui.waitFor('fleet', (s) => /≠ ∅ .*≠ ∅/u.test(fleetRow(s, 'abw') ?? ''), 240_000);
    expect(fleet).toContain('Argo CD dev/argocd automates');
    expect(fleet).toMatch(/^ {2}SERVICE +STAGING +PRODUCTION\b/m);

    tui.keys('s');
    const plan = await tui.waitFor('sync-plan', 'press y to sync', 60_000);
    expect(plan).toContain(`Argo CD (dev/argocd) runs this sync as ${operator}`);
    expect(plan).toMatch(/apply +Deployment\/e2e-argocd-backend\/abw/);
    expect(plan).not.toContain('PRODUCTION');
    tui.keys('y');
    const done = await tui.waitFor('sync-succeeded', /Succeeded — .*\(esc to close\)/, 180_000);
    expect(done).toMatch(/apply +Deployment\/e2e-argocd-backend\/abw +Succeeded/);

    const s = status(staging);
    expect(s.operationState?.operation?.initiatedBy?.username).toBe(operator);
    expect(s.history?.map((h) => h.initiatedBy?.username)).toEqual([operator]);
    expect(
      kubectl('staging', [
        '-n',
        ns,
        'get',
        'deployment',
        'abw',
        '-o',
        'jsonpath={.spec.template.spec.containers[0].image}',
      ]),
    ).toBe('registry.local/e2e/abw:v2');
    tui.keys('Escape');
    await tui.waitFor(
      'synced-healthy',
      (screen) => /^[▶ ][◆ ]abw +✓ ♥ /mu.test(screen) && !screen.includes('╭'),
      120_000,
    );

    // A refresh: the row says "refreshing" until Argo CD's controller has reconciled (it removes its
    // annotation). The controller is paused meanwhile, so the pending state is certain to be seen.
    process.kill(argo.controller.pid, 'SIGSTOP');
    try {
      tui.keys(':');
      tui.type('refresh abw-staging');
      tui.keys('Enter');
      const pending = await tui.waitFor('refreshing', /refreshing abw-staging \(Argo CD\)/, 60_000);
      expect(fleetRow(pending, 'abw')).toMatch(/⟳ ♥ .*refreshing abw-staging \(Argo CD\)/u);
      expect(cr(staging).metadata.annotations?.['argocd.argoproj.io/refresh']).toBe('normal');
    } finally {
      process.kill(argo.controller.pid, 'SIGCONT');
    }
    await eventually(
      'Argo CD removes its refresh annotation',
      () => cr(staging).metadata.annotations?.['argocd.argoproj.io/refresh'] === undefined,
      120_000,
    );
    await tui.waitFor(
      'refreshed',
      (screen) => /^[▶ ][◆ ]abw +✓ ♥ /mu.test(screen) && !screen.includes('refreshing abw-staging'),
      60_000,
    );
    tui.keys('q');
    await tui.waitFor('after-quit', /^bosun exited with 0$/m, 30_000);

    // The same commands read Argo CD's history: the commit it deployed, and by whom.
    const h = await run(['history', staging, '-o', 'json']);
    expect(h.code).toBe(0);
    const entries = (
      JSON.parse(h.stdout) as { history: { sha: string; deployments?: { initiator: string }[] }[] }
    ).history;
    expect(
      entries.find((e) => e.sha === s.history?.[0]?.revision)?.deployments?.map((d) => d.initiator),
    ).toEqual([operator]);
  });

  it('a promotion pushed by bosun is picked up by Argo CD after the refresh bosun requests', {
    timeout: 300_000,
  }, async () => {
    const before = status(production).sync?.revision;
    expect(before).toBeDefined();
    const r = await run(['promote', 'abw', '--from', 'staging', '--to', 'production', '--yes']);
    expect(r.code, r.stderr).toBe(0);
    const head = originHead();
    expect(head).not.toBe(before);
    expect(git(repo.origin, ['show', 'main:apps/abw/overlays/production/kustomization.yaml'])).toContain(
      'newTag: v2',
    );
    // Argo CD's resync is an hour: only the refresh annotation bosun set makes it compare the new commit.
    await eventually(
      'Argo CD compares the promotion commit',
      () => status(production).sync?.revision === head,
      120_000,
    );
    const j = await run(['apps', '-o', 'json']);
    const prod = (JSON.parse(j.stdout) as { apps: { name: string; revision: string }[] }).apps.find(
      (a) => a.name === production,
    );
    expect(prod?.revision).toBe(head);
  });

  it("a resource action on an app Argo CD owns patches the live object and records Argo CD's event on the Application", {
    timeout: 180_000,
  }, async () => {
    const replicas = () =>
      kubectl('staging', ['-n', ns, 'get', 'deployment', 'abw', '-o', 'jsonpath={.spec.replicas}']).trim();
    const actionEvents = (): KubeEvent[] =>
      (
        JSON.parse(
          argo.kubectl(['get', 'events', '--field-selector', 'reason=ResourceActionRan', '-o', 'json']),
        ) as { items: KubeEvent[] }
      ).items;
    expect(replicas()).toBe('1');
    expect(actionEvents()).toEqual([]);

    // Refusals first: read-only and production write nothing, and record nothing.
    const ro = await run([
      'action',
      staging,
      'Deployment/abw',
      'scale',
      'replicas=3',
      '--yes',
      '--read-only',
    ]);
    expect(ro.code).toBe(3);
    expect(ro.stderr).toContain('bosun runs --read-only');
    const prod = await run(['action', production, 'Deployment/abw', 'restart']);
    expect(prod.code).toBe(3);
    expect(prod.stderr).toContain('confirm');

    // The AppProject is checked before anything is written: a project that denies Deployments refuses.
    const blacklist = (list: unknown) =>
      argo.kubectl([
        'patch',
        'appprojects.argoproj.io',
        'default',
        '--type',
        'merge',
        '-p',
        JSON.stringify({ spec: { namespaceResourceBlacklist: list } }),
      ]);
    blacklist([{ group: 'apps', kind: 'Deployment' }]);
    try {
      await eventually(
        'bosun reads the changed AppProject',
        async () => {
          const r = await run(['action', staging, 'Deployment/abw', 'scale', 'replicas=3', '--yes']);
          return (
            r.code === 3 &&
            r.stderr.includes('project default does not permit abw-staging to manage apps/Deployment')
          );
        },
        60_000,
      );
    } finally {
      blacklist(null);
    }
    expect(replicas()).toBe('1');
    expect(actionEvents()).toEqual([]);

    const r = await run(['action', staging, 'Deployment/abw', 'scale', 'replicas=2', '--yes']);
    expect(r.code, r.stderr).toBe(0);
    // Git sets replicas: 1, and Argo CD syncs it back on the next sync (no self-heal on this app).
    expect(r.stderr).toContain(
      `warning: Git sets /spec/replicas of Deployment/abw otherwise: the next sync of ${staging} in Argo CD will revert it`,
    );
    expect(replicas()).toBe('2');
    const events = actionEvents();
    expect(events).toHaveLength(1);
    const e = events[0];
    expect(e?.type).toBe('Normal');
    expect(e?.message).toBe(`${operator} ran action scale on resource apps/Deployment/abw`);
    expect(e?.metadata.annotations?.user).toBe(operator);
    expect(e?.involvedObject).toMatchObject({
      kind: 'Application',
      name: staging,
      namespace: 'argocd',
      uid: cr(staging).metadata.uid,
    });
    // Argo CD sees the drift it will undo on the next sync.
    await eventually(
      'Argo CD compares the scaled Deployment',
      () => status(staging).sync?.status === 'OutOfSync',
      120_000,
    );
  });

  it("an ApplicationSet's apps are listed as generated by it; an app only Argo CD has diffs as Argo CD compares it", {
    timeout: 240_000,
  }, async () => {
    argo.kubectl(
      ['apply', '-f', '-'],
      JSON.stringify({
        apiVersion: 'argoproj.io/v1alpha1',
        kind: 'ApplicationSet',
        metadata: { name: previewSet, namespace: 'argocd' },
        spec: {
          generators: [{ list: { elements: [{ pr: 'pr1' }] } }],
          template: {
            metadata: { name: 'abw-{{pr}}' },
            spec: {
              project: 'default',
              source: { repoURL: repo.repoURL, targetRevision: 'main', path: 'apps/abw/overlays/preview' },
              destination: { name: 'staging', namespace: nsPreview },
            },
          },
        },
      }),
    );
    // Generated by the real ApplicationSet controller, then compared by the application controller.
    await eventually(
      'the ApplicationSet generates abw-pr1 and Argo CD compares it',
      () => {
        try {
          return status(preview).sync?.status === 'OutOfSync';
        } catch {
          return false;
        }
      },
      180_000,
    );

    type AppsJson = {
      apps: { name: string; applicationSet: string | null; sync: string }[];
      appSets: { name: string; generated: string[]; error?: string }[];
    };
    const j = await run(['apps', '-o', 'json']);
    expect(j.code, j.stderr).toBe(0);
    const out = JSON.parse(j.stdout) as AppsJson;
    expect(out.apps.map((a) => [a.name, a.applicationSet])).toEqual(
      expect.arrayContaining([
        [preview, previewSet],
        [staging, null],
        [production, null],
      ]),
    );
    expect(out.appSets).toEqual([{ name: previewSet, generated: [preview] }]);
    const list = await run(['appset', 'list']);
    expect(list.code, list.stderr).toBe(0);
    expect(list.stdout).toMatch(new RegExp(`^${previewSet} +1 +${preview}\\b`, 'm'));

    // bosun cannot render abw-pr1 (not in its repository): the diff is Argo CD's comparison, and says so.
    const d = await run(['diff', preview]);
    expect(d.code, d.stderr).toBe(1);
    expect(d.stdout).toContain(
      `# ${preview} is in Argo CD (dev/argocd) but not in the repository bosun reads: this is Argo CD's comparison; the full diff needs the repository`,
    );
    // Argo CD v3 keeps resource health out of the Application (status.resourceHealthSource: appTree), so the
    // CR says only that these resources are out of sync.
    expect(d.stdout).toContain(`OutOfSync Deployment/${nsPreview}/abw: Argo CD reports it out of sync\n`);
    const dj = await run(['diff', preview, '-o', 'json']);
    const diffs = (JSON.parse(dj.stdout) as { diffs: { key: { kind: string }; source?: string }[] }).diffs;
    expect(diffs.map((x) => [x.key.kind, x.source]).sort()).toEqual([
      ['ConfigMap', 'argocd'],
      ['Deployment', 'argocd'],
    ]);
    // Triage reaches it too (its resources as Argo CD lists them, the live objects from the cluster):
    // not "unknown application" because bosun's repository lacks it.
    const ev = await run(['events', preview]);
    expect(ev.code, ev.stderr).toBe(0);
    expect(ev.stdout).toBe(`no events for ${preview}\n`);
    // Never synced: its objects are not in the cluster, and why says so.
    const why = await run(['why', preview]);
    expect(why.code, why.stderr).toBe(0);
    expect(why.stdout).toMatch(new RegExp(`^(ConfigMap|Deployment)/${nsPreview}/\\S+: Missing`, 'm'));
  });
});
