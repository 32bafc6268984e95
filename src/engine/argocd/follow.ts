/**
 * Following one Argo CD operation to its end, fed by the Application watch (no polling): resolves with the app
 * once the operation started after `before` has finished and `operation` is cleared; reports each resource's
 * progress once per change.
 */
import { keyString } from '../model/resource-key.js';
import type { PlanTask } from '../types.js';
import { argoOperationTasks } from './app-view.js';
import type { ArgoApp } from './source.js';

/** Options of followOperation. */
export type FollowOptions = {
  name: string;
  /** `startedAt` of the operation before the sync was requested (a new one has another). */
  before?: string;
  /** The app as the watch has it now; undefined when bosun stops or the app left Argo CD. */
  current: () => ArgoApp | undefined;
  /** Calls `fn` after every watch change; returns unsubscribe. */
  subscribe: (fn: () => void) => () => void;
  limitMs: number;
  dryRun: boolean;
  onTask: (task: PlanTask) => void;
};

/** Resolves with the app when Argo CD ended the operation; rejects after `limitMs` (the operation goes on there). */
export function followOperation(o: FollowOptions): Promise<ArgoApp> {
  const seen = new Map<string, string>();
  return new Promise((resolve, reject) => {
    let unsubscribe = () => {};
    const finish = () => {
      unsubscribe();
      clearTimeout(timer);
    };
    const check = () => {
      const a = o.current();
      if (!a) {
        finish();
        reject(
          new Error(
            `the sync of ${o.name} was not followed to its end (bosun stopped or the app left Argo CD)`,
          ),
        );
        return;
      }
      const op = a.status.operation;
      const ours = op?.startedAt && op.startedAt !== o.before;
      if (ours && !a.status.operationPending && op.finishedAt) {
        finish();
        resolve(a);
        return;
      }
      if (!ours) return;
      const waves = new Map(a.status.resources.map((r) => [keyString(r.key), r.wave ?? 0]));
      for (const t of argoOperationTasks(a.object, waves)) {
        const id = keyString(t.key);
        const sig = `${t.status}:${t.message ?? ''}`;
        if (seen.get(id) === sig) continue;
        seen.set(id, sig);
        o.onTask(t);
      }
    };
    const timer = setTimeout(() => {
      finish();
      reject(
        new Error(
          `Argo CD did not end the sync of ${o.name} within ${Math.round(o.limitMs / 1000)} s; it goes on there${o.dryRun ? ' (dry run)' : ''}`,
        ),
      );
    }, o.limitMs);
    unsubscribe = o.subscribe(check);
    check();
  });
}
