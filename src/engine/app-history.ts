import type { EngineCore } from './engine.js';
import { HistoryStore, type OperationRecord, readAppLease, toOperationSummary } from './history/index.js';
import { ClusterStatus } from './types.js';

/** The operation records of an app from its destination cluster, newest first (Running records of dead consoles show Interrupted). */
export async function readHistory(core: EngineCore, app: string): Promise<OperationRecord[]> {
  const rt = core.apps.get(app);
  const cache = rt?.context ? core.caches.get(rt.context) : undefined;
  if (!cache || cache.status !== ClusterStatus.Connected) return [];
  const lease = await readAppLease(cache.cluster, app).catch(() => undefined);
  // The store keeps records oldest first; callers want the latest operation first.
  return (await new HistoryStore(cache.cluster).list(app, { lease, now: Date.now() })).reverse();
}

/** Loads the last operation and last synced revision of every app (8 at a time), quietly. */
export async function loadHistories(core: EngineCore): Promise<void> {
  const queue = [...core.apps.keys()];
  const worker = async () => {
    for (let name = queue.shift(); name; name = queue.shift()) {
      const rt = core.apps.get(name);
      if (!rt) continue;
      try {
        const records = await readHistory(core, name);
        const last = records[0];
        if (last && !rt.operation) rt.operation = toOperationSummary(last);
        const synced = records.find((r) => r.phase === 'Succeeded' && r.kind === 'sync' && !r.dryRun);
        if (synced?.revision && !rt.automation.lastSyncedRevision)
          rt.automation.lastSyncedRevision = synced.revision;
      } catch {
        /* no history yet, or no permission: not an error */
      }
    }
  };
  await Promise.all(Array.from({ length: 8 }, worker));
}
