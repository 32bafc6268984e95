/**
 * Helm charts see what their destination cluster serves, as Argo CD passes it to `helm template`
 * (`--kube-version`, `--api-versions`): a chart that gates an object on a CRD renders it for the
 * cluster that has the CRD and not for the one that lacks it. Real API servers, real helm and
 * bosun-helm-render.
 */
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { type BosunEngine, createEngine, realAdapters } from '../../src/engine/index.js';
import { commitFiles, type HelmPlatform, makeHelmPlatform } from '../fixtures/repos/index.js';
import { bosun, kubectl } from './helpers.js';

type AppJson = { name: string; context: string | null; resources: { key: string }[]; conditions: unknown[] };

const crd = {
  apiVersion: 'apiextensions.k8s.io/v1',
  kind: 'CustomResourceDefinition',
  metadata: { name: 'probes.caps.bosun.dev' },
  spec: {
    group: 'caps.bosun.dev',
    names: { kind: 'Probe', plural: 'probes', singular: 'probe' },
    scope: 'Namespaced',
    versions: [
      {
        name: 'v1',
        served: true,
        storage: true,
        schema: { openAPIV3Schema: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true } },
      },
    ],
  },
};

describe('Helm charts see their destination cluster', () => {
  let platform: HelmPlatform;
  let stagingContext = '';

  beforeAll(async () => {
    platform = await makeHelmPlatform({ services: ['catalog'], envs: ['dev', 'staging'] });
    await commitFiles(
      platform,
      {
        'charts/service/templates/caps.yaml': [
          '{{- if .Capabilities.APIVersions.Has "caps.bosun.dev/v1/Probe" }}',
          'apiVersion: v1',
          'kind: ConfigMap',
          'metadata:',
          '  name: {{ .Release.Name }}-probe-enabled',
          'data:',
          '  kube: {{ .Capabilities.KubeVersion.Version | quote }}',
          '{{- end }}',
          '',
        ].join('\n'),
      },
      'gate a ConfigMap on the Probe CRD',
    );
  });

  let engine: BosunEngine | undefined;

  afterAll(async () => {
    await engine?.stop();
    if (stagingContext)
      kubectl(stagingContext, ['delete', 'crd', crd.metadata.name, '--ignore-not-found', '--wait=false']);
    await platform?.cleanup();
  });

  it('renders the gated object only for the cluster that serves the CRD', async () => {
    const list = async () => {
      const r = await bosun(['apps', '--repo', platform.work, '-o', 'json']);
      expect(r.code, r.stderr).toBe(0);
      return (JSON.parse(r.stdout) as { apps: AppJson[] }).apps;
    };
    const gated = (a: AppJson | undefined) =>
      a?.resources.some((r) => r.key.endsWith('-probe-enabled')) ?? false;
    const before = await list();
    const staging = before.find((a) => a.name === 'catalog-staging');
    const dev = before.find((a) => a.name === 'catalog-dev');
    expect(staging?.conditions).toEqual([]);
    expect([gated(dev), gated(staging)]).toEqual([false, false]);
    stagingContext = staging?.context ?? '';
    expect(stagingContext).not.toBe(dev?.context);

    kubectl(stagingContext, ['apply', '-f', '-'], JSON.stringify(crd));
    kubectl(stagingContext, [
      'wait',
      '--for=condition=Established',
      `crd/${crd.metadata.name}`,
      '--timeout=30s',
    ]);
    const after = await list();
    expect(gated(after.find((a) => a.name === 'catalog-staging'))).toBe(true);
    expect(gated(after.find((a) => a.name === 'catalog-dev'))).toBe(false);
  });

  it('a running engine re-renders when the CRD goes and comes back (as Argo CD at its next refresh)', async () => {
    expect(stagingContext).not.toBe('');
    const cp = inject('controlPlane');
    // helm and kustomize of the control plane's build, as the CLI runs get them.
    process.env.PATH = `${cp.binDir}:${process.env.PATH}`;
    engine = createEngine(
      {
        repoPath: platform.work,
        kubeconfig: cp.kubeconfig,
        cacheDir: `${cp.runDir}/cache-caps`,
        discoveryRefreshMs: 500,
      },
      realAdapters(),
    );
    await engine.start();
    const gated = () =>
      engine
        ?.getSnapshot()
        .apps.find((a) => a.name === 'catalog-staging')
        ?.resources.some((r) => r.key.name.endsWith('-probe-enabled')) ?? false;
    const until = async (want: boolean) => {
      for (let i = 0; i < 100 && gated() !== want; i++) await new Promise((r) => setTimeout(r, 200));
      return gated();
    };
    const app = engine.getSnapshot().apps.find((a) => a.name === 'catalog-staging');
    expect(
      app?.resources.map((r) => r.key.name),
      JSON.stringify(app?.conditions),
    ).toContain('catalog-probe-enabled');
    kubectl(stagingContext, ['delete', 'crd', crd.metadata.name, '--wait=true', '--timeout=30s']);
    expect(await until(false)).toBe(false);
    kubectl(stagingContext, ['apply', '-f', '-'], JSON.stringify(crd));
    expect(await until(true)).toBe(true);
  });
});
