import type { RequestOptions } from 'node:https';
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
} {
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
