/**
 * A real Argo CD for the argocd-mode e2e tests: redis (Debian's redis-server), argocd-repo-server and
 * argocd-application-controller (and, when asked, argocd-applicationset-controller), built from Go modules by build.sh, run as local processes against one cluster
 * of the local control plane (the "host", where the `argocd` namespace, the CRDs and the settings live), with
 * every cluster of the control plane registered as an Argo CD cluster under its kubeconfig context name.
 * Started only by the tests that need it; `stop()` stops exactly the processes it started.
 */
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import {
  freePort,
  isAlive,
  type Managed,
  startProcess,
  stopProcess,
  waitFor,
} from '../../src/demo/controlplane/processes.js';

const here = fileURLToPath(new URL('.', import.meta.url));

/** The Argo CD components this harness runs from the multi-call binary. */
export const argoCdComponents = [
  'argocd-application-controller',
  'argocd-repo-server',
  'argocd-applicationset-controller',
] as const;

let cachedDir: string | undefined;

/**
 * Builds Argo CD when missing (skipped when it is there) and returns its cache directory (binary, links, crds/).
 * A failure throws with the build script's one-line reason.
 */
export function ensureArgoCdBins(opts: { quiet?: boolean } = {}): string {
  if (cachedDir) return cachedDir;
  try {
    const out = execFileSync('bash', [join(here, 'build.sh')], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', opts.quiet ? 'pipe' : 'inherit'],
      maxBuffer: 16 * 1024 * 1024,
    });
    const dir = out.trim().split('\n').pop() ?? '';
    for (const b of [...argoCdComponents, 'crds/application-crd.yaml']) {
      if (!existsSync(join(dir, b))) throw new Error(`Argo CD file ${b} missing from ${dir}`);
    }
    cachedDir = dir;
    return dir;
  } catch (err) {
    const stderr = (err as { stderr?: string }).stderr ?? '';
    const line = stderr.split('\n').find((l) => l.startsWith('bosun argocd build failed')) ?? String(err);
    throw new Error(line, { cause: err });
  }
}

/** One cluster of the control plane, as the e2e global setup describes it. */
export type HarnessCluster = { name: string; server: string; token: string };

/** Options for startArgoCd. */
export type StartArgoCdOptions = {
  /** The control plane's kubeconfig (one context per cluster, named like the cluster). */
  kubeconfig: string;
  /** The control plane's binary directory (kubectl, kustomize, helm for the repo-server). */
  binDir: string;
  clusters: HarnessCluster[];
  /** The cluster Argo CD runs in (default: the first). */
  host?: string;
  /** Argo CD's namespace (default `argocd`). */
  namespace?: string;
  /** Extra `argocd-cm` data (e.g. `application.resourceTrackingMethod`). */
  settings?: Record<string, string>;
  /** Extra flags of the application controller (e.g. `--app-resync=3600` so only a refresh picks up a commit). */
  controllerArgs?: string[];
  /** Also run argocd-applicationset-controller (for the tests of generated Applications). */
  applicationSets?: boolean;
  log?: (line: string) => void;
};

/** A running Argo CD. */
export type ArgoCd = {
  namespace: string;
  /** The context of the cluster Argo CD runs in. */
  host: string;
  runDir: string;
  redis: Managed;
  repoServer: Managed;
  controller: Managed;
  /** The ApplicationSet controller, when asked for. */
  appSetController?: Managed;
  /** Runs the control plane's kubectl against the host cluster (namespace defaults to Argo CD's). */
  kubectl(args: string[], input?: string): string;
  /** Stops the processes it started (by PID), deletes its namespace in the host cluster and its files. */
  stop(): Promise<void>;
  /** The PIDs it started (for leak checks). */
  pids(): number[];
};

type KubeconfigFile = {
  clusters?: { name: string; cluster: { server: string; 'certificate-authority'?: string } }[];
};

