import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AppSpec, RenderResult } from '../../../src/engine/model/index.js';
import { RenderCache, stableStringify } from '../../../src/engine/render/index.js';
import {
  commitFiles,
  type HelmPlatform,
  type KustomizeShop,
  makeHelmPlatform,
  makeKustomizeShop,
  yamlDocs,
} from '../../fixtures/repos/index.js';
import { bins, fixtureSpec, type Loose, snapshotOf } from './helpers.js';

let shop: KustomizeShop;
let platform: HelmPlatform;
let cacheDir: string;

beforeAll(async () => {
  [shop, platform] = await Promise.all([
    makeKustomizeShop({ services: ['api-gateway', 'checkout-service'], envs: ['dev', 'prod'] }),
    makeHelmPlatform({ services: ['catalog', 'search'], envs: ['dev'] }),
  ]);
  cacheDir = await mkdtemp(join(tmpdir(), 'bosun-render-cache-'));
});

afterAll(async () => {
  await Promise.all([shop?.cleanup(), platform?.cleanup(), rm(cacheDir, { recursive: true, force: true })]);
});

async function renderAt(
  cache: RenderCache,
  repo: KustomizeShop | HelmPlatform,
  spec: AppSpec,
  rev = 'main',
): Promise<RenderResult> {
  const snap = await snapshotOf(repo, rev);
  return cache.render({
    spec,
    snapshotDir: snap.snapshotDir,
    revision: snap.sha,
    objectId: (p) => snap.git.objectId(snap.sha, p),
    ...bins(),
  });
}

const app = (repo: KustomizeShop | HelmPlatform, name: string) =>
  fixtureSpec(repo, repo.apps.find((a) => a.name === name)!);

