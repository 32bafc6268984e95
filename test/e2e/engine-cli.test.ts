import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type KustomizeShop, makeKustomizeShop } from '../fixtures/repos/index.js';
import { bosun, deleteNamespace, eventually, kubectl } from './helpers.js';

type AppsJson = {
  apps: {
    name: string;
    context: string | null;
    namespace: string | null;
    sync: string;
    health: string;
    objects: number;
    environment: string | null;
  }[];
};

describe('engine through the CLI: discover, render, compare, sync, drift (Kustomize shop)', () => {
  let shop: KustomizeShop;
  const all = ['dev', 'staging', 'production'];

  beforeAll(async () => {
    shop = await makeKustomizeShop();
  });
  afterAll(async () => {
    await deleteNamespace('shop', all);
    await shop?.cleanup();
  });

  it('apps -o json lists every application with its destination and rendered object count', async () => {
    const r = await bosun(['apps', '--repo', shop.work, '-o', 'json']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const { apps } = JSON.parse(r.stdout) as AppsJson;
    for (const want of shop.apps.filter((a) => a.name !== 'shop-root')) {
      const got = apps.find((a) => a.name === want.name);
      expect(got, want.name).toBeDefined();
      expect(got?.context).toBe(want.cluster);
      expect(got?.namespace).toBe(want.namespace);
      expect(got?.objects).toBe(want.objectCount);
      expect(got?.environment).toBe(want.environment);
      expect(got?.sync).toBe('OutOfSync');
      expect(got?.health).toBe('Missing');
    }
  });

  it('sync creates the objects; the app becomes Synced and Healthy', async () => {
    const s = await bosun(['sync', 'order-service-dev', '--repo', shop.work, '--yes']);
    expect(s.code, s.stderr).toBe(0);
    expect(s.stdout).toContain('Succeeded');
    expect(
      kubectl('dev', [
        '-n',
        'shop',
        'get',
        'deploy',
        'order-service',
        '-o',
        'jsonpath={.metadata.annotations.bosun\\.dev/tracking-id}',
      ]),
    ).toBe('order-service-dev:apps/Deployment:shop/order-service');
    await eventually('order-service-dev Synced and Healthy', async () => {
      const r = await bosun(['apps', '--repo', shop.work, '-o', 'json']);
      const a = (JSON.parse(r.stdout) as AppsJson).apps.find((x) => x.name === 'order-service-dev');
      return a?.sync === 'Synced' && a.health === 'Healthy';
    });
  });

  it('kubectl scale is ignored (ignoreDifferences /spec/replicas); kubectl set image is drift with exactly that field', async () => {
    kubectl('dev', ['-n', 'shop', 'scale', 'deploy/order-service', '--replicas=4']);
    const quiet = await bosun(['diff', 'order-service-dev', '--repo', shop.work]);
    expect(quiet.code, quiet.stdout + quiet.stderr).toBe(0);
    expect(quiet.stdout).toBe('');

    kubectl('dev', [
      '-n',
      'shop',
      'set',
      'image',
      'deploy/order-service',
      'order-service=registry.local/shop/order-service:hotfix',
    ]);
    const d = await bosun(['diff', 'order-service-dev', '--repo', shop.work]);
    expect(d.code).toBe(1);
    expect(d.stdout).toContain('-          image: registry.local/shop/order-service:hotfix');
    expect(d.stdout).toContain('+          image: registry.local/shop/order-service:v1.48.0-rc.1');
    expect(d.stdout).not.toContain('replicas');
    const json = await bosun(['diff', 'order-service-dev', '--repo', shop.work, '-o', 'json']);
    const diffs = (JSON.parse(json.stdout) as { diffs: { changedPaths: string[] }[] }).diffs;
    expect(diffs.flatMap((x) => x.changedPaths)).toEqual(['/spec/template/spec/containers/0/image']);

    const e = await bosun(['explain', 'order-service-dev', '--repo', shop.work]);
    expect(e.stdout).toContain('last written by kubectl-set');
    expect(e.stdout).toContain('ignored by ignoreDifferences jsonPointers /spec/replicas');

    kubectl('dev', ['-n', 'shop', 'annotate', 'deploy/order-service', 'team=payments']);
    const a = await bosun(['diff', 'order-service-dev', '--repo', shop.work, '-o', 'json']);
    const paths = (JSON.parse(a.stdout) as { diffs: { changedPaths: string[] }[] }).diffs.flatMap(
      (x) => x.changedPaths,
    );
    expect(paths).toContain('/spec/template/spec/containers/0/image');
  });

  it('sync puts the image back', async () => {
    const s = await bosun(['sync', 'order-service-dev', '--repo', shop.work, '--yes']);
    expect(s.code, s.stderr).toBe(0);
    expect(
      kubectl('dev', [
        '-n',
        'shop',
        'get',
        'deploy',
        'order-service',
        '-o',
        'jsonpath={.spec.template.spec.containers[0].image}',
      ]),
    ).toBe('registry.local/shop/order-service:v1.48.0-rc.1');
  });

  it('unknown app, read-only and production confirmation are refused with the documented exit codes', async () => {
    const u = await bosun(['diff', 'no-such-app', '--repo', shop.work]);
    expect(u.code).toBe(2);
    expect(u.stderr.trim().split('\n')).toHaveLength(1);
    expect(u.stderr).toContain('unknown application "no-such-app"');
    const ro = await bosun(['sync', 'order-service-dev', '--repo', shop.work, '--yes', '--read-only']);
    expect(ro.code).toBe(3);
    expect(ro.stderr).toMatch(/read-only/);
    const noYes = await bosun(['sync', 'order-service-staging', '--repo', shop.work]);
    expect(noYes.code).toBe(3);
    expect(noYes.stderr).toContain('--yes');
  });
});
