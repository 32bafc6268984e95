/**
 * The parts of a sync run that touch one task or wait on one step: applying a task (hooks included, with
 * BeforeHookCreation), pruning, and the gates — hooks complete and resources healthy before the next wave,
 * pruned objects gone before the next prune wave. Polls through the injected clock.
 */
import { deepEqual } from '../diff/index.js';
import type { Customizations } from '../health/customizations.js';
import type { KubeObject } from '../model/index.js';
import { groupKind } from './kinds.js';
import type { SyncTask } from './plan.js';
import type { ClusterPort, DeletePreconditions } from './port.js';
import {
  type Clock,
  classify,
  failureMessage,
  hookOutcome,
  mapLimit,
  missingKindMessage,
  readiness,
  sendTask,
} from './step.js';

/** What the gate functions need from the run. */
export type GateContext = {
  port: ClusterPort;
  clock: Clock;
  concurrency: number;
  waitTimeoutMs: number;
  pollMs: number;
  /** Group/kinds defined by CRDs of this plan. */
  crdKinds: Set<string>;
  /** Lua health customizations, used by the health gate. */
  customizations?: Customizations;
  update: (task: SyncTask, patch: Partial<SyncTask>) => void;
  /** Sleeps; rejects when the run is terminated. */
  pause: (ms: number) => Promise<void>;
};

const short = (t: SyncTask) => `${t.key.kind}/${t.key.name}`;
const secs = (ms: number) => `${Math.round(ms / 1000)}s`;
const wavePrefix = (t: SyncTask) => `${t.phase === 'Sync' ? '' : `${t.phase} `}wave ${t.wave}`;

async function read(gate: GateContext, t: SyncTask): Promise<KubeObject | undefined> {
  try {
    return await gate.port.get(t.key, t.apiVersion);
  } catch (err) {
    classify(err, gate.port.context);
    return undefined;
  }
}

/** Polls until none of the tasks' objects exists; returns a sentence when some are still there at the deadline. */
export async function waitForGone(gate: GateContext, tasks: SyncTask[]): Promise<string | undefined> {
  let left = tasks;
  const start = gate.clock.now();
  for (;;) {
    const exists = await mapLimit(left, gate.concurrency, async (t) => (await read(gate, t)) !== undefined);
    left = left.filter((_, i) => exists[i]);
    if (left.length === 0) return undefined;
    if (gate.clock.now() - start >= gate.waitTimeoutMs)
      return `${short(left[0]!)} still exists after ${secs(gate.waitTimeoutMs)} (a finalizer may hold it)`;
    await gate.pause(gate.pollMs);
  }
}

/** Polls until the CRD-defined kind is served; false at the deadline. */
async function waitForKind(gate: GateContext, group: string, kind: string): Promise<boolean> {
  const start = gate.clock.now();
  for (;;) {
    try {
      if (await gate.port.hasKind(group, kind)) return true;
    } catch (err) {
      classify(err, gate.port.context);
    }
    if (gate.clock.now() - start >= gate.waitTimeoutMs) return false;
    await gate.pause(gate.pollMs);
  }
}

/** Message of an apply task whose dry run predicted no change. */
export const UNCHANGED = 'unchanged';

/** Whether the task's dry-run answer is the live object itself: a server-side apply would be a no-op. */
export function unchangedByApply(t: SyncTask): boolean {
  if (t.action !== 'apply' || t.hook || !t.live || !t.predicted) return false;
  const rv = t.live.metadata.resourceVersion;
  return rv !== undefined && t.predicted.metadata.resourceVersion === rv && deepEqual(t.predicted, t.live);
}

