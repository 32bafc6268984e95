import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { KubeObject } from '../../../src/engine/model/index.js';
import { renderApp } from '../../../src/engine/render/index.js';
import {
  commitFiles,
  type HelmPlatform,
  type KustomizeShop,
  makeHelmPlatform,
  makeKustomizeShop,
  yamlDocs,
} from '../../fixtures/repos/index.js';
import { type Loose, makeSpec, renderOpts, snapshotOf } from './helpers.js';

let shop: KustomizeShop;
let platform: HelmPlatform;

beforeAll(async () => {
  [shop, platform] = await Promise.all([
    makeKustomizeShop({ services: ['api-gateway'] }),
    makeHelmPlatform({ services: ['catalog'] }),
  ]);
});

afterAll(async () => {
  await Promise.all([shop?.cleanup(), platform?.cleanup()]);
});

type Obj = Loose;
const byKind = (objs: KubeObject[], kind: string) => objs.filter((o) => o.kind === kind) as Obj[];

async function ok(p: ReturnType<typeof renderApp>): Promise<KubeObject[]> {
  const r = await p;
  if (!r.ok) throw new Error(r.error);
  return r.objects;
}

describe('spec.source.kustomize overrides', () => {
  it('applies images, namePrefix, nameSuffix, namespace, commonLabels and commonAnnotations without editing the snapshot', async () => {
    const snap = await snapshotOf(shop);
    const spec = makeSpec({
      name: 'api-gateway-dev',
      sources: [
        {
          repoURL: shop.repoURL,
          path: 'apps/api-gateway/overlays/dev',
          kustomize: {
            images: ['registry.local/shop/api-gateway:v2.0.0'],
            namePrefix: 'blue-',
            nameSuffix: '-x',
            namespace: 'shop-blue',
            commonLabels: { team: 'edge' },
            commonAnnotations: { 'owner.example/pager': 'edge-oncall' },
          },
        },
      ],
    });
    const objs = await ok(renderApp(renderOpts(spec, snap)));
    const dep = byKind(objs, 'Deployment')[0]!;
    expect(dep.metadata.name).toBe('blue-api-gateway-x');
    expect(dep.metadata.namespace).toBe('shop-blue');
    expect(dep.metadata.labels.team).toBe('edge');
    expect(dep.metadata.annotations['owner.example/pager']).toBe('edge-oncall');
    expect(dep.spec.selector.matchLabels.team).toBe('edge');
    expect(dep.spec.template.spec.containers[0].image).toBe('registry.local/shop/api-gateway:v2.0.0');
    // references follow the rename
    expect(dep.spec.template.spec.containers[0].envFrom[0].configMapRef.name).toBe(
      'blue-api-gateway-config-x',
    );
    // the same app without overrides is untouched (the snapshot was not edited)
    const plain = await ok(
      renderApp(
        renderOpts(
          makeSpec({
            name: 'p',
            sources: [{ repoURL: shop.repoURL, path: 'apps/api-gateway/overlays/dev' }],
          }),
          snap,
        ),
      ),
    );
    expect(byKind(plain, 'Deployment')[0]!.metadata.name).toBe('api-gateway');
  });

  it('accepts image overrides with a new name and with a digest', async () => {
    const snap = await snapshotOf(shop);
    const digest = `sha256:${'a'.repeat(64)}`;
    const spec = makeSpec({
      name: 'x',
      sources: [
        {
          repoURL: shop.repoURL,
          path: 'apps/api-gateway/overlays/staging',
          kustomize: { images: [`registry.local/shop/api-gateway=mirror.local/api-gateway@${digest}`] },
        },
      ],
    });
    const dep = byKind(await ok(renderApp(renderOpts(spec, snap))), 'Deployment')[0]!;
    expect(dep.spec.template.spec.containers[0].image).toBe(`mirror.local/api-gateway@${digest}`);
  });
});

