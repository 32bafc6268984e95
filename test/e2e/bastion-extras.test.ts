import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { commitFiles, git, type KustomizeShop, makeDemoRepo } from '../fixtures/repos/index.js';
import { bosun, e2eEnv } from './helpers.js';

/**
 * Issue 17 through the real program: per-command help, doctor against the real clusters, no
 * kubeconfig, kustomize through kubectl, plaintext Secrets, and the offline compare and appset
 * preview (run without any kubeconfig to prove they need no cluster).
 */

let demo: KustomizeShop;
let tmp: string;
let onlyKubectl: string;
const cp = inject('controlPlane');

/** The environment of a bastion with no kubeconfig at all. */
function noKubeconfigEnv(): NodeJS.ProcessEnv {
  const env = e2eEnv({ HOME: join(tmp, 'home') });
  delete env.KUBECONFIG;
  return env;
}

beforeAll(async () => {
  demo = await makeDemoRepo();
  tmp = await mkdtemp(join(tmpdir(), 'bosun-extras-'));
  // A PATH with git and kubectl only: no kustomize, no helm.
  onlyKubectl = join(tmp, 'bin');
  await mkdir(onlyKubectl);
  await symlink(join(cp.binDir, 'kubectl'), join(onlyKubectl, 'kubectl'));
  const gitBin = (process.env.PATH ?? '')
    .split(':')
    .map((d) => join(d, 'git'))
    .find((p) => existsSync(p));
  if (!gitBin) throw new Error('git is not on PATH');
  await symlink(gitBin, join(onlyKubectl, 'git'));
  // A feature branch for the appset preview: catalog's prod tag moves, search leaves dev.
  git(demo.work, ['checkout', '--quiet', '-b', 'feature']);
  const values = join(demo.work, 'environments/prod/catalog/values.yaml');
  await writeFile(values, (await readFile(values, 'utf8')).replace('tag: 2.3.0', 'tag: 2.3.1'));
  git(demo.work, ['rm', '--quiet', '-r', 'environments/dev/search']);
  git(demo.work, ['commit', '--quiet', '-am', 'catalog 2.3.1 in prod; search leaves dev']);
  git(demo.work, ['checkout', '--quiet', 'main']);
});

afterAll(async () => {
  await demo?.cleanup();
  if (tmp) await rm(tmp, { recursive: true, force: true });
});

const run = (args: string[], env?: NodeJS.ProcessEnv) =>
  bosun([...args, '--repo', demo.work], env ? { env } : {});

describe('bosun COMMAND --help', () => {
  it('prints that command’s usage, flags and an example, not the global help', async () => {
    for (const cmd of ['sync', 'promote', 'compare', 'appset', 'doctor', 'apps']) {
      const r = await bosun([cmd, '--help']);
      expect(r.code, cmd).toBe(0);
      expect(r.stderr, cmd).toBe('');
      expect(r.stdout, cmd).toMatch(new RegExp(`^Usage: bosun ${cmd}\\b`));
      expect(r.stdout, cmd).toMatch(/\nExamples?:\n {2}.*bosun /);
      expect(r.stdout, cmd).not.toContain('Commands:');
    }
    expect((await bosun(['sync', '--help'])).stdout).toContain('--prune');
    expect((await bosun(['help', 'promote'])).stdout).toBe((await bosun(['promote', '-h'])).stdout);
    const unknown = await bosun(['help', 'frobnicate']);
    expect([unknown.code, unknown.stderr.split('\n')[0]]).toEqual([2, 'bosun: unknown command "frobnicate"']);
  });
});

describe('bosun doctor', () => {
  it('reports each real context reachable with its version, the git remote and the tools', async () => {
    const r = await run(['doctor']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    for (const ctx of ['dev', 'staging', 'production'])
      expect(r.stdout).toMatch(
        new RegExp(`^context ${ctx} +OK +https://127\\.0\\.0\\.1:\\d+ reachable, Kubernetes v1\\.`, 'm'),
      );
    expect(r.stdout).toMatch(/^git remote +OK +origin \S+\/origin\.git reachable$/m);
    expect(r.stdout).toMatch(/^kustomize +OK +kustomize v5\./m);
    expect(r.stdout).toMatch(/^helm +OK +helm v3\./m);
    const json = JSON.parse((await run(['doctor', '-o', 'json'])).stdout) as {
      checks: { check: string; status: string }[];
    };
    expect(json.checks.filter((c) => c.status === 'fail')).toEqual([]);
  });

  it('an unreachable context fails with a fix; exit 1', async () => {
    const kc = parse(await readFile(cp.kubeconfig, 'utf8'));
    const first = kc.users[0].name;
    kc.clusters.push({
      name: 'gone',
      cluster: { server: 'https://127.0.0.1:9', 'insecure-skip-tls-verify': true },
    });
    kc.contexts.push({ name: 'gone', context: { cluster: 'gone', user: first } });
    const file = join(tmp, 'kubeconfig-gone');
    await writeFile(file, stringify(kc));
    const r = await run(['doctor', '--kubeconfig', file]);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/^context gone +FAIL +https:\/\/127\.0\.0\.1:9: /m);
    expect(r.stdout).toMatch(/^fix context gone: check the network path .* kubectl --context gone version$/m);
    expect(r.stdout).toMatch(/^context dev +OK/m);
  });
});