/** Applies one task (a hook is created, after deleting its old object for BeforeHookCreation). */
export async function runApplyTask(gate: GateContext, t: SyncTask): Promise<void> {
  const { port } = gate;
  gate.update(t, { status: 'Running', message: t.hook ? 'creating hook' : 'applying' });
  try {
    if (t.createOnly && (await read(gate, t))) {
      gate.update(t, { status: 'Succeeded', message: 'already exists' });
      return;
    }
    if (
      gate.crdKinds.has(groupKind(t.key.group, t.key.kind)) &&
      !(await waitForKind(gate, t.key.group, t.key.kind))
    ) {
      const message = `${missingKindMessage(t.key.group, t.key.kind)}: its CRD was applied but not served after ${secs(gate.waitTimeoutMs)}`;
      gate.update(t, { status: 'Failed', message });
      return;
    }
    const previous = t.hook?.deletePolicies.includes('BeforeHookCreation') ? await read(gate, t) : undefined;
    if (previous) {
      await deleteQuietly(gate, t, 'Background', previous);
      const stuck = await waitForGone(gate, [t]);
      if (stuck) {
        gate.update(t, { status: 'Failed', message: `the previous hook object ${stuck}` });
        return;
      }
    }
    // The server said the apply would change nothing (its dry-run answer equals the live object, field
    // managers and resourceVersion included): sending it again writes nothing, so it is not sent.
    if (unchangedByApply(t)) {
      t.applied = t.live;
      gate.update(t, { status: 'Succeeded', message: UNCHANGED });
      return;
    }
    const result = await sendTask(port, t, { dryRun: false });
    if (!t.hook) t.applied = result;
    if (t.hook) gate.update(t, { status: 'Running', message: 'hook started; waiting for it to complete' });
    else {
      const message = t.action === 'create' ? 'created' : t.action === 'replace' ? 'replaced' : 'configured';
      gate.update(t, { status: 'Succeeded', message });
    }
  } catch (err) {
    const api = classify(err, port.context);
    let message = failureMessage(err);
    if (api.status === 404 && !(await port.hasKind(t.key.group, t.key.kind).catch(() => true)))
      message = missingKindMessage(t.key.group, t.key.kind);
    gate.update(t, { status: 'Failed', message });
  }
}

/** Delete preconditions of the object as bosun read it: the server refuses one replaced or changed since. */
export function preconditionsOf(obj: KubeObject | undefined): DeletePreconditions | undefined {
  const { uid, resourceVersion } = obj?.metadata ?? {};
  if (!uid && !resourceVersion) return undefined;
  return { ...(uid ? { uid } : {}), ...(resourceVersion ? { resourceVersion } : {}) };
}

const isConflict = (err: unknown, gate: GateContext) => classify(err, gate.port.context).status === 409;

/** What became of a delete: done (deleted or already gone), skipped (changed hands since read) or failed. */
type DeleteResult = { done: true; gone: boolean } | { done: false; skipped: boolean; message: string };

/**
 * Deletes the object as bosun read it (`seen`): uid and resourceVersion preconditions, so the server refuses
 * one replaced or changed since. On such a refusal the object is read again and deleted only while it is
 * still the same object with the same tracking id. A 404 counts as done.
 */
async function deleteSeen(
  gate: GateContext,
  t: SyncTask,
  propagationPolicy: 'Foreground' | 'Background' | 'Orphan',
  seen: KubeObject | undefined,
): Promise<DeleteResult> {
  let current = seen;
  for (let attempt = 0; ; attempt++) {
    const preconditions = preconditionsOf(current);
    try {
      await gate.port.delete(t.key, { propagationPolicy, ...(preconditions ? { preconditions } : {}) });
      return { done: true, gone: false };
    } catch (err) {
      const api = classify(err, gate.port.context);
      if (api.status === 404) return { done: true, gone: true };
      if (!isConflict(err, gate) || attempt >= 2)
        return { done: false, skipped: false, message: failureMessage(err) };
    }
    const fresh = await read(gate, t);
    if (!fresh) return { done: true, gone: true };
    const why = changedOwnership(current, fresh);
    if (why) return { done: false, skipped: true, message: `${why} since bosun read it` };
    current = fresh;
  }
}

/** Deletes the object read as `seen`; returns an error sentence or undefined. */
async function deleteQuietly(
  gate: GateContext,
  t: SyncTask,
  propagationPolicy: 'Foreground' | 'Background' | 'Orphan',
  seen: KubeObject | undefined,
): Promise<string | undefined> {
  const r = await deleteSeen(gate, t, propagationPolicy, seen);
  return r.done ? undefined : r.message;
}

/** Prunes one object (Foreground unless PrunePropagationPolicy says otherwise); Prune=confirm ones are skipped. */
export async function pruneTask(gate: GateContext, t: SyncTask): Promise<void> {
  if (t.needsConfirmation) {
    gate.update(t, { status: 'Skipped', message: 'not pruned: Prune=confirm needs confirmation' });
    return;
  }
  gate.update(t, { status: 'Running', message: 'pruning' });
  const r = await deleteSeen(gate, t, t.prune?.propagation ?? 'Foreground', t.live);
  if (r.done) gate.update(t, { status: 'Succeeded', message: r.gone ? 'already gone' : 'pruned' });
  else if (r.skipped) gate.update(t, { status: 'Skipped', message: `not pruned: ${r.message}` });
  else gate.update(t, { status: 'Failed', message: r.message });
}

