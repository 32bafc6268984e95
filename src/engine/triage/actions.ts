/**
 * Resource actions as recorded operations: every action mutates, so a read-only console or cluster
 * refuses it, a production app needs its name typed, it takes the app's sync lease (a sync in another
 * console refuses it, and no sync starts meanwhile), and it is recorded in the app's history (kind
 * `action`: who, what, on which resource) and in the audit journal.
 */
import {
  type ActionInfo,
  type ActionStep,
  builtinActions,
  builtinSteps,
  revertWarning,
} from '../actions/builtin.js';
import {
  acquireLease,
  appendJournal,
  HistoryStore,
  LeaseHeldError,
  newOperationId,
} from '../history/index.js';
import type { OperationRecord } from '../history/records.js';
import { PatchType, patchObject } from '../kube/triage-io.js';
import { type KubeObject, keyLabel, keyOf } from '../model/resource-key.js';
import { apiFailureOf, systemClock } from '../sync/step.js';
import type { ActionRequest, ActionResult } from './api.js';
import { appObjects, findObject, type TriageApp, type TriageContext } from './context.js';

/** A refusal of an action (read-only, confirmation, lease): the CLI ends with exit code 3. */
export class ActionRefusal extends Error {
  /** CLI exit code for refusals. */
  readonly exitCode = 3;
  /** The refusal is already in the audit journal. */
  readonly journaled = true;
}

/** Lua actions of loaded customizations (from the health customizations runtime), when present. */
export type LuaActions = {
  /** Action names `discovery.lua` lists for the object. */
  list(obj: KubeObject): ActionInfo[];
  /** The changes `action.lua` makes (the patched object as a merge patch, objects it creates). */
  run(obj: KubeObject, action: string, params: Record<string, string>): ActionStep[];
};

/** The actions offered for one resource of an app (none at all in a read-only console). */
export function listActions(
  ctx: TriageContext,
  o: { app: string; resource: string; lua?: LuaActions },
): ActionInfo[] {
  const app = ctx.app(o.app);
  if (ctx.readOnly(app)) return [];
  const obj = findObject(appObjects(ctx, app), o.resource, app.name);
  const out = builtinActions(obj);
  for (const l of o.lua?.list(obj) ?? []) if (!out.some((b) => b.name === l.name)) out.push(l);
  const desired = desiredOf(app, obj);
  return out.map((a) => {
    const warning = revertWarning({
      action: a.name,
      ...(desired ? { desired } : {}),
      selfHeal: app.selfHeal,
    });
    return warning ? { ...a, warning } : a;
  });
}

/** The desired manifest of a live object of the app, when Git has one. */
function desiredOf(app: TriageApp, obj: KubeObject): KubeObject | undefined {
  const key = keyOf(obj);
  return app.resources.find(
    (r) => r.key.kind === key.kind && r.key.name === key.name && r.key.namespace === key.namespace,
  )?.desired;
}

/** The changes an action makes to `obj` (built in first, then Lua); throws a one-line Error when it has none. */
export function stepsFor(obj: KubeObject, req: ActionRequest, lua: LuaActions | undefined): ActionStep[] {
  const params = req.params ?? {};
  const built = builtinSteps(req.action, { obj, now: new Date(), params });
  if (built) return built;
  const offered = lua?.list(obj).find((a) => a.name === req.action);
  if (lua && offered) {
    if (offered.disabled) throw new Error(`${req.action} of ${keyLabel(keyOf(obj))}: ${offered.disabled}`);
    return lua.run(obj, req.action, params);
  }
  const names = [...builtinActions(obj), ...(lua?.list(obj) ?? [])].map((a) => a.name);
  throw new Error(
    `${obj.kind} has no action "${req.action}"${names.length ? ` (actions: ${[...new Set(names)].join(', ')})` : ''}`,
  );
}