describe('RenderCache', () => {
  it('never renders an unchanged app twice; a commit re-renders only the apps it touched', async () => {
    const cache = new RenderCache({ cacheDir });
    const gw = app(shop, 'api-gateway-dev');
    const co = app(shop, 'checkout-service-dev');
    const a1 = await renderAt(cache, shop, gw);
    const c1 = await renderAt(cache, shop, co);
    expect(a1).toMatchObject({ ok: true, cached: false });
    expect(c1).toMatchObject({ ok: true, cached: false });
    const a2 = await renderAt(cache, shop, gw);
    expect(a2).toMatchObject({ ok: true, cached: true });
    expect(a2.ok && a1.ok && a2.cacheKey).toBe(a1.ok && a1.cacheKey);
    expect(cache.stats()).toMatchObject({ hits: 1, misses: 2 });

    // a commit touching api-gateway's base
    const sha = await commitFiles(
      shop,
      {
        'apps/api-gateway/base/configmap.yaml': yamlDocs({
          apiVersion: 'v1',
          kind: 'ConfigMap',
          metadata: { name: 'api-gateway-config' },
          data: { SERVICE_NAME: 'api-gateway', LOG_LEVEL: 'debug' },
        }),
      },
      'api-gateway: debug logging',
    );
    const a3 = await renderAt(cache, shop, gw);
    expect(a3).toMatchObject({ ok: true, cached: false, revision: sha });
    expect(a3.ok && a3.cacheKey).not.toBe(a1.ok && a1.cacheKey);
    const cmData =
      a3.ok && (a3.objects.find((o) => o.kind === 'ConfigMap') as { data?: Record<string, string> }).data;
    expect(cmData).toMatchObject({ LOG_LEVEL: 'debug' });
    const c3 = await renderAt(cache, shop, co);
    expect(c3).toMatchObject({ ok: true, cached: true, revision: sha });
    expect(c3.ok && c3.cacheKey).toBe(c1.ok && c1.cacheKey);
  });

  it('a commit elsewhere in the repository (the Applications, a README) hits for every app', async () => {
    const cache = new RenderCache();
    const specs = shop.apps.filter((a) => a.name !== 'shop-root').map((a) => fixtureSpec(shop, a));
    for (const s of specs) expect(await renderAt(cache, shop, s)).toMatchObject({ ok: true, cached: false });
    await commitFiles(shop, { 'README.md': '# shop\n\nNow with more words.\n' }, 'docs');
    for (const s of specs) expect(await renderAt(cache, shop, s)).toMatchObject({ ok: true, cached: true });
  });

  it('different source options miss; targetRevision alone does not', async () => {
    const cache = new RenderCache();
    const base = app(shop, 'api-gateway-prod');
    await renderAt(cache, shop, base);
    const otherRev = { ...base, sources: base.sources.map((s) => ({ ...s, targetRevision: 'v9' })) };
    expect(await renderAt(cache, shop, otherRev)).toMatchObject({ cached: true });
    const prefixed = {
      ...base,
      sources: base.sources.map((s) => ({ ...s, kustomize: { namePrefix: 'x-' } })),
    };
    const r = await renderAt(cache, shop, prefixed);
    expect(r).toMatchObject({ ok: true, cached: false });
    expect(r.ok && r.objects.every((o) => o.metadata.name.startsWith('x-'))).toBe(true);
  });

  it('a Helm app misses when its value file changes, not when another service’s does', async () => {
    const cache = new RenderCache();
    const catalog = app(platform, 'catalog-dev');
    const search = app(platform, 'search-dev');
    await renderAt(cache, platform, catalog);
    await renderAt(cache, platform, search);
    await commitFiles(
      platform,
      {
        'environments/dev/catalog/values.yaml':
          'replicaCount: 5\nimage:\n  repository: registry.local/platform/catalog\n  tag: 2.5.0\n',
      },
      'catalog 2.5.0',
    );
    const c = await renderAt(cache, platform, catalog);
    expect(c).toMatchObject({ ok: true, cached: false });
    expect(c.ok && (c.objects.find((o) => o.kind === 'Deployment') as Loose).spec.replicas).toBe(5);
    expect(await renderAt(cache, platform, search)).toMatchObject({ ok: true, cached: true });
    // the chart's local dependency feeds every app
    await commitFiles(
      platform,
      {
        'charts/common/templates/_labels.tpl':
          '{{- define "common.labels" -}}\napp.kubernetes.io/name: {{ .Release.Name }}\ntier: backend\n{{- end -}}\n',
      },
      'labels',
    );
    const s = await renderAt(cache, platform, search);
    expect(s).toMatchObject({ ok: true, cached: false });
    expect(s.ok && s.objects[0]!.metadata.labels).toMatchObject({ tier: 'backend' });
  });

  it('persists on disk: a new cache over the same directory hits without rendering', async () => {
    const files = await readdir(join(cacheDir, 'render'));
    expect(files.filter((f) => f.endsWith('.json')).length).toBeGreaterThan(0);
    const fresh = new RenderCache({ cacheDir });
    const r = await renderAt(fresh, shop, app(shop, 'checkout-service-dev'));
    expect(r).toMatchObject({ ok: true, cached: true });
    expect(fresh.stats()).toMatchObject({ diskHits: 1, misses: 0 });
  });

  it('does not keep failures, and concurrent renders of one key render once', async () => {
    const cache = new RenderCache();
    const broken = {
      ...app(shop, 'api-gateway-dev'),
      sources: [{ repoURL: shop.repoURL, path: 'apps/nope' }],
    };
    expect(await renderAt(cache, shop, broken)).toMatchObject({ ok: false });
    expect(await renderAt(cache, shop, broken)).toMatchObject({ ok: false });
    expect(cache.stats()).toMatchObject({ hits: 0, entries: 0 });
    const spec = app(shop, 'checkout-service-prod');
    const results = await Promise.all([
      renderAt(cache, shop, spec),
      renderAt(cache, shop, spec),
      renderAt(cache, shop, spec),
    ]);
    expect(results.every((r) => r.ok)).toBe(true);
    expect(results.filter((r) => r.ok && !r.cached)).toHaveLength(1);
  });

  it('hashes options independently of key order', () => {
    expect(stableStringify({ b: 1, a: { d: [1, { y: 2, x: 1 }], c: undefined } })).toBe(
      '{"a":{"d":[1,{"x":1,"y":2}]},"b":1}',
    );
  });
});
