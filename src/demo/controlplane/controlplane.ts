import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureBins, ensureBinsAsync } from './bins.js';
import { type Endpoint, kubeRequest } from './kube-rest.js';
import { installKwokLogsCrds, kwokLogsArgs } from './kwok-logs.js';
import { freePort, type Managed, startProcess, stopProcess, waitFor } from './processes.js';

/** One local cluster: an apiserver (with its own etcd prefix), controllers, scheduler and kwok. */
export type LocalCluster = {
  name: string;
  port: number;
  server: string;
  token: string;
  dir: string;
  kubeconfig: string;
  /** Port of kwok's kubelet-compatible server (the apiserver proxies `pods/log` there). */
  kubeletPort: number;
  processes: Partial<Record<'apiserver' | 'controller-manager' | 'scheduler' | 'kwok', Managed>>;
};

/** A running control plane: one etcd and N clusters, and one kubeconfig with a context per cluster. */
export type ControlPlane = {
  runDir: string;
  binDir: string;
  kubeconfig: string;
  etcd: Managed;
  etcdPort: number;
  clusters: LocalCluster[];
  /** Endpoint for the test helpers' own REST calls. */
  endpoint(name: string): Endpoint;
  /** Stops one cluster's apiserver (to simulate an unreachable cluster). */
  stopApiserver(name: string): Promise<void>;
  /** Starts it again on the same port with the same data. */
  startApiserver(name: string): Promise<void>;
  /** Stops every process this control plane started, by recorded PID, and removes its files. */
  stop(): Promise<void>;
  /** The PIDs this control plane started (for leak checks). */
  pids(): number[];
};

/** Options for startControlPlane. */
export type StartOptions = {
  clusters?: string[];
  runDir?: string;
  log?: (line: string) => void;
  /** Start kube-controller-manager, kube-scheduler and kwok (default true). */
  workloads?: boolean;
  /** Keep the run directory after stop (for debugging). */
  keepRunDir?: boolean;
  /** Receives the build's progress lines (the first run builds the binaries) without blocking. */
  buildLog?: (line: string) => void;
};

/** Starts etcd and one apiserver + controllers + scheduler + kwok + fake node per cluster. */
export async function startControlPlane(opts: StartOptions = {}): Promise<ControlPlane> {
  const names = opts.clusters ?? ['dev', 'staging', 'production'];
  const log = opts.log ?? ((l: string) => process.stderr.write(`[controlplane] ${l}\n`));
  const t0 = Date.now();
  const binDir = opts.buildLog ? await ensureBinsAsync({ log: opts.buildLog }) : ensureBins();
  const bin = (n: string) => join(binDir, n);
  const runDir = opts.runDir ?? mkdtempSync(join(tmpdir(), 'bosun-cp-'));
  mkdirSync(runDir, { recursive: true });

  const etcdPort = await freePort();
  const peerPort = await freePort();
  const etcd = startProcess({
    name: 'etcd',
    bin: bin('etcd'),
    logFile: join(runDir, 'etcd.log'),
    args: [
      '--name=node0',
      `--data-dir=${join(runDir, 'etcd')}`,
      `--listen-client-urls=http://127.0.0.1:${etcdPort}`,
      `--advertise-client-urls=http://127.0.0.1:${etcdPort}`,
      `--listen-peer-urls=http://127.0.0.1:${peerPort}`,
      `--initial-advertise-peer-urls=http://127.0.0.1:${peerPort}`,
      `--initial-cluster=node0=http://127.0.0.1:${peerPort}`,
      '--unsafe-no-fsync',
      '--log-level=warn',
    ],
  });
  const cp: ControlPlane = {
    runDir,
    binDir,
    kubeconfig: join(runDir, 'kubeconfig'),
    etcd,
    etcdPort,
    clusters: [],
    endpoint(name) {
      const c = this.clusters.find((x) => x.name === name);
      if (!c) throw new Error(`no cluster ${name}`);
      return { server: c.server, token: c.token };
    },
    async stopApiserver(name) {
      const c = this.clusters.find((x) => x.name === name);
      if (c?.processes.apiserver) await stopProcess(c.processes.apiserver);
    },
    async startApiserver(name) {
      const c = this.clusters.find((x) => x.name === name);
      if (!c) throw new Error(`no cluster ${name}`);
      c.processes.apiserver = startApiserverProcess(c, { bin: bin('kube-apiserver'), etcdPort });
      await waitReady(c);
    },
    async stop() {
      for (const c of [...this.clusters].reverse()) {
        for (const p of ['kwok', 'scheduler', 'controller-manager', 'apiserver'] as const) {
          const m = c.processes[p];
          if (m) await stopProcess(m);
        }
      }
      await stopProcess(etcd);
      if (!opts.keepRunDir) rmSync(runDir, { recursive: true, force: true });
    },
    pids() {
      return [etcd.pid, ...this.clusters.flatMap((c) => Object.values(c.processes).map((m) => m.pid))];
    },
  };

  try {
    await waitFor('etcd', async () => (await fetch(`http://127.0.0.1:${etcdPort}/health`)).ok, {
      timeoutMs: 30_000,
    });
    log(`etcd ready on 127.0.0.1:${etcdPort}`);

    for (const name of names) {
      const dir = join(runDir, name);
      mkdirSync(join(dir, 'pki'), { recursive: true });
      const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
      writeFileSync(join(dir, 'pki', 'sa.key'), privateKey.export({ type: 'pkcs1', format: 'pem' }));
      const token = randomBytes(16).toString('hex');
      writeFileSync(join(dir, 'tokens.csv'), `${token},admin,admin,"system:masters"\n`);
      const port = await freePort();
      const c: LocalCluster = {
        name,
        port,
        server: `https://127.0.0.1:${port}`,
        token,
        dir,
        kubeconfig: join(dir, 'kubeconfig'),
        kubeletPort: await freePort(),
        processes: {},
      };
      c.processes.apiserver = startApiserverProcess(c, { bin: bin('kube-apiserver'), etcdPort });
      cp.clusters.push(c);
    }
    // Apiservers start in parallel; wait for all.
    await Promise.all(cp.clusters.map((c) => waitReady(c)));
    log(`apiservers ready: ${cp.clusters.map((c) => `${c.name}=${c.server}`).join(' ')}`);

    for (const c of cp.clusters) writeFileSync(c.kubeconfig, kubeconfigYaml([c], c.name));
    writeFileSync(cp.kubeconfig, kubeconfigYaml(cp.clusters, cp.clusters[0]?.name ?? ''));

    if (opts.workloads !== false) {
      // kwok watches Logs/ClusterLogs objects (pod logs served through the apiserver): CRDs first.
      await Promise.all(cp.clusters.map((c) => installKwokLogsCrds({ server: c.server, token: c.token })));
      for (const c of cp.clusters) startWorkloadProcesses(c, bin);
      await Promise.all(cp.clusters.map((c) => addFakeNode(c)));
      log('nodes Ready and default service accounts present');
    }
    log(`control plane with ${names.length} clusters up in ${((Date.now() - t0) / 1000).toFixed(1)}s`);
    writeFileSync(join(runDir, 'pids.json'), JSON.stringify(cp.pids()));
    return cp;
  } catch (err) {
    await cp.stop().catch(() => {});
    throw new Error(`control plane failed to start: ${(err as Error).message}`, { cause: err });
  }
}

