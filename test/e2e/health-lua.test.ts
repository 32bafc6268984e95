import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { type BosunEngine, createEngine, realAdapters } from '../../src/engine/index.js';
import { createFixtureRepo, type FixtureRepo, yamlDocs } from '../fixtures/repos/index.js';
import { bosun, deleteNamespace, e2eEnv, eventually, kubectl } from './helpers.js';
import { TmuxSession } from './tmux.js';

/**
 * Custom health and actions as Argo CD users write them, against the real control plane: CRDs, and an
 * `argocd-cm` ConfigMap (in the namespace bosun.yaml names) carrying Lua health checks and actions for them;
 * a customizations folder in the repository (bosun.yaml `customizations:`) with lower-precedence scripts.
 */

const ns = 'health-lua';
const cmNs = 'health-lua-argocd';
const group = 'health-lua.bosun.test';
const root = resolve(import.meta.dirname, '../..');

const crd = (kind: string) => ({
  apiVersion: 'apiextensions.k8s.io/v1',
  kind: 'CustomResourceDefinition',
  metadata: { name: `${kind.toLowerCase()}s.${group}` },
  spec: {
    group,
    scope: 'Namespaced',
    names: { plural: `${kind.toLowerCase()}s`, singular: kind.toLowerCase(), kind, listKind: `${kind}List` },
    versions: [
      {
        name: 'v1',
        served: true,
        storage: true,
        subresources: { status: {} },
        schema: {
          openAPIV3Schema: {
            type: 'object',
            properties: {
              spec: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true },
              status: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true },
            },
          },
        },
      },
    ],
  },
});

const kinds = ['Widget', 'Spinner', 'Hog'];

const widgetHealth = (suffix: string) => `
hs = {}
if obj.status ~= nil and obj.status.phase == "Ready" then
  hs.status = "Healthy"
  hs.message = "widget " .. obj.metadata.name .. " ready ${suffix}"
elseif obj.status ~= nil and obj.status.phase == "Broken" then
  hs.status = "Degraded"
  hs.message = "widget " .. obj.metadata.name .. " broken: " .. tostring(obj.status.reason)
else
  hs.status = "Progressing"
  hs.message = "widget " .. obj.metadata.name .. " waiting ${suffix}"
end
return hs
`;

const widgetActions = [
  'mergeBuiltinActions: true',
  'discovery.lua: |',
  '  return {["reset"] = {["disabled"] = false}}',
  'definitions:',
  '- name: reset',
  '  action.lua: |',
  '    obj.spec.size = 1',
  '    if obj.metadata.labels == nil then obj.metadata.labels = {} end',
  '    obj.metadata.labels["reset-by"] = "argocd-cm"',
  '    return obj',
].join('\n');

const argoCm = (suffix: string) => ({
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name: 'argocd-cm', namespace: cmNs },
  data: {
    [`resource.customizations.health.${group}_Widget`]: widgetHealth(suffix),
    [`resource.customizations.actions.${group}_Widget`]: widgetActions,
    // A script that never ends, and one that allocates without bound: the sandbox cuts both off.
    [`resource.customizations.health.${group}_Spinner`]: 'while true do end',
    // Not a boolean: ignored, and explain of an app on this cluster says so.
    [`resource.customizations.useOpenLibs.${group}_Spinner`]: 'maybe',
    [`resource.customizations.health.${group}_Hog`]:
      'local s = "x"\nfor i = 1, 64 do s = s .. s end\nreturn {status = "Healthy"}',
  },
});

const object = (kind: string, name: string, spec: Record<string, unknown>) => ({
  apiVersion: `${group}/v1`,
  kind,
  metadata: { name, namespace: ns },
  spec,
});

const application = (name: string, path: string, url: string) => ({
  apiVersion: 'argoproj.io/v1alpha1',
  kind: 'Application',
  metadata: { name },
  spec: {
    project: 'default',
    source: { repoURL: url, path, targetRevision: 'main' },
    destination: { name: 'dev', namespace: ns },
    syncPolicy: { syncOptions: ['CreateNamespace=true'] },
  },
});

type AppJson = {
  name: string;
  health: string;
  healthMessage: string | null;
  resources: { key: string; health: string | null; message: string | null }[];
};

