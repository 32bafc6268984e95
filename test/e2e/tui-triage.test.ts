import { mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { appendLogLines, setNamespaceLogs, writeLogFile } from '../../src/demo/controlplane/kwok-logs.js';
import { createFixtureRepo, type FixtureRepo, yamlDocs } from '../fixtures/repos/index.js';
import { bosun, deleteNamespace, e2eEnv, eventually, kubectl } from './helpers.js';
import { TmuxSession } from './tmux.js';

/**
 * Triage in the console, in a real terminal (tmux) against the real control plane: `w` opens "why" on a
 * Degraded app, `l` follows the real pod logs (kwok serves them through the apiserver), `a` runs restart
 * from the action menu and the pod template annotation changes, then scale, which asks for the replicas,
 * refuses a bad value and warns that Git will revert it.
 */

const ns = 'tui-triage';
const root = resolve(import.meta.dirname, '../..');

const deployment = (
  name: string,
  extra: Record<string, unknown> = {},
  spec: Record<string, unknown> = {},
) => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name, namespace: ns },
  spec: {
    replicas: 1,
    selector: { matchLabels: { app: name } },
    template: {
      metadata: { labels: { app: name } },
      spec: { containers: [{ name: 'app', image: `registry.local/${name}:1.0` }], ...extra },
    },
    ...spec,
  },
});

