import { spawnSync } from 'node:child_process';
import { chmod, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AppSpec } from '../../../src/engine/model/index.js';
import { HelmRenderServer, helmRenderPath, helmServerFor } from '../../../src/engine/render/helm-server.js';
import { renderApp } from '../../../src/engine/render/index.js';
import { commitFiles, type HelmPlatform, makeHelmPlatform } from '../../fixtures/repos/index.js';
import { bins, fixtureSpec, makeSpec, renderOpts, snapshotOf } from './helpers.js';

// The renderer is built by `bash tools/helm-render/build.sh`, which `npm test` runs first.
const rendererPath = helmRenderPath();
let platform: HelmPlatform;
let tmp: string;

/** Renders with `helm template` processes (BOSUN_HELM_RENDER=off), then through the shared renderer. */
async function bothWays(run: () => ReturnType<typeof renderApp>) {
  const saved = process.env.BOSUN_HELM_RENDER;
  process.env.BOSUN_HELM_RENDER = 'off';
  let cli: Awaited<ReturnType<typeof renderApp>>;
  try {
    cli = await run();
  } finally {
    if (saved === undefined) delete process.env.BOSUN_HELM_RENDER;
    else process.env.BOSUN_HELM_RENDER = saved;
  }
  const server = await helmServerFor(bins().helmBin);
  const before = server?.answered ?? 0;
  const served = await run();
  // The second render went through the renderer, not a fallback to `helm template`.
  expect((server?.answered ?? 0) - before).toBeGreaterThan(0);
  return { cli, served };
}

const chart = {
  'charts/edge/Chart.yaml': 'apiVersion: v2\nname: edge\nversion: 1.2.3\nappVersion: "9.9"\n',
  'charts/edge/values.yaml': 'replicas: 1\nlabels: {}\nlist: []\nsidecar:\n  enabled: false\n',
  'charts/edge/crds/widget.yaml':
    'apiVersion: apiextensions.k8s.io/v1\nkind: CustomResourceDefinition\nmetadata:\n  name: widgets.example.com\nspec:\n  group: example.com\n  names: {kind: Widget, plural: widgets}\n  scope: Namespaced\n  versions: [{name: v1, served: true, storage: true, schema: {openAPIV3Schema: {type: object}}}]\n',
  'charts/edge/templates/_helpers.tpl':
    '{{- define "edge.name" -}}{{ .Release.Name }}-{{ .Chart.Name }}{{- end }}\n',
  'charts/edge/templates/deploy.yaml': [
    'apiVersion: apps/v1',
    'kind: Deployment',
    'metadata:',
    '  name: {{ include "edge.name" . }}',
    '  namespace: {{ .Release.Namespace }}',
    '  labels:',
    '    {{- toYaml .Values.labels | nindent 4 }}',
    '    kube: {{ .Capabilities.KubeVersion.Minor | quote }}',
    'spec:',
    '  replicas: {{ .Values.replicas }}',
    '  selector: {matchLabels: {app: edge}}',
    '  template:',
    '    metadata: {labels: {app: edge}}',
    '    spec:',
    '      containers:',
    '        - name: app',
    '          image: "nginx:{{ .Chart.AppVersion }}"',
    '          args: {{ toJson .Values.list }}',
    '        {{- if .Values.sidecar.enabled }}',
    '        - name: sidecar',
    '          image: {{ required "sidecar.image is required" .Values.sidecar.image }}',
    '        {{- end }}',
  ].join('\n'),
  'charts/edge/templates/hook.yaml':
    'apiVersion: batch/v1\nkind: Job\nmetadata:\n  name: {{ .Release.Name }}-migrate\n  annotations: {"helm.sh/hook": pre-install}\nspec:\n  template:\n    spec: {restartPolicy: Never, containers: [{name: m, image: busybox}]}\n',
  'charts/edge/templates/lookup.yaml':
    'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {{ .Release.Name }}-seen\ndata:\n  found: {{ (lookup "v1" "Namespace" "" "kube-system") | empty | quote }}\n  text: {{ tpl "{{ .Release.Name }}-tpl" . }}\n',
  'charts/edge/charts/sub/Chart.yaml': 'apiVersion: v2\nname: sub\nversion: 0.1.0\n',
  'charts/edge/charts/sub/templates/cm.yaml':
    'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: sub-{{ .Release.Name }}\ndata:\n  parent: {{ .Values.global.owner | default "none" | quote }}\n',
  'charts/latin1/Chart.yaml': 'apiVersion: v2\nname: latin1\nversion: 0.1.0\n',
  'charts/latin1/templates/ok.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ok\n',
  'charts/latin1/templates/cm.yaml':
    'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: latin1\ndata:\n  a: {{ "gr\\xf6\\xdfe" }}\n',
  'charts/caps/Chart.yaml': 'apiVersion: v2\nname: caps\nversion: 0.1.0\n',
  'charts/caps/templates/caps.yaml': [
    'apiVersion: v1',
    'kind: ConfigMap',
    'metadata: {name: caps}',
    'data:',
    '  kube: {{ .Capabilities.KubeVersion.Version | quote }}',
    '  ingress: {{ if semverCompare ">=1.19-0" .Capabilities.KubeVersion.GitVersion }}networking.k8s.io/v1{{ else }}extensions/v1beta1{{ end }}',
    '{{- if .Capabilities.APIVersions.Has "monitoring.coreos.com/v1/ServiceMonitor" }}',
    '---',
    'apiVersion: monitoring.coreos.com/v1',
    'kind: ServiceMonitor',
    'metadata: {name: caps}',
    'spec: {selector: {}}',
    '{{- end }}',
    '',
  ].join('\n'),
  'envs/prod.yaml': 'replicas: 3\nlabels:\n  tier: front\nglobal:\n  owner: sre\n',
};

