/**
 * Resource actions on apps Argo CD owns, done as Argo CD's API server does them (bosun runs no argocd-server):
 * read-only, the production confirmation and the AppProject rules (destination, kind allow/deny lists for every
 * object the action patches or creates) are checked before anything is written; the action patches the live
 * object in the destination cluster; then an Event with reason ResourceActionRan and the operator's identity is
 * recorded on the Application in Argo CD's namespace (and one on the resource), and the audit journal gets a
 * line. No bosun lease or history ConfigMap: Argo CD's record is the Event. When Argo CD will undo the change
 * (self-heal, or the next sync, where Git sets the field), the result carries a warning.
 */
import type { ActionInfo } from '../actions/builtin.js';
import {
  type ActionTarget,
  actionProjectRefusals,
  applicationActionEvent,
  argoRevertWarning,
  resourceActionEvent,
} from '../argocd/action-rules.js';
import type { ArgoApp } from '../argocd/source.js';
import type { EngineContext } from '../core/context.js';
import { customizationsFor, luaVmOf } from '../core/customizations.js';
import { appendJournal } from '../history/index.js';
import type { KubeCluster } from '../kube/cluster.js';
import { keyLabel, keyOf, keyString, type ResourceKey } from '../model/resource-key.js';
import { ActionRefusal, applyStep, type LuaActions, listActions, stepsFor } from '../triage/actions.js';
import type { ActionRequest, ActionResult } from '../triage/api.js';
import type { TriageContext } from '../triage/context.js';
import { appObjects, findObject } from '../triage/context.js';
import { triageContext } from '../triage/engine-adapter.js';
import { luaActionsOf } from '../triage/lua-actions.js';
import type { ArgoCdBackend } from './argocd-backend.js';

/** Who writes the Events (Argo CD's API server writes `argocd-server` here). */
const component = 'bosun';

const nanosNow = (): bigint => BigInt(Date.now()) * 1_000_000n + (process.hrtime.bigint() % 1_000_000n);

/** Resource actions for the apps of an Argo CD backend. */
export class ArgoCdActions {
  constructor(
    private readonly core: EngineContext,
    private readonly backend: ArgoCdBackend,
    private readonly changed: (app: string) => void,
  ) {}

  /** Whether Argo CD owns the app (then actions go through here). */
  owns(app: string): boolean {
    return this.backend.has(app);
  }

  private context(name: string): { argo: ArgoApp; context?: string; cluster?: KubeCluster } {
    const argo = this.backend.mustApp(name);
    const context = this.backend.stateOf(name).context;
    const cache = context ? this.core.caches.get(context) : undefined;
    return {
      argo,
      ...(context ? { context } : {}),
      ...(cache && cache.status === 'Connected' ? { cluster: cache.cluster } : {}),
    };
  }

  /** Argo CD's resources of the app with their live objects (bosun's watch, else a read), as triage sees them. */
  private async triage(name: string): Promise<TriageContext> {
    const { argo, context, cluster } = this.context(name);
    const cache = context ? this.core.caches.get(context) : undefined;
    const desired = new Map(
      (this.core.apps.get(name)?.compares ?? []).flatMap((c) =>
        c.desired ? [[keyString(c.key), c.desired] as const] : [],
      ),
    );
    const resources = await Promise.all(
      argo.status.resources.map(async (r) => {
        let live = cache?.get(r.key);
        if (!live && cluster && r.health?.status !== 'Missing')
          live = await cluster.get(r.key, apiVersionOf(r.key, r.version)).catch(() => undefined);
        const d = desired.get(keyString(r.key));
        return { key: r.key, ...(live ? { live } : {}), ...(d ? { desired: d } : {}) };
      }),
    );
    const base = triageContext(this.core, { changed: this.changed });
    return {
      ...base,
      app: () => ({
        name,
        ...(context ? { context } : {}),
        selfHeal: false,
        resources,
      }),
    };
  }

  /** Lua actions: Argo CD's own argocd-cm (where it runs) over the app cluster's and the directories. */
  private async lua(context: string | undefined): Promise<LuaActions | undefined> {
    const c =
      this.core.clusterCustomizations.get(this.backend.where.context) ??
      customizationsFor(this.core, context);
    if (!c?.layers.some((l) => l.actions.size > 0)) return undefined;
    return luaActionsOf(c, await luaVmOf(this.core));
  }

  /** The actions offered for one resource of the app (none when it is read-only). */
  async list(app: string, resource: string): Promise<ActionInfo[]> {
    const ctx = await this.triage(app);
    const lua = await this.lua(this.context(app).context);
    return listActions(ctx, { app, resource, ...(lua ? { lua } : {}) });
  }

