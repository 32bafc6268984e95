import { existsSync } from 'node:fs';
import type { RequestOptions } from 'node:https';
import { homedir } from 'node:os';
import { delimiter, join } from 'node:path';
import { KubeConfig } from '@kubernetes/client-node';

/** One kubeconfig context, resolved: its server and a way to authenticate requests. */
export type ContextInfo = {
  name: string;
  cluster: string;
  server: string;
  namespace?: string;
  /** Adds TLS material and auth headers (tokens, client certs, exec plugins) to request options. */
  applyAuth(opts: RequestOptions): Promise<void>;
};

/** The contexts of the kubeconfig (KUBECONFIG with several files is merged), optionally filtered. */
export function loadContexts(opts: { kubeconfig?: string; contexts?: string[] } = {}): {
  contexts: ContextInfo[];
  current?: string;
  /** Set when there is no kubeconfig at all: bosun then reads only the repository. */
  missing?: string;
} {
  const missing = kubeconfigMissing(opts);
  if (missing) return { contexts: [], missing };
  const base = new KubeConfig();
  try {
    if (opts.kubeconfig) base.loadFromFile(opts.kubeconfig);
    else base.loadFromDefault();
  } catch (err) {
    throw new Error(
      `cannot read kubeconfig ${opts.kubeconfig ?? process.env.KUBECONFIG ?? '~/.kube/config'}: ${(err as Error).message}`,
      {
        cause: err,
      },
    );
  }
  const wanted = opts.contexts && opts.contexts.length > 0 ? new Set(opts.contexts) : undefined;
  const contexts: ContextInfo[] = [];
  for (const ctx of base.getContexts()) {
    if (wanted && !wanted.has(ctx.name)) continue;
    const cluster = base.getCluster(ctx.cluster);
    if (!cluster) continue;
    const kc = new KubeConfig();
    kc.loadFromOptions({
      clusters: base.getClusters(),
      users: base.getUsers(),
      contexts: base.getContexts(),
      currentContext: ctx.name,
    });
    contexts.push({
      name: ctx.name,
      cluster: ctx.cluster,
      server: cluster.server,
      ...(ctx.namespace ? { namespace: ctx.namespace } : {}),
      applyAuth: (o) => kc.applyToHTTPSOptions(o),
    });
  }
  const current = base.getCurrentContext();
  return { contexts, ...(current ? { current } : {}) };
}

/**
 * A one-line notice when no kubeconfig exists at all (no --kubeconfig, no KUBECONFIG, no
 * ~/.kube/config, not in a pod). client-node would otherwise invent a `localhost:8080` context.
 */
export function kubeconfigMissing(opts: {
  kubeconfig?: string;
  env?: NodeJS.ProcessEnv;
  home?: string;
}): string | undefined {
  if (opts.kubeconfig) return undefined;
  const env = opts.env ?? process.env;
  if ((env.KUBECONFIG ?? '').split(delimiter).some(Boolean)) return undefined;
  if (existsSync(join(opts.home ?? homedir(), '.kube', 'config'))) return undefined;
  if (env.KUBERNETES_SERVICE_HOST && existsSync('/var/run/secrets/kubernetes.io/serviceaccount/token'))
    return undefined;
  return 'no kubeconfig found (set KUBECONFIG, pass --kubeconfig or create ~/.kube/config); bosun reads only the repository';
}
