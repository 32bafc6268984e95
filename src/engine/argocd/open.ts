/**
 * Connects bosun to an existing Argo CD as its backend: reads the config's `backend:` block, resolves the
 * kubeconfig context Argo CD runs in and starts the watches. Read-only comes from the command line and from
 * the cluster registry (`clusters[].readOnly`).
 */
import { type BosunConfig, loadConfig } from '../../config/index.js';
import { isProductionName } from '../../config/production.js';
import { identity } from '../history/identity.js';
import { KubeCluster } from '../kube/cluster.js';
import { loadContexts } from '../kube/kubeconfig.js';
import type { AppSpec } from '../model/app.js';
import { ArgoCdRefusal, ArgoCdSource } from './source.js';

/** Options of openArgoCd. */
export type OpenArgoCdOptions = {
  repoPath: string;
  configPath?: string;
  kubeconfig?: string;
  /** Refuse every mutating action. */
  readOnly?: boolean;
  /** Overrides `backend.context`. */
  context?: string;
  /** Overrides `backend.namespace`. */
  namespace?: string;
  onChange?: () => void;
};

/** A connection to Argo CD: its watched CRs and the actions on them. */
export type ArgoCdConnection = {
  source: ArgoCdSource;
  /** The cluster Argo CD runs in. */
  cluster: KubeCluster;
  context: string;
  namespace: string;
  config: BosunConfig;
  /** The operator's `user@host`, recorded by Argo CD as the initiator. */
  initiator: string;
  /** True when actions on the app need the production confirmation (its environment is marked production). */
  isProduction(app: AppSpec): boolean;
  stop(): void;
};

/** True when the app's environment (config apps/clusters, else its env label) is a production one. */
export function appIsProduction(config: BosunConfig, app: AppSpec): boolean {
  const env = app.environment ?? app.labels.environment ?? app.labels.env;
  const dest = app.destination.name;
  const configured = config.environments.find(
    (e) =>
      (env !== undefined && e.name.toLowerCase() === env.toLowerCase()) ||
      (dest !== undefined && e.clusters.includes(dest)),
  );
  if (configured) return configured.production;
  // Without a configured environment, the one naming rule decides (as for every other app).
  return isProductionName(env) || isProductionName(dest);
}

/** True when the registry or the command line makes this destination read-only. */
export function destinationReadOnly(
  config: BosunConfig,
  opts: { readOnly?: boolean },
  dest: { name?: string; server?: string },
): boolean {
  if (opts.readOnly) return true;
  const norm = (s: string) => s.replace(/\/+$/, '');
  return config.clusters.some(
    (c) =>
      c.readOnly &&
      ((dest.name !== undefined && (c.name === dest.name || c.context === dest.name)) ||
        (dest.server !== undefined && c.server !== undefined && norm(c.server) === norm(dest.server))),
  );
}

/** Loads the config, connects to Argo CD's cluster and lists its Applications, AppProjects and ApplicationSets. */
export async function openArgoCd(opts: OpenArgoCdOptions): Promise<ArgoCdConnection> {
  const config = await loadConfig({
    repoPath: opts.repoPath,
    ...(opts.configPath ? { configPath: opts.configPath } : {}),
  });
  const { contexts, current } = loadContexts(opts.kubeconfig ? { kubeconfig: opts.kubeconfig } : {});
  const contextName = opts.context ?? config.backend.context ?? current;
  if (!contextName)
    throw new ArgoCdRefusal('no kubeconfig context for Argo CD: set backend.context in bosun.yaml');
  const ctx = contexts.find((c) => c.name === contextName);
  if (!ctx) throw new ArgoCdRefusal(`backend.context ${contextName} is not a context of the kubeconfig`);
  const namespace = opts.namespace ?? config.backend.namespace;
  const cluster = new KubeCluster(ctx);
  const source = new ArgoCdSource({
    cluster,
    namespace,
    ...(opts.onChange ? { onChange: opts.onChange } : {}),
    isReadOnly: (dest) => destinationReadOnly(config, opts, dest),
  });
  try {
    await source.start();
  } catch (err) {
    source.stop();
    cluster.close();
    if (err instanceof ArgoCdRefusal) throw err;
    throw new Error(`cannot reach Argo CD in ${contextName}/${namespace}: ${(err as Error).message}`, {
      cause: err,
    });
  }
  return {
    source,
    cluster,
    context: contextName,
    namespace,
    config,
    initiator: identity(),
    isProduction: (app) => appIsProduction(config, app),
    stop: () => {
      source.stop();
      cluster.close();
    },
  };
}
