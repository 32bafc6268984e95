import type { EngineContext } from '../core/context.js';
import { type BackendState, ClusterStatus } from '../types.js';

const group = 'argoproj.io';

/**
 * In the embedded backend: a one-line hint when a connected cluster runs an Argo CD whose Application CRs carry
 * the names of apps bosun discovered (one list per cluster that has the kind; none otherwise), else undefined.
 */
export async function detectArgoCd(ctx: EngineContext): Promise<BackendState | undefined> {
  for (const cache of ctx.caches.values()) {
    if (cache.status !== ClusterStatus.Connected) continue;
    const r = cache.cluster.discovery.find(group, 'Application');
    if (!r) continue;
    const list = await cache.cluster.list(r, { timeoutMs: 5000 }).catch(() => undefined);
    const same = (list?.items ?? []).filter((o) => ctx.apps.has(o.metadata.name));
    if (same.length === 0) continue;
    const namespace = same[0]?.metadata.namespace ?? 'argocd';
    const names = [...new Set(same.map((o) => o.metadata.name))].sort();
    const shown = names.slice(0, 3).join(', ') + (names.length > 3 ? ` and ${names.length - 3} more` : '');
    return {
      type: 'embedded',
      hint: `Argo CD in ${cache.context}/${namespace} manages ${names.length} of these apps (${shown}): set backend: { type: argocd, context: ${cache.context}, namespace: ${namespace} } in bosun.yaml to show its view`,
      detected: { context: cache.context, namespace, apps: names },
    };
  }
  return undefined;
}
