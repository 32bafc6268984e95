import type { AppState } from '../model/app.js';
import { worstHealth } from '../model/status.js';
import { readOnlyReason } from '../policy/index.js';
import { type ClusterState, ClusterStatus } from '../types.js';
import { appPolicyOf, clusterProductionOf, syncWindowOf } from './app-policy.js';
import { appStateOf } from './app-runtime.js';
import type { EngineContext } from './context.js';

/**
 * The apps and clusters of the next snapshot: app states sorted by service and environment order,
 * app-of-apps parents carrying their children's worst health, and per-cluster reachability and counts.
 */
export function snapshotParts(core: EngineContext): { apps: AppState[]; clusters: ClusterState[] } {
  const order = core.store.getSnapshot().environments.map((e) => e.name);
  const engineReadOnly = core.opts.readOnly ?? false;
  const runtimes = [...core.apps.values()];
  const now = Date.now();
  const apps = runtimes
    .map((rt) => {
      const cache = rt.context ? core.caches.get(rt.context) : undefined;
      const policy = appPolicyOf(core, rt);
      const state = appStateOf(rt, {
        policy,
        clusterReachable: !cache || cache.status !== ClusterStatus.Unreachable,
        ...(cache?.message ? { clusterMessage: cache.message } : {}),
      });
      const syncWindow = syncWindowOf(core, rt, now);
      return syncWindow ? { ...state, syncWindow } : state;
    })
    .sort(
      (a, b) =>
        a.spec.service.localeCompare(b.spec.service) ||
        order.indexOf(a.spec.environment ?? '') - order.indexOf(b.spec.environment ?? '') ||
        a.name.localeCompare(b.name),
    );
  // App-of-apps parents: their health is the worst of their children's (own resources are Applications).
  for (const a of apps) {
    const children = apps.filter((c) => c.spec.origin.parentApp === a.name);
    if (children.length === 0 || a.desiredCount > 0 || a.conditions.some((c) => c.type === 'RenderError'))
      continue;
    const worst = worstHealth(children.map((c) => c.health));
    const healthy = children.filter((c) => c.health === 'Healthy').length;
    const synced = children.filter((c) => c.sync === 'Synced').length;
    Object.assign(a, {
      health: worst,
      healthMessage: `${healthy}/${children.length} child apps healthy, ${synced}/${children.length} synced`,
    });
  }
  const clusters = [...core.caches.values()].map((c) => {
    const reg = core.config.clusters.find((r) => r.context === c.context);
    const name = reg?.name ?? c.context;
    const production = clusterProductionOf(core, c.context);
    const access = core.argoCmAccess.get(c.context);
    const warnings = [...(access ? [access] : []), ...(core.argoCmWarnings.get(c.context) ?? [])];
    return {
      name,
      context: c.context,
      server: c.cluster.client.context.server,
      status: c.status,
      ...(c.message ? { message: c.message } : {}),
      ...(c.serverVersion ? { serverVersion: c.serverVersion } : {}),
      watchedKinds: c.watchedKinds,
      objects: c.size,
      apps: apps.filter((a) => a.context === c.context).length,
      readOnly:
        readOnlyReason({ engineReadOnly, cluster: { name, readOnly: reg?.readOnly ?? false } }) !== undefined,
      production,
      ...(reg?.theme ? { theme: reg.theme } : {}),
      requests: { list: c.cluster.client.counts.list, watch: c.cluster.client.counts.watch },
      ...(warnings.length > 0 ? { warnings } : {}),
    };
  });
  return { apps, clusters };
}