/** Starts redis, the repo-server and the application-controller, with Argo CD's namespace, CRDs and settings. */
export async function startArgoCd(opts: StartArgoCdOptions): Promise<ArgoCd> {
  const log = opts.log ?? ((l: string) => process.stderr.write(`[argocd] ${l}\n`));
  const t0 = Date.now();
  const ns = opts.namespace ?? 'argocd';
  const host = opts.host ?? opts.clusters[0]?.name;
  if (!host) throw new Error('startArgoCd needs at least one cluster');
  const redisBin = findOnPath('redis-server');
  if (!redisBin)
    throw new Error('redis-server is not installed (Debian: apt-get install redis-server); Argo CD needs it');
  const argoDir = ensureArgoCdBins();
  const runDir = mkdtempSync(join(tmpdir(), 'bosun-argocd-'));
  const kc = parse(readFileSync(opts.kubeconfig, 'utf8')) as KubeconfigFile;
  const caOf = (name: string) => {
    const ca = kc.clusters?.find((c) => c.name === name)?.cluster['certificate-authority'];
    if (!ca) throw new Error(`kubeconfig ${opts.kubeconfig} names no CA file for cluster ${name}`);
    return readFileSync(ca);
  };
  const hostCluster = opts.clusters.find((c) => c.name === host);
  if (!hostCluster) throw new Error(`no cluster ${host} in the control plane`);

  // Argo CD's own kubeconfig: the host cluster, with Argo CD's namespace as the default.
  const argoKubeconfig = join(runDir, 'kubeconfig');
  writeFileSync(
    argoKubeconfig,
    JSON.stringify({
      apiVersion: 'v1',
      kind: 'Config',
      clusters: [
        {
          name: host,
          cluster: {
            server: hostCluster.server,
            'certificate-authority-data': caOf(host).toString('base64'),
          },
        },
      ],
      users: [{ name: 'admin', user: { token: hostCluster.token } }],
      contexts: [{ name: host, context: { cluster: host, user: 'admin', namespace: ns } }],
      'current-context': host,
    }),
  );
  const kubectl = (args: string[], input?: string): string => {
    try {
      return execFileSync(join(opts.binDir, 'kubectl'), ['--kubeconfig', argoKubeconfig, ...args], {
        encoding: 'utf8',
        ...(input !== undefined ? { input } : {}),
        stdio: ['pipe', 'pipe', 'pipe'],
        maxBuffer: 64 * 1024 * 1024,
      });
    } catch (err) {
      const stderr = String((err as { stderr?: string }).stderr ?? '').trim();
      throw new Error(`kubectl ${args.join(' ')} failed: ${stderr}`, { cause: err });
    }
  };

  const started: Managed[] = [];
  let stopped = false;
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    for (const m of [...started].reverse()) await stopProcess(m);
    try {
      // Applications may carry Argo CD's finalizer; with the controller gone nothing would remove it.
      for (const kind of ['applications.argoproj.io', 'applicationsets.argoproj.io']) {
        const names = kubectl(['get', kind, '-o', 'name']).split('\n').filter(Boolean);
        for (const n of names)
          kubectl(['patch', n, '--type', 'merge', '-p', '{"metadata":{"finalizers":null}}']);
      }
      kubectl(['delete', 'namespace', ns, '--ignore-not-found', '--wait=false']);
    } catch (err) {
      log(`cleanup of namespace ${ns} incomplete: ${(err as Error).message}`);
    }
    rmSync(runDir, { recursive: true, force: true });
  };

  try {
    // CRDs (server-side: the Application CRD is larger than client-side apply's annotation limit).
    kubectl(['apply', '--server-side', '--force-conflicts', '-f', join(argoDir, 'crds')]);
    for (const crd of ['applications', 'appprojects', 'applicationsets']) {
      await waitFor(
        `CRD ${crd}.argoproj.io Established`,
        async () =>
          kubectl([
            'get',
            'crd',
            `${crd}.argoproj.io`,
            '-o',
            'jsonpath={.status.conditions[?(@.type=="Established")].status}',
          ]).trim() === 'True',
        { timeoutMs: 60_000 },
      );
    }
    kubectl(['apply', '-f', '-'], JSON.stringify(namespaceAndSettings(ns, opts)));
    const clusterSecrets = opts.clusters.map((c) => clusterSecret(ns, c, caOf(c.name).toString('base64')));
    kubectl(['apply', '-f', '-'], JSON.stringify({ apiVersion: 'v1', kind: 'List', items: clusterSecrets }));

    const redisPort = await freePort();
    const redis = startProcess({
      name: 'argocd/redis',
      bin: redisBin,
      logFile: join(runDir, 'redis.log'),
      args: [
        '--bind',
        '127.0.0.1',
        '--port',
        String(redisPort),
        '--save',
        '',
        '--appendonly',
        'no',
        '--dir',
        runDir,
      ],
    });
    started.push(redis);
    await waitFor('redis', async () => isAlive(redis) && (await portOpen(redisPort)), { timeoutMs: 30_000 });

    // Every component gets private temp, socket and keyring paths under the run directory.
    const tmp = join(runDir, 'tmp');
    mkdirSync(tmp, { recursive: true });
    const env: NodeJS.ProcessEnv = {
      KUBECONFIG: argoKubeconfig,
      ARGOCD_FAKE_IN_CLUSTER: 'true',
      ARGOCD_GPG_ENABLED: 'false',
      ARGOCD_ASK_PASS_SOCK: join(runDir, 'askpass.sock'),
      ARGOCD_TLS_DATA_PATH: join(runDir, 'tls'),
      ARGOCD_SSH_DATA_PATH: join(runDir, 'ssh'),
      ARGOCD_GNUPGHOME: join(runDir, 'gnupg'),
      ARGOCD_PLUGINSOCKFILEPATH: join(runDir, 'plugins'),
      TMPDIR: tmp,
      HOME: runDir,
      PATH: `${opts.binDir}${delimiter}${process.env.PATH ?? ''}`,
      GIT_CONFIG_NOSYSTEM: '1',
    };
    for (const d of ['tls', 'ssh', 'gnupg', 'plugins']) mkdirSync(join(runDir, d), { recursive: true });

    const repoPort = await freePort();
    const repoMetrics = await freePort();
    const repoServer = startProcess({
      name: 'argocd/repo-server',
      bin: join(argoDir, 'argocd-repo-server'),
      logFile: join(runDir, 'repo-server.log'),
      env,
      args: [
        '--address=127.0.0.1',
        `--port=${repoPort}`,
        '--metrics-address=127.0.0.1',
        `--metrics-port=${repoMetrics}`,
        '--disable-tls',
        `--redis=127.0.0.1:${redisPort}`,
        '--logformat=text',
      ],
    });
    started.push(repoServer);
    await waitHealthy('argocd-repo-server', repoServer, `http://127.0.0.1:${repoMetrics}/healthz?full=true`);

    const ctrlMetrics = await freePort();
    const controller = startProcess({
      name: 'argocd/application-controller',
      bin: join(argoDir, 'argocd-application-controller'),
      logFile: join(runDir, 'application-controller.log'),
      env,
      args: [
        `--namespace=${ns}`,
        `--repo-server=127.0.0.1:${repoPort}`,
        '--repo-server-plaintext',
        `--redis=127.0.0.1:${redisPort}`,
        `--metrics-port=${ctrlMetrics}`,
        '--status-processors=4',
        '--operation-processors=4',
        '--logformat=text',
        ...(opts.controllerArgs ?? []),
      ],
    });
    started.push(controller);
    await waitHealthy('argocd-application-controller', controller, `http://127.0.0.1:${ctrlMetrics}/healthz`);

    let appSetController: Managed | undefined;
    if (opts.applicationSets) {
      const [probe, metrics, webhook] = [await freePort(), await freePort(), await freePort()];
      appSetController = startProcess({
        name: 'argocd/applicationset-controller',
        bin: join(argoDir, 'argocd-applicationset-controller'),
        logFile: join(runDir, 'applicationset-controller.log'),
        env,
        args: [
          `--probe-addr=127.0.0.1:${probe}`,
          `--metrics-addr=127.0.0.1:${metrics}`,
          `--webhook-addr=127.0.0.1:${webhook}`,
          `--argocd-repo-server=127.0.0.1:${repoPort}`,
          '--repo-server-plaintext',
          // Only the list and cluster generators are used here; no SCM provider is ever asked.
          '--enable-scm-providers=false',
          '--logformat=text',
        ],
      });
      started.push(appSetController);
      // It registers no health checks (its probe port stays closed): its metrics endpoint answers once its
      // manager runs.
      await waitHealthy(
        'argocd-applicationset-controller',
        appSetController,
        `http://127.0.0.1:${metrics}/metrics`,
      );
    }
    log(`Argo CD up in ${host}/${ns} in ${((Date.now() - t0) / 1000).toFixed(1)}s (logs in ${runDir})`);

    return {
      namespace: ns,
      host,
      runDir,
      redis,
      repoServer,
      controller,
      ...(appSetController ? { appSetController } : {}),
      kubectl: (args, input) => kubectl(['-n', ns, ...args], input),
      stop,
      pids: () => started.map((m) => m.pid),
    };
  } catch (err) {
    const tails = started.map((m) => `${m.name}: ${logTail(m.logFile)}`).join(' || ');
    await stop().catch(() => {});
    throw new Error(`Argo CD failed to start: ${(err as Error).message}${tails ? ` (${tails})` : ''}`, {
      cause: err,
    });
  }
}

