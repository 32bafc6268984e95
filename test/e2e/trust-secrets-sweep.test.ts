/**
 * Secret values never leave the engine. One sweep plants Secret values in Git (plain `stringData`, base64
 * `data`, a multi-line value), in the live cluster (a Secret changed out of band, an Event whose message
 * quotes values) and in a failing hook's output (a PostSync Job the API server rejects, its error quoting
 * the rejected field, which holds a Secret's value). Then it runs every command and console view that could
 * show them: apps, diff, explain, get, history, events, why, revert and promote previews, a sync with the
 * failing hook (plain and --verbose), the watch loop's log lines, the console's diff, history and revert
 * views in tmux. Every stdout and stderr, every screen, the history ConfigMap and the audit journal are
 * searched for every form of every planted value (plain, base64, each line of the multi-line one): none
 * may appear.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { commitFiles, createFixtureRepo, type FixtureRepo, yamlDocs } from '../fixtures/repos/index.js';
import { bosun, deleteNamespace, e2eEnv, eventually, kubectl, type RunResult } from './helpers.js';
import { deleteBosunRecords } from './sync-fixtures.js';
import { TmuxSession } from './tmux.js';

const root = resolve(import.meta.dirname, '../..');
const nsDev = 'e2e-sweep-dev';
const nsStaging = 'e2e-sweep-staging';
const apps = ['sweep-dev', 'sweep-staging'];

const b64 = (s: string) => Buffer.from(s, 'utf8').toString('base64');
/** Planted values; each must never appear in any output, in any form. */
const GIT_PLAIN = 'swp-plain-Kq7Zt9xR';
const GIT_PLAIN_ROTATED = 'swp-rotated-Vc3Nw8qL';
const GIT_B64 = 'swp-b64-Wm4Rx2pT';
const MULTI = [
  '-----BEGIN SWEEP KEY-----',
  'swp-line-one-Pz8Ak1',
  'swp-line-two-Hy3Bd5',
  '-----END SWEEP KEY-----',
];
const MULTI_VALUE = `${MULTI.join('\n')}\n`;
const LIVE = 'swp-live-Jn5Vb6sE';
const HOOK = 'swp-hook-Qd2Lm8yU';

/** Every form a value could take in output: plain, base64 (with and without padding). */
const forms = (v: string) => [v, b64(v), b64(v).replace(/=+$/, '')];
const FORBIDDEN = [
  ...[GIT_PLAIN, GIT_PLAIN_ROTATED, GIT_B64, LIVE, HOOK].flatMap(forms),
  ...MULTI.slice(1, 3),
  ...forms(MULTI_VALUE),
];

function files(repoURL: string, password: string): Record<string, string> {
  const app = (env: string, ns: string, automated: boolean) =>
    yamlDocs({
      apiVersion: 'argoproj.io/v1alpha1',
      kind: 'Application',
      metadata: { name: `sweep-${env}`, namespace: 'argocd', labels: { environment: env, service: 'sweep' } },
      spec: {
        project: 'default',
        source: { repoURL, targetRevision: 'main', path: `apps/sweep/overlays/${env}` },
        destination: { name: 'dev', namespace: ns },
        syncPolicy: {
          ...(automated ? { automated: { selfHeal: true } } : {}),
          syncOptions: ['CreateNamespace=true'],
        },
      },
    });
  const labels = { 'app.kubernetes.io/name': 'sweep' };
  const overlay = (ns: string, tag: string) =>
    yamlDocs({
      apiVersion: 'kustomize.config.k8s.io/v1beta1',
      kind: 'Kustomization',
      namespace: ns,
      resources: ['../../base'],
      images: [{ name: 'registry.local/sweep/web', newTag: tag }],
    });
  return {
    'argocd/sweep-dev.yaml': app('dev', nsDev, true),
    'argocd/sweep-staging.yaml': app('staging', nsStaging, false),
    'apps/sweep/base/kustomization.yaml': yamlDocs({
      apiVersion: 'kustomize.config.k8s.io/v1beta1',
      kind: 'Kustomization',
      resources: ['deployment.yaml', 'secret.yaml', 'hook.yaml'],
    }),
    'apps/sweep/base/deployment.yaml': yamlDocs({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'web', labels },
      spec: {
        replicas: 1,
        selector: { matchLabels: labels },
        template: {
          metadata: { labels },
          spec: { containers: [{ name: 'web', image: 'registry.local/sweep/web:v1' }] },
        },
      },
    }),
    'apps/sweep/base/secret.yaml': yamlDocs({
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: 'sweep-secret' },
      type: 'Opaque',
      stringData: { PASSWORD: password, HOOK_VALUE: HOOK, TLS_KEY: MULTI_VALUE },
      data: { TOKEN: b64(GIT_B64) },
    }),
    // A PostSync hook the API server rejects: its error quotes the rejected value, which is a Secret's.
    'apps/sweep/base/hook.yaml': yamlDocs({
      apiVersion: 'batch/v1',
      kind: 'Job',
      metadata: {
        name: 'sweep-check',
        annotations: { 'argocd.argoproj.io/hook': 'PostSync' },
      },
      spec: {
        template: {
          spec: {
            restartPolicy: HOOK,
            containers: [{ name: 'check', image: 'registry.local/sweep/check:v1' }],
          },
        },
      },
    }),
    'apps/sweep/overlays/dev/kustomization.yaml': overlay(nsDev, 'v2'),
    'apps/sweep/overlays/staging/kustomization.yaml': overlay(nsStaging, 'v1'),
  };
}