describe('console triage in tmux: why, logs, resource actions', () => {
  const cp = inject('controlPlane');
  let repo: FixtureRepo;
  let tui: TmuxSession;
  let current: string;
  const env = () =>
    e2eEnv({ XDG_CONFIG_HOME: mkdtempSync(join(tmpdir(), 'bosun-e2e-config-')), NODE_ENV: 'production' });
  const dev = () => {
    const c = cp.clusters.find((x) => x.name === 'dev');
    if (!c) throw new Error('no dev cluster');
    return { server: c.server, token: c.token };
  };
  /** The tree row under the cursor. */
  const cursorRow = (s: string) => s.split('\n').find((l) => l.includes('▶ ')) ?? '';

  beforeAll(async () => {
    const logDir = join(cp.runDir, 'tui-triage-logs');
    mkdirSync(logDir, { recursive: true });
    current = join(logDir, 'app.log');
    writeLogFile(current, ['booting', 'listening on :8080']);
    await setNamespaceLogs(dev(), { name: 'tui-triage', namespaces: [ns], logs: [{ file: current }] });
    repo = await createFixtureRepo({
      name: 'tui-triage',
      files: (url) => ({
        'argocd/apps.yaml': yamlDocs({
          apiVersion: 'argoproj.io/v1alpha1',
          kind: 'Application',
          metadata: { name: 'tt' },
          spec: {
            project: 'default',
            source: { repoURL: url, path: 'manifests', targetRevision: 'main' },
            destination: { name: 'dev', namespace: ns },
            syncPolicy: { syncOptions: ['CreateNamespace=true'] },
          },
        }),
        'manifests/web.yaml': yamlDocs(deployment('web')),
        'manifests/stuck.yaml': yamlDocs(
          deployment('stuck', { nodeSelector: { 'no-such-node': 'true' } }, { progressDeadlineSeconds: 2 }),
        ),
      }),
    });
    const r = await bosun(['sync', 'tt', '--yes', '--repo', repo.work], { env: env() });
    expect(r.stderr).not.toMatch(/refused|error/i);
    await eventually(
      'web available',
      () =>
        kubectl('dev', ['-n', ns, 'get', 'deploy', 'web', '-o', 'jsonpath={.status.availableReplicas}']) ===
        '1',
      90_000,
    );
  }, 240_000);

  afterAll(async () => {
    tui?.kill();
    kubectl('dev', ['delete', 'clusterlogs.kwok.x-k8s.io', 'tui-triage', '--ignore-not-found']);
    await deleteNamespace(ns, ['dev']);
    await repo?.cleanup();
  });

  it('w on the Degraded app opens why; l follows real log lines; a runs restart, then scale with its prompt', {
    timeout: 300_000,
  }, async () => {
    tui = await TmuxSession.start({ name: 'triage-120x40', width: 120, height: 40, env: env() });
    tui.run(
      `${process.execPath} ${join(root, 'bin/bosun.js')} --repo ${repo.work}; echo "bosun exited with $?"`,
    );
    await tui.waitFor('fleet', /^[▶ ][◆ ]manifests\s/m, 90_000);
    tui.keys(':');
    tui.type('app tt');
    tui.keys('Enter');
    await tui.waitFor('app-degraded', (s) => s.includes('Deployment/stuck') && /Degraded/.test(s), 90_000);

    // Why: the first unhealthy resource, its health message, its warnings.
    tui.keys('w');
    const why = await tui.waitFor(
      'why',
      (s) => s.includes('why is tt unhealthy') && s.includes('last warning events'),
      30_000,
    );
    expect(why).toMatch(/Deployment\/.*stuck: Degraded/);
    expect(why).toMatch(/progress deadline|ProgressDeadlineExceeded/);
    tui.keys('Escape');
    // Wait for the app view: a `j` read together with the Escape would be taken as alt+j.
    await tui.waitFor(
      'why-closed',
      (s) => !s.includes('why is tt unhealthy') && s.includes('Deployment/stuck'),
      20_000,
    );

    // Logs of Deployment/web: move the cursor onto it, then l.
    for (let i = 0; i < 12 && !cursorRow(tui.capture(`find-web-${i}`)).includes('Deployment/web'); i++) {
      tui.keys('j');
      await new Promise((r) => setTimeout(r, 300));
    }
    expect(cursorRow(tui.capture('on-web'))).toContain('Deployment/web');
    tui.keys('l');
    await tui.waitFor('logs', /web-[a-z0-9]+-[a-z0-9]+\/app listening on :8080/, 60_000);
    appendLogLines(current, ['GET /healthz 200 from the tmux test']);
    await tui.waitFor('logs-followed', 'GET /healthz 200 from the tmux test', 60_000);
    tui.keys('/');
    tui.type('boot');
    const filtered = await tui.waitFor(
      'logs-filtered',
      (s) => s.includes('/boot') && !s.includes('listening on'),
      20_000,
    );
    expect(filtered).toMatch(/\/app booting/);
    tui.keys('Escape');
    await tui.waitFor('filter-closed', (s) => !s.includes('/boot▏'), 20_000);
    tui.keys('Escape');
    await tui.waitFor('back-on-app', (s) => !s.includes('logs of') && s.includes('Deployment/stuck'), 20_000);

    // Action menu: restart, and the pod template annotation changes.
    tui.keys('a');
    const menu = await tui.waitFor(
      'action-menu',
      (s) => s.includes('Actions of Deployment/') && s.includes('restart'),
      30_000,
    );
    expect(menu).toContain('builtin');
    for (let i = 0; i < 10 && !cursorRow(tui.capture(`find-restart-${i}`)).includes('restart'); i++) {
      tui.keys('j');
      await new Promise((r) => setTimeout(r, 300));
    }
    tui.keys('Enter');
    await tui.waitFor('restarted', /restart: Succeeded/, 60_000);
    const at = kubectl('dev', [
      '-n',
      ns,
      'get',
      'deployment',
      'web',
      '-o',
      'jsonpath={.spec.template.metadata.annotations.kubectl\\.kubernetes\\.io/restartedAt}',
    ]);
    expect(at).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    tui.keys('Escape');
    await tui.waitFor('menu-closed', (s) => !s.includes('Actions of'), 20_000);

    // Scale asks for replicas, refuses a value that is not a whole number, warns that Git sets replicas.
    tui.keys('a');
    await tui.waitFor(
      'action-menu-2',
      (s) => s.includes('Actions of Deployment/') && s.includes('scale'),
      30_000,
    );
    for (let i = 0; i < 10 && !cursorRow(tui.capture(`find-scale-${i}`)).includes('scale'); i++) {
      tui.keys('j');
      await new Promise((r) => setTimeout(r, 300));
    }
    const scaleRow = await tui.waitFor('scale-selected', (s) => cursorRow(s).includes('scale'), 10_000);
    expect(scaleRow).toMatch(
      /Git sets Deployment\/web spec\.replicas to 1: the next sync will revert this scale/,
    );
    tui.keys('Enter');
    await tui.waitFor('replicas-prompt', 'replicas for scale (enter sets it, esc goes back)', 20_000);
    tui.type('x2');
    tui.keys('Enter');
    await tui.waitFor('replicas-refused', 'scale: replicas must be a whole number ≥ 0, not "x2"', 20_000);
    tui.keys('BSpace', 'BSpace');
    tui.type('2');
    tui.keys('Enter');
    const scaled = await tui.waitFor('scaled', /scale: Succeeded/, 60_000);
    expect(scaled).toContain('the next sync will revert this scale');
    expect(kubectl('dev', ['-n', ns, 'get', 'deployment', 'web', '-o', 'jsonpath={.spec.replicas}'])).toBe(
      '2',
    );
    tui.keys('Escape');
    await tui.waitFor('menu-closed-2', (s) => !s.includes('Actions of'), 20_000);
    tui.keys('q');
    await tui.waitFor('after-quit', /^bosun exited with 0$/m, 30_000);
  });
});
