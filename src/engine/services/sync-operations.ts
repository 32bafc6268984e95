import { randomBytes } from 'node:crypto';
import { appPolicyOf, syncWindowVerdictOf } from '../core/app-policy.js';
import type { EngineContext } from '../core/context.js';
import { customizationsFor } from '../core/customizations.js';
import { projectRefusalsOf } from '../core/project-check.js';
import { PolicyRefusal } from '../core/refusal.js';
import { holderIdentity, LeaseHeldError, runSyncOperation } from '../history/index.js';
import type { ClusterCache } from '../live/cluster-cache.js';
import { type KubeObject, keyOf, keyString } from '../model/resource-key.js';
import { MutatingAction, RefusalCode } from '../policy/index.js';
import {
  type PlanOptions,
  planSync,
  type SyncPlan,
  type SyncRun,
  toPlanTask,
  toPlanView,
} from '../sync/index.js';
import type { ClusterPort } from '../sync/port.js';
import type { OperationResult, SyncOptions, SyncPlanView } from '../types.js';
import type { Reconciler } from './reconciler.js';

/** Builds the plan of a sync from the engine's current state; refusals are inside the plan. */
export function buildPlan(
  core: EngineContext,
  name: string,
  opts: SyncOptions & { automated?: boolean } = {},
): SyncPlan {
  const rt = core.apps.get(name);
  if (!rt) throw new Error(`unknown application "${name}"`);
  const cache = rt.context ? core.caches.get(rt.context) : undefined;
  const live = new Map<string, KubeObject>();
  for (const c of rt.compares) if (c.live) live.set(keyString(c.key), c.live);
  const refusals: string[] = [];
  if (!rt.render?.ok)
    refusals.push(
      `the render failed, nothing is synced or pruned: ${rt.render && !rt.render.ok ? rt.render.error : 'not rendered'}`,
    );
  if (rt.errors.length) refusals.push(...rt.errors);
  if (rt.contextError) refusals.push(rt.contextError);
  if (!cache) refusals.push(`no cluster for ${name}`);
  else if (cache.status !== 'Connected')
    refusals.push(`cluster ${cache.context} is unreachable: ${cache.message ?? ''}`.trim());
  const _clusterCfg = core.config.clusters.find((c) => c.context === rt.context);
  const readOnly = appPolicyOf(core, rt).readOnly;
  if (readOnly && !opts.dryRun) refusals.push(readOnly.reason);
  if (!opts.dryRun) {
    const window = syncWindowVerdictOf(core, rt, { now: Date.now(), manual: !opts.automated });
    if (!window.allowed) refusals.push(window.reason);
  }
  const projectRefusals = projectRefusalsOf(core, rt);
  refusals.push(...projectRefusals.map((r) => `AppProject ${rt.spec.project} refuses ${r}`));
  const planOpts: PlanOptions = {
    ...opts,
    operationId: randomBytes(3).toString('hex'),
  };
  const plan = planSync({
    app: rt.spec,
    desired: rt.desired,
    live,
    resourceStates: rt.compares.map((c) => ({ key: c.key, version: c.version, sync: c.sync })),
    options: planOpts,
    ...(rt.lastGoodDesiredCount !== undefined ? { previousDesiredCount: rt.lastGoodDesiredCount } : {}),
    trackingAnnotation: core.tracking,
    ...(rt.context ? { context: rt.context } : {}),
    ...(rt.revision ? { revision: rt.revision } : {}),
    namespaced: (g, k) => cache?.cluster.discovery.find(g, k)?.namespaced,
  });
  plan.refusals.unshift(...refusals);
  return plan;
}

/** Sync operations: previews, runs and terminations; owns the set of syncs running in this process. */
export class SyncOperations {
  /** Apps with a sync in flight, with its stepper once it started (for terminate). */
  private readonly active = new Map<string, { run?: SyncRun }>();

  constructor(
    private readonly ctx: EngineContext,
    private readonly reconciler: Pick<Reconciler, 'predictions' | 'publish' | 'markDirty'>,
  ) {}

  /** Whether a sync of this app is running in this process. */
  isRunning(app: string): boolean {
    return this.active.has(app);
  }

  /** Publishes how many app sync leases this process holds (one per running sync). */
  private publishLeases(): void {
    const leases = this.active.size;
    this.ctx.store.update((s) => ({ ...s, automation: { ...s.automation, leases } }));
  }

  /** Previews a sync. */
  preview(name: string, opts: SyncOptions = {}): SyncPlanView {
    return toPlanView(buildPlan(this.ctx, name, opts));
  }

  /** Asks a running sync of this app to stop. */
  terminate(app: string, reason: string): void {
    this.active.get(app)?.run?.terminate(reason);
  }

  /** Asks every running sync to stop. */
  terminateAll(reason: string): void {
    for (const a of this.active.values()) a.run?.terminate(reason);
  }