function namespaceAndSettings(ns: string, opts: StartArgoCdOptions): unknown {
  const partOf = { 'app.kubernetes.io/part-of': 'argocd' };
  return {
    apiVersion: 'v1',
    kind: 'List',
    items: [
      { apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } },
      {
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: {
          name: 'argocd-cm',
          namespace: ns,
          labels: { ...partOf, 'app.kubernetes.io/name': 'argocd-cm' },
        },
        // Clusters are registered by their kubeconfig context name; the in-cluster entry would be a second
        // name for the host cluster.
        data: { 'cluster.inClusterEnabled': 'false', ...opts.settings },
      },
      {
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: {
          name: 'argocd-rbac-cm',
          namespace: ns,
          labels: { ...partOf, 'app.kubernetes.io/name': 'argocd-rbac-cm' },
        },
        data: {},
      },
      {
        apiVersion: 'v1',
        kind: 'Secret',
        metadata: {
          name: 'argocd-secret',
          namespace: ns,
          labels: { ...partOf, 'app.kubernetes.io/name': 'argocd-secret' },
        },
        type: 'Opaque',
        stringData: { 'server.secretkey': randomBytes(32).toString('base64') },
      },
      {
        apiVersion: 'argoproj.io/v1alpha1',
        kind: 'AppProject',
        metadata: { name: 'default', namespace: ns },
        spec: {
          sourceRepos: ['*'],
          destinations: [{ server: '*', namespace: '*', name: '*' }],
          clusterResourceWhitelist: [{ group: '*', kind: '*' }],
        },
      },
    ],
  };
}

