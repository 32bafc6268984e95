/**
 * The dry-run pass that precedes every sync: each task that will run is sent with dryRun (server-side),
 * kinds the cluster does not serve are reported as missing CRDs, and objects that cannot be dry-run yet
 * (their CRD or namespace is created by this sync, or an old hook object is replaced) are noted.
 * Makes no change to the cluster.
 */
import type { GateContext } from './gate.js';
import { groupKind } from './kinds.js';
import type { SyncTask } from './plan.js';
import { classify, failureMessage, mapLimit, missingKindMessage, sendTask } from './step.js';

/** Dry-runs every task that will run; returns the failed ones. Makes no change to the cluster. */
export async function dryRunTasks(
  gate: GateContext,
  tasks: SyncTask[],
  checkTerminated: () => void,
): Promise<SyncTask[]> {
  const runnable = tasks.filter((t) => t.action !== 'skip' && !t.needsConfirmation);
  const crdKinds = gate.crdKinds;
  const known = new Map<string, boolean>();
  const kinds = [...new Set(runnable.filter((t) => t.obj).map((t) => groupKind(t.key.group, t.key.kind)))];
  await mapLimit(kinds, gate.concurrency, async (gk) => {
    const slash = gk.indexOf('/');
    try {
      known.set(gk, await gate.port.hasKind(gk.slice(0, slash), gk.slice(slash + 1)));
    } catch (err) {
      classify(err, gate.port.context);
      known.set(gk, true); // the API answered with an error: let the dry run report it
    }
  });
  const newNamespaces = new Set<string>();
  const namespaceTasks = runnable.filter((t) => t.obj && t.key.group === '' && t.key.kind === 'Namespace');
  await mapLimit(namespaceTasks, gate.concurrency, async (t) => {
    try {
      if (!(await gate.port.get(t.key, 'v1'))) newNamespaces.add(t.key.name);
    } catch (err) {
      classify(err, gate.port.context);
    }
  });
  const failed: SyncTask[] = [];
  await mapLimit(runnable, gate.concurrency, async (t) => {
    checkTerminated();
    const gk = groupKind(t.key.group, t.key.kind);
    if (t.action === 'prune') {
      try {
        await gate.port.delete(t.key, {
          dryRun: true,
          propagationPolicy: t.prune?.propagation ?? 'Foreground',
        });
        t.message = 'dry run: would prune';
      } catch (err) {
        const api = classify(err, gate.port.context);
        if (api.status === 404) t.message = 'dry run: already gone';
        else {
          gate.update(t, { status: 'Failed', message: failureMessage(err) });
          failed.push(t);
        }
      }
      return;
    }
    if (!known.get(gk)) {
      if (crdKinds.has(gk) || t.skipDryRunOnMissingResource) {
        t.message = crdKinds.has(gk)
          ? 'dry run skipped: its CRD is created by this sync'
          : 'dry run skipped: kind not known yet';
        return;
      }
      gate.update(t, { status: 'Failed', message: missingKindMessage(t.key.group, t.key.kind) });
      failed.push(t);
      return;
    }
    if (t.key.namespace && newNamespaces.has(t.key.namespace)) {
      t.message = `dry run skipped: namespace ${t.key.namespace} is created by this sync`;
      return;
    }
    try {
      // The old hook object is deleted before the new one is created: a dry run against it says nothing.
      if (
        t.hook?.deletePolicies.includes('BeforeHookCreation') &&
        (await gate.port.get(t.key, t.apiVersion))
      ) {
        t.message = 'dry run skipped: the previous hook object is deleted first';
        return;
      }
      const predicted = await sendTask(gate.port, t, { dryRun: true });
      if (t.action === 'apply' && !t.hook) t.predicted = predicted;
      t.message = 'dry run passed';
    } catch (err) {
      classify(err, gate.port.context);
      gate.update(t, { status: 'Failed', message: failureMessage(err) });
      failed.push(t);
    }
  });
  return failed;
}

/** Marks every task that would run as Succeeded with what it would do; returns how many would run. */
export function reportDryRun(gate: GateContext, tasks: SyncTask[]): number {
  let n = 0;
  for (const t of tasks) {
    if (t.action === 'skip' || t.status !== 'Pending') continue;
    if (t.needsConfirmation) {
      gate.update(t, { status: 'Skipped', message: 'not pruned: Prune=confirm needs confirmation' });
      continue;
    }
    const verb = t.action === 'hook' ? 'run hook' : t.action;
    const message = t.message?.startsWith('dry run skipped')
      ? `dry run: would ${verb} (${t.message.slice('dry run '.length)})`
      : t.action === 'prune'
        ? (t.message ?? 'dry run: would prune')
        : `dry run: would ${verb}`;
    gate.update(t, { status: 'Succeeded', message });
    n++;
  }
  return n;
}
