import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { commitFiles, yamlDocs } from '../fixtures/repos/index.js';
import {
  APP_KEYS,
  type AppJson,
  cliSuite,
  FORBIDDEN,
  type HistoryJson,
  oneLine,
  type TreeNode,
} from './cli-fixture.js';
import { e2eEnv, eventually, kubectl } from './helpers.js';

/** Every command of the CLI against the real control plane: output, exit code and failure modes (issue 8). */

describe('bosun CLI: every command with its output, exit code and failure modes', () => {
  const suite = cliSuite();
  const { run, appsJson, originHead, devDeployment, captured } = suite;

  it('--help, -h, `help` and no command with stdout not a terminal print the help and exit 0', async () => {
    const help = await run(['--help']);
    expect(help.code).toBe(0);
    expect(help.stderr).toBe('');
    expect(help.stdout).toContain('Usage: bosun [command] [flags]');
    for (const cmd of [
      'apps',
      'get APP',
      'diff APP',
      'sync APP',
      'promote SERVICE',
      'revert APP COMMIT',
      'history APP',
      'explain APP',
      'health [-f FILE|-]',
      'clusters',
      'watch',
      'demo',
    ]) {
      expect(help.stdout, cmd).toContain(cmd);
    }
    expect(help.stdout).toMatch(/Exit codes: 0 ok .* 2 usage .* 3 refused by policy/s);
    for (const args of [['-h'], ['help'], []]) {
      const r = await run(args);
      expect(r.code, args.join(' ')).toBe(0);
      expect(r.stdout, args.join(' ')).toBe(help.stdout);
      expect(r.stderr).toBe('');
    }
  });

  it('an unknown command, an unknown flag, a bad output format or a missing argument exit 2 with the reason on stderr', async () => {
    const cmd = await run(['frobnicate']);
    expect(cmd.code).toBe(2);
    expect(cmd.stdout).toBe('');
    expect(oneLine(cmd)[0]).toBe('bosun: unknown command "frobnicate"');
    const flag = await run(['apps', '--frobnicate']);
    expect(flag.code).toBe(2);
    expect(flag.stdout).toBe('');
    expect(oneLine(flag)[0]).toMatch(/^bosun: Unknown option '--frobnicate'/);
    const fmt = await run(['apps', '-o', 'xml']);
    expect(fmt.code).toBe(2);
    expect(oneLine(fmt)[0]).toBe('bosun: unknown output format "xml" (use table, json or yaml)');
    const limit = await run(['history', 'order-service-dev', '--limit', '0']);
    expect(limit.code).toBe(2);
    expect(limit.stderr).toContain('--limit must be a positive integer');
    for (const [args, usage] of [
      [['get'], 'usage: bosun get APP'],
      [['diff'], 'usage: bosun diff APP'],
      [['sync'], 'usage: bosun sync APP...'],
      [['promote', 'order-service'], 'usage: bosun promote SERVICE --from ENV --to ENV'],
      [['revert', 'order-service-prod'], 'usage: bosun revert APP COMMIT'],
    ] as const) {
      const r = await run([...args]);
      expect(r.code, args.join(' ')).toBe(2);
      expect(oneLine(r), args.join(' ')).toHaveLength(1);
      expect(r.stderr).toContain(usage);
    }
  });

  it('apps: a table, and -o json / -o yaml in the documented shape', async () => {
    const head = originHead();
    const t = await run(['apps']);
    expect(t.code, t.stderr).toBe(0);
    expect(t.stderr).toBe('');
    const lines = t.stdout.trimEnd().split('\n');
    expect(lines[0]?.split(/\s+/)).toEqual([
      'NAME',
      'ENV',
      'CONTEXT',
      'SYNC',
      'HEALTH',
      'REVISION',
      'OBJECTS',
      'IMAGES',
      'CONDITION',
    ]);
    const rows = new Map(lines.slice(1).map((l) => [l.split(/\s+/)[0], l.split(/\s+/)]));
    expect(rows.get('order-service-dev')).toEqual([
      'order-service-dev',
      'dev',
      'dev',
      'OutOfSync',
      'Missing',
      head.slice(0, 7),
      '3',
      'v1.48.0-rc.1',
    ]);
    expect(rows.get('order-service-staging')).toEqual([
      'order-service-staging',
      'staging',
      'staging',
      'OutOfSync',
      'Missing',
      head.slice(0, 7),
      '3',
      'v1.47.2',
    ]);
    expect(rows.get('order-service-prod')).toEqual([
      'order-service-prod',
      'prod',
      'production',
      'OutOfSync',
      'Missing',
      head.slice(0, 7),
      '4',
      'v1.47.1',
    ]);

    const j = await run(['apps', '-o', 'json']);
    expect(j.code).toBe(0);
    const parsed = JSON.parse(j.stdout) as {
      apps: AppJson[];
      appSets: unknown[];
      problems: unknown[];
      warnings: unknown[];
      backend: { type: string };
    };
    expect(Object.keys(parsed).sort()).toEqual(['appSets', 'apps', 'backend', 'problems', 'warnings']);
    // This repository has no ApplicationSet, and every cluster's argocd-cm reads (or is absent) cleanly.
    expect(parsed.appSets).toEqual([]);
    expect(parsed.warnings).toEqual([]);
    // No backend block: the embedded engine.
    expect(parsed.backend.type).toBe('embedded');
    // A healthy repository has no problems (unreadable Argo CD manifests would be listed here).
    expect(parsed.problems).toEqual([]);
    for (const a of parsed.apps) expect(Object.keys(a).sort(), a.name).toEqual(APP_KEYS);
    const prod = parsed.apps.find((a) => a.name === 'order-service-prod');
    expect(prod).toMatchObject({
      project: 'default',
      service: 'order-service',
      environment: 'prod',
      context: 'production',
      namespace: 'shop',
      sync: 'OutOfSync',
      health: 'Missing',
      revision: head,
      objects: 4,
      images: ['registry.local/shop/order-service:v1.47.1'],
      automated: true,
      conditions: [],
    });
    expect(prod?.resources.map((r) => r.key).sort()).toEqual([
      '/ConfigMap/shop/order-service-config',
      '/Service/shop/order-service',
      'apps/Deployment/shop/order-service',
      'autoscaling/HorizontalPodAutoscaler/shop/order-service',
    ]);
    for (const r of prod?.resources ?? []) {
      expect(Object.keys(r).sort()).toEqual(['changedPaths', 'health', 'key', 'message', 'sync']);
      expect(r.sync).toBe('Missing');
      expect(r.health).toBe('Missing');
    }

    const y = await run(['apps', '-o', 'yaml']);
    expect(y.code).toBe(0);
    expect(parse(y.stdout)).toEqual(parsed);
  });

  it('sync --dry-run shows the plan and changes nothing', async () => {
    const r = await run(['sync', 'order-service-dev', '--dry-run']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('order-service-dev: Succeeded: dry run');
    expect(r.stdout).toContain('nothing was changed');
    expect(r.stdout).toMatch(/create\s+Deployment\/shop\/order-service\s+Succeeded\s+dry run: would create/);
    expect(kubectl('dev', ['get', 'namespace', 'shop', '--ignore-not-found', '-o', 'name']).trim()).toBe('');
    const a = (await appsJson()).find((x) => x.name === 'order-service-dev');
    expect(a?.sync).toBe('OutOfSync');
    expect(a?.health).toBe('Missing');
  });

  it('sync --resource KIND/NAME syncs only that resource', async () => {
    const bad = await run(['sync', 'order-service-dev', '--resource', 'Secret/nope', '--yes']);
    expect(bad.code).toBe(2);
    expect(oneLine(bad)).toEqual([
      'bosun: unknown resource "Secret/nope" in order-service-dev (use GROUP/KIND/NAMESPACE/NAME or KIND/NAME)',
    ]);

    const r = await run([
      'sync',
      'order-service-dev',
      '--resource',
      'ConfigMap/order-service-config',
      '--yes',
    ]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('order-service-dev: Succeeded');
    expect(r.stdout).toContain('ConfigMap/shop/order-service-config');
    expect(r.stdout).not.toContain('Deployment/shop/order-service');
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
    ).toBe('info');
    expect(devDeployment()).toBe('');
    expect(
      kubectl('dev', [
        '-n',
        'shop',
        'get',
        'service',
        'order-service',
        '--ignore-not-found',
        '-o',
        'name',
      ]).trim(),
    ).toBe('');

    const d = await run(['diff', 'order-service-dev']);
    expect(d.code).toBe(1);
    expect(d.stdout).toContain('+++ target/Deployment/shop/order-service');
    expect(d.stdout).toContain('+++ target/Service/shop/order-service');
    expect(d.stdout).not.toContain('ConfigMap/shop/order-service-config');
  });

  it('sync: the app becomes Synced and Healthy, diff is empty with exit 0', async () => {
    const r = await run(['sync', 'order-service-dev', '--yes']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^order-service-dev: Succeeded: /);
    // Table mode: the plan is shown on stderr before the run, the result on stdout.
    expect(r.stderr).toContain(`sync order-service-dev → dev @ ${originHead().slice(0, 7)}`);
    await eventually('order-service-dev Synced and Healthy', async () => {
      const a = (await appsJson()).find((x) => x.name === 'order-service-dev');
      return a?.sync === 'Synced' && a.health === 'Healthy';
    });
    const d = await run(['diff', 'order-service-dev']);
    expect(d.code, d.stderr).toBe(0);
    expect(d.stdout).toBe('');
    expect(d.stderr).toBe('');
    const dj = await run(['diff', 'order-service-dev', '-o', 'json']);
    expect(dj.code).toBe(0);
    expect(JSON.parse(dj.stdout)).toEqual({ app: 'order-service-dev', diffs: [] });
  });

  it('get APP: the tree shows Deployment → ReplicaSet → Pod', async () => {
    let out = '';
    await eventually('a Pod in the tree', async () => {
      const r = await run(['get', 'order-service-dev']);
      out = r.stdout;
      return r.code === 0 && /Pod\/shop\/order-service-/.test(r.stdout);
    });
    const lines = out.trimEnd().split('\n');
    expect(lines[0]).toMatch(
      new RegExp(`^order-service-dev\\s+Synced Healthy\\s+dev/shop\\s+${originHead().slice(0, 7)}$`),
    );
    const indent = (l: string) => l.search(/[├└]─/);
    const di = lines.findIndex((l) => /[├└]─ Deployment\/shop\/order-service\s+Synced Healthy/.test(l));
    expect(di, out).toBeGreaterThan(0);
    const rs = lines[di + 1] ?? '';
    const pod = lines[di + 2] ?? '';
    expect(rs).toMatch(/└─ ReplicaSet\/shop\/order-service-[a-z0-9]+\s+Healthy/);
    expect(pod).toMatch(/└─ Pod\/shop\/order-service-[a-z0-9]+-[a-z0-9]+\s+Healthy\s+Running/);
    expect(indent(rs)).toBeGreaterThan(indent(lines[di] ?? ''));
    expect(indent(pod)).toBeGreaterThan(indent(rs));
    for (const k of [
      'ConfigMap/shop/order-service-config  Synced',
      'Service/shop/order-service  Synced Healthy',
    ])
      expect(out).toContain(k);

    const j = await run(['get', 'order-service-dev', '-o', 'json']);
    expect(j.code).toBe(0);
    const g = JSON.parse(j.stdout) as { app: AppJson; tree: TreeNode[] };
    expect(Object.keys(g).sort()).toEqual(['app', 'tree']);
    expect(Object.keys(g.app).sort()).toEqual(APP_KEYS);
    const dep = g.tree.find((n) => n.key.kind === 'Deployment');
    expect(dep?.key).toEqual({ group: 'apps', kind: 'Deployment', namespace: 'shop', name: 'order-service' });
    expect(dep?.children[0]?.key.kind).toBe('ReplicaSet');
    expect(dep?.children[0]?.children[0]?.key.kind).toBe('Pod');
    const y = await run(['get', 'order-service-dev', '-o', 'yaml']);
    expect((parse(y.stdout) as { app: AppJson }).app.name).toBe('order-service-dev');
  });

  it('explain APP [RESOURCE]', async () => {
    const sha = originHead().slice(0, 7);
    const e = await run(['explain', 'order-service-dev']);
    expect(e.code, e.stderr).toBe(0);
    expect(e.stdout).toBe(`order-service-dev: Synced, Healthy at ${sha}\n  every resource matches Git\n`);
    for (const res of [
      'Deployment/order-service',
      'apps/Deployment/shop/order-service',
      'order-service-config',
    ]) {
      const r = await run(['explain', 'order-service-dev', res]);
      expect(r.code, res).toBe(0);
    }
    const r = await run(['explain', 'order-service-dev', 'Deployment/order-service']);
    expect(r.stdout).toBe(
      'Deployment/shop/order-service: Synced, Healthy\n  health from: built-in Deployment health\n',
    );
    const bad = await run(['explain', 'order-service-dev', 'Deployment/nope']);
    expect(bad.code).toBe(2);
    expect(oneLine(bad)).toEqual([
      'bosun: unknown resource "Deployment/nope" in order-service-dev (use GROUP/KIND/NAMESPACE/NAME or KIND/NAME)',
    ]);

    kubectl('dev', [
      '-n',
      'shop',
      'patch',
      'configmap',
      'order-service-config',
      '-p',
      '{"data":{"LOG_LEVEL":"debug"}}',
    ]);
    await eventually('drift seen', async () => (await run(['diff', 'order-service-dev'])).code === 1, 30_000);
    const drift = await run(['explain', 'order-service-dev', 'ConfigMap/order-service-config', '-o', 'json']);
    expect(drift.code).toBe(0);
    const ex = JSON.parse(drift.stdout) as { app: string; explain: string[] };
    expect(ex.app).toBe('order-service-dev');
    expect(ex.explain[0]).toBe('ConfigMap/shop/order-service-config: OutOfSync');
    expect(ex.explain.join('\n')).toContain(
      '/data/LOG_LEVEL differs from Git; it was last written by kubectl-patch',
    );
  });

  it('diff APP: exit 1 with the drift when out of sync, in text and JSON; sync of that resource makes it 0 again', async () => {
    const d = await run(['diff', 'order-service-dev']);
    expect(d.code).toBe(1);
    expect(d.stdout).toContain('--- live/ConfigMap/shop/order-service-config');
    expect(d.stdout).toContain('-  LOG_LEVEL: debug');
    expect(d.stdout).toContain('+  LOG_LEVEL: info');
    const j = await run(['diff', 'order-service-dev', '-o', 'json']);
    expect(j.code).toBe(1);
    const parsed = JSON.parse(j.stdout) as {
      app: string;
      diffs: { key: unknown; sync: string; changedPaths: string[]; text: string; explain: string[] }[];
    };
    expect(Object.keys(parsed).sort()).toEqual(['app', 'diffs']);
    expect(parsed.diffs).toHaveLength(1);
    const diff = parsed.diffs[0];
    expect(Object.keys(diff ?? {}).sort()).toEqual(['changedPaths', 'explain', 'key', 'sync', 'text']);
    expect(diff?.key).toEqual({
      group: '',
      kind: 'ConfigMap',
      namespace: 'shop',
      name: 'order-service-config',
    });
    expect(diff?.sync).toBe('OutOfSync');
    expect(diff?.changedPaths).toEqual(['/data/LOG_LEVEL']);
    expect(diff?.text).toBe(d.stdout);
    const apps = await appsJson();
    const dev = apps.find((a) => a.name === 'order-service-dev');
    expect(dev?.sync).toBe('OutOfSync');
    expect(
      dev?.resources.find((r) => r.key === '/ConfigMap/shop/order-service-config')?.changedPaths,
    ).toEqual(['/data/LOG_LEVEL']);

    const s = await run([
      'sync',
      'order-service-dev',
      '--resource',
      '/ConfigMap/shop/order-service-config',
      '--yes',
    ]);
    expect(s.code, s.stderr).toBe(0);
    await eventually(
      'diff clean again',
      async () => (await run(['diff', 'order-service-dev'])).code === 0,
      30_000,
    );
  });

  it('history APP: the commits touching the app, and which cluster runs which commit', async () => {
    const first = originHead();
    const readme = await commitFiles(
      suite.shop,
      { 'README.md': '# shop\n\nchanged\n' },
      'README: unrelated change',
    );
    const prodOnly = await commitFiles(
      suite.shop,
      {
        'apps/order-service/overlays/prod/replicas.yaml': yamlDocs({
          apiVersion: 'apps/v1',
          kind: 'Deployment',
          metadata: { name: 'order-service' },
          spec: { replicas: 4 },
        }),
      },
      'order-service prod: 4 replicas',
    );
    // dev syncs HEAD, a commit that touches none of its paths: it runs the newest commit of its history.
    const s = await run(['sync', 'order-service-dev', '--yes']);
    expect(s.code, s.stderr).toBe(0);

    const t = await run(['history', 'order-service-dev']);
    expect(t.code, t.stderr).toBe(0);
    const lines = t.stdout.trimEnd().split('\n');
    expect(lines[0]?.split(/\s{2,}/)).toEqual(['COMMIT', 'DATE', 'AUTHOR', 'RUNNING IN', 'SUBJECT']);
    expect(lines).toHaveLength(2);
    expect(lines[1]).toMatch(
      new RegExp(
        `^${first.slice(0, 7)}\\s+\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d\\s+Fixture Bot\\s+dev \\(dev\\)\\s+Add shop: 1 services`,
      ),
    );

    const j = await run(['history', 'order-service-dev', '-o', 'json']);
    const dev = JSON.parse(j.stdout) as HistoryJson;
    expect(dev.app).toBe('order-service-dev');
    expect(dev.history.map((h) => h.sha)).toEqual([first]);
    expect(dev.history[0]?.runningIn).toEqual(['dev (dev)']);

    const p = await run(['history', 'order-service-prod', '-o', 'json']);
    const prod = JSON.parse(p.stdout) as HistoryJson;
    expect(prod.history.map((h) => h.sha)).toEqual([prodOnly, first]);
    expect(prod.history.map((h) => h.sha)).not.toContain(readme);
    expect(prod.history[0]?.subject).toBe('order-service prod: 4 replicas');
    // prod never synced; dev synced HEAD, which is the newest commit of this history it contains.
    expect(prod.history[0]?.runningIn).toEqual(['dev (dev)']);
    expect(prod.history[1]?.runningIn).toEqual([]);
    const lim = await run(['history', 'order-service-prod', '--limit', '1', '-o', 'json']);
    expect((JSON.parse(lim.stdout) as HistoryJson).history.map((h) => h.sha)).toEqual([prodOnly]);
  });

  it('health -f FILE and health - from stdin, without any cluster', async () => {
    const list = kubectl('dev', ['-n', 'shop', 'get', 'deploy', '-o', 'yaml']);
    expect(list).toMatch(/^kind: List$/m);
    const env = e2eEnv({ KUBECONFIG: '/nonexistent/kubeconfig' });
    for (const args of [['health'], ['health', '-'], ['health', '-f', '-']]) {
      const r = await run(args, { input: list, env });
      expect(r.code, `${args.join(' ')}: ${r.stderr}`).toBe(0);
      expect(r.stderr).toBe('');
      expect(r.stdout.split('\n')[0]?.split(/\s+/)).toEqual(['RESOURCE', 'HEALTH', 'MESSAGE']);
      expect(r.stdout).toMatch(
        /^Deployment\/shop\/order-service\s+Healthy\s+Deployment "order-service" is rolled out/m,
      );
    }
    const j = await run(['health', '-o', 'json'], { input: list, env });
    expect(JSON.parse(j.stdout)).toEqual({
      objects: [
        {
          key: 'apps/Deployment/shop/order-service',
          health: 'Healthy',
          message: expect.stringContaining('rolled out'),
          source: 'deployment.rollout',
        },
      ],
    });

    const file = join(suite.shop.root, 'objects.yaml');
    writeFileSync(
      file,
      yamlDocs(
        {
          apiVersion: 'v1',
          kind: 'ConfigMap',
          metadata: { name: 'settings', namespace: 'shop' },
          data: { a: 'b' },
        },
        {
          apiVersion: 'apps/v1',
          kind: 'Deployment',
          metadata: { name: 'stuck', namespace: 'shop', generation: 2 },
          spec: { replicas: 2 },
          status: {
            observedGeneration: 2,
            replicas: 2,
            updatedReplicas: 1,
            availableReplicas: 1,
            conditions: [
              {
                type: 'Progressing',
                status: 'False',
                reason: 'ProgressDeadlineExceeded',
                message: 'ReplicaSet "stuck-7d4b9c" has timed out progressing.',
              },
            ],
          },
        },
      ),
    );
    const deg = await run(['health', '-f', file], { env });
    expect(deg.code).toBe(1);
    expect(deg.stdout).toMatch(/^ConfigMap\/shop\/settings\s+-\s+no health check for this kind$/m);
    expect(deg.stdout).toMatch(
      /^Deployment\/shop\/stuck\s+Degraded\s+Deployment "stuck" exceeded its progress deadline/m,
    );
    const degY = await run(['health', '-f', file, '-o', 'yaml'], { env });
    expect(degY.code).toBe(1);
    expect(
      (parse(degY.stdout) as { objects: { key: string; health: string | null }[] }).objects.map((o) => [
        o.key,
        o.health,
      ]),
    ).toEqual([
      ['/ConfigMap/shop/settings', null],
      ['apps/Deployment/shop/stuck', 'Degraded'],
    ]);

    for (const [what, input] of [
      ['bad YAML', 'apiVersion: v1\nkind: [Pod\n'],
      ['no objects', '{}\n'],
      ['no apiVersion', stringify({ kind: 'Pod', metadata: { name: 'x' } })],
    ] as const) {
      const r = await run(['health', '-'], { input, env });
      expect(r.code, what).toBe(2);
      expect(r.stdout, what).toBe('');
      expect(oneLine(r), what).toHaveLength(1);
      expect(r.stderr, what).toMatch(/^bosun: /);
    }
    const missing = await run(['health', '-f', join(suite.shop.root, 'nope.yaml')], { env });
    expect(missing.code).toBe(2);
    expect(oneLine(missing)).toEqual([`bosun: cannot read ${join(suite.shop.root, 'nope.yaml')}: ENOENT`]);
  });

  it('no output of any command in this file contains a secret value or its base64', () => {
    expect(captured.length).toBeGreaterThan(50);
    const leaks = captured.flatMap((c) =>
      FORBIDDEN.filter((f) => c.out.includes(f)).map((f) => `${c.args.join(' ')}: ${f}`),
    );
    expect(leaks).toEqual([]);
  });
});
