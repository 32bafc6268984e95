import type { EngineContext } from '../core/context.js';
import { forEachLimit } from '../core/pool.js';
import {
  BOSUN_NAMESPACE,
  HistoryStore,
  historyConfigMapName,
  inventoryKinds,
  leaseName,
  type OperationRecord,
  readAppLease,
  readLease,
  recordsOf,
  toOperationSummary,
} from '../history/index.js';
import type { KubeCluster } from '../kube/cluster.js';
import type { KubeObject } from '../model/resource-key.js';
import { ClusterStatus } from '../types.js';

/** The operation records of an app from its destination cluster, newest first (Running records of dead consoles show Interrupted). */
export async function readHistory(ctx: EngineContext, app: string): Promise<OperationRecord[]> {
  const rt = ctx.apps.get(app);
  const cache = rt?.context ? ctx.caches.get(rt.context) : undefined;
  if (!cache || cache.status !== ClusterStatus.Connected) return [];
  const lease = await readAppLease(cache.cluster, app).catch(() => undefined);
  // The store keeps records oldest first; callers want the latest operation first.
  return (await new HistoryStore(cache.cluster).list(app, { lease, now: Date.now() })).reverse();
}

/** Takes what an app's history says into its runtime: last operation, last synced revision, kinds to watch. */
function applyHistory(ctx: EngineContext, name: string, records: OperationRecord[]): void {
  const rt = ctx.apps.get(name);
  if (!rt) return;
  const cache = rt.context ? ctx.caches.get(rt.context) : undefined;
  cache?.ensureKinds(inventoryKinds(records));
  const last = records[0];
  if (last && !rt.operation) rt.operation = toOperationSummary(last);
  const synced = records.find((r) => r.phase === 'Succeeded' && r.kind === 'sync' && !r.dryRun);
  if (synced?.revision && !rt.automation.lastSyncedRevision)
    rt.automation.lastSyncedRevision = synced.revision;
}

/**
 * The history ConfigMaps and leases of one cluster in two LISTs (instead of two GETs per app), by name;
 * undefined when the ConfigMaps cannot be listed (the caller then reads app by app). Leases that cannot be
 * listed read as none, as a lease that cannot be read does.
 */
async function listSystemObjects(
  cluster: KubeCluster,
): Promise<{ configMaps: Map<string, KubeObject>; leases: Map<string, KubeObject> } | undefined> {
  const byName = (items: KubeObject[]) => new Map(items.map((o) => [o.metadata.name, o]));
  const namespace = BOSUN_NAMESPACE;
  const cmKind = await cluster.resolve('', 'ConfigMap', 'v1').catch(() => undefined);
  if (!cmKind) return undefined;
  const leaseKind = await cluster.resolve('coordination.k8s.io', 'Lease', 'v1').catch(() => undefined);
  const [cms, leases] = await Promise.all([
    cluster
      .list(cmKind, { namespace, labelSelector: 'app.kubernetes.io/managed-by=bosun' })
      .catch(() => undefined),
    leaseKind ? cluster.list(leaseKind, { namespace }).catch(() => undefined) : undefined,
  ]);
  if (!cms) return undefined;
  return { configMaps: byName(cms.items), leases: byName(leases?.items ?? []) };
}

/**
 * Loads the last operation and last synced revision of every app, quietly: per cluster, its history
 * ConfigMaps and leases in one LIST each (app by app, 8 at a time, when listing is not allowed). The app's
 * cluster then watches every kind its past syncs applied: an object whose kind left Git entirely is still
 * seen (as Extra, prunable).
 */
export async function loadHistories(ctx: EngineContext): Promise<void> {
  const byContext = new Map<string, string[]>();
  for (const [name, rt] of ctx.apps) {
    if (!rt.context) continue;
    byContext.set(rt.context, [...(byContext.get(rt.context) ?? []), name]);
  }
  const now = Date.now();
  await Promise.all(
    [...byContext].map(async ([context, names]) => {
      const cache = ctx.caches.get(context);
      if (!cache || cache.status !== ClusterStatus.Connected) return;
      const listed = await listSystemObjects(cache.cluster);
      if (listed) {
        for (const name of names) {
          const cm = listed.configMaps.get(historyConfigMapName(name));
          if (!cm) continue;
          const lease = readLease(listed.leases.get(leaseName(name)));
          applyHistory(ctx, name, recordsOf(cm, { lease, now }).reverse());
        }
        return;
      }
      await forEachLimit(names, 8, async (name) => {
        try {
          applyHistory(ctx, name, await readHistory(ctx, name));
        } catch {
          /* no history yet, or no permission: not an error */
        }
      });
    }),
  );
}
