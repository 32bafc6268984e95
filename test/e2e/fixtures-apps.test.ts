/**
 * Issue 3 acceptance: on the three fixture repositories, `bosun apps -o json` lists every application the
 * fixture defines with its destination and rendered object count; the Helm platform's ApplicationSet
 * (matrix) apps are all there; the waves repo's app that violates its AppProject is listed and its sync is
 * refused (exit code 3) naming the AppProject, before any request reaches the cluster.
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import {
  type FixtureApp,
  type HelmPlatform,
  type KustomizeShop,
  makeHelmPlatform,
  makeKustomizeShop,
  makeWavesRepo,
  type WavesRepo,
} from '../fixtures/repos/index.js';
import { bosun, kubectl } from './helpers.js';

type AppJson = {
  name: string;
  project: string;
  service: string;
  environment: string | null;
  context: string | null;
  namespace: string | null;
  sync: string;
  health: string;
  objects: number;
  conditions: { type: string; message: string }[];
  resources: { key: string; sync: string }[];
};

async function appsJson(repo: string): Promise<AppJson[]> {
  const r = await bosun(['apps', '--repo', repo, '-o', 'json']);
  expect(r.stderr).toBe('');
  expect(r.code).toBe(0);
  return (JSON.parse(r.stdout) as { apps: AppJson[] }).apps;
}

/** The kubeconfig's current context: what `https://kubernetes.default.svc` (in-cluster) maps to. */
function currentContext(): string {
  const text = readFileSync(inject('controlPlane').kubeconfig, 'utf8');
  return JSON.parse(/^current-context:\s*(.+)$/m.exec(text)?.[1] ?? '""') as string;
}

const kindOf = (key: string) => key.split('/')[1] ?? '';

/** Checks one listed app against what the fixture defines for it. */
function expectApp(got: AppJson | undefined, want: FixtureApp): void {
  expect(got, `${want.name} is listed`).toBeDefined();
  if (!got) return;
  const context = want.cluster === 'in-cluster' ? currentContext() : want.cluster;
  expect({ name: got.name, context: got.context, namespace: got.namespace, project: got.project }).toEqual({
    name: want.name,
    context,
    namespace: want.namespace,
    project: want.project,
  });
  expect(got.service, want.name).toBe(want.service);
  expect(got.environment, want.name).toBe(want.environment ?? null);
  // Every fixture app renders: no render, spec or destination error hides a wrong count. The one app
  // its AppProject refuses says so (and only that).
  expect(got.conditions, want.name).toEqual(
    want.violatesProject
      ? [
          {
            type: 'ProjectRefused',
            message: expect.stringMatching(
              new RegExp(`^AppProject ${want.project} refuses .*destination cluster ${want.cluster}`),
            ),
          },
        ]
      : [],
  );
  expect(got.objects, `${want.name} rendered object count`).toBe(want.objectCount);
  expect(got.resources.map((r) => kindOf(r.key)).sort(), `${want.name} kinds`).toEqual(want.kinds);
  // Nothing of it is deployed yet.
  expect(got.sync, want.name).toBe('OutOfSync');
  expect(got.health, want.name).toBe('Missing');
}

describe('bosun apps -o json on the three fixture repositories', () => {
  let shop: KustomizeShop;
  let platform: HelmPlatform;
  let waves: WavesRepo;

  beforeAll(async () => {
    [shop, platform, waves] = await Promise.all([makeKustomizeShop(), makeHelmPlatform(), makeWavesRepo()]);
  });
  afterAll(async () => {
    await Promise.all([shop?.cleanup(), platform?.cleanup(), waves?.cleanup()]);
  });

  it('Kustomize shop: every app of the app-of-apps with its destination and object count', async () => {
    const apps = await appsJson(shop.work);
    expect(apps.map((a) => a.name).sort()).toEqual(shop.apps.map((a) => a.name).sort());
    const root = shop.apps.find((a) => a.kinds.join() === 'Application');
    expect(root?.name).toBe('shop-root');
    for (const want of shop.apps) {
      if (want === root) continue;
      expectApp(
        apps.find((a) => a.name === want.name),
        want,
      );
    }
    // The root renders one Application per service × environment. Argo CD kinds are read, never applied
    // (DESIGN §4): they become the child apps listed above, and the root applies no object of its own.
    const got = apps.find((a) => a.name === 'shop-root');
    expect(got).toMatchObject({
      context: currentContext(),
      namespace: root?.namespace,
      project: root?.project,
      conditions: [],
      objects: 0,
      resources: [],
    });
    const children = apps.filter((a) => a.name !== 'shop-root');
    expect(children).toHaveLength(root?.objectCount ?? -1);
    expect(children.every((a) => a.project === 'default')).toBe(true);
  });

  it('Helm platform: every app the matrix ApplicationSet generates, multi-source values applied', async () => {
    const apps = await appsJson(platform.work);
    // list (envs) × git directories (environments/<env>/*): one app per service and environment, no more.
    expect(apps.map((a) => a.name).sort()).toEqual(platform.apps.map((a) => a.name).sort());
    expect(apps).toHaveLength(platform.services.length * platform.envs.length);
    for (const want of platform.apps) {
      expectApp(
        apps.find((a) => a.name === want.name),
        want,
      );
    }
    // The value file of each app came from its own environments/<env>/<svc>/values.yaml.
    const prod = apps.find((a) => a.name === 'search-prod');
    expect(prod?.resources.map((r) => r.key)).toContain(
      'autoscaling/HorizontalPodAutoscaler/platform/search',
    );
  });

  it('waves repo: every app, the one its AppProject refuses included; its sync is refused with exit code 3', async () => {
    const apps = await appsJson(waves.work);
    expect(apps.map((a) => a.name).sort()).toEqual(waves.apps.map((a) => a.name).sort());
    for (const want of waves.apps) {
      expectApp(
        apps.find((a) => a.name === want.name),
        want,
      );
    }
    const bad = waves.apps.find((a) => a.violatesProject);
    expect(bad?.name).toBe('billing-production');

    const r = await bosun(['sync', 'billing-production', '--repo', waves.work, '--yes']);
    expect(r.code, r.stderr).toBe(3);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toContain(`AppProject ${waves.project}`);
    expect(r.stderr).toMatch(/destination cluster production namespace billing is not permitted/);
    // Refused before any request reached the cluster: nothing was created.
    expect(kubectl('production', ['get', 'namespace', 'billing', '--ignore-not-found', '-o', 'name'])).toBe(
      '',
    );
    // A dry run is refused the same way; the apps the project allows are not refused.
    const dry = await bosun(['sync', 'billing-production', '--repo', waves.work, '--dry-run']);
    expect(dry.code).toBe(3);
    expect(dry.stderr).toContain(`AppProject ${waves.project}`);
    const ok = await bosun(['sync', 'billing-staging', '--repo', waves.work, '--dry-run', '-o', 'json']);
    expect(ok.code, ok.stderr).toBe(0);
    expect((JSON.parse(ok.stdout) as { phase: string }).phase).toBe('Succeeded');
  });
});
