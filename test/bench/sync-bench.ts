/**
 * Side by side, one app of 500 ConfigMaps on one apiserver: every operation is a whole process, timed
 * from spawn to exit on both sides (`node bin/bosun.js …` vs `kubectl …`), rounds alternate which tool
 * goes first, and after each create both namespaces must hold the same number of objects.
 *   create:  bosun sync APP --yes              vs kubectl apply --server-side -f FILE
 *   no-op:   the same again (nothing to change)
 *   diff:    bosun diff APP                     vs kubectl diff --server-side -f FILE
 *   warm:    engine.sync() of an engine started once in this process, as the console runs it
 *            (prepareSyncs: the objects it sees Missing are dry-run in the background, while the user
 *            reads the screen), vs the kubectl create of the same round. The background preparation is
 *            printed beside it (from the moment the engine saw every object Missing to settled).
 * Targets: create ≤ 0.75×, no-op ≤ 0.5×, diff ≤ 0.5×, warm ≤ 0.3×.
 * Run: npx tsx test/bench/sync-bench.ts [--objects N] [--rounds N]
 */
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { startControlPlane } from '../../src/demo/controlplane/controlplane.js';
import { createEngine, realAdapters } from '../../src/engine/index.js';
import { createFixtureRepo, yamlDocs } from '../fixtures/repos/index.js';
import { kubectl, ms, stats, until } from './bench-util.js';

const { values } = parseArgs({ options: { objects: { type: 'string' }, rounds: { type: 'string' } } });
const N = Number(values.objects ?? 500);
const ROUNDS = Number(values.rounds ?? 5);
const root = resolve(import.meta.dirname, '../..');
const CTX = 'bench';
const NS = { bosun: 'bench-bosun', warm: 'bench-warm', kubectl: 'bench-kubectl' } as const;

function configMaps(ns: string): unknown[] {
  return Array.from({ length: N }, (_, i) => ({
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: `cm-${i}`, namespace: ns, labels: { bench: 'sync' } },
    data: { key: `value-${i}`, other: 'x'.repeat(64) },
  }));
}

const app = (name: string, url: string, path: string, ns: string) =>
  yamlDocs({
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'Application',
    metadata: { name },
    spec: {
      project: 'default',
      source: { repoURL: url, path, targetRevision: 'main' },
      destination: { name: CTX, namespace: ns },
    },
  });

// bosun as a user runs it: bin/bosun.js runs the bundle in dist/ when it is fresh (else tsx, much slower).
const build = spawnSync('npm', ['run', '--silent', 'build'], { cwd: root, encoding: 'utf8' });
if (build.status !== 0)
  throw new Error(`the build failed; bosun would run through tsx:\n${build.stdout}${build.stderr}`);

const cp = await startControlPlane({ clusters: [CTX], workloads: false, log: () => {} });
// Two repositories: the warm engine of this process knows only its own app, so it never compares (and
// dry-runs) the objects the CLI processes create while they are being timed.
const repo = await createFixtureRepo({
  name: 'sync-bench',
  files: (url) => ({
    'argocd/cli.yaml': app('cli', url, 'cli', NS.bosun),
    'cli/all.yaml': yamlDocs(...configMaps(NS.bosun)),
  }),
});
const warmRepo = await createFixtureRepo({
  name: 'sync-bench-warm',
  files: (url) => ({
    'argocd/warm.yaml': app('warm', url, 'warm', NS.warm),
    'warm/all.yaml': yamlDocs(...configMaps(NS.warm)),
  }),
});
const file = join(cp.runDir, 'kubectl.yaml');
writeFileSync(file, yamlDocs(...configMaps(NS.kubectl)));
for (const ns of Object.values(NS)) kubectl(cp, CTX, ['create', 'namespace', ns]);

const env = {
  ...process.env,
  KUBECONFIG: cp.kubeconfig,
  XDG_CACHE_HOME: join(cp.runDir, 'xdg-cache'),
  NO_COLOR: '1',
};

/** Runs a whole process; returns its wall time from spawn to exit. */
function timed(cmd: string, args: string[], okCodes: number[] = [0]): number {
  const t0 = performance.now();
  // A hung process must end the bench with its name, not stall it (one run did, for more than 10 minutes).
  const r = spawnSync(cmd, args, { env, encoding: 'utf8', maxBuffer: 256 * 1024 * 1024, timeout: 180_000 });
  const t = performance.now() - t0;
  if (r.status === null || !okCodes.includes(r.status))
    throw new Error(
      `${cmd} ${args.join(' ')} ${r.status === null ? `was stopped (${r.signal ?? 'timeout'}) after ${Math.round(t)} ms` : `exited ${r.status}`}: ${r.stderr.slice(0, 2000)}`,
    );
  return t;
}
const bosun = (args: string[], okCodes?: number[]) =>
  timed(
    process.execPath,
    [join(root, 'bin/bosun.js'), ...args, '--repo', repo.work, '--context', CTX],
    okCodes,
  );
const kctl = (args: string[], okCodes?: number[]) =>
  timed(join(cp.binDir, 'kubectl'), ['--kubeconfig', cp.kubeconfig, '--context', CTX, ...args], okCodes);

const count = (ns: string) =>
  kubectl(cp, CTX, ['get', 'cm', '-n', ns, '-l', 'bench=sync', '--no-headers', '-o', 'name'])
    .split('\n')
    .filter(Boolean).length;