type AppsJson = { apps: { name: string; resources: { key: string; sync: string }[] }[] };

describe('Secret values never leave the engine (the sweep)', () => {
  let repo: FixtureRepo;
  let env: NodeJS.ProcessEnv;
  let stateDir: string;
  let rotation = '';
  /** Everything any bosun run or screen of this file showed, for the scan at the end. */
  const captured: { what: string; out: string }[] = [];
  const children: ChildProcess[] = [];
  let tui: TmuxSession | undefined;

  const run = async (args: string[]): Promise<RunResult> => {
    const r = await bosun([...args, '--repo', repo.work], { env, timeoutMs: 170_000 });
    captured.push({ what: `bosun ${args.join(' ')}`, out: r.stdout + r.stderr });
    return r;
  };
  const secretSync = async () => {
    const r = await run(['apps', '-o', 'json']);
    const a = (JSON.parse(r.stdout) as AppsJson).apps.find((x) => x.name === 'sweep-dev');
    return a?.resources.find((x) => x.key === `/Secret/${nsDev}/sweep-secret`)?.sync;
  };
  const changeLiveSecret = () =>
    kubectl('dev', [
      '-n',
      nsDev,
      'patch',
      'secret',
      'sweep-secret',
      '--type',
      'merge',
      '-p',
      JSON.stringify({ data: { PASSWORD: b64(LIVE) } }),
    ]);

  beforeAll(async () => {
    await deleteNamespace(nsDev, ['dev']);
    await deleteNamespace(nsStaging, ['dev']);
    deleteBosunRecords('dev', apps);
    stateDir = mkdtempSync(join(tmpdir(), 'bosun-e2e-sweep-state-'));
    env = e2eEnv({
      XDG_STATE_HOME: stateDir,
      XDG_CONFIG_HOME: mkdtempSync(join(tmpdir(), 'bosun-e2e-sweep-config-')),
      NODE_ENV: 'production',
    });
    repo = await createFixtureRepo({
      name: 'secrets-sweep',
      files: (url) => files(url, GIT_PLAIN),
      message: 'Add sweep',
    });
    // The rotation commit changes a Secret value in Git: revert previews show that file.
    rotation = await commitFiles(
      repo,
      {
        'apps/sweep/base/secret.yaml': files(repo.repoURL, GIT_PLAIN_ROTATED)['apps/sweep/base/secret.yaml']!,
      },
      'sweep: rotate the password',
    );
  });

  afterAll(async () => {
    tui?.kill();
    for (const c of children) c.kill('SIGKILL');
    await deleteNamespace(nsDev, ['dev']);
    await deleteNamespace(nsStaging, ['dev']);
    deleteBosunRecords('dev', apps);
    await repo?.cleanup();
  });

  it('syncs the Secret alone, then a full sync fails in the PostSync hook (plain and --verbose)', {
    timeout: 300_000,
  }, async () => {
    const first = await run(['sync', 'sweep-dev', '--resource', 'Secret/sweep-secret', '--yes']);
    expect(first.code, first.stderr).toBe(0);
    expect(kubectl('dev', ['-n', nsDev, 'get', 'secret', 'sweep-secret', '-o', 'name']).trim()).toBe(
      'secret/sweep-secret',
    );
    const failed = await run(['sync', 'sweep-dev', '--yes', '-o', 'json']);
    expect(failed.code).toBe(1);
    expect(failed.stdout).toContain('restartPolicy');
    const table = await run(['sync', 'sweep-dev', '--yes', '--verbose']);
    expect(table.code).toBe(1);
    expect(table.stdout + table.stderr).toContain('restartPolicy');
  });

  it('a Secret changed out of band and an Event quoting values are seen', async () => {
    changeLiveSecret();
    await eventually('the live Secret change seen', async () => (await secretSync()) === 'OutOfSync', 90_000);
    const uid = kubectl('dev', [
      '-n',
      nsDev,
      'get',
      'secret',
      'sweep-secret',
      '-o',
      'jsonpath={.metadata.uid}',
    ]);
    kubectl(
      'dev',
      ['-n', nsDev, 'create', '-f', '-'],
      JSON.stringify({
        apiVersion: 'v1',
        kind: 'Event',
        metadata: { name: 'sweep-leak', namespace: nsDev },
        involvedObject: { apiVersion: 'v1', kind: 'Secret', name: 'sweep-secret', namespace: nsDev, uid },
        type: 'Warning',
        reason: 'SweepLeak',
        message: `login failed for password ${GIT_PLAIN_ROTATED} (live ${LIVE})`,
        source: { component: 'sweep' },
        firstTimestamp: new Date().toISOString(),
        lastTimestamp: new Date().toISOString(),
        count: 1,
      }),
    );
  });

  it('diff, apps and explain', { timeout: 300_000 }, async () => {
    const diff = await run(['diff', 'sweep-dev']);
    expect(diff.stdout).toContain('Secret/e2e-sweep-dev/sweep-secret');
    await run(['diff', 'sweep-dev', '-o', 'json']);
    await run(['apps']);
    await run(['apps', '-o', 'yaml']);
    await run(['explain', 'sweep-dev']);
    await run(['explain', 'sweep-dev', 'Secret/sweep-secret']);
  });

  it('get: the tree, and the YAML of the Secret and of the hook', { timeout: 300_000 }, async () => {
    await run(['get', 'sweep-dev']);
    await run(['get', 'sweep-dev', '-o', 'json']);
    const get = await run(['get', 'sweep-dev', 'Secret/sweep-secret', '--live', '--desired']);
    expect(get.stdout).toContain('PASSWORD');
    await run(['get', 'sweep-dev', 'Secret/sweep-secret', '--live', '--desired', '-o', 'json']);
    await run(['get', 'sweep-dev', 'batch/Job/e2e-sweep-dev/sweep-check', '--desired']);
  });

  it('history, events and why', { timeout: 300_000 }, async () => {
    await run(['history', 'sweep-dev']);
    await run(['history', 'sweep-dev', '-o', 'json']);
    const events = await run(['events', 'sweep-dev']);
    expect(events.stdout).toContain('SweepLeak');
    await run(['events', 'sweep-dev', '-o', 'json']);
    await run(['why', 'sweep-dev']);
    await run(['why', 'sweep-dev', '-o', 'json']);
  });

  it('revert and promote previews of Secret changes', { timeout: 300_000 }, async () => {
    const revert = await run(['revert', 'sweep-dev', rotation, '--dry-run']);
    expect(revert.code, revert.stderr).toBe(0);
    expect(revert.stderr).toContain('PASSWORD');
    await run(['revert', 'sweep-dev', rotation, '--dry-run', '-o', 'json']);
    const promote = await run(['promote', 'sweep', '--from', 'dev', '--to', 'staging', '--dry-run']);
    expect(promote.code, promote.stderr).toBe(0);
    expect(promote.stderr).toContain('Secret');
    await run(['promote', 'sweep', '--from', 'dev', '--to', 'staging', '--dry-run', '-o', 'json']);
  });

  it('the watch loop self-heals the drifted Secret; its log lines carry the failing hook', async () => {
    changeLiveSecret();
    await eventually('the live Secret drift seen', async () => (await secretSync()) === 'OutOfSync', 90_000);
    let out = '';
    const child = spawn(process.execPath, [join(root, 'bin/bosun.js'), 'watch', '--repo', repo.work], {
      env,
    });
    children.push(child);
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString('utf8');
    });
    child.stderr.on('data', (d: Buffer) => {
      out += d.toString('utf8');
    });
    const failedLine = () =>
      out
        .split('\n')
        .some(
          (l) =>
            l.includes('"event":"operation"') &&
            l.includes('sweep-dev') &&
            /"phase":"(Failed|Error)"/.test(l),
        );
    await eventually('watch logs the failed self-heal of sweep-dev', failedLine, 150_000);
    const exited = new Promise<void>((r) => child.once('exit', () => r()));
    child.kill('SIGTERM');
    await exited;
    captured.push({ what: 'bosun watch', out });
    expect(out).toContain('restartPolicy');
  });

  it('the console: diff view, history view and the revert preview', { timeout: 240_000 }, async () => {
    changeLiveSecret();
    await eventually('the live Secret drift seen', async () => (await secretSync()) === 'OutOfSync', 90_000);
    tui = await TmuxSession.start({ name: 'secrets-sweep', width: 140, height: 50, env });
    tui.run(
      `${process.execPath} ${join(root, 'bin/bosun.js')} --repo ${repo.work} --no-automation; echo "bosun exited with $?"`,
    );
    captured.push({ what: 'console fleet', out: await tui.waitFor('fleet', /^.{0,3}sweep\b/m, 90_000) });
    tui.keys('d');
    captured.push({
      what: 'console diff',
      out: await tui.waitFor('diff', /─ Fleet › Diff /, 60_000),
    });
    for (let i = 0; i < 4; i++) {
      tui.keys('n');
      captured.push({ what: `console diff ${i}`, out: tui.capture(`diff-next-${i}`) });
    }
    tui.keys('Escape');
    await tui.waitFor('back-on-fleet', /─ Fleet ─/, 10_000);
    tui.keys('h');
    captured.push({
      what: 'console history',
      out: await tui.waitFor('history', 'sweep: rotate the password', 60_000),
    });
    tui.keys('R');
    const preview = await tui.waitFor('revert-preview', /press y to commit/, 90_000);
    expect(preview).toContain('PASSWORD');
    captured.push({ what: 'console revert preview', out: preview });
    for (let i = 0; i < 3; i++) {
      tui.keys('PageDown');
      captured.push({ what: `console revert preview ${i}`, out: tui.capture(`revert-page-${i}`) });
    }
    tui.keys('Escape');
    tui.keys('Escape');
    tui.keys('q');
    await tui.waitFor('quit', /^bosun exited with \d+$/m, 30_000);
  });

  it('no output, screen, history ConfigMap or journal line holds a planted value', () => {
    const history = kubectl('dev', [
      '-n',
      'bosun-system',
      'get',
      'configmap',
      'bosun-history-sweep-dev',
      '-o',
      'json',
    ]);
    expect(history).toContain('restartPolicy');
    captured.push({ what: 'history ConfigMap', out: history });
    const journal = readFileSync(join(stateDir, 'bosun', 'audit.log'), 'utf8');
    expect(journal).toContain('sweep-dev');
    captured.push({ what: 'audit journal', out: journal });
    expect(captured.length).toBeGreaterThan(30);
    const leaks = captured.flatMap((c) =>
      FORBIDDEN.filter((f) => c.out.includes(f)).map((f) => `${c.what}: ${JSON.stringify(f)}`),
    );
    expect(leaks).toEqual([]);
  });
});