function startApiserverProcess(c: LocalCluster, o: { bin: string; etcdPort: number }): Managed {
  return startProcess({
    name: `${c.name}/kube-apiserver`,
    bin: o.bin,
    logFile: join(c.dir, 'apiserver.log'),
    args: [
      `--etcd-servers=http://127.0.0.1:${o.etcdPort}`,
      `--etcd-prefix=/registry-${c.name}`,
      '--bind-address=127.0.0.1',
      '--advertise-address=127.0.0.1',
      `--secure-port=${c.port}`,
      `--cert-dir=${join(c.dir, 'pki')}`,
      '--service-cluster-ip-range=10.96.0.0/16',
      '--service-account-issuer=https://kubernetes.default.svc.cluster.local',
      `--service-account-key-file=${join(c.dir, 'pki', 'sa.key')}`,
      `--service-account-signing-key-file=${join(c.dir, 'pki', 'sa.key')}`,
      `--token-auth-file=${join(c.dir, 'tokens.csv')}`,
      '--authorization-mode=Node,RBAC',
      '--endpoint-reconciler-type=none',
      '--allow-privileged=true',
      // kwok's fake node is reached at its InternalIP (127.0.0.1); its kubelet port serves pod logs.
      '--kubelet-preferred-address-types=InternalIP',
      '--profiling=false',
      '--v=0',
    ],
  });
}

async function waitReady(c: LocalCluster): Promise<void> {
  await waitFor(
    `${c.name} apiserver /readyz`,
    async () => {
      const proc = c.processes.apiserver;
      if (proc && proc.child.exitCode !== null) {
        const tail = existsSync(proc.logFile)
          ? readFileSync(proc.logFile, 'utf8').trim().split('\n').slice(-3)
          : [];
        throw new Error(`kube-apiserver for ${c.name} exited: ${tail.join(' | ')}`);
      }
      const r = await kubeRequest({ server: c.server, token: c.token }, 'GET', '/readyz', undefined, {
        timeoutMs: 2000,
      });
      return r.status === 200;
    },
    { timeoutMs: 120_000, intervalMs: 300 },
  );
}

