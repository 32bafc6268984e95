import type { AppDestination } from '../model/app.js';

/** What destination mapping needs: the cluster registry and the kubeconfig's contexts. */
export type DestinationIndex = {
  registry: { name: string; context: string; server?: string }[];
  contexts: { name: string; server: string }[];
  /** The context `https://kubernetes.default.svc` maps to. */
  inClusterContext?: string;
};

const inCluster = new Set([
  'https://kubernetes.default.svc',
  'https://kubernetes.default.svc:443',
  'in-cluster',
]);

function sameServer(a: string, b: string): boolean {
  const norm = (s: string) => s.replace(/\/+$/, '').replace(/:443$/, '').toLowerCase();
  return norm(a) === norm(b);
}

/**
 * Maps an Application destination to a kubeconfig context: `name` through the registry, else the
 * context of the same name; `server` through the registry, else the context whose cluster has that
 * server URL; the in-cluster address maps to the configured context. Returns a one-line error otherwise.
 */
export function resolveDestination(
  dest: AppDestination,
  idx: DestinationIndex,
): { context: string } | { error: string } {
  if (dest.name) {
    const reg = idx.registry.find((r) => r.name === dest.name);
    if (reg) return { context: reg.context };
    if (dest.name === 'in-cluster' && idx.inClusterContext) return { context: idx.inClusterContext };
    if (idx.contexts.some((c) => c.name === dest.name)) return { context: dest.name };
    return {
      error: `destination cluster "${dest.name}" has no kubeconfig context of that name and is not in the cluster registry`,
    };
  }
  if (dest.server) {
    if (inCluster.has(dest.server)) {
      if (idx.inClusterContext) return { context: idx.inClusterContext };
      return {
        error: `destination ${dest.server} needs inClusterContext in bosun.yaml (or a current kubeconfig context)`,
      };
    }
    const reg = idx.registry.find((r) => r.server && sameServer(r.server, dest.server ?? ''));
    if (reg) return { context: reg.context };
    const ctx = idx.contexts.find((c) => sameServer(c.server, dest.server ?? ''));
    if (ctx) return { context: ctx.name };
    return {
      error: `destination server ${dest.server} matches no kubeconfig context and no cluster in the registry`,
    };
  }
  return { error: 'destination has neither name nor server' };
}
