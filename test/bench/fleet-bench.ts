/**
 * A big fleet: 120 Helm apps (40 services × 3 environments, one ApplicationSet, one chart) over 3
 * clusters. Times `bosun apps -o json` from process start to full JSON with a cold render cache
 * (target ≤ 3 s), then warm, against empty clusters and again after the fleet is deployed, and
 * checks that every app is listed. Run: npx tsx test/bench/fleet-bench.ts [services]
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { startControlPlane } from '../../src/demo/controlplane/controlplane.js';
import { makeHelmPlatform } from '../fixtures/repos/index.js';
import { ms, stats } from './bench-util.js';

const root = resolve(import.meta.dirname, '../..');
const services = Number(process.argv[2] ?? 40);
const cp = await startControlPlane({ log: () => {} });
const platform = await makeHelmPlatform({
  services: Array.from({ length: services }, (_, i) => `svc-${String(i).padStart(3, '0')}`),
});
const expected = services * platform.envs.length;

/** One `bosun apps -o json`, timed from spawn to exit, with the given render cache directory. */
function apps(
  cacheHome: string,
  extraEnv: Record<string, string> = {},
): { ms: number; n: number; errors: number } {
  const env = {
    ...process.env,
    ...extraEnv,
    KUBECONFIG: cp.kubeconfig,
    PATH: `${cp.binDir}:${process.env.PATH}`,
    XDG_CACHE_HOME: cacheHome,
    NO_COLOR: '1',
  };
  const t0 = performance.now();
  const out = execFileSync(
    process.execPath,
    [join(root, 'bin/bosun.js'), 'apps', '--repo', platform.work, '-o', 'json'],
    { env, encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 },
  );
  const elapsed = performance.now() - t0;
  const list = (JSON.parse(out) as { apps: { conditions: { type: string }[] }[] }).apps;
  const errors = list.filter((a) => a.conditions.some((c) => /Error/.test(c.type))).length;
  return { ms: elapsed, n: list.length, errors };
}

/** Three runs, each with a fresh render cache directory. */
function coldRuns(extraEnv: Record<string, string> = {}) {
  return [0, 1, 2].map(() => {
    const dir = mkdtempSync(join(tmpdir(), 'bosun-fleet-cache-'));
    try {
      return apps(dir, extraEnv);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
}

/**
 * Cold (a fresh cache directory each run) and warm (one shared, primed directory) medians; with
 * `both`, cold also with one `helm template` process per chart (BOSUN_HELM_RENDER=off).
 */
function measure(label: string, both = false): void {
  const cold = coldRuns();
  if (both) {
    const cli = coldRuns({ BOSUN_HELM_RENDER: 'off' });
    for (const r of cli)
      if (r.n !== expected || r.errors > 0) throw new Error(`${label}: helm template runs failed`);
    const c = stats(cli.map((r) => r.ms));
    console.log(
      `bosun apps, ${expected} Helm apps, ${label}, one \`helm template\` per chart: cold median ${ms(c.median)} (max ${ms(c.max)})`,
    );
  }
  const warmDir = mkdtempSync(join(tmpdir(), 'bosun-fleet-cache-'));
  try {
    apps(warmDir);
    const warm = [0, 1, 2].map(() => apps(warmDir));
    for (const r of [...cold, ...warm]) {
      if (r.n !== expected) throw new Error(`${label}: bosun apps listed ${r.n} apps, expected ${expected}`);
      if (r.errors > 0) throw new Error(`${label}: ${r.errors} apps in error`);
    }
    const c = stats(cold.map((r) => r.ms));
    const w = stats(warm.map((r) => r.ms));
    console.log(
      `bosun apps, ${expected} Helm apps over 3 clusters, ${label}, bosun-helm-render: cold render cache median ${ms(c.median)} (max ${ms(c.max)}; target ≤ 3000 ms), warm median ${ms(w.median)}`,
    );
  } finally {
    rmSync(warmDir, { recursive: true, force: true });
  }
}

try {
  measure('empty clusters', true);
  const t0 = performance.now();
  const synced = spawnSync(
    process.execPath,
    [join(root, 'bin/bosun.js'), 'sync', '--all-out-of-sync', '--yes', '--repo', platform.work, '-o', 'json'],
    {
      env: { ...process.env, KUBECONFIG: cp.kubeconfig, PATH: `${cp.binDir}:${process.env.PATH}` },
      encoding: 'utf8',
      maxBuffer: 256 * 1024 * 1024,
    },
  );
  const results = (JSON.parse(synced.stdout || '{"results":[]}') as { results: { phase: string }[] }).results;
  const ok = results.filter((r) => r.phase === 'Succeeded').length;
  console.log(
    `bosun sync --all-out-of-sync: ${ok} of ${results.length} apps Succeeded in ${ms(performance.now() - t0)}`,
  );
  if (ok !== expected)
    throw new Error(`deploy failed (exit ${synced.status}): ${synced.stderr.slice(0, 2000)}`);
  measure('deployed');
} finally {
  await platform.cleanup();
  await cp.stop();
}