function startWorkloadProcesses(c: LocalCluster, bin: (n: string) => string): void {
  const pki = join(c.dir, 'pki');
  c.processes['controller-manager'] = startProcess({
    name: `${c.name}/kube-controller-manager`,
    bin: bin('kube-controller-manager'),
    logFile: join(c.dir, 'controller-manager.log'),
    args: [
      `--kubeconfig=${c.kubeconfig}`,
      '--leader-elect=false',
      '--bind-address=127.0.0.1',
      '--secure-port=0',
      '--service-cluster-ip-range=10.96.0.0/16',
      `--service-account-private-key-file=${join(pki, 'sa.key')}`,
      `--root-ca-file=${join(pki, 'apiserver.crt')}`,
      '--use-service-account-credentials=false',
      // kwok's fake node heartbeats arrive about once a minute; never let the node flap NotReady (that
      // marks every pod unready and stalls Deployments in long tests).
      '--node-monitor-grace-period=1h',
      '--v=0',
    ],
  });
  c.processes.scheduler = startProcess({
    name: `${c.name}/kube-scheduler`,
    bin: bin('kube-scheduler'),
    logFile: join(c.dir, 'scheduler.log'),
    args: [
      `--kubeconfig=${c.kubeconfig}`,
      '--leader-elect=false',
      '--bind-address=127.0.0.1',
      '--secure-port=0',
    ],
  });
  const stages = join(bin('kwok-stages'));
  const kwokHome = join(c.dir, 'kwok-home');
  mkdirSync(kwokHome, { recursive: true });
  c.processes.kwok = startProcess({
    name: `${c.name}/kwok`,
    bin: bin('kwok'),
    logFile: join(c.dir, 'kwok.log'),
    env: { HOME: kwokHome },
    args: [
      `--kubeconfig=${c.kubeconfig}`,
      '--manage-all-nodes=true',
      '--cidr=10.244.0.0/16',
      ...kwokLogsArgs(c.kubeletPort),
      '-c',
      join(stages, 'node-initialize.yaml'),
      '-c',
      join(stages, 'node-heartbeat-with-lease.yaml'),
      '-c',
      join(stages, 'pod-ready.yaml'),
      '-c',
      join(stages, 'pod-complete.yaml'),
      '-c',
      join(stages, 'pod-delete.yaml'),
    ],
  });
}

async function addFakeNode(c: LocalCluster): Promise<void> {
  const ep = { server: c.server, token: c.token };
  const node = {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: {
      name: 'kwok-node-0',
      annotations: { 'kwok.x-k8s.io/node': 'fake' },
      labels: {
        'kubernetes.io/hostname': 'kwok-node-0',
        'kubernetes.io/os': 'linux',
        'kubernetes.io/arch': 'amd64',
        type: 'kwok',
      },
    },
  };
  const r = await kubeRequest(ep, 'POST', '/api/v1/nodes', node);
  if (r.status !== 201 && r.status !== 409)
    throw new Error(`creating node in ${c.name}: HTTP ${r.status} ${r.text}`);
  await waitFor(
    `${c.name} node Ready`,
    async () => {
      const n = await kubeRequest(ep, 'GET', '/api/v1/nodes/kwok-node-0');
      const conds = (n.json as { status?: { conditions?: { type: string; status: string }[] } })?.status
        ?.conditions;
      return conds?.some((x) => x.type === 'Ready' && x.status === 'True') ?? false;
    },
    { timeoutMs: 90_000, intervalMs: 500 },
  );
  await waitFor(
    `${c.name} default service account`,
    async () =>
      (await kubeRequest(ep, 'GET', '/api/v1/namespaces/default/serviceaccounts/default')).status === 200,
    { timeoutMs: 90_000, intervalMs: 500 },
  );
}

/** A kubeconfig with one context (and cluster and user) per local cluster. */
export function kubeconfigYaml(clusters: LocalCluster[], current: string): string {
  const q = (s: string) => JSON.stringify(s);
  const lines = ['apiVersion: v1', 'kind: Config', 'clusters:'];
  for (const c of clusters) {
    lines.push(`- name: ${q(c.name)}`, '  cluster:', `    server: ${q(c.server)}`);
    lines.push(`    certificate-authority: ${q(join(c.dir, 'pki', 'apiserver.crt'))}`);
  }
  lines.push('users:');
  for (const c of clusters)
    lines.push(`- name: ${q(`${c.name}-admin`)}`, '  user:', `    token: ${q(c.token)}`);
  lines.push('contexts:');
  for (const c of clusters) {
    lines.push(
      `- name: ${q(c.name)}`,
      '  context:',
      `    cluster: ${q(c.name)}`,
      `    user: ${q(`${c.name}-admin`)}`,
    );
  }
  lines.push(`current-context: ${q(current)}`, '');
  return lines.join('\n');
}
