/**
 * bosun with `backend: argocd` in front of 1,000 Argo CD Applications (500 services × staging/prod, each with
 * a status of 3 resources as Argo CD writes it; no controller runs, the CRs are what bosun reads): `bosun apps
 * -o json` wall time (process start to full JSON) and the console in tmux from start to the first full fleet
 * screen (budget ≤ 3 s) and key press → frame while moving through the fleet (budget ≤ 50 ms). Argo CD's CRDs
 * come from the cached Argo CD build (test/argocd/build.sh). Build first (`npm run build`): bin/bosun.js runs the
 * bundle in dist/ when it is fresh.
 * Run: npx tsx test/bench/argocd-scale-bench.ts
 */
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { startControlPlane } from '../../src/demo/controlplane/controlplane.js';
import { ensureArgoCdBins } from '../argocd/argocd.js';
import { createFixtureRepo, yamlDocs } from '../fixtures/repos/index.js';
import { kubectl, ms, startTmuxConsole, stats } from './bench-util.js';

const root = resolve(import.meta.dirname, '../..');
const services = 500;
const envs = [
  { env: 'staging', cluster: 'staging' },
  { env: 'prod', cluster: 'production' },
];
const total = services * envs.length;

const argoDir = ensureArgoCdBins({ quiet: true });
const cp = await startControlPlane({ log: () => {} });
const repo = await createFixtureRepo({
  name: 'argocd-scale',
  files: {
    'apps/one/objects.yaml': yamlDocs({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'one' } }),
  },
});
// Beside the work tree (as the e2e tests keep it), passed with --config.
const config = join(repo.root, 'bosun.yaml');
writeFileSync(config, 'backend: { type: argocd, context: dev, namespace: argocd }\nroots: [apps]\n');
const env = {
  ...process.env,
  KUBECONFIG: cp.kubeconfig,
  PATH: `${cp.binDir}:${process.env.PATH}`,
  XDG_CACHE_HOME: join(cp.runDir, 'xdg-cache'),
  NO_COLOR: '1',
};

function application(svc: string, e: (typeof envs)[number]) {
  const name = `${svc}-${e.env}`;
  const ns = svc;
  const resource = (group: string, kind: string, n: string, status: string, health?: string) => ({
    group,
    version: 'v1',
    kind,
    namespace: ns,
    name: n,
    status,
    ...(health ? { health: { status: health } } : {}),
  });
  return {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'Application',
    metadata: { name, namespace: 'argocd', labels: { environment: e.env } },
    spec: {
      project: 'default',
      source: { repoURL: repo.repoURL, targetRevision: 'main', path: `apps/${svc}/overlays/${e.env}` },
      destination: { name: e.cluster, namespace: ns },
    },
    status: {
      sync: { status: 'OutOfSync', revision: '0123456789abcdef0123456789abcdef01234567' },
      health: { status: 'Missing' },
      summary: { images: [`registry.local/${svc}:v1`] },
      resources: [
        resource('', 'ConfigMap', `${svc}-config`, 'OutOfSync'),
        resource('', 'Service', svc, 'OutOfSync', 'Missing'),
        resource('apps', 'Deployment', svc, 'OutOfSync', 'Missing'),
      ],
    },
  };
}

try {
  kubectl(cp, 'dev', ['create', 'namespace', 'argocd']);
  for (const crd of ['application-crd.yaml', 'appproject-crd.yaml', 'applicationset-crd.yaml'])
    kubectl(cp, 'dev', ['apply', '--server-side', '-f', join(argoDir, 'crds', crd)]);
  // `kubectl wait` (and a jsonpath filter) fails on a CRD whose status has no conditions yet: poll each one.
  for (const crd of ['applications', 'appprojects', 'applicationsets']) {
    const t0 = performance.now();
    const established = () =>
      (
        JSON.parse(kubectl(cp, 'dev', ['get', 'crd', `${crd}.argoproj.io`, '-o', 'json'])) as {
          status?: { conditions?: { type: string; status: string }[] };
        }
      ).status?.conditions?.some((c) => c.type === 'Established' && c.status === 'True') ?? false;
    while (!established()) {
      if (performance.now() - t0 > 60_000) throw new Error(`CRD ${crd}.argoproj.io not Established in 60 s`);
      await new Promise((r) => setTimeout(r, 200));
    }
  }
  kubectl(
    cp,
    'dev',
    ['apply', '-f', '-'],
    JSON.stringify({
      apiVersion: 'argoproj.io/v1alpha1',
      kind: 'AppProject',
      metadata: { name: 'default', namespace: 'argocd' },
      spec: { sourceRepos: ['*'], destinations: [{ server: '*', name: '*', namespace: '*' }] },
    }),
  );
  const items = [];
  for (let i = 0; i < services; i++)
    for (const e of envs) items.push(application(`svc${String(i).padStart(3, '0')}`, e));
  for (let i = 0; i < items.length; i += 250)
    kubectl(
      cp,
      'dev',
      ['apply', '-f', '-'],
      JSON.stringify({ apiVersion: 'v1', kind: 'List', items: items.slice(i, i + 250) }),
    );
  console.log(`${total} Applications in dev/argocd (no controller; each with a status of 3 resources)`);

  const apps = () => {
    const t0 = performance.now();
    const out = execFileSync(
      process.execPath,
      [join(root, 'bin/bosun.js'), 'apps', '--repo', repo.work, '--config', config, '-o', 'json'],
      { env, encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 },
    );
    const n = (JSON.parse(out) as { apps: unknown[] }).apps.length;
    if (n !== total) throw new Error(`bosun apps listed ${n} apps, not ${total}`);
    return performance.now() - t0;
  };
  const runs = [apps(), apps(), apps()];
  const s = stats(runs);
  console.log(
    `bosun apps -o json (argocd backend, ${total} apps): median ${ms(s.median)} (min ${ms(s.min)}, max ${ms(s.max)}; process start to full JSON)`,
  );

  const tui = startTmuxConsole({
    name: 'bench-argocd',
    width: 160,
    height: 40,
    command: `env KUBECONFIG=${cp.kubeconfig} PATH=${cp.binDir}:$PATH XDG_CACHE_HOME=${env.XDG_CACHE_HOME} NO_COLOR=1 node ${join(root, 'bin/bosun.js')} --repo ${repo.work} --config ${config}`,
  });
  try {
    const firstFull = await tui.waitScreen(
      (screen) => screen.includes(` ${total} apps`) && !/loading/i.test(screen),
      60_000,
    );
    console.log(
      `console start to first full fleet screen (argocd backend, ${total} apps): ${firstFull ? ms(firstFull) : 'not reached in 60 s'}   budget ≤ 3000 ms`,
    );
    if (firstFull) {
      // Moving the cursor down the fleet (500 service rows), then up: one row changes per key.
      const down = await tui.keyToFrame('j', 30);
      const up = await tui.keyToFrame('k', 30);
      const k = stats([...down, ...up]);
      console.log(
        `key press (j/k) to first output byte, fleet of ${total} Argo CD apps, 60 presses: median ${ms(k.median)}  p95 ${ms(k.p95)}  max ${ms(k.max)}   budget ≤ 50 ms (measured through tmux: send-keys to pane output)`,
      );
    }
  } finally {
    await tui.quit();
  }
} finally {
  await cp.stop();
  await repo.cleanup();
}