  /** Runs an action as Argo CD's API does; refusals throw ActionRefusal (exit code 3) and write nothing. */
  async run(req: ActionRequest): Promise<ActionResult> {
    const { core } = this;
    const name = req.app;
    const state = this.backend.stateOf(name);
    const { argo, context, cluster } = this.context(name);
    const journal = (result: string, message: string) =>
      appendJournal(
        {
          identity: core.who,
          action: 'action',
          app: name,
          ...(context ? { context } : {}),
          result,
          message,
          details: {
            backend: 'argocd',
            action: req.action,
            resource: req.resource,
            ...(req.params ? { params: req.params } : {}),
          },
        },
        { redact: core.redactions.forApp(name).text },
      );
    const refuse = async (message: string): Promise<never> => {
      await journal('refused', message).catch(() => undefined);
      throw new ActionRefusal(message);
    };
    const policy = state.policy;
    if (policy.readOnly) return refuse(`refused: ${policy.readOnly.reason}; actions change the cluster`);
    if (policy.production && req.confirm !== name)
      return refuse(
        `refused: ${name} runs in production (${context ?? '-'}); confirm by typing the app name`,
      );
    const appRefusals = this.backend.src().refusals(argo.spec);
    if (appRefusals[0]) return refuse(`refused: ${appRefusals[0]}`);
    if (!cluster || !context)
      throw new Error(
        `the cluster of ${name} (${context ?? argo.spec.destination.name ?? argo.spec.destination.server ?? '-'}) is not connected; bosun runs actions through the kubeconfig`,
      );

    const ctx = await this.triage(name);
    const tapp = ctx.app(name);
    const obj = findObject(appObjects(ctx, tapp), req.resource, name);
    const steps = stepsFor(obj, req, await this.lua(context));
    const key = keyOf(obj);
    const targets: ActionTarget[] = [
      key,
      ...steps.flatMap((s) => (s.op === 'create' ? [keyOf(s.object)] : [])),
    ];
    // The app's cluster by server and by name, as Argo CD's cluster record has both.
    const server =
      argo.spec.destination.server ?? core.destinations?.contexts.find((c) => c.name === context)?.server;
    const refusals = actionProjectRefusals({
      project: this.backend.src().project(argo.spec.project),
      app: argo.spec,
      targets,
      destination: { ...(server ? { server } : {}), name: argo.spec.destination.name ?? context },
    });
    if (refusals[0]) return refuse(`refused: ${refusals[0]}`);

    const resource = keyLabel(key);
    const warnings: string[] = [];
    const desired = tapp.resources.find((r) => keyString(r.key) === keyString(key))?.desired;
    const warn = argoRevertWarning({
      app: argo.spec,
      action: req.action,
      target: `${obj.kind}/${obj.metadata.name}`,
      ...(desired ? { desired } : {}),
      patches: steps.flatMap((s) => (s.op === 'patch' && !s.subresource ? [s.patch] : [])),
    });
    if (warn) warnings.push(warn);

    const startedAt = new Date();
    let phase: ActionResult['phase'] = 'Succeeded';
    let message = `${req.action} of ${resource} done (${name} is Argo CD's: recorded on its Application)`;
    try {
      // As Argo CD: objects the action creates are dry-run first, so a refusal leaves nothing half done.
      for (const s of steps) if (s.op === 'create') await cluster.create(s.object, { dryRun: true });
      for (const s of steps) await applyStep(cluster, key, s);
    } catch (err) {
      phase = 'Failed';
      message = `${req.action} of ${resource} failed: ${err instanceof Error ? err.message : String(err)}`;
    }
    let id = `argocd-action:${name}:${startedAt.toISOString()}`;
    if (phase === 'Succeeded') {
      const nanos = nanosNow();
      const event = applicationActionEvent({
        app: {
          name,
          namespace: this.backend.where.namespace,
          ...(argo.object.metadata.uid ? { uid: argo.object.metadata.uid } : {}),
          ...(argo.object.metadata.resourceVersion
            ? { resourceVersion: argo.object.metadata.resourceVersion }
            : {}),
          destination: argo.spec.destination,
        },
        user: core.who,
        action: req.action,
        target: key,
        now: startedAt,
        nanos,
        component,
      });
      id = `${this.backend.where.namespace}/${event.metadata.name}`;
      await this.backend
        .argoCluster()
        .create(event)
        .catch((err: Error) =>
          warnings.push(`the Event on Application ${name} could not be recorded: ${err.message}`),
        );
      if (key.namespace)
        await cluster
          .create(
            resourceActionEvent({
              obj,
              user: core.who,
              action: req.action,
              now: startedAt,
              nanos,
              component,
            }),
          )
          .catch((err: Error) =>
            warnings.push(`the Event on ${resource} could not be recorded: ${err.message}`),
          );
    }
    await journal(phase, message).catch((err: Error) => warnings.push(`audit journal: ${err.message}`));
    core.store.emit({
      type: 'log',
      level: phase === 'Succeeded' ? 'info' : 'error',
      app: name,
      message: `${message} by ${core.who}`,
    });
    this.changed(name);
    return { id, app: name, resource, action: req.action, phase, message, warnings };
  }
}

function apiVersionOf(key: ResourceKey, version: string): string | undefined {
  if (!version) return undefined;
  return key.group ? `${key.group}/${version}` : version;
}
