import { homedir } from 'node:os';
import { join } from 'node:path';
import { type BosunConfig, loadConfig } from '../config/index.js';
import { GitRepo } from './git/index.js';
import { KubeCluster } from './kube/cluster.js';
import { loadContexts } from './kube/kubeconfig.js';
import { HelmRenderServer, helmRenderPath, helmServerFor, toolVersion } from './render/index.js';

/** How one doctor check came out. */
export const CheckStatus = { Ok: 'ok', Warn: 'warn', Fail: 'fail' } as const;
/** One of the check outcomes. */
export type CheckStatus = (typeof CheckStatus)[keyof typeof CheckStatus];

/** One line of `bosun doctor`: what was checked, what was found, and how to fix a problem. */
export type DoctorCheck = { check: string; status: CheckStatus; detail: string; fix?: string };

/** Options of `runDoctor`. */
export type DoctorOptions = {
  repoPath: string;
  configPath?: string;
  kubeconfig?: string;
  contexts?: string[];
  /** Per-context probe time limit (default 3 s). */
  timeoutMs?: number;
};

const line = (err: unknown) => ((err as Error).message ?? String(err)).split('\n')[0] ?? '';

/**
 * Checks what bosun needs on this machine: the config, the kubeconfig and each context's API
 * server, the manifest repository and its remote, kustomize and helm. Never throws.
 */
export async function runDoctor(opts: DoctorOptions): Promise<DoctorCheck[]> {
  const checks: DoctorCheck[] = [];
  let config: BosunConfig | undefined;
  try {
    config = await loadConfig({
      repoPath: opts.repoPath,
      ...(opts.configPath ? { configPath: opts.configPath } : {}),
    });
    checks.push({ check: 'config', status: 'ok', detail: config.file ?? 'defaults (no bosun.yaml)' });
  } catch (err) {
    checks.push({ check: 'config', status: 'fail', detail: line(err), fix: 'correct the file named above' });
  }
  checks.push(...(await kubeChecks(opts)));
  checks.push(...(await gitChecks(opts.repoPath)));
  checks.push(...(await toolChecks(config)));
  return checks;
}

async function kubeChecks(opts: DoctorOptions): Promise<DoctorCheck[]> {
  let loaded: ReturnType<typeof loadContexts>;
  try {
    loaded = loadContexts({
      ...(opts.kubeconfig ? { kubeconfig: opts.kubeconfig } : {}),
      ...(opts.contexts?.length ? { contexts: opts.contexts } : {}),
    });
  } catch (err) {
    return [
      { check: 'kubeconfig', status: 'fail', detail: line(err), fix: 'fix or replace the file named above' },
    ];
  }
  if (loaded.missing) {
    return [
      {
        check: 'kubeconfig',
        status: 'fail',
        detail: 'no kubeconfig found',
        fix: 'set KUBECONFIG=/path/to/config, pass --kubeconfig FILE, or create ~/.kube/config',
      },
    ];
  }
  const source = opts.kubeconfig ?? process.env.KUBECONFIG ?? join(homedir(), '.kube', 'config');
  const out: DoctorCheck[] = [];
  if (loaded.contexts.length === 0) {
    out.push({
      check: 'kubeconfig',
      status: 'fail',
      detail: opts.contexts?.length
        ? `${source}: none of the contexts ${opts.contexts.join(', ')}`
        : `${source}: no contexts`,
      fix: 'add a context (kubectl config set-context) or correct --context',
    });
    return out;
  }
  out.push({
    check: 'kubeconfig',
    status: 'ok',
    detail: `${source}: ${loaded.contexts.length} context(s)${loaded.current ? `, current ${loaded.current}` : ''}`,
  });
  const probes = await Promise.all(
    loaded.contexts.map(async (ctx): Promise<DoctorCheck> => {
      const cluster = new KubeCluster(ctx);
      try {
        const v = await cluster.version(opts.timeoutMs ?? 3000);
        return {
          check: `context ${ctx.name}`,
          status: 'ok',
          detail: `${ctx.server} reachable, Kubernetes ${v}`,
        };
      } catch (err) {
        return {
          check: `context ${ctx.name}`,
          status: 'fail',
          detail: `${ctx.server}: ${line(err)}`,
          fix: `check the network path (VPN, tunnel, proxy) to ${ctx.server} and the credentials: kubectl --context ${ctx.name} version`,
        };
      } finally {
        cluster.close();
      }
    }),
  );
  return [...out, ...probes];
}