beforeAll(async () => {
  tmp = await mkdtemp(join(tmpdir(), 'bosun-helm-server-'));
  platform = await makeHelmPlatform({ services: ['catalog', 'checkout'] });
  await commitFiles(platform, chart, 'edge chart');
});

afterAll(async () => {
  await platform?.cleanup();
  if (tmp) await rm(tmp, { recursive: true, force: true });
});

function edgeSpec(helm: NonNullable<AppSpec['sources'][0]['helm']>, namespace = 'edge-prod'): AppSpec {
  return makeSpec({
    name: 'edge-prod',
    namespace,
    sources: [{ repoURL: platform.repoURL, targetRevision: 'main', path: 'charts/edge', helm }],
  });
}

describe('bosun-helm-render', () => {
  it('is built and renders like the helm binary the tests use', async () => {
    expect(rendererPath, 'run bash tools/helm-render/build.sh').toBeDefined();
    expect(await helmServerFor(bins().helmBin)).toBeInstanceOf(HelmRenderServer);
  });

  it('renders every app of the Helm platform exactly as `helm template` does', async () => {
    const snap = await snapshotOf(platform);
    for (const app of platform.apps) {
      const spec = fixtureSpec(platform, app);
      const { cli, served } = await bothWays(() => renderApp(renderOpts(spec, snap)));
      if (!cli.ok) throw new Error(`${app.name}: ${cli.error}`);
      expect(served, app.name).toEqual(cli);
      expect(cli.objects.length, app.name).toBeGreaterThan(0);
    }
  });

  it('renders CRDs, hooks, subcharts, value files, --set lists and escaped commas, --set-string and the namespace as helm does', async () => {
    const snap = await snapshotOf(platform);
    const spec = edgeSpec({
      releaseName: 'edge',
      valueFiles: ['../../envs/prod.yaml'],
      values: 'labels:\n  inline: "yes"\n',
      parameters: [
        { name: 'list', value: '{a,b}' },
        { name: 'labels.csv', value: 'x,y', forceString: true },
        { name: 'replicas', value: '5' },
        { name: 'labels.num', value: '10', forceString: true },
      ],
    });
    const { cli, served } = await bothWays(() => renderApp(renderOpts(spec, snap)));
    if (!cli.ok) throw new Error(cli.error);
    expect(served).toEqual(cli);
    const kinds = cli.objects.map((o) => `${o.kind}/${o.metadata.name}`).sort();
    expect(kinds).toEqual([
      'ConfigMap/edge-seen',
      'ConfigMap/sub-edge',
      'CustomResourceDefinition/widgets.example.com',
      'Deployment/edge-edge',
      'Job/edge-migrate',
    ]);
    // biome-ignore lint/suspicious/noExplicitAny: deep spec fields of a rendered Deployment
    const dep = cli.objects.find((o) => o.kind === 'Deployment') as any;
    expect(dep.spec.replicas).toBe(5);
    expect(dep.metadata.labels).toMatchObject({ tier: 'front', inline: 'yes', csv: 'x,y', num: '10' });
    expect(dep.spec.template.spec.containers[0].args).toEqual(['a', 'b']);
  });

  it('fails with the same one line as `helm template`', async () => {
    const snap = await snapshotOf(platform);
    const cases = [
      edgeSpec({ parameters: [{ name: 'sidecar.enabled', value: 'true' }] }),
      edgeSpec({ parameters: [{ name: 'a[', value: '1' }] }),
      edgeSpec({ values: 'replicas: [unclosed\n' }),
    ];
    for (const spec of cases) {
      const { cli, served } = await bothWays(() => renderApp(renderOpts(spec, snap)));
      expect(cli.ok).toBe(false);
      expect(served).toEqual(cli);
    }
    const latin1 = makeSpec({
      name: 'latin1',
      sources: [{ repoURL: platform.repoURL, targetRevision: 'main', path: 'charts/latin1' }],
    });
    const { cli, served } = await bothWays(() => renderApp(renderOpts(latin1, snap)));
    // helm itself refuses bytes that are not UTF-8 (its YAML check); both ways say so alike.
    expect(cli.ok ? '' : cli.error).toContain('latin1/templates/cm.yaml');
    expect(served).toEqual(cli);
    const required = await renderApp(renderOpts(cases[0]!, snap));
    expect(required.ok ? '' : required.error).toContain('sidecar.image is required');
  });

  it("passes the destination's Kubernetes version and API versions as Argo CD does, the source's helm.kubeVersion / apiVersions first", async () => {
    const snap = await snapshotOf(platform);
    const spec = (helm?: NonNullable<AppSpec['sources'][0]['helm']>) =>
      makeSpec({
        name: 'caps',
        sources: [
          {
            repoURL: platform.repoURL,
            targetRevision: 'main',
            path: 'charts/caps',
            ...(helm ? { helm } : {}),
          },
        ],
      });
    const cluster = {
      kubeVersion: '1.18',
      apiVersions: ['monitoring.coreos.com/v1', 'monitoring.coreos.com/v1/ServiceMonitor'],
    };
    const withCluster = await bothWays(() =>
      renderApp({ ...renderOpts(spec(), snap), capabilities: cluster }),
    );
    if (!withCluster.cli.ok) throw new Error(withCluster.cli.error);
    expect(withCluster.served).toEqual(withCluster.cli);
    // biome-ignore lint/suspicious/noExplicitAny: data of a rendered ConfigMap
    const cm = (objs: { kind: string }[]) => objs.find((o) => o.kind === 'ConfigMap') as any;
    expect(cm(withCluster.cli.objects).data).toEqual({ kube: 'v1.18', ingress: 'extensions/v1beta1' });
    expect(withCluster.cli.objects.map((o) => o.kind).sort()).toEqual(['ConfigMap', 'ServiceMonitor']);
    const overridden = await bothWays(() =>
      renderApp({
        ...renderOpts(spec({ kubeVersion: 'v1.30.2-eks.1', apiVersions: ['v1'] }), snap),
        capabilities: cluster,
      }),
    );
    if (!overridden.cli.ok) throw new Error(overridden.cli.error);
    expect(overridden.served).toEqual(overridden.cli);
    expect(cm(overridden.cli.objects).data).toEqual({ kube: 'v1.30.2', ingress: 'networking.k8s.io/v1' });
    expect(overridden.cli.objects.map((o) => o.kind)).toEqual(['ConfigMap']);
    const bad = await renderApp({ ...renderOpts(spec({ kubeVersion: 'latest' }), snap) });
    expect(bad).toMatchObject({ ok: false, error: 'could not parse kubernetes version latest' });
  });

  it('keeps a process that only waits for it alive, and lets it exit when idle (no unsettled await, no hang)', async () => {
    // A CLI whose only pending work is the renderer's greeting or a render must not exit early
    // (Node's exit code 13), and must exit once it is done.
    const script = join(tmp, 'only-helm.mts');
    const modUrl = new URL('../../../src/engine/render/helm-server.ts', import.meta.url).href;
    await writeFile(
      script,
      `import { helmServerFor } from ${JSON.stringify(modUrl)};\nconst s = await helmServerFor(${JSON.stringify(bins().helmBin)});\nconsole.log(s ? await s.version() : 'none');\n`,
    );
    const r = spawnSync(process.execPath, ['--import', 'tsx', script], { encoding: 'utf8', timeout: 30_000 });
    expect({ code: r.status, out: r.stdout.trim() }).toEqual({ code: 0, out: 'v3.21.4' });
  });

  it('gives up a render at its time limit, and the next render starts a new renderer', async () => {
    const server = new HelmRenderServer(rendererPath!);
    const chartDir = join(tmp, 'slow');
    await mkdir(join(chartDir, 'templates'), { recursive: true });
    await writeFile(join(chartDir, 'Chart.yaml'), 'apiVersion: v2\nname: slow\nversion: 0.1.0\n');
    await writeFile(
      join(chartDir, 'templates', 'cm.yaml'),
      'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: slow}\ndata:\n{{- range $i := until 400000 }}\n  k{{ $i }}: "{{ sha256sum (toString $i) }}"\n{{- end }}\n',
    );
    const req = { release: 'slow', chart: chartDir, valueFiles: [], set: [], setString: [] };
    const first = await server.render(req, { timeoutMs: 50, maxBytes: 1 << 30 });
    expect(first).toMatchObject({ ok: false, reason: 'timeout' });
    const small = { ...req, set: [] };
    await writeFile(
      join(chartDir, 'templates', 'cm.yaml'),
      'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: fast}\n',
    );
    const second = await server.render(small, { timeoutMs: 30_000, maxBytes: 1 << 30 });
    expect(second.ok ? second.stdout : second).toContain('name: fast');
    const tooBig = await server.render(small, { timeoutMs: 30_000, maxBytes: 10 });
    expect(tooBig).toMatchObject({ ok: false, reason: 'too-big' });
    server.close();
  });

  it('is not used for a helm that renders differently (another version, another default Kubernetes version), nor when BOSUN_HELM_RENDER=off', async () => {
    const old = join(tmp, 'old', 'helm');
    await mkdir(dirname(old), { recursive: true });
    await writeFile(old, '#!/bin/sh\necho "v3.0.0+g0000000"\n');
    await chmod(old, 0o755);
    expect(await helmServerFor(old)).toBeUndefined();
    // The same helm, but charts see another .Capabilities.KubeVersion (as a helm built without the
    // release Makefile's ldflags would).
    const kube = join(tmp, 'kube130', 'helm');
    await mkdir(dirname(kube), { recursive: true });
    await writeFile(
      kube,
      `#!/bin/sh\nif [ "$1" = template ]; then exec ${bins().helmBin} "$@" --kube-version 1.30.0; fi\nexec ${bins().helmBin} "$@"\n`,
    );
    await chmod(kube, 0o755);
    expect(await helmServerFor(kube)).toBeUndefined();
    expect(await helmServerFor(bins().helmBin)).toBeInstanceOf(HelmRenderServer);
    expect(helmRenderPath({ BOSUN_HELM_RENDER: 'off' })).toBeUndefined();
  });
});
