import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { KubeObject } from '../../../src/engine/model/index.js';
import { inputPaths, renderApp } from '../../../src/engine/render/index.js';
import {
  type HelmPlatform,
  type KustomizeShop,
  makeHelmPlatform,
  makeKustomizeShop,
  makeWavesRepo,
  shopTags,
  type WavesRepo,
} from '../../fixtures/repos/index.js';
import { fixtureSpec, type Loose, renderOpts, snapshotOf } from './helpers.js';

let shop: KustomizeShop;
let platform: HelmPlatform;
let waves: WavesRepo;

beforeAll(async () => {
  [shop, platform, waves] = await Promise.all([makeKustomizeShop(), makeHelmPlatform(), makeWavesRepo()]);
});

afterAll(async () => {
  await Promise.all([shop?.cleanup(), platform?.cleanup(), waves?.cleanup()]);
});

const kinds = (objs: KubeObject[]) => objs.map((o) => o.kind).sort();
const find = (objs: KubeObject[], kind: string) => objs.find((o) => o.kind === kind) as Loose;

describe('the Kustomize shop renders', () => {
  it('every app with the objects the fixture defines', async () => {
    const snap = await snapshotOf(shop);
    expect(shop.apps).toHaveLength(1 + 4 * 3);
    const results = await Promise.all(
      shop.apps.map((app) => renderApp(renderOpts(fixtureSpec(shop, app), snap))),
    );
    shop.apps.forEach((app, i) => {
      const r = results[i]!;
      if (!r.ok) throw new Error(`${app.name}: ${r.error}`);
      expect(r.revision).toBe(snap.sha);
      expect(r.cached).toBe(false);
      expect(r.objects, app.name).toHaveLength(app.objectCount);
      expect(kinds(r.objects), app.name).toEqual(
        app.kinds.length === 1 ? Array(app.objectCount).fill(app.kinds[0]) : app.kinds,
      );
    });
  });

  it('with the overlay image tag, replicas, resources and namespace', async () => {
    const snap = await snapshotOf(shop);
    for (const [env, replicas] of [
      ['dev', 1],
      ['staging', 2],
      ['prod', 3],
    ] as const) {
      const app = shop.apps.find((a) => a.name === `checkout-service-${env}`)!;
      const r = await renderApp(renderOpts(fixtureSpec(shop, app), snap));
      if (!r.ok) throw new Error(r.error);
      const dep = find(r.objects, 'Deployment');
      expect(dep.spec.template.spec.containers[0].image).toBe(
        `registry.local/shop/checkout-service:${shopTags[env]}`,
      );
      expect(dep.spec.replicas).toBe(replicas);
      expect(dep.metadata.namespace).toBe('shop');
      expect(dep.metadata.labels).toMatchObject({ environment: env, 'app.kubernetes.io/part-of': 'shop' });
      expect(dep.spec.template.spec.containers[0].resources.requests.cpu).toBe(
        { dev: '100m', staging: '200m', prod: '500m' }[env],
      );
    }
  });

  it('the root app renders the child Applications', async () => {
    const snap = await snapshotOf(shop);
    const root = shop.apps.find((a) => a.name === 'shop-root')!;
    const r = await renderApp(renderOpts(fixtureSpec(shop, root), snap));
    if (!r.ok) throw new Error(r.error);
    const child = r.objects.find((o) => o.metadata.name === 'order-service-prod') as Loose;
    expect(child.spec.destination).toEqual({ name: 'production', namespace: 'shop' });
    expect(child.spec.source.repoURL).toBe(shop.repoURL);
    expect(child.spec.syncPolicy.syncOptions).toEqual(['CreateNamespace=true', 'ServerSideApply=true']);
    expect(child.spec.ignoreDifferences[0].jsonPointers).toEqual(['/spec/replicas']);
  });

  it('input paths are the overlay and its base', async () => {
    const snap = await snapshotOf(shop);
    const app = shop.apps.find((a) => a.name === 'api-gateway-prod')!;
    expect(await inputPaths({ spec: fixtureSpec(shop, app), snapshotDir: snap.snapshotDir })).toEqual([
      'apps/api-gateway/base',
      'apps/api-gateway/overlays/prod',
    ]);
  });
});

describe('the Helm platform renders', () => {
  it('every generated app, multi-source with $values value files and a file:// library dependency', async () => {
    const snap = await snapshotOf(platform);
    expect(platform.apps).toHaveLength(9);
    const results = await Promise.all(
      platform.apps.map((app) => renderApp(renderOpts(fixtureSpec(platform, app), snap))),
    );
    platform.apps.forEach((app, i) => {
      const r = results[i]!;
      if (!r.ok) throw new Error(`${app.name}: ${r.error}`);
      expect(kinds(r.objects), app.name).toEqual(app.kinds);
      const dep = find(r.objects, 'Deployment');
      expect(dep.metadata.name).toBe(app.service);
      expect(dep.metadata.labels['helm.sh/chart']).toBe('service-0.3.0');
      expect(dep.spec.template.spec.containers[0].image).toMatch(
        new RegExp(`^registry.local/platform/${app.service}:`),
      );
    });
  });

  it('input paths are the chart, its local dependency and the value file', async () => {
    const snap = await snapshotOf(platform);
    const app = platform.apps.find((a) => a.name === 'search-staging')!;
    expect(await inputPaths({ spec: fixtureSpec(platform, app), snapshotDir: snap.snapshotDir })).toEqual([
      'charts/common',
      'charts/service',
      'environments/staging/search/values.yaml',
    ]);
  });
});

describe('the waves repository renders', () => {
  it('every billing app with its hook, waves and the JSON object in a subdirectory', async () => {
    const snap = await snapshotOf(waves);
    for (const app of waves.apps) {
      const r = await renderApp(renderOpts(fixtureSpec(waves, app), snap));
      if (!r.ok) throw new Error(`${app.name}: ${r.error}`);
      expect(kinds(r.objects)).toEqual(app.kinds);
      const job = find(r.objects, 'Job');
      expect(job.metadata.annotations).toMatchObject({
        'argocd.argoproj.io/hook': 'PreSync',
        'argocd.argoproj.io/sync-wave': '1',
        'argocd.argoproj.io/hook-delete-policy': 'BeforeHookCreation',
      });
      expect(find(r.objects, 'Deployment').metadata.annotations['argocd.argoproj.io/sync-wave']).toBe('2');
    }
    expect(waves.apps.filter((a) => a.violatesProject).map((a) => a.name)).toEqual(['billing-production']);
  });

  it('without recurse only the top-level files count', async () => {
    const snap = await snapshotOf(waves);
    const spec = fixtureSpec(waves, waves.apps[0]!);
    spec.sources = [{ repoURL: waves.repoURL, path: 'apps/billing' }];
    const r = await renderApp(renderOpts(spec, snap));
    if (!r.ok) throw new Error(r.error);
    expect(kinds(r.objects)).toEqual(['ConfigMap', 'Deployment', 'Job', 'Namespace', 'Service']);
  });
});