  /** Runs a sync to completion, publishing task and operation events. One sync per app at a time. */
  async run(
    name: string,
    opts: SyncOptions & { automated?: boolean; reason?: string } = {},
  ): Promise<OperationResult> {
    const core = this.ctx;
    if (this.active.has(name))
      throw new PolicyRefusal(
        `a sync of ${name} is already running in this console`,
        RefusalCode.AlreadyRunning,
      );
    const rt = core.apps.get(name);
    const plan = buildPlan(core, name, opts);
    const id = `${Date.now().toString(36)}-${randomBytes(2).toString('hex')}`;
    const startedAt = new Date().toISOString();
    const policy = rt ? appPolicyOf(core, rt) : undefined;
    // Sync windows (AppProject): a dry run is never held; automation and manual syncs are, each by its rule.
    const window =
      rt && !opts.dryRun
        ? syncWindowVerdictOf(core, rt, { now: Date.now(), manual: !opts.automated })
        : undefined;
    if (window && !window.allowed)
      throw new PolicyRefusal(`refused to sync ${name}: ${window.reason}`, RefusalCode.SyncWindow);
    if (plan.refusals.length > 0) {
      // Read-only alone is its own reason; anything else the plan refuses is a plan refusal.
      const code =
        policy?.readOnly && !opts.dryRun && plan.refusals.length === 1
          ? policy.readOnly.code
          : RefusalCode.PlanRefused;
      throw new PolicyRefusal(`refused to sync ${name}: ${plan.refusals.join('; ')}`, code);
    }
    const needsConfirm = policy?.confirm.includes(MutatingAction.Sync) ?? false;
    if (needsConfirm && !opts.automated && !opts.dryRun && opts.confirm !== policy?.confirmName) {
      throw new PolicyRefusal(
        `refused: ${name} runs in production (${plan.context}); confirm by typing the app name`,
        RefusalCode.ConfirmationRequired,
      );
    }
    const cache = core.caches.get(plan.context);
    if (!cache || !rt) throw new Error(`no cluster for ${name}`);
    const previous = rt.operation;
    rt.operation = {
      id,
      kind: 'sync',
      phase: 'Running',
      initiator: core.who,
      startedAt,
      ...(plan.revision ? { revision: plan.revision } : {}),
    };
    this.active.set(name, {});
    this.publishLeases();
    this.reconciler.publish([name]);
    core.store.emit({
      type: 'log',
      level: 'info',
      app: name,
      message: `sync ${name} started by ${core.who}${opts.reason ? ` (${opts.reason})` : ''}`,
    });
    try {
      const result = await runSyncOperation({
        plan,
        port: this.preflightCachedPort(cache),
        initiator: core.who,
        holder: holderIdentity(),
        operationId: id,
        // Read at each message: a sync that applies a Secret makes its new live values known.
        redact: (text) => core.redactions.forApp(name).text(text),
        run: {
          concurrency: 16,
          ...(customizationsFor(core, plan.context)
            ? { customizations: customizationsFor(core, plan.context) }
            : {}),
          ...(core.opts.syncWaitTimeoutMs ? { waitTimeoutMs: core.opts.syncWaitTimeoutMs } : {}),
          onTask: (t) =>
            core.store.emit({
              type: 'task',
              app: name,
              key: t.key,
              status: t.status ?? 'Pending',
              ...(t.message ? { message: t.message } : {}),
            }),
          onPhase: (s) =>
            core.store.emit({ type: 'operation', app: name, phase: s.phase, message: s.message }),
        },
        onRun: (r) => this.active.set(name, { run: r }),
      });
      const state = result.state;
      for (const w of result.warnings) core.store.emit({ type: 'log', level: 'warn', app: name, message: w });
      const finishedAt = new Date().toISOString();
      rt.operation = { ...rt.operation, phase: state.phase, message: state.message, finishedAt };
      if (state.phase === 'Succeeded' && !opts.dryRun) rt.automation.lastSyncedRevision = plan.revision;
      core.store.emit({
        type: 'log',
        level: state.phase === 'Succeeded' ? 'info' : 'error',
        app: name,
        message: `sync ${name}: ${state.phase}: ${state.message}`,
      });
      return {
        id,
        phase: state.phase,
        message: state.message,
        tasks: state.tasks.map(toPlanTask),
        startedAt,
        finishedAt,
      };
    } catch (err) {
      // Another console holds the lease: this operation never started, the last one stays the last.
      if (err instanceof LeaseHeldError) {
        if (previous) rt.operation = previous;
        else delete rt.operation;
        throw new PolicyRefusal(err.message, RefusalCode.LeaseHeld, { cause: err });
      }
      rt.operation = {
        ...rt.operation,
        phase: 'Error',
        message: (err as Error).message,
        finishedAt: new Date().toISOString(),
      };
      throw err;
    } finally {
      this.active.delete(name);
      this.publishLeases();
      // Re-compare soon (watch events bring the applied objects; this covers a sync that changed nothing).
      this.reconciler.markDirty(name);
    }
  }

  /**
   * The cluster port for a sync: a dry-run apply of an object that the comparison already dry-ran
   * against the same live version is answered from that result (the server validated it then);
   * everything else goes to the cluster. What a forced apply returns is remembered as the answer to the
   * same apply against the object it produced (a re-sync or the next comparison sends no dry-run).
   */
  private preflightCachedPort(cache: ClusterCache): ClusterPort {
    const c = cache.cluster;
    return {
      context: c.context,
      apply: async (obj, o) => {
        if (o?.dryRun) {
          const live = cache.get(keyOf(obj));
          const hit = this.reconciler.predictions.cached(c.context, obj, live);
          if (hit) return hit;
          return c.apply(obj, o);
        }
        const result = await c.apply(obj, o);
        if (o?.force) this.reconciler.predictions.applied(c.context, obj, result);
        return result;
      },
      create: (obj, o) => c.create(obj, o),
      replace: (obj, o) => c.replace(obj, o),
      delete: (key, o) => c.delete(key, o),
      get: (key, v) => c.get(key, v),
      hasKind: (g, k) => c.hasKind(g, k),
    };
  }
}
