import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, inject, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { commitFiles, yamlDocs } from '../fixtures/repos/index.js';
import {
  all,
  b64,
  cliSuite,
  closedPort,
  FORBIDDEN,
  GIT_SECRET,
  LIVE_SECRET,
  oneLine,
} from './cli-fixture.js';
import { e2eEnv, eventually, kubectl, type RunResult } from './helpers.js';

/** The CLI's refusals and failure modes against the real control plane: unreachable clusters, unknown apps, read-only, confirmation, AppProject rules, Secret values. */

describe('bosun CLI: refusals, unreachable clusters and Secret values', () => {
  const suite = cliSuite({ syncFirst: ['order-service-dev'] });
  const { run, appsJson, originHead, captured } = suite;

  it('clusters: all Connected; an unreachable context gives exit 4 and the reason', async () => {
    const r = await run(['clusters']);
    expect(r.code, r.stderr).toBe(0);
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines[0]?.split(/\s+/)).toEqual([
      'CONTEXT',
      'STATUS',
      'VERSION',
      'KINDS',
      'OBJECTS',
      'APPS',
      'SERVER',
      'MESSAGE',
    ]);
    for (const c of all)
      expect(r.stdout).toMatch(
        new RegExp(
          `^${c}\\s+Connected\\s+v1\\.\\d+\\.\\d+\\s+\\d+\\s+\\d+\\s+\\d+\\s+https://127\\.0\\.0\\.1:\\d+$`,
          'm',
        ),
      );
    const j = await run(['clusters', '-o', 'json']);
    const clusters = (JSON.parse(j.stdout) as { clusters: { context: string; status: string }[] }).clusters;
    expect(clusters.map((c) => [c.context, c.status]).sort()).toEqual(
      all.map((c) => [c, 'Connected']).sort(),
    );

    // A copy of the kubeconfig: an extra context `ghost`, and `production` moved to a closed port.
    const port = await closedPort();
    const kc = parse(readFileSync(e2eEnv().KUBECONFIG as string, 'utf8')) as {
      clusters: { name: string; cluster: Record<string, unknown> }[];
      users: { name: string; user: Record<string, unknown> }[];
      contexts: { name: string; context: Record<string, unknown> }[];
    };
    kc.clusters.push({
      name: 'ghost',
      cluster: { server: `https://127.0.0.1:${port}`, 'insecure-skip-tls-verify': true },
    });
    kc.users.push({ name: 'ghost-admin', user: { token: 'unused' } });
    kc.contexts.push({ name: 'ghost', context: { cluster: 'ghost', user: 'ghost-admin' } });
    const ghostFile = join(suite.shop.root, 'kubeconfig-ghost');
    writeFileSync(ghostFile, stringify(kc));
    const g = await run(['clusters', '--kubeconfig', ghostFile, '--context', 'dev,ghost']);
    expect(g.code).toBe(4);
    expect(g.stdout).toMatch(/^dev\s+Connected/m);
    expect(g.stdout).toMatch(
      new RegExp(
        `^ghost\\s+Unreachable\\s+-\\s+.*https://127\\.0\\.0\\.1:${port}\\s+ghost \\(https://127\\.0\\.0\\.1:${port}\\) unreachable: connection refused$`,
        'm',
      ),
    );

    const prodCluster = kc.clusters.find((c) => c.name === 'production');
    if (prodCluster)
      prodCluster.cluster = { server: `https://127.0.0.1:${port}`, 'insecure-skip-tls-verify': true };
    const downFile = join(suite.shop.root, 'kubeconfig-prod-down');
    writeFileSync(downFile, stringify(kc));
    const down = await run(['clusters', '--kubeconfig', downFile]);
    expect(down.code).toBe(4);
    expect(down.stdout).toMatch(/^dev\s+Connected/m);
    expect(down.stdout).toMatch(/^staging\s+Connected/m);
    expect(down.stdout).toMatch(/^production\s+Unreachable\s.*unreachable: connection refused$/m);
    const apps = await appsJson(['--kubeconfig', downFile]);
    const prod = apps.find((a) => a.name === 'order-service-prod');
    expect(prod?.sync).toBe('Unknown');
    expect(prod?.conditions.map((c) => c.message).join(' ')).toMatch(/production unreachable/);
    expect(apps.find((a) => a.name === 'order-service-dev')?.sync).toBe('Synced');
    const diff = await run(['diff', 'order-service-prod', '--kubeconfig', downFile]);
    expect(diff.code).toBe(4);
    expect(oneLine(diff)).toHaveLength(1);
    expect(diff.stderr).toMatch(/^bosun: cannot compare order-service-prod: .*production unreachable/);
  });

  it('unknown app: exit 2 and one line on stderr, for every command taking an app', async () => {
    for (const args of [
      ['get', 'no-such-app'],
      ['diff', 'no-such-app'],
      ['explain', 'no-such-app'],
      ['history', 'no-such-app'],
      ['sync', 'no-such-app', '--yes'],
      ['revert', 'no-such-app', 'HEAD', '--yes'],
    ]) {
      const r = await run(args);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stdout, args.join(' ')).toBe('');
      expect(oneLine(r), args.join(' ')).toEqual(['bosun: unknown application "no-such-app"']);
    }
    const close = await run(['get', 'order-service']);
    expect(close.code).toBe(2);
    expect(oneLine(close)[0]).toMatch(
      /^bosun: unknown application "order-service" \(did you mean order-service-dev, /,
    );
    const svc = await run(['promote', 'no-such-service', '--from', 'staging', '--to', 'prod', '--yes']);
    expect(svc.code).toBe(2);
    expect(oneLine(svc)).toEqual(['bosun: unknown service "no-such-service"']);
    const env = await run(['promote', 'order-service', '--from', 'staging', '--to', 'nowhere', '--yes']);
    expect(env.code).toBe(2);
    expect(oneLine(env)).toEqual(['bosun: unknown environment "nowhere" (environments: dev, staging, prod)']);
  });

  it('--read-only refuses sync, promote, revert and actions with exit 3, changes nothing, and journals each', async () => {
    const head = originHead();
    const journal = join(inject('controlPlane').runDir, 'state', 'bosun', 'audit.log');
    const journaled = () =>
      (existsSync(journal) ? readFileSync(journal, 'utf8') : '')
        .split('\n')
        .filter(Boolean)
        .map(
          (l) =>
            JSON.parse(l) as {
              action: string;
              app?: string;
              result: string;
              details?: Record<string, unknown>;
            },
        );
    const before = journaled().length;
    kubectl('dev', [
      '-n',
      'shop',
      'patch',
      'configmap',
      'order-service-config',
      '-p',
      '{"data":{"LOG_LEVEL":"trace"}}',
    ]);
    for (const args of [
      ['sync', 'order-service-dev', '--yes'],
      ['promote', 'order-service', '--from', 'dev', '--to', 'staging', '--yes'],
      ['revert', 'order-service-prod', head, '--yes'],
      ['action', 'order-service-dev', 'Deployment/order-service', 'restart', '--yes'],
    ]) {
      const r = await run([...args, '--read-only', '-o', 'json']);
      expect(r.code, `${args.join(' ')}: ${r.stderr}`).toBe(3);
      expect(oneLine(r), args.join(' ')).toHaveLength(1);
      expect(oneLine(r)[0], args.join(' ')).toMatch(/^bosun: refused.*read-only/);
    }
    // Each refusal is in the audit journal once: refused, who, what, why.
    const refusals = journaled().slice(before);
    expect(
      refusals.map((e) => [e.action, e.app ?? null, e.result, e.details?.reason, e.details?.via]),
    ).toEqual([
      ['sync', 'order-service-dev', 'refused', 'read-only', 'cli'],
      ['promote', null, 'refused', 'read-only', 'cli'],
      ['revert', 'order-service-prod', 'refused', 'read-only', 'cli'],
      ['action', 'order-service-dev', 'refused', 'read-only', 'cli'],
    ]);
    expect(refusals.every((e) => (e as { identity?: string }).identity === 'e2e@test')).toBe(true);
    expect(originHead()).toBe(head);
    expect(
      kubectl('dev', [
        '-n',
        'shop',
        'get',
        'configmap',
        'order-service-config',
        '-o',
        'jsonpath={.data.LOG_LEVEL}',
      ]),
    ).toBe('trace');
  });

  it('a mutating command without --yes and without a terminal exits 3 asking for --yes', async () => {
    const head = originHead();
    for (const args of [
      ['sync', 'order-service-dev'],
      ['sync', 'order-service-prod'],
      ['promote', 'order-service', '--from', 'dev', '--to', 'staging'],
      ['revert', 'order-service-prod', head],
    ]) {
      const r = await run([...args, '-o', 'json']);
      expect(r.code, `${args.join(' ')}: ${r.stderr}`).toBe(3);
      expect(oneLine(r), args.join(' ')).toHaveLength(1);
      expect(oneLine(r)[0], args.join(' ')).toMatch(
        /^bosun: .* needs confirmation: pass --yes \(stdin is not a terminal\)$/,
      );
    }
    expect(originHead()).toBe(head);
    expect(
      kubectl('dev', [
        '-n',
        'shop',
        'get',
        'configmap',
        'order-service-config',
        '-o',
        'jsonpath={.data.LOG_LEVEL}',
      ]),
    ).toBe('trace');
    expect(
      kubectl('production', ['get', 'namespace', 'shop', '--ignore-not-found', '-o', 'name']).trim(),
    ).toBe('');
    const s = await run(['sync', 'order-service-dev', '--yes']);
    expect(s.code, s.stderr).toBe(0);
  });

  it('an app whose AppProject refuses its destination: sync exits 3 before touching the cluster', async () => {
    await commitFiles(
      suite.shop,
      {
        'argocd/projects/restricted.yaml': yamlDocs({
          apiVersion: 'argoproj.io/v1alpha1',
          kind: 'AppProject',
          metadata: { name: 'restricted', namespace: 'argocd' },
          spec: { sourceRepos: ['*'], destinations: [{ name: 'dev', namespace: 'sandbox' }] },
        }),
        'argocd/blocked-dev.yaml': yamlDocs({
          apiVersion: 'argoproj.io/v1alpha1',
          kind: 'Application',
          metadata: { name: 'blocked-dev', namespace: 'argocd' },
          spec: {
            project: 'restricted',
            source: {
              repoURL: suite.shop.repoURL,
              targetRevision: 'main',
              path: 'apps/order-service/overlays/dev',
            },
            destination: { name: 'dev', namespace: 'shop' },
          },
        }),
      },
      'blocked-dev: an app its project does not allow',
    );
    const r = await run(['sync', 'blocked-dev', '--yes']);
    expect(r.code).toBe(3);
    expect(oneLine(r)).toHaveLength(1);
    expect(r.stderr).toMatch(
      /^bosun: refused to sync blocked-dev: AppProject restricted refuses app blocked-dev: destination cluster dev namespace shop is not permitted by project restricted/,
    );
    // The objects belong to order-service-dev: that is refused as well, and nothing was overwritten.
    expect(r.stderr).toContain(
      'Deployment/shop/order-service is owned by bosun app "order-service-dev"; refusing to overwrite it',
    );
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
  });

  it('a Secret changed live: diff, explain, get and apps show that it differs, never its value', async () => {
    await commitFiles(
      suite.shop,
      {
        'apps/order-service/base/secret.yaml': yamlDocs({
          apiVersion: 'v1',
          kind: 'Secret',
          metadata: { name: 'order-service-secret' },
          type: 'Opaque',
          data: { API_KEY: b64(GIT_SECRET) },
        }),
        'apps/order-service/base/kustomization.yaml': yamlDocs({
          apiVersion: 'kustomize.config.k8s.io/v1beta1',
          kind: 'Kustomization',
          resources: ['deployment.yaml', 'service.yaml', 'configmap.yaml', 'secret.yaml'],
          labels: [{ pairs: { 'app.kubernetes.io/part-of': 'shop' } }],
        }),
      },
      'order-service: API key secret',
    );
    const before = await run(['diff', 'order-service-dev']);
    expect(before.code).toBe(1);
    expect(before.stdout).toContain('+++ target/Secret/shop/order-service-secret');
    const s = await run(['sync', 'order-service-dev', '--yes']);
    expect(s.code, s.stderr).toBe(0);
    expect(
      kubectl('dev', [
        '-n',
        'shop',
        'get',
        'secret',
        'order-service-secret',
        '-o',
        'jsonpath={.data.API_KEY}',
      ]),
    ).toBe(b64(GIT_SECRET));
    kubectl('dev', [
      '-n',
      'shop',
      'patch',
      'secret',
      'order-service-secret',
      '-p',
      JSON.stringify({ stringData: { API_KEY: LIVE_SECRET } }),
    ]);

    let d: RunResult = { code: -1, stdout: '', stderr: '' };
    await eventually(
      'secret drift seen',
      async () => {
        d = await run(['diff', 'order-service-dev']);
        return d.code === 1;
      },
      30_000,
    );
    expect(d.stdout).toContain('--- live/Secret/shop/order-service-secret');
    expect(d.stdout).toMatch(/^-\s+API_KEY: \++$/m);
    expect(d.stdout).toMatch(/^\+\s+API_KEY: \++$/m);
    const dj = await run(['diff', 'order-service-dev', '-o', 'json']);
    expect(dj.code).toBe(1);
    const diffs = (JSON.parse(dj.stdout) as { diffs: { key: { kind: string }; changedPaths: string[] }[] })
      .diffs;
    expect(diffs.find((x) => x.key.kind === 'Secret')?.changedPaths).toEqual(['/data/API_KEY']);
    const e = await run(['explain', 'order-service-dev']);
    expect(e.stdout).toContain('Secret/shop/order-service-secret: OutOfSync');
    expect(e.stdout).toContain('/data/API_KEY differs from Git; it was last written by kubectl-patch');
    const more = [
      ['diff', 'order-service-dev', '-o', 'yaml'],
      ['diff', 'order-service-dev', '--verbose'],
      ['explain', 'order-service-dev', 'Secret/order-service-secret'],
      ['explain', 'order-service-dev', '-o', 'json'],
      ['get', 'order-service-dev'],
      ['get', 'order-service-dev', '-o', 'json'],
      ['get', 'order-service-dev', '-o', 'yaml'],
      ['apps', '-o', 'json'],
      ['apps', '-o', 'yaml'],
      ['apps'],
      ['sync', 'order-service-dev', '--dry-run'],
      ['sync', 'order-service-dev', '--dry-run', '-o', 'json'],
      ['sync', 'order-service-dev', '--dry-run', '-o', 'yaml'],
    ];
    for (const args of more) {
      const r = await run(args);
      expect(r.code, `${args.join(' ')}: ${r.stderr}`).toBeLessThanOrEqual(1);
    }
    const a = (await appsJson()).find((x) => x.name === 'order-service-dev');
    expect(a?.resources.find((r) => r.key === '/Secret/shop/order-service-secret')).toMatchObject({
      sync: 'OutOfSync',
      changedPaths: ['/data/API_KEY'],
    });
    const fix = await run(['sync', 'order-service-dev', '--yes']);
    expect(fix.code, fix.stderr).toBe(0);
    expect(
      kubectl('dev', [
        '-n',
        'shop',
        'get',
        'secret',
        'order-service-secret',
        '-o',
        'jsonpath={.data.API_KEY}',
      ]),
    ).toBe(b64(GIT_SECRET));
  });

  it('no output of any command in this file contains a secret value or its base64', () => {
    expect(captured.length).toBeGreaterThan(15);
    const leaks = captured.flatMap((c) =>
      FORBIDDEN.filter((f) => c.out.includes(f)).map((f) => `${c.args.join(' ')}: ${f}`),
    );
    expect(leaks).toEqual([]);
  });
});
