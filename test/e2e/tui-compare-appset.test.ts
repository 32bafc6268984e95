import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { git, type KustomizeShop, makeDemoRepo, yamlDocs } from '../fixtures/repos/index.js';
import { bosun, deleteNamespace, e2eEnv, eventually, kubectl } from './helpers.js';
import { TmuxSession } from './tmux.js';

/**
 * Issue 17 in a real terminal against the real control plane: the progress line of long CLI work
 * (first render, multi-app sync) on a terminal and never when piped; the console's compare view
 * (`=`) and ApplicationSet preview (`:appset`), which compares what a set generates with what is live.
 */

const root = resolve(import.meta.dirname, '../..');
const contexts = ['dev', 'staging', 'production'];
const namespaces = ['shop', 'platform'];

let demo: KustomizeShop;
let env: NodeJS.ProcessEnv;
let tmp: string;
const sessions: TmuxSession[] = [];

const bosunCmd = (args: string) =>
  `${process.execPath} ${join(root, 'bin/bosun.js')} ${args} --repo ${demo.work}`;

async function open(name: string, width: number, height: number): Promise<TmuxSession> {
  const s = await TmuxSession.start({ name, width, height, env });
  sessions.push(s);
  return s;
}

/** Everything the pane's program writes goes to `log` (the raw bytes: escapes, carriage returns). */
function recordPane(s: TmuxSession, log: string): void {
  writeFileSync(log, '');
  s.tmux(['pipe-pane', '-t', 'main', '-o', `cat >> ${log}`]);
}

beforeAll(async () => {
  for (const ns of namespaces) await deleteNamespace(ns, contexts);
  demo = await makeDemoRepo();
  tmp = mkdtempSync(join(tmpdir(), 'bosun-e2e-views-'));
  env = e2eEnv({ XDG_CONFIG_HOME: join(tmp, 'config'), NODE_ENV: 'production' });
  // A feature branch: billing is new in dev, search leaves dev.
  const w = demo.work;
  git(w, ['checkout', '--quiet', '-b', 'feature']);
  await mkdir(join(w, 'environments/dev/billing'), { recursive: true });
  await writeFile(
    join(w, 'environments/dev/billing/values.yaml'),
    yamlDocs({
      replicaCount: 1,
      image: { repository: 'registry.local/platform/billing', tag: '0.1.0' },
      autoscaling: { enabled: false, minReplicas: 1, maxReplicas: 1 },
    }),
  );
  await rm(join(w, 'environments/dev/search'), { recursive: true });
  git(w, ['add', '--all']);
  git(w, ['commit', '--quiet', '-m', 'billing in dev; search leaves dev']);
  git(w, ['checkout', '--quiet', 'main']);
}, 300_000);

afterAll(async () => {
  for (const s of sessions) s.kill();
  for (const ns of namespaces) await deleteNamespace(ns, contexts);
  await demo?.cleanup();
  if (tmp) await rm(tmp, { recursive: true, force: true });
}, 300_000);