describe('spec.source.helm options', () => {
  const chart = (helm: Record<string, unknown>) =>
    makeSpec({
      name: 'catalog-prod',
      namespace: 'platform',
      sources: [{ repoURL: platform.repoURL, path: 'charts/service', helm }],
    });

  it('valueFiles relative to the chart (inside the repository), later files win', async () => {
    const snap = await snapshotOf(platform);
    const objs = await ok(
      renderApp(
        renderOpts(
          chart({ valueFiles: ['values.yaml', '../../environments/prod/catalog/values.yaml'] }),
          snap,
        ),
      ),
    );
    expect(byKind(objs, 'HorizontalPodAutoscaler')).toHaveLength(1);
    expect(byKind(objs, 'Deployment')[0]!.spec.template.spec.containers[0].image).toBe(
      'registry.local/platform/catalog:2.3.0',
    );
    expect(byKind(objs, 'Deployment')[0]!.metadata.name).toBe('catalog-prod'); // release name defaults to the app name
  });

  it('values, valuesObject and parameters in Argo CD order, with --set-string and escaped commas', async () => {
    const snap = await snapshotOf(platform);
    const objs = await ok(
      renderApp(
        renderOpts(
          chart({
            releaseName: 'cat',
            valueFiles: ['../../environments/prod/catalog/values.yaml'],
            valuesObject: { replicaCount: 7, autoscaling: { enabled: false }, image: { tag: 'from-object' } },
            parameters: [
              { name: 'image.tag', value: '9.9.9' },
              { name: 'env.LIST', value: 'a,b,c', forceString: true },
              { name: 'env.FLAG', value: 'true', forceString: true },
            ],
          }),
          snap,
        ),
      ),
    );
    const dep = byKind(objs, 'Deployment')[0]!;
    expect(dep.metadata.name).toBe('cat');
    expect(dep.spec.replicas).toBe(7);
    expect(byKind(objs, 'HorizontalPodAutoscaler')).toHaveLength(0);
    const c = dep.spec.template.spec.containers[0];
    expect(c.image).toBe('registry.local/platform/catalog:9.9.9');
    expect(c.env).toEqual(
      expect.arrayContaining([
        { name: 'LIST', value: 'a,b,c' },
        { name: 'FLAG', value: 'true' },
      ]),
    );
    const fromString = await ok(
      renderApp(renderOpts(chart({ values: 'replicaCount: 4\nservice:\n  port: 8081\n' }), snap)),
    );
    expect(byKind(fromString, 'Deployment')[0]!.spec.replicas).toBe(4);
    expect(byKind(fromString, 'Service')[0]!.spec.ports[0].port).toBe(8081);
  });

  it('renders into the destination namespace with CRDs included', async () => {
    await commitFiles(
      platform,
      {
        'charts/service/crds/widget.yaml': yamlDocs({
          apiVersion: 'apiextensions.k8s.io/v1',
          kind: 'CustomResourceDefinition',
          metadata: { name: 'widgets.platform.example' },
          spec: {
            group: 'platform.example',
            names: { kind: 'Widget', plural: 'widgets' },
            scope: 'Namespaced',
            versions: [
              { name: 'v1', served: true, storage: true, schema: { openAPIV3Schema: { type: 'object' } } },
            ],
          },
        }),
        'charts/service/templates/ns-check.yaml':
          'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ns-check\ndata:\n  ns: {{ .Release.Namespace }}\n',
      },
      'crd and namespace probe',
    );
    const snap = await snapshotOf(platform);
    const objs = await ok(renderApp(renderOpts(chart({}), snap)));
    expect(byKind(objs, 'CustomResourceDefinition')).toHaveLength(1);
    expect(byKind(objs, 'ConfigMap')[0]!.data.ns).toBe('platform');
  });

  it('ignoreMissingValueFiles skips a missing file; without it the render fails', async () => {
    const snap = await snapshotOf(platform);
    const missing = ['../../environments/qa/catalog/values.yaml'];
    await ok(renderApp(renderOpts(chart({ valueFiles: missing, ignoreMissingValueFiles: true }), snap)));
    const r = await renderApp(renderOpts(chart({ valueFiles: missing }), snap));
    expect(r).toMatchObject({
      ok: false,
      error: 'value file "../../environments/qa/catalog/values.yaml" not found in the repository',
    });
  });

  it('uses vendored charts/ subcharts as they are', async () => {
    await commitFiles(
      platform,
      {
        'charts/vendored/Chart.yaml': yamlDocs({
          apiVersion: 'v2',
          name: 'vendored',
          version: '1.0.0',
          dependencies: [{ name: 'sub', version: '0.1.0', repository: 'https://charts.example.invalid' }],
        }),
        'charts/vendored/templates/cm.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: parent\n',
        'charts/vendored/charts/sub/Chart.yaml': yamlDocs({
          apiVersion: 'v2',
          name: 'sub',
          version: '0.1.0',
        }),
        'charts/vendored/charts/sub/templates/cm.yaml':
          'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: sub\n',
      },
      'vendored chart',
    );
    const snap = await snapshotOf(platform);
    const spec = makeSpec({ name: 'v', sources: [{ repoURL: platform.repoURL, path: 'charts/vendored' }] });
    const objs = await ok(renderApp(renderOpts(spec, snap)));
    expect(objs.map((o) => o.metadata.name).sort()).toEqual(['parent', 'sub']);
  });
});
