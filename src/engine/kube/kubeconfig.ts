import { existsSync } from 'node:fs';
import type { RequestOptions } from 'node:https';
import { homedir } from 'node:os';
import { delimiter, join } from 'node:path';
import { UserAuth } from './kube-auth.js';
import { inClusterKubeconfig, type Kubeconfig, kubeconfigFiles, readKubeconfig } from './kubeconfig-file.js';

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

/** Applies an `auth-provider` user (oidc, gcp, azure) through the full client library, loaded on demand. */
async function providerAuth(
  files: string[],
  context: string,
  opts: RequestOptions,
  refresh: boolean,
  state: { kc?: import('@kubernetes/client-node').KubeConfig },
): Promise<void> {
  if (!state.kc || refresh) {
    const { KubeConfig } = await import('@kubernetes/client-node');
    const kc = new KubeConfig();
    if (files.length === 1 && files[0]) kc.loadFromFile(files[0]);
    else kc.loadFromDefault();
    kc.setCurrentContext(context);
    state.kc = kc;
  }
  await state.kc.applyToHTTPSOptions(opts);
}

/**
 * The contexts of the kubeconfig (KUBECONFIG with several files is merged: the first file naming an entry
 * wins), optionally filtered. Read with a small loader of our own: the full client library costs about a
 * second of CPU to load, so it is loaded only for `auth-provider` users.
 */
export function loadContexts(opts: { kubeconfig?: string; contexts?: string[] } = {}): {
  contexts: ContextInfo[];
  current?: string;
  /** Set when there is no kubeconfig at all: bosun then reads only the repository. */
  missing?: string;
} {
  const missing = kubeconfigMissing(opts);
  if (missing) return { contexts: [], missing };
  const files = kubeconfigFiles(opts);
  let kc: Kubeconfig;
  try {
    const inCluster = files.length === 0 && !process.env.KUBECONFIG ? inClusterKubeconfig() : undefined;
    if (files.length === 0 && !inCluster) throw new Error('no such file');
    kc = inCluster ?? readKubeconfig(files);
  } catch (err) {
    throw new Error(
      `cannot read kubeconfig ${opts.kubeconfig ?? process.env.KUBECONFIG ?? '~/.kube/config'}: ${(err as Error).message}`,
      { cause: err },
    );
  }
  const wanted = opts.contexts && opts.contexts.length > 0 ? new Set(opts.contexts) : undefined;
  const contexts: ContextInfo[] = [];
  for (const [name, ctx] of kc.contexts) {
    if (wanted && !wanted.has(name)) continue;
    const cluster = kc.clusters.get(ctx.cluster);
    if (!cluster) continue;
    const user = kc.users.get(ctx.user) ?? {};
    const auth = new UserAuth(cluster, user);
    const provider: { kc?: import('@kubernetes/client-node').KubeConfig } = {};
    contexts.push({
      name,
      cluster: ctx.cluster,
      server: cluster.server,
      ...(ctx.namespace ? { namespace: ctx.namespace } : {}),
      applyAuth: async (o, ao = {}) => {
        let expiresAt: number | undefined;
        if (user.authProvider) await providerAuth(kc.files, name, o, ao.refresh ?? false, provider);
        else expiresAt = (await auth.apply(o, ao)).expiresAt;
        const times = [
          expiresAt,
          bearerExpiry((o.headers as Record<string, unknown> | undefined)?.Authorization),
        ];
        const known = times.filter((t): t is number => t !== undefined);
        return known.length > 0 ? { expiresAt: Math.min(...known) } : {};
      },
    });
  }
  return { contexts, ...(kc.currentContext ? { current: kc.currentContext } : {}) };
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