describe('Lua health and actions from argocd-cm and a customizations folder', () => {
  const cp = inject('controlPlane');
  let repo: FixtureRepo;
  const env = () => e2eEnv();
  const cli = (args: string[]) => bosun([...args, '--repo', repo.work], { env: env() });
  const appsJson = async () => {
    const r = await cli(['apps', '-o', 'json']);
    expect(r.code, r.stderr).toBe(0);
    return (JSON.parse(r.stdout) as { apps: AppJson[] }).apps;
  };
  const resourceOf = (apps: AppJson[], app: string, kind: string, name: string) =>
    apps
      .find((a) => a.name === app)
      ?.resources.find((r) => r.key.includes(`${kind}/`) && r.key.endsWith(name));
  const setStatus = (kind: string, name: string, status: Record<string, unknown>) =>
    kubectl('dev', [
      '-n',
      ns,
      'patch',
      `${kind.toLowerCase()}s.${group}`,
      name,
      '--subresource=status',
      '--type=merge',
      '-p',
      JSON.stringify({ status }),
    ]);
  const applyCm = (suffix: string) => kubectl('dev', ['apply', '-f', '-'], JSON.stringify(argoCm(suffix)));

  beforeAll(async () => {
    process.env.PATH = `${cp.binDir}:${process.env.PATH}`;
    await deleteNamespace(ns, ['dev']);
    for (const k of kinds) kubectl('dev', ['apply', '-f', '-'], JSON.stringify(crd(k)));
    for (const k of kinds)
      kubectl('dev', [
        'wait',
        '--for=condition=Established',
        `crd/${k.toLowerCase()}s.${group}`,
        '--timeout=60s',
      ]);
    kubectl(
      'dev',
      ['apply', '-f', '-'],
      JSON.stringify({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: cmNs } }),
    );
    applyCm('(argocd-cm)');
    repo = await createFixtureRepo({
      name: 'health-lua',
      files: (url) => ({
        'bosun.yaml': `argocdNamespace: ${cmNs}\ncustomizations:\n  - customizations\n`,
        // Lower precedence than argocd-cm: this health.lua must never decide a Widget's health.
        [`customizations/${group}/Widget/health.lua`]:
          'return {status = "Degraded", message = "from the folder"}',
        [`customizations/${group}/Widget/actions/discovery.lua`]: 'return {["grow"] = {}}',
        [`customizations/${group}/Widget/actions/grow/action.lua`]:
          'obj.spec.size = obj.spec.size + 10\nif obj.status == nil then obj.status = {} end\nobj.status.grown = true\nreturn obj\n',
        'argocd/apps.yaml': yamlDocs(
          application('lua-app', 'lua-app', url),
          application('lua-calm', 'lua-calm', url),
        ),
        'lua-app/objects.yaml': yamlDocs(
          object('Widget', 'w1', { size: 3 }),
          object('Spinner', 's1', {}),
          object('Hog', 'h1', {}),
        ),
        'lua-calm/widget.yaml': yamlDocs(object('Widget', 'w2', { size: 5 })),
      }),
    });
    for (const app of ['lua-app', 'lua-calm']) {
      const r = await cli(['sync', app, '--yes']);
      expect(r.code, r.stderr).toBe(0);
    }
  }, 240_000);

  afterAll(async () => {
    await deleteNamespace(ns, ['dev']);
    kubectl('dev', ['delete', 'namespace', cmNs, '--ignore-not-found', '--wait=false']);
    for (const k of kinds)
      kubectl('dev', ['delete', 'crd', `${k.toLowerCase()}s.${group}`, '--ignore-not-found', '--wait=false']);
    await repo?.cleanup();
  });

  it('apps -o json shows the health argocd-cm decides, and follows the live status', async () => {
    let apps = await appsJson();
    expect(resourceOf(apps, 'lua-app', 'Widget', 'w1')).toMatchObject({
      health: 'Progressing',
      message: 'widget w1 waiting (argocd-cm)',
    });
    setStatus('Widget', 'w1', { phase: 'Broken', reason: 'gear slipped' });
    apps = await appsJson();
    expect(resourceOf(apps, 'lua-app', 'Widget', 'w1')).toMatchObject({
      health: 'Degraded',
      message: 'widget w1 broken: gear slipped',
    });
    setStatus('Widget', 'w1', { phase: 'Ready' });
    apps = await appsJson();
    expect(resourceOf(apps, 'lua-app', 'Widget', 'w1')).toMatchObject({
      health: 'Healthy',
      message: 'widget w1 ready (argocd-cm)',
    });
  }, 120_000);

  it('an endless script and a huge allocation give Unknown with a clear message; the other app still reports', async () => {
    const apps = await appsJson();
    const spin = resourceOf(apps, 'lua-app', 'Spinner', 's1');
    expect(spin?.health).toBe('Unknown');
    expect(spin?.message).toMatch(/time limit/);
    const hog = resourceOf(apps, 'lua-app', 'Hog', 'h1');
    expect(hog?.health).toBe('Unknown');
    expect(hog?.message).toMatch(/memory limit/);
    expect(resourceOf(apps, 'lua-calm', 'Widget', 'w2')).toMatchObject({
      health: 'Progressing',
      message: 'widget w2 waiting (argocd-cm)',
    });
  }, 120_000);

  it('explain names argocd-cm of the cluster as the source', async () => {
    const r = await cli(['explain', 'lua-app', `${group}/Widget/w1`]);
    const out = r.code === 0 ? r.stdout : (await cli(['explain', 'lua-app', 'Widget/w1'])).stdout;
    expect(out).toContain('health from: health.lua from argocd-cm in dev');
    const app = await cli(['explain', 'lua-app']);
    expect(app.stdout).toContain(
      `argocd-cm in dev: resource.customizations.useOpenLibs.${group}_Spinner: "maybe" is not true or false; ignored`,
    );
  }, 60_000);

  it('a running engine follows changes of the live object and of argocd-cm itself', async () => {
    const engine: BosunEngine = createEngine(
      {
        repoPath: repo.work,
        kubeconfig: cp.kubeconfig,
        contexts: ['dev'],
        cacheDir: join(cp.runDir, 'health-lua-cache'),
      },
      realAdapters(),
    );
    try {
      await engine.start();
      const w2 = () =>
        engine
          .getSnapshot()
          .apps.find((a) => a.name === 'lua-calm')
          ?.resources.find((r) => r.key.name === 'w2')?.health;
      expect(w2()).toMatchObject({ status: 'Progressing', message: 'widget w2 waiting (argocd-cm)' });
      setStatus('Widget', 'w2', { phase: 'Ready' });
      await eventually('w2 Healthy', () => w2()?.message === 'widget w2 ready (argocd-cm)');
      applyCm('(edited)');
      await eventually(
        'the edited argocd-cm script decides',
        () => w2()?.message === 'widget w2 ready (edited)',
      );
      // Without the argocd-cm, the folder's script is next.
      kubectl('dev', ['-n', cmNs, 'delete', 'configmap', 'argocd-cm']);
      await eventually('the folder decides', () => w2()?.message === 'from the folder');
      applyCm('(argocd-cm)');
      await eventually('argocd-cm back', () => w2()?.message === 'widget w2 ready (argocd-cm)');
    } finally {
      await engine.stop();
    }
  }, 180_000);

  it('Lua actions from argocd-cm and from the folder both run and patch the live object', async () => {
    const list = await cli(['action', 'lua-app', 'Widget/w1', '-o', 'json']);
    expect(list.code, list.stderr).toBe(0);
    const names = (JSON.parse(list.stdout) as { actions: { name: string; source: string }[] }).actions
      .filter((a) => a.source === 'lua')
      .map((a) => a.name)
      .sort();
    expect(names).toEqual(['grow', 'reset']);
    const live = () =>
      JSON.parse(kubectl('dev', ['-n', ns, 'get', `widgets.${group}`, 'w1', '-o', 'json'])) as {
        metadata: { labels?: Record<string, string> };
        spec: { size: number };
        status?: { grown?: boolean };
      };
    const grow = await cli(['action', 'lua-app', 'Widget/w1', 'grow', '--yes']);
    expect(grow.code, grow.stderr).toBe(0);
    expect(live().spec.size).toBe(13);
    expect(live().status?.grown).toBe(true);
    const reset = await cli(['action', 'lua-app', 'Widget/w1', 'reset', '--yes']);
    expect(reset.code, reset.stderr).toBe(0);
    expect(live().spec.size).toBe(1);
    expect(live().metadata.labels?.['reset-by']).toBe('argocd-cm');
  }, 120_000);

  it('the console shows the custom health in the app row', { timeout: 180_000 }, async () => {
    const tui = await TmuxSession.start({
      name: 'health-lua',
      width: 160,
      height: 30,
      env: e2eEnv({
        XDG_CONFIG_HOME: mkdtempSync(join(tmpdir(), 'bosun-e2e-config-')),
        NODE_ENV: 'production',
      }),
    });
    try {
      setStatus('Widget', 'w2', { phase: 'Broken', reason: 'console check' });
      tui.run(
        `${process.execPath} ${join(root, 'bin/bosun.js')} --repo ${repo.work} --no-automation; echo "bosun exited with $?"`,
      );
      const row = (s: string) => s.split('\n').find((l) => /^[▶ ][◆ ]lua-calm /.test(l));
      // The fleet row shows the script's Degraded and its message.
      await tui.waitFor(
        'fleet-lua-calm-degraded',
        (s) => /[✓≠] ✗ .*widget w2 broken: console check/.test(row(s) ?? ''),
        90_000,
      );
      tui.keys('Tab');
      const list = await tui.waitFor(
        'list-lua-calm-message',
        (s) =>
          s.includes('─ Apps') &&
          s.split('\n').some((l) => l.includes('lua-calm') && l.includes('widget w2 broken: console check')),
        30_000,
      );
      expect(list.split('\n').find((l) => l.includes('lua-calm'))).toMatch(/Degraded/);
      // The other app's row carries the sandbox's verdict on its runaway scripts.
      expect(list.split('\n').find((l) => l.includes('lua-app'))).toMatch(/Unknown.*(memory|time) limit/);
      tui.keys('j', 'Enter');
      // The app's detail names where the selected resource's health came from.
      await tui.waitFor(
        'detail-health-source',
        (s) => s.includes('health from: health.lua from argocd-cm in dev'),
        30_000,
      );
    } finally {
      tui.kill();
    }
  });
});
