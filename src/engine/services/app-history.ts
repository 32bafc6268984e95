import type { EngineContext } from '../core/context.js';
import { forEachLimit } from '../core/pool.js';
import {
  HistoryStore,
  inventoryKinds,
  type OperationRecord,
  readAppLease,
  toOperationSummary,
} from '../history/index.js';
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

/**
 * Loads the last operation and last synced revision of every app (8 at a time), quietly, and has the app's
 * cluster watch every kind its past syncs applied: an object whose kind left Git entirely is still seen
 * (as Extra, prunable).
 */
export async function loadHistories(ctx: EngineContext): Promise<void> {
  await forEachLimit([...ctx.apps.keys()], 8, async (name) => {
    const rt = ctx.apps.get(name);
    if (!rt) return;
    try {
      const records = await readHistory(ctx, name);
      const cache = rt.context ? ctx.caches.get(rt.context) : undefined;
      cache?.ensureKinds(inventoryKinds(records));
      const last = records[0];
      if (last && !rt.operation) rt.operation = toOperationSummary(last);
      const synced = records.find((r) => r.phase === 'Succeeded' && r.kind === 'sync' && !r.dryRun);
      if (synced?.revision && !rt.automation.lastSyncedRevision)
        rt.automation.lastSyncedRevision = synced.revision;
    } catch {
      /* no history yet, or no permission: not an error */
    }
  });
}