async function gitChecks(repoPath: string): Promise<DoctorCheck[]> {
  let repo: GitRepo;
  try {
    repo = await GitRepo.open({
      path: repoPath,
      cacheDir: join(process.env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), 'bosun'),
    });
  } catch (err) {
    return [
      {
        check: 'repository',
        status: 'fail',
        detail: line(err),
        fix: 'run bosun inside the manifest repository, or pass --repo PATH',
      },
    ];
  }
  const out: DoctorCheck[] = [{ check: 'repository', status: 'ok', detail: repo.path }];
  const url = await repo.originUrl();
  if (!url) {
    out.push({
      check: 'git remote',
      status: 'warn',
      detail: 'no origin remote: promotions and reverts cannot be pushed',
      fix: 'git remote add origin URL',
    });
    return out;
  }
  try {
    await repo.probeRemote();
    out.push({ check: 'git remote', status: 'ok', detail: `origin ${url} reachable` });
  } catch (err) {
    out.push({
      check: 'git remote',
      status: 'fail',
      detail: `origin ${url}: ${line(err)}`,
      fix: `check the network path and credentials for ${url}: git ls-remote origin`,
    });
  }
  return out;
}

/** How Helm charts are rendered: through bosun-helm-render (and why not), for the helm line. */
async function helmRendererNote(bin: string): Promise<string> {
  const path = helmRenderPath();
  if (!path) {
    const off = process.env.BOSUN_HELM_RENDER ? 'BOSUN_HELM_RENDER=off' : 'bosun-helm-render not built';
    return `; one helm template process per chart (${off})`;
  }
  if (await helmServerFor(bin)) return '; charts render in bosun-helm-render';
  const server = new HelmRenderServer(path);
  const v = await server.version();
  server.close();
  return v
    ? `; bosun-helm-render (Helm ${v}) renders differently from this helm: one helm template process per chart`
    : '; bosun-helm-render does not start: one helm template process per chart';
}

async function toolChecks(config: BosunConfig | undefined): Promise<DoctorCheck[]> {
  const out: DoctorCheck[] = [];
  const kBin = config?.binaries.kustomize;
  const k = await toolVersion({ tool: 'kustomize', ...(kBin ? { bin: kBin } : {}) });
  if (k.ok) out.push({ check: 'kustomize', status: 'ok', detail: `${kBin ?? 'kustomize'} ${k.version}` });
  else if (k.missing && !kBin) {
    const kc = await toolVersion({ tool: 'kubectl' });
    out.push(
      kc.ok
        ? {
            check: 'kustomize',
            status: 'ok',
            detail: `kubectl kustomize (kubectl ${kc.version}); no kustomize on PATH`,
          }
        : {
            check: 'kustomize',
            status: 'fail',
            detail: 'neither kustomize nor kubectl is on PATH',
            fix: 'install kustomize (https://kubectl.docs.kubernetes.io/installation/kustomize/) or kubectl',
          },
    );
  } else {
    out.push({
      check: 'kustomize',
      status: 'fail',
      detail: k.error,
      fix: kBin ? 'correct binaries.kustomize in bosun.yaml' : 'reinstall kustomize',
    });
  }
  const hBin = config?.binaries.helm;
  const h = await toolVersion({ tool: 'helm', ...(hBin ? { bin: hBin } : {}) });
  out.push(
    h.ok
      ? {
          check: 'helm',
          status: 'ok',
          detail: `${hBin ?? 'helm'} ${h.version}${await helmRendererNote(hBin ?? 'helm')}`,
        }
      : {
          check: 'helm',
          status: 'warn',
          detail: h.error,
          fix: hBin
            ? 'correct binaries.helm in bosun.yaml'
            : 'install helm 3 (https://helm.sh/docs/intro/install/); only Helm apps need it',
        },
  );
  return out;
}