/** Runs one action as a recorded operation; refusals throw ActionRefusal, nothing changed. */
export async function runAction(
  ctx: TriageContext,
  req: ActionRequest & { lua?: LuaActions },
): Promise<ActionResult> {
  const app = ctx.app(req.app);
  const ro = ctx.readOnly(app);
  const journal = (result: string, message: string, extra: Record<string, unknown> = {}) =>
    appendJournal(
      {
        identity: ctx.who,
        action: 'action',
        app: app.name,
        ...(app.context ? { context: app.context } : {}),
        result,
        message,
        details: {
          action: req.action,
          resource: req.resource,
          ...(req.params ? { params: req.params } : {}),
          ...extra,
        },
      },
      { ...(ctx.journal ?? {}), ...(ctx.redact ? { redact: ctx.redact(app.name) } : {}) },
    );
  const refuse = async (message: string): Promise<never> => {
    await journal('refused', message).catch(() => undefined);
    throw new ActionRefusal(message);
  };
  if (ro) return refuse(`refused: ${ro}; actions change the cluster`);
  if (ctx.production(app) && req.confirm !== app.name)
    return refuse(`refused: ${app.name} runs in production (${app.context}); confirm by typing the app name`);
  const cluster = app.context ? ctx.cluster(app.context) : undefined;
  if (!cluster || !app.context) throw new Error(`the cluster of ${app.name} is not connected`);
  const obj = findObject(appObjects(ctx, app), req.resource, app.name);
  const steps = stepsFor(obj, req, req.lua);
  const key = keyOf(obj);
  const resource = keyLabel(key);
  const warnings: string[] = [];
  const desired = desiredOf(app, obj);
  const warn = revertWarning({
    action: req.action,
    ...(desired ? { desired } : {}),
    ...(req.params ? { params: req.params } : {}),
    selfHeal: app.selfHeal,
  });
  if (warn) warnings.push(warn);

  const id = newOperationId(Date.now());
  let lease: Awaited<ReturnType<typeof acquireLease>>;
  try {
    lease = await acquireLease(cluster, {
      app: app.name,
      holder: ctx.holder,
      operationId: id,
      clock: systemClock,
    });
  } catch (err) {
    if (err instanceof LeaseHeldError) return refuse(`refused: ${err.message}`);
    throw err;
  }
  const startedAt = new Date().toISOString();
  let phase: ActionResult['phase'] = 'Succeeded';
  let message = `${req.action} of ${resource} done`;
  try {
    for (const step of steps) await applyStep(cluster, key, step);
  } catch (err) {
    phase = 'Failed';
    message = `${req.action} of ${resource} failed: ${err instanceof Error ? err.message : String(err)}`;
  }
  const record: OperationRecord = {
    id,
    app: app.name,
    kind: 'action',
    action: { name: req.action, resource, ...(req.params ? { params: req.params } : {}) },
    context: app.context,
    initiator: ctx.who,
    startedAt,
    finishedAt: new Date().toISOString(),
    phase,
    message: ctx.redact ? ctx.redact(app.name)(message) : message,
    tasks: { total: 0, succeeded: 0, failed: 0, skipped: 0, pruned: 0, hooks: 0, resources: [], omitted: 0 },
  };
  try {
    await new HistoryStore(cluster).put(record);
  } catch (err) {
    warnings.push(`operation history: ${err instanceof Error ? err.message : String(err)}`);
  } finally {
    await lease.release().catch(() => undefined);
  }
  await journal(phase, message, { operationId: id }).catch((err: Error) =>
    warnings.push(`audit journal: ${err.message}`),
  );
  ctx.emit({ type: 'operation', app: app.name, phase, message });
  ctx.changed(app.name);
  return { id, app: app.name, resource, action: req.action, phase, message, warnings };
}

/** Sends one change of an action to the cluster (status through its subresource where the kind has one). */
export async function applyStep(
  cluster: NonNullable<ReturnType<TriageContext['cluster']>>,
  key: ReturnType<typeof keyOf>,
  step: ActionStep,
): Promise<void> {
  if (step.op === 'delete') return cluster.delete(key, { propagationPolicy: 'Background' });
  if (step.op === 'create') {
    await cluster.create(step.object);
    return;
  }
  const type = step.patchType === 'strategic' ? PatchType.Strategic : PatchType.Merge;
  if (!step.subresource) {
    await patchObject(cluster, key, step.patch, { type });
    return;
  }
  try {
    await patchObject(cluster, key, step.patch, { type, subresource: step.subresource });
  } catch (err) {
    // A CRD without a status subresource takes status through the object itself.
    if (apiFailureOf(err)?.status !== 404) throw err;
    await patchObject(cluster, key, step.patch, { type });
  }
}
