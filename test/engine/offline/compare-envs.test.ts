import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { binPath } from '../../../src/demo/controlplane/bins.js';
import type { HelmPlatform } from '../../../src/demo/repos/helm-platform.js';
import { CompareError, compareEnvironments } from '../../../src/engine/offline/index.js';
import {
  commitFiles,
  type KustomizeShop,
  makeHelmPlatform,
  makeKustomizeShop,
} from '../../fixtures/repos/index.js';

/** `bosun compare`: one service in two environments, offline, on the fixture repositories (issue 17). */

let shop: KustomizeShop;
let platform: HelmPlatform;
const savedPath = process.env.PATH;

beforeAll(async () => {
  process.env.PATH = `${dirname(binPath('kustomize'))}:${savedPath ?? ''}`;
  [shop, platform] = await Promise.all([
    makeKustomizeShop({ services: ['checkout-service'] }),
    makeHelmPlatform({ services: ['catalog'] }),
  ]);
});

afterAll(async () => {
  process.env.PATH = savedPath;
  await Promise.all([shop?.cleanup(), platform?.cleanup()]);
});

describe('compareEnvironments', () => {
  it('kustomize: only image tag, replicas, resources and the prod-only HPA remain', async () => {
    const c = await compareEnvironments({
      repoPath: shop.work,
      service: 'checkout-service',
      envA: 'staging',
      envB: 'prod',
    });
    expect(c.a).toMatchObject({ app: 'checkout-service-staging', environment: 'staging' });
    expect(c.b.error).toBeUndefined();
    const byName = Object.fromEntries(c.resources.map((r) => [r.resource, r]));
    expect(byName['Service/checkout-service']?.status).toBe('same');
    expect(byName['ConfigMap/checkout-service-config']?.status).toBe('same');
    expect(byName['autoscaling/HorizontalPodAutoscaler/checkout-service']?.status).toBe('only-b');
    const dep = byName['apps/Deployment/checkout-service'];
    expect(dep?.status).toBe('changed');
    expect(dep?.changedPaths.sort()).toEqual([
      '/spec/replicas',
      '/spec/template/spec/containers/0/image',
      '/spec/template/spec/containers/0/resources/limits/memory',
      '/spec/template/spec/containers/0/resources/requests/cpu',
      '/spec/template/spec/containers/0/resources/requests/memory',
    ]);
    expect(dep?.diff).toMatch(/^- +image: registry.local\/shop\/checkout-service:v1.47.2$/m);
    expect(dep?.diff).toMatch(/^\+ +image: registry.local\/shop\/checkout-service:v1.47.1$/m);
    // The `environment: staging|prod` label is folded; it is not a difference.
    expect(dep?.diff).not.toMatch(/^[-+].*environment:/m);
    expect(c.identical).toBe(false);
    const files = c.files.map((f) => [f.a ?? null, f.b ?? null, f.diff === '' ? 'same' : 'differs']);
    expect(files).toEqual([
      [null, 'apps/checkout-service/overlays/prod/hpa.yaml', 'differs'],
      [
        'apps/checkout-service/overlays/staging/kustomization.yaml',
        'apps/checkout-service/overlays/prod/kustomization.yaml',
        'differs',
      ],
      [
        'apps/checkout-service/overlays/staging/replicas.yaml',
        'apps/checkout-service/overlays/prod/replicas.yaml',
        'differs',
      ],
      [
        'apps/checkout-service/overlays/staging/resources.yaml',
        'apps/checkout-service/overlays/prod/resources.yaml',
        'differs',
      ],
    ]);
    expect(c.files[1]?.diff).toContain('+  - hpa.yaml');
  });

  it('helm: value files paired across environments, and the prod-only HPA', async () => {
    const c = await compareEnvironments({
      repoPath: platform.work,
      service: 'catalog',
      envA: 'dev',
      envB: 'prod',
    });
    expect([c.a.error, c.b.error]).toEqual([undefined, undefined]);
    const status = Object.fromEntries(c.resources.map((r) => [r.resource, r.status]));
    expect(status).toEqual({
      'apps/Deployment/catalog': 'changed',
      'autoscaling/HorizontalPodAutoscaler/catalog': 'only-b',
      'Service/catalog': 'same',
    });
    expect(c.files.map((f) => [f.a, f.b])).toEqual([
      ['environments/dev/catalog/values.yaml', 'environments/prod/catalog/values.yaml'],
    ]);
  });

  it('the same environment twice is identical; a Secret differs by key only, its values never shown', async () => {
    const same = await compareEnvironments({
      repoPath: shop.work,
      service: 'checkout-service',
      envA: 'dev',
      envB: 'dev',
    });
    expect(same.identical).toBe(true);
    for (const env of ['staging', 'prod']) {
      const dir = `apps/checkout-service/overlays/${env}`;
      const k = parse(await readFile(join(shop.work, dir, 'kustomization.yaml'), 'utf8'));
      k.resources.push('secret.yaml');
      await commitFiles(
        shop,
        {
          [`${dir}/secret.yaml`]: `apiVersion: v1\nkind: Secret\nmetadata:\n  name: db\nstringData:\n  password: ${env === 'prod' ? 'p' : 's'}-hunter2\n  user: app\n`,
          [`${dir}/kustomization.yaml`]: stringify(k),
        },
        `secret in ${env}`,
      );
    }
    const c = await compareEnvironments({
      repoPath: shop.work,
      service: 'checkout-service',
      envA: 'staging',
      envB: 'prod',
    });
    const secret = c.resources.find((r) => r.resource === 'Secret/db');
    expect(secret?.status).toBe('changed');
    expect(secret?.changedPaths).toEqual(['/data/password']);
    const all = JSON.stringify(c);
    expect(all).not.toContain('hunter2');
    expect(all).not.toContain(Buffer.from('p-hunter2').toString('base64'));
    expect(c.files.find((f) => f.b?.endsWith('secret.yaml'))?.diff).toBe(
      'apps/checkout-service/overlays/staging/secret.yaml ↔ apps/checkout-service/overlays/prod/secret.yaml: Secret manifests differ (contents not shown)\n',
    );
  });

  it('an unknown service or environment is a one-line error naming what exists', async () => {
    await expect(
      compareEnvironments({ repoPath: shop.work, service: 'nope', envA: 'dev', envB: 'prod' }),
    ).rejects.toThrow(/^no service "nope" in the repository \(services: .*checkout-service/);
    await expect(
      compareEnvironments({ repoPath: shop.work, service: 'checkout-service', envA: 'dev', envB: 'qa' }),
    ).rejects.toBeInstanceOf(CompareError);
  });
});