/** Deletes the bench's ConfigMaps and polls until they are gone (`kubectl delete --wait` once hung here for minutes). */
async function clear(ns: string): Promise<void> {
  kubectl(cp, CTX, ['delete', 'cm', '-n', ns, '-l', 'bench=sync', '--wait=false']);
  await until(() => count(ns) === 0, 60_000).catch((err: Error) => {
    throw new Error(`${ns} still holds ${count(ns)} ConfigMaps a minute after delete`, { cause: err });
  });
}

const SSA = ['apply', '--server-side', '--field-manager=bench', '-f', file];
const ops = {
  create: { bosun: () => bosun(['sync', 'cli', '--yes']), kubectl: () => kctl(SSA) },
  noop: { bosun: () => bosun(['sync', 'cli', '--yes']), kubectl: () => kctl(SSA) },
  diff: {
    bosun: () => bosun(['diff', 'cli']),
    kubectl: () => kctl(['diff', '--server-side', '--field-manager=bench', '-f', file]),
  },
} as const;
type Op = keyof typeof ops;
const samples: Record<Op | 'warm', { bosun: number[]; kubectl: number[] }> = {
  create: { bosun: [], kubectl: [] },
  noop: { bosun: [], kubectl: [] },
  diff: { bosun: [], kubectl: [] },
  warm: { bosun: [], kubectl: [] },
};
const prepared: number[] = [];

const engine = createEngine(
  {
    repoPath: warmRepo.work,
    kubeconfig: cp.kubeconfig,
    cacheDir: join(cp.runDir, 'engine-cache'),
    contexts: [CTX],
    prepareSyncs: true,
  },
  realAdapters(),
);
try {
  await engine.start();
  // One untimed warm-up of each side: the render cache and the page cache are warm for every timed round.
  bosun(['sync', 'cli', '--yes']);
  kctl(SSA);
  for (let round = 0; round < ROUNDS; round++) {
    await clear(NS.bosun);
    await clear(NS.kubectl);
    const order = round % 2 === 0 ? (['bosun', 'kubectl'] as const) : (['kubectl', 'bosun'] as const);
    for (const op of ['create', 'noop', 'diff'] as const)
      for (const side of order) samples[op][side].push(ops[op][side]());
    const [b, k] = [count(NS.bosun), count(NS.kubectl)];
    if (b !== N || k !== N)
      throw new Error(`round ${round}: bosun left ${b} ConfigMaps, kubectl ${k}; want ${N}`);

    // Warm engine: its watch sees the ConfigMaps gone, then one sync from the running engine.
    await clear(NS.warm);
    await until(() => {
      const a = engine.getSnapshot().apps.find((x) => x.name === 'warm');
      // Deleted objects read Missing (not OutOfSync) per resource.
      return a?.resources.filter((r) => r.sync === 'Missing').length === N;
    }, 60_000).catch((err: Error) => {
      const a = engine.getSnapshot().apps.find((x) => x.name === 'warm');
      const bySync = new Map<string, number>();
      for (const r of a?.resources ?? []) bySync.set(r.sync, (bySync.get(r.sync) ?? 0) + 1);
      throw new Error(
        `the warm engine never saw ${N} ConfigMaps Missing: app ${a?.sync ?? 'missing'}, resources ${JSON.stringify([...bySync])}`,
        { cause: err },
      );
    });
    const p0 = performance.now();
    await engine.settled();
    prepared.push(performance.now() - p0);
    const t0 = performance.now();
    // As the console's sync key sends it: no prune, no wait (the operation ends when it has applied).
    const r = await engine.sync('warm', { prune: false, dryRun: false });
    samples.warm.bosun.push(performance.now() - t0);
    if (r.phase !== 'Succeeded') throw new Error(`warm sync ${r.phase}: ${r.message}`);
    if (count(NS.warm) !== N) throw new Error(`warm sync left ${count(NS.warm)} ConfigMaps; want ${N}`);
    samples.warm.kubectl.push(samples.create.kubectl[round] ?? Number.NaN);
  }

  const rows: [string, Op | 'warm', number][] = [
    ['sync, create        (bosun sync  | kubectl apply --server-side)', 'create', 0.75],
    ['sync, no-op         (bosun sync  | kubectl apply --server-side)', 'noop', 0.5],
    ['diff, in sync       (bosun diff  | kubectl diff --server-side)', 'diff', 0.5],
    ['warm engine, create (engine.sync | kubectl apply --server-side)', 'warm', 0.3],
  ];
  console.log(
    `${N} ConfigMaps, one apiserver, ${ROUNDS} alternating rounds, whole processes (median; min–max):`,
  );
  console.log(`  ${'operation'.padEnd(66)} ${'bosun'.padStart(22)} ${'kubectl'.padStart(22)}  ratio  target`);
  const fmt = (xs: number[]) => {
    const s = stats(xs);
    return `${ms(s.median)} (${Math.round(s.min)}–${Math.round(s.max)})`;
  };
  for (const [label, op, target] of rows) {
    const s = samples[op];
    const ratio = (stats(s.bosun).median / stats(s.kubectl).median).toFixed(2);
    const ok = Number(ratio) <= target ? 'met' : 'missed';
    console.log(
      `  ${label.padEnd(66)} ${fmt(s.bosun).padStart(22)} ${fmt(s.kubectl).padStart(22)}  ${ratio.padStart(5)}  ≤ ${target.toFixed(2)} ${ok}`,
    );
  }
  console.log(
    `  warm engine: background dry-runs of the Missing objects, before the sync key: ${fmt(prepared)}`,
  );
  console.log(`  object counts after every create: bosun ${N}, kubectl ${N}, warm engine ${N}`);
} finally {
  await engine.stop();
  await cp.stop();
  await repo.cleanup();
  await warmRepo.cleanup();
}