/** Why a fresh read is no longer the object bosun decided to delete (replaced, or its tracking changed). */
function changedOwnership(seen: KubeObject | undefined, fresh: KubeObject): string | undefined {
  if (seen?.metadata.uid && fresh.metadata.uid !== seen.metadata.uid) return 'it was replaced';
  const tracking = (o: KubeObject | undefined) =>
    Object.entries(o?.metadata.annotations ?? {})
      .filter(([k]) => k.endsWith('/tracking-id'))
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([k, v]) => `${k}=${v}`)
      .join(',');
  if (tracking(seen) !== tracking(fresh)) return 'its tracking id changed';
  return undefined;
}

/** Applies a finished hook's delete policy (HookSucceeded / HookFailed). */
async function afterHook(
  gate: GateContext,
  t: SyncTask,
  outcome: { ok: boolean; message: string; seen: KubeObject | undefined },
): Promise<void> {
  const { ok, message } = outcome;
  const policies = t.hook?.deletePolicies ?? [];
  const policy = ok ? 'HookSucceeded' : 'HookFailed';
  let note = '';
  if (policies.includes(policy)) {
    const problem = await deleteQuietly(gate, t, 'Background', outcome.seen);
    note = problem ? `; could not delete it (${policy}): ${problem}` : `; deleted (${policy})`;
  }
  gate.update(t, { status: ok ? 'Succeeded' : 'Failed', message: message + note });
}

/**
 * Waits until the step's hooks have completed and, when `waitHealth`, its applied resources are healthy.
 * Returns a sentence when the step failed (a hook failed, or the deadline passed), else undefined.
 */
export async function waitForStep(
  gate: GateContext,
  step: SyncTask[],
  opts: { waitHealth: boolean },
): Promise<string | undefined> {
  let hooks = step.filter((t) => t.hook && t.status === 'Running');
  let resources = opts.waitHealth ? step.filter((t) => !t.hook && t.status === 'Succeeded' && t.obj) : [];
  const waiting = new Map<SyncTask, string>();
  const start = gate.clock.now();
  for (;;) {
    const seen = new Map<SyncTask, KubeObject | undefined>();
    const outcomes = await mapLimit(hooks, gate.concurrency, async (t) => {
      const obj = await read(gate, t);
      seen.set(t, obj);
      return hookOutcome(obj, short(t), gate.clock.now(), gate.customizations);
    });
    const failed: string[] = [];
    await mapLimit(hooks, gate.concurrency, async (t) => {
      const o = outcomes[hooks.indexOf(t)]!;
      if (!o.done) {
        waiting.set(t, o.message);
        return;
      }
      await afterHook(gate, t, { ok: o.ok, message: o.message, seen: seen.get(t) });
      if (!o.ok) failed.push(o.message);
    });
    hooks = hooks.filter((t) => t.status === 'Running');
    if (failed.length > 0) return failed[0];
    const ready = await mapLimit(resources, gate.concurrency, async (t) => {
      // The object as the apply returned it answers the first check (a ConfigMap is ready at once, a
      // Deployment whose controller has not seen the new generation is not); later checks read it again.
      const first = t.applied;
      t.applied = undefined;
      const r = readiness(first ?? (await read(gate, t)), gate.clock.now(), gate.customizations);
      if (!r.ready) waiting.set(t, r.message);
      return r.ready;
    });
    resources = resources.filter((_, i) => !ready[i]);
    if (hooks.length === 0 && resources.length === 0) return undefined;
    if (gate.clock.now() - start >= gate.waitTimeoutMs) {
      const t = resources[0] ?? hooks[0]!;
      const why = waiting.get(t) ?? 'no status';
      if (t.hook) {
        const message = `did not complete after ${secs(gate.waitTimeoutMs)}: ${why}`;
        await afterHook(gate, t, { ok: false, message, seen: seen.get(t) });
        return `${wavePrefix(t)}: hook ${short(t)} did not complete after ${secs(gate.waitTimeoutMs)}: ${why}`;
      }
      gate.update(t, {
        status: 'Failed',
        message: `applied, but not healthy after ${secs(gate.waitTimeoutMs)}: ${why}`,
      });
      return `${wavePrefix(t)}: ${short(t)} not healthy after ${secs(gate.waitTimeoutMs)}: ${why}`;
    }
    await gate.pause(gate.pollMs);
  }
}