function clusterSecret(ns: string, c: HarnessCluster, caData: string): unknown {
  return {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: {
      name: `cluster-${c.name}`,
      namespace: ns,
      labels: { 'argocd.argoproj.io/secret-type': 'cluster' },
    },
    type: 'Opaque',
    stringData: {
      name: c.name,
      server: c.server,
      config: JSON.stringify({ bearerToken: c.token, tlsClientConfig: { caData } }),
    },
  };
}

async function waitHealthy(what: string, m: Managed, url: string): Promise<void> {
  await waitFor(
    `${what} ${url}`,
    async () => {
      if (!isAlive(m)) throw new Error(`${what} exited: ${logTail(m.logFile)}`);
      const r = await fetch(url, { signal: AbortSignal.timeout(2000) });
      return r.ok;
    },
    { timeoutMs: 120_000, intervalMs: 300 },
  );
}

async function portOpen(port: number): Promise<boolean> {
  const { createConnection } = await import('node:net');
  return new Promise((resolve) => {
    const s = createConnection({ host: '127.0.0.1', port });
    s.once('connect', () => {
      s.destroy();
      resolve(true);
    });
    s.once('error', () => resolve(false));
  });
}

function findOnPath(bin: string): string | undefined {
  for (const d of (process.env.PATH ?? '').split(delimiter).concat(['/usr/bin', '/usr/sbin'])) {
    if (d && existsSync(join(d, bin))) return join(d, bin);
  }
  return undefined;
}

function logTail(file: string): string {
  if (!existsSync(file)) return '(no log)';
  return readFileSync(file, 'utf8').trim().split('\n').slice(-3).join(' | ');
}
