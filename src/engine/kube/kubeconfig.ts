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
  /**
   * Adds TLS material and auth headers (tokens, client certs, exec plugins) to request options. Returns
   * when the credential expires (exec `expirationTimestamp`, a bearer JWT's `exp`), when known.
   * `refresh` drops cached plugin credentials first (after a 401).
   */
  applyAuth(opts: RequestOptions, o?: { refresh?: boolean }): Promise<{ expiresAt?: number }>;
};

type CachedCredential = { status?: { expirationTimestamp?: string } } | null | undefined;

/** The expiry the exec plugin reported for the user's cached credential, if any. */
function execExpiry(kc: KubeConfig): number | undefined {
  const user = kc.getCurrentUser();
  if (!user?.exec && !user?.authProvider?.config?.exec) return undefined;
  const auths = (kc as unknown as { authenticators?: unknown[] }).authenticators ?? [];
  for (const a of auths) {
    const cache = (a as { tokenCache?: Record<string, CachedCredential> }).tokenCache;
    const ts = cache?.[user.name]?.status?.expirationTimestamp;
    if (ts) {
      const t = Date.parse(ts);
      if (!Number.isNaN(t)) return t;
    }
  }
  return undefined;
}

/** The `exp` of a bearer JWT (OIDC id-tokens, service-account tokens), if the header holds one. */
export function bearerExpiry(authorization: unknown): number | undefined {
  if (typeof authorization !== 'string') return undefined;
  const m = /^Bearer ([\w-]+)\.([\w-]+)\.[\w-]*$/.exec(authorization);
  if (!m) return undefined;
  try {
    const payload = JSON.parse(Buffer.from(m[2]!, 'base64url').toString('utf8')) as { exp?: unknown };
    return typeof payload.exp === 'number' ? payload.exp * 1000 : undefined;
  } catch {
    return undefined;
  }
}

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
    // A fresh KubeConfig has fresh authenticators: that is how a refresh drops a cached plugin credential.
    const fresh = () => {
      const kc = new KubeConfig();
      kc.loadFromOptions({
        clusters: base.getClusters(),
        users: base.getUsers(),
        contexts: base.getContexts(),
        currentContext: ctx.name,
      });
      return kc;
    };
    let kc = fresh();
    contexts.push({
      name: ctx.name,
      cluster: ctx.cluster,
      server: cluster.server,
      ...(ctx.namespace ? { namespace: ctx.namespace } : {}),
      applyAuth: async (o, opts = {}) => {
        if (opts.refresh) kc = fresh();
        await kc.applyToHTTPSOptions(o);
        const times = [
          execExpiry(kc),
          bearerExpiry((o.headers as Record<string, unknown> | undefined)?.Authorization),
        ];
        const known = times.filter((t): t is number => t !== undefined);
        return known.length > 0 ? { expiresAt: Math.min(...known) } : {};
      },
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