describe('no kubeconfig at all', () => {
  it('apps, clusters and doctor say so instead of showing a localhost:8080 context', async () => {
    const env = noKubeconfigEnv();
    const apps = await run(['apps', '-o', 'json'], env);
    const parsed = JSON.parse(apps.stdout) as { apps: { name: string; conditions: { message: string }[] }[] };
    const checkout = parsed.apps.find((a) => a.name === 'checkout-service-dev');
    expect(checkout?.conditions[0]?.message).toMatch(/^no kubeconfig found \(set KUBECONFIG/);
    expect(apps.stdout).not.toContain('loaded-context');
    const clusters = await run(['clusters'], env);
    expect([clusters.code, clusters.stderr.split('\n')[0]]).toEqual([
      4,
      'bosun: no kubeconfig found (set KUBECONFIG, pass --kubeconfig or create ~/.kube/config); bosun reads only the repository',
    ]);
    const doctor = await run(['doctor'], env);
    expect(doctor.code).toBe(1);
    expect(doctor.stdout).toMatch(/^kubeconfig +FAIL +no kubeconfig found$/m);
    expect(doctor.stdout).toContain('fix kubeconfig: set KUBECONFIG=/path/to/config');
  });
});

describe('rendering tools on a bastion', () => {
  it('without kustomize on PATH, kustomize apps render through kubectl kustomize', async () => {
    const r = await run(['apps', '-o', 'json'], e2eEnv({ PATH: onlyKubectl }));
    const apps = (
      JSON.parse(r.stdout) as { apps: { name: string; objects: number; conditions: unknown[] }[] }
    ).apps;
    expect(apps.find((a) => a.name === 'checkout-service-prod')).toMatchObject({
      objects: 4,
      conditions: [],
    });
    // Helm apps say what to install.
    expect(apps.find((a) => a.name === 'catalog-dev')?.conditions).toEqual([
      {
        type: 'RenderError',
        message:
          'helm is not installed: install helm 3 (https://helm.sh/docs/intro/install/) or set binaries.helm in bosun.yaml',
      },
    ]);
  });
});

describe('bosun compare (offline)', () => {
  it('shows only the real differences of a service between two environments, with no cluster', async () => {
    const env = noKubeconfigEnv();
    const r = await run(['compare', 'checkout-service', 'staging', 'prod'], env);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/^apps\/Deployment\/checkout-service +changed +\/spec\/replicas, /m);
    expect(r.stdout).toMatch(/^autoscaling\/HorizontalPodAutoscaler\/checkout-service +only in prod$/m);
    expect(r.stdout).toContain('2 resource(s) the same once names are folded');
    expect(r.stdout).toContain(
      'apps/checkout-service/overlays/staging/kustomization.yaml ↔ apps/checkout-service/overlays/prod/kustomization.yaml',
    );
    const json = JSON.parse(
      (await run(['compare', 'catalog', 'staging', 'prod', '-o', 'json'], env)).stdout,
    ) as {
      resources: { resource: string; status: string }[];
    };
    expect(json.resources.map((x) => `${x.resource} ${x.status}`).sort()).toEqual([
      'Service/catalog same',
      'apps/Deployment/catalog changed',
      'autoscaling/HorizontalPodAutoscaler/catalog only-b',
    ]);
    const same = await run(['compare', 'checkout-service', 'dev', 'dev'], env);
    expect(same.code).toBe(0);
    const bad = await run(['compare', 'checkout-service', 'dev', 'qa'], env);
    expect([bad.code, bad.stderr.split('\n')[0]]).toEqual([
      2,
      'bosun: service "checkout-service" has no app in environment "qa" (it has: dev, staging, prod)',
    ]);
  });
});

describe('bosun appset preview (offline)', () => {
  it('lists what the set generates at a branch against HEAD, with the rendered diff', async () => {
    const env = noKubeconfigEnv();
    const r = await run(['appset', 'preview', 'platform', '--revision', 'feature'], env);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(
      /^ApplicationSet platform \(argocd\/appset\.yaml\): feature [0-9a-f]{7} compared with HEAD/m,
    );
    expect(r.stdout).toMatch(
      /^catalog-prod +changed +prod +production\/platform +apps\/Deployment\/catalog$/m,
    );
    expect(r.stdout).toMatch(/^search-dev +removed /m);
    expect(r.stdout).toMatch(/^\+ +image: "?registry\.local\/platform\/catalog:2\.3\.1"?$/m);
    expect(r.stdout).toContain('0 added · 1 removed · 1 changed');
    const head = await run(['appset', 'preview'], env);
    expect(head.code).toBe(0);
  });
});

describe('plaintext Secrets in Git', () => {
  it('are a warning condition on the app, listed without their values', async () => {
    const dir = 'apps/checkout-service/overlays/dev';
    const k = parse(await readFile(join(demo.work, dir, 'kustomization.yaml'), 'utf8'));
    k.resources.push('secret.yaml');
    await commitFiles(
      demo,
      {
        [`${dir}/secret.yaml`]:
          'apiVersion: v1\nkind: Secret\nmetadata:\n  name: db\nstringData:\n  password: hunter2-in-git\n',
        [`${dir}/kustomization.yaml`]: stringify(k),
      },
      'a plaintext Secret',
    );
    const r = await run(['apps', '-o', 'json']);
    const apps = (
      JSON.parse(r.stdout) as { apps: { name: string; conditions: { type: string; message: string }[] }[] }
    ).apps;
    expect(apps.find((a) => a.name === 'checkout-service-dev')?.conditions).toContainEqual({
      type: 'PlaintextSecret',
      message: 'plaintext Secret in Git (shop/db); use an ExternalSecret or SealedSecret',
    });
    expect(apps.find((a) => a.name === 'checkout-service-prod')?.conditions).toEqual([]);
    expect(r.stdout).not.toContain('hunter2');
    expect(r.stdout).not.toContain(Buffer.from('hunter2-in-git').toString('base64'));
  });
});