describe('long CLI work shows progress on a terminal only', () => {
  it('the first render and a multi-app sync draw a spinner line; piped or -o json, nothing', {
    timeout: 400_000,
  }, async () => {
    const t = await open('progress', 120, 20);
    const log = join(tmp, 'progress.log');
    recordPane(t, log);
    // stdout is discarded; stderr is the terminal.
    t.run(`${bosunCmd('apps')} >/dev/null; echo "apps-exit=$?"`);
    await t.waitFor('apps-done', /^apps-exit=\d+$/m, 120_000);
    const drawn = readFileSync(log, 'utf8');
    expect(drawn).toMatch(/\r\x1b\[2K\S rendering \d+\/\d+ apps/);
    // The line is cleared once the work is done: the last spinner frame is followed by a clear.
    expect(drawn.slice(drawn.lastIndexOf(' apps'))).toContain('\r\x1b[2K');

    writeFileSync(log, '');
    t.run(`${bosunCmd('apps -o json')} >/dev/null; echo "json-exit=$?"`);
    await t.waitFor('json-done', /^json-exit=\d+$/m, 120_000);
    expect(readFileSync(log, 'utf8')).not.toMatch(/rendering \d+\/\d+ apps|reading the applications/);

    const piped = await bosun(['apps', '--repo', demo.work], { env });
    expect(piped.stdout).toMatch(/catalog-dev/);
    expect(piped.stderr).not.toMatch(/rendering|\r/);

    writeFileSync(log, '');
    t.run(`${bosunCmd('sync catalog-dev search-dev --yes')}; echo "sync-exit=$?"`);
    const after = await t.waitFor('sync-done', /^sync-exit=\d+$/m, 300_000);
    expect(after).toContain('sync-exit=0');
    const syncing = readFileSync(log, 'utf8');
    expect(syncing).toMatch(/\S syncing [01]\/2 done · running (catalog-dev|search-dev)/);
    expect(after).toMatch(/✓ catalog-dev \(dev\) Succeeded/);
    expect(after).toMatch(/✓ search-dev \(dev\) Succeeded/);
    expect(after).not.toMatch(/syncing \d\/2 done/);
  });
});

describe('the console: compare view and ApplicationSet preview', () => {
  it('= compares a service in two environments; tab picks another; :appset compares with live', {
    timeout: 400_000,
  }, async () => {
    const t = await open('views', 150, 45);
    const log = join(tmp, 'console.log');
    recordPane(t, log);
    t.run(`${bosunCmd('')}; echo "bosun exited with $?"`);
    await t.waitFor('fleet', (s) => /^[▶ ][◆ ]catalog /m.test(s) && !s.includes('loading'), 120_000);
    // While the first snapshot loaded, the header showed a spinner and what the start was doing.
    expect(readFileSync(log, 'utf8')).toMatch(
      /\S (reading the configuration|fetching origin|reading the applications|connecting \d+ clusters?|rendering \d+\/\d+ apps|listing live objects|comparing \d+ apps)/,
    );

    t.keys('/');
    t.type('catalog');
    t.keys('Enter', '=');
    let s = await t.waitFor(
      'compare-dev-staging',
      (x) => x.includes('SOURCE FILES') && x.includes('compare catalog'),
    );
    expect(s).toContain('compare catalog: dev → staging');
    expect(s).toMatch(/^ +apps\/Deployment\/catalog +changed +\/spec\/replicas/m);
    expect(s).toContain('environments/dev/catalog/values.yaml ↔ environments/staging/catalog/values.yaml');
    expect(s.indexOf('RENDERED MANIFESTS')).toBeLessThan(s.indexOf('SOURCE FILES'));

    t.keys('Tab');
    s = await t.waitFor('compare-dev-prod', (x) => x.includes('dev → prod') && x.includes('SOURCE FILES'));
    expect(s).toMatch(/^ +autoscaling\/HorizontalPodAutoscaler\/catalog +only in prod/m);
    // Scrolling reaches the diffs: the rendered one, then the values file's.
    t.keys('G');
    s = await t.waitFor('compare-bottom', (x) => /^\+ +tag: /m.test(x) || /^[-+].*tag: /m.test(x));
    t.keys('Escape');
    await t.waitFor('back-to-fleet', (x) => /^[▶ ][◆ ]catalog /m.test(x) && !x.includes('SOURCE FILES'));

    // search-dev runs (the CLI synced it, the console's automation keeps it); feature no longer generates it.
    await eventually(
      'search in dev',
      () => kubectl('dev', ['-n', 'platform', 'get', 'deploy', 'search', '-o', 'name']).trim() !== '',
      120_000,
    );
    t.keys(':');
    t.type('appset platform feature');
    t.keys('Enter');
    s = await t.waitFor('appset', (x) => x.includes('live but no longer generated at feature'), 120_000);
    expect(s).toContain('ApplicationSet platform at feature');
    expect(s).toContain('live but no longer generated at feature: search-dev');
    expect(s).toContain('generated at feature but not deployed: billing-dev');
    expect(s).toMatch(/^ +search-dev +removed +deployed +dev/m);
    expect(s).toMatch(/^ +billing-dev +added +not-deployed +dev/m);
    t.keys('Escape', 'q');
    await t.waitFor('quit', 'bosun exited with 0', 30_000);
  });
});

describe('bosun appset preview against live', () => {
  it('lists apps live but no longer generated and apps not deployed; with no kubeconfig says live was not compared', {
    timeout: 300_000,
  }, async () => {
    const r = await bosun(['appset', 'preview', 'platform', '--revision', 'feature', '--repo', demo.work], {
      env,
    });
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/^APP +STATUS +LIVE +ENV +DESTINATION +CHANGES$/m);
    expect(r.stdout).toMatch(/^search-dev +removed +deployed +dev /m);
    expect(r.stdout).toMatch(/^billing-dev +added +not-deployed +dev /m);
    expect(r.stdout).toContain('live but no longer generated at feature: search-dev');
    expect(r.stdout).toContain('generated at feature but not deployed: billing-dev');
    const json = JSON.parse(
      (await bosun(['appset', 'preview', 'platform', '-o', 'json', '--repo', demo.work], { env })).stdout,
    ) as { live: { compared: boolean }; sets: { live: { compared: boolean; liveOnly: string[] } }[] };
    expect(json.live.compared).toBe(true);
    expect(json.sets[0]?.live.liveOnly).toEqual([]);

    const offline: NodeJS.ProcessEnv = { ...env, HOME: join(tmp, 'home') };
    delete offline.KUBECONFIG;
    const o = await bosun(['appset', 'preview', 'platform', '--revision', 'feature', '--repo', demo.work], {
      env: offline,
    });
    expect(o.code).toBe(1);
    expect(o.stdout).toMatch(/^live not compared: .*kubeconfig/m);
    expect(o.stdout).toMatch(/^search-dev +removed +dev /m);
  });
});
