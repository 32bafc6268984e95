import { environmentOrder, resolveEnvironment, resolveService } from '../apps/environment.js';
import {
  type ArgoWhere,
  argoAppState,
  argoDeployedRevision,
  argoDeployments,
  argoExplain,
  argoOperationTasks,
  argoPlanTasks,
} from '../argocd/app-view.js';
import { followOperation } from '../argocd/follow.js';
import { type ArgoApp, ArgoCdRefusal, ArgoCdSource } from '../argocd/source.js';
import { appPolicyOf } from '../core/app-policy.js';
import type { EngineContext } from '../core/context.js';
import { resolveDestination } from '../core/destinations.js';
import { PolicyRefusal } from '../core/refusal.js';
import type { KubeCluster } from '../kube/cluster.js';
import type { AppSpec, AppState } from '../model/app.js';
import { keyString, type ResourceKey } from '../model/resource-key.js';
import { environmentIsProduction, MutatingAction, RefusalCode } from '../policy/index.js';
import type {
  EngineSnapshot,
  HistoryEntry,
  OperationResult,
  ResourceNode,
  SyncOptions,
  SyncPlanView,
} from '../types.js';
import { historyOf, liveNodeOf } from './inspect.js';

/** The parts of the snapshot the reconciler publishes, which the backend reshapes. */
export type PublishedParts = Pick<EngineSnapshot, 'apps' | 'clusters' | 'environments'> &
  Partial<Pick<EngineSnapshot, 'appSets'>>;

const defaultWaitMs = 10 * 60_000;

/**
 * An existing Argo CD as the engine's backend: its Application CRs (watched, never polled) are the app list,
 * sync and health, resource tree, history and operations; a sync sets `operation.sync` on the CR after the
 * engine's policy (read-only, production confirmation, AppProject) allowed it. bosun's own render, live
 * watch and diff keep running beside it; its automation never does.
 */
export class ArgoCdBackend {
  private source?: ArgoCdSource;
  private cluster?: KubeCluster;
  private readonly waiters = new Set<() => void>();
  private readonly changedApps = new Set<string>();
  private timer?: NodeJS.Timeout;
  /** Argo CD apps the repository does not have, with their resolved spec, reused while unchanged. */
  private readonly specs = new WeakMap<ArgoApp, { spec: AppSpec; context?: string }>();
  where: ArgoWhere = { context: '', namespace: '' };

  constructor(
    private readonly ctx: EngineContext,
    /** Publishes the snapshot again (the reconciler's publish, which calls `view`). */
    private readonly publish: (changed: string[]) => void,
  ) {}

  /** Connects to the cluster Argo CD runs in and lists its CRs; throws a one-line error when it cannot. */
  async start(): Promise<void> {
    const { ctx } = this;
    const b = ctx.config.backend;
    const { contexts, current } = ctx.adapters.kube.loadContexts(
      ctx.opts.kubeconfig ? { kubeconfig: ctx.opts.kubeconfig } : {},
    );
    const name = b.context ?? current;
    if (!name)
      throw new ArgoCdRefusal('backend argocd: no kubeconfig context; set backend.context in bosun.yaml');
    const info = contexts.find((c) => c.name === name);
    if (!info) throw new ArgoCdRefusal(`backend.context ${name} is not a context of the kubeconfig`);
    this.where = { context: name, namespace: b.namespace };
    this.cluster = ctx.adapters.kube.connect(info);
    this.source = new ArgoCdSource({
      cluster: this.cluster,
      namespace: b.namespace,
      onChange: (app) => this.changed(app),
      onError: (err) =>
        ctx.store.emit({ type: 'log', level: 'warn', message: `Argo CD watch: ${(err as Error).message}` }),
    });
    try {
      await this.source.start();
    } catch (err) {
      this.stop();
      if (err instanceof ArgoCdRefusal) throw err;
      throw new Error(`cannot reach Argo CD in ${name}/${b.namespace}: ${(err as Error).message}`, {
        cause: err,
      });
    }
  }

  /** Stops the watches. */
  stop(): void {
    if (this.timer) clearTimeout(this.timer);
    this.source?.stop();
    this.cluster?.close();
    for (const w of this.waiters) w();
  }

  private changed(app?: string): void {
    if (app) this.changedApps.add(app);
    for (const w of [...this.waiters]) w();
    if (this.timer || this.ctx.stopped) return;
    // Bursts of status updates (1,000 apps reconciling) become one snapshot.
    this.timer = setTimeout(() => {
      this.timer = undefined;
      const names = [...this.changedApps];
      this.changedApps.clear();
      this.publish(names);
    }, 30);
    this.timer.unref?.();
  }

  /** The watched CRs (throws before start). */
  src(): ArgoCdSource {
    if (!this.source) throw new Error('the Argo CD backend is not started');
    return this.source;
  }

  /** The cluster Argo CD runs in (throws before start). */
  argoCluster(): KubeCluster {
    if (!this.cluster) throw new Error('the Argo CD backend is not started');
    return this.cluster;
  }

  /** The backend's part of the snapshot. */
  state(): NonNullable<EngineSnapshot['backend']> {
    return {
      type: 'argocd',
      context: this.where.context,
      namespace: this.where.namespace,
      applications: this.source?.apps().length ?? 0,
    };
  }

  /** Spec and context of an Argo CD app: environment and service from discovery when the repo has it. */
  private specOf(argo: ArgoApp, base: AppState | undefined): { spec: AppSpec; context?: string } {
    if (base)
      return {
        spec: {
          ...argo.spec,
          environment: base.spec.environment,
          service: base.spec.service,
          // Which ApplicationSet generated it is Argo CD's to say.
          origin: { ...base.spec.origin, ...argo.spec.origin },
        } as AppSpec,
        ...(base.context ? { context: base.context } : {}),
      };
    const hit = this.specs.get(argo);
    if (hit) return hit;
    const environment = resolveEnvironment(argo.spec, { config: this.ctx.config });
    const spec: AppSpec = {
      ...argo.spec,
      ...(environment ? { environment } : {}),
      service: resolveService(argo.spec, environment),
    };
    const d = this.ctx.destinations ? resolveDestination(spec.destination, this.ctx.destinations) : undefined;
    const out = { spec, ...(d && 'context' in d ? { context: d.context } : {}) };
    this.specs.set(argo, out);
    return out;
  }

  /** Argo CD's view of the apps: its Applications, with bosun's environment and service where known. */
  view(parts: PublishedParts): PublishedParts {
    if (!this.source) return parts;
    const byName = new Map(parts.apps.map((a) => [a.name, a]));
    const apps = this.source.apps().map((argo) => {
      const base = byName.get(argo.spec.name);
      const { spec, context } = this.specOf(argo, base);
      const policy = base?.policy ?? appPolicyOf(this.ctx, { spec, ...(context ? { context } : {}) });
      const cache = context ? this.ctx.caches.get(context) : undefined;
      // bosun's own live watch of the destination follows the kinds Argo CD deploys there.
      cache?.ensureKinds(argo.status.resources.map((r) => ({ group: r.key.group, kind: r.key.kind })));
      return argoAppState({ argo, ...(base ? { base } : {}), spec, ...(context ? { context } : {}), policy });
    });
    const envs = environmentOrder(
      this.ctx.config,
      apps.map((a) => a.spec.environment).filter((e): e is string => !!e),
    );
    const order = envs;
    apps.sort(
      (a, b) =>
        a.spec.service.localeCompare(b.spec.service) ||
        order.indexOf(a.spec.environment ?? '') - order.indexOf(b.spec.environment ?? '') ||
        a.name.localeCompare(b.name),
    );
    const environments = envs.map(
      (name) =>
        parts.environments.find((e) => e.name === name) ?? {
          name,
          production: environmentIsProduction(name, this.ctx.config.environments),
          requireReview: this.ctx.config.environments.find((e) => e.name === name)?.requireReview ?? false,
        },
    );
    const clusters = parts.clusters.map((c) => ({
      ...c,
      apps: apps.filter((a) => a.context === c.context).length,
    }));
    return { apps, clusters, environments, appSets: this.source.applicationSetStates() };
  }

  /** The Argo CD app (throws a one-line Error when Argo CD has none of that name). */
  mustApp(name: string): ArgoApp {
    const a = this.src().app(name);
    if (!a)
      throw new Error(
        `unknown application "${name}" in Argo CD (${this.where.context}/${this.where.namespace})`,
      );
    return a;
  }

  /** The app as published (Argo CD's view with bosun's environment and policy). */
  stateOf(name: string): AppState {
    const a = this.ctx.store.getSnapshot().apps.find((x) => x.name === name);
    if (a) return a;
    const argo = this.mustApp(name);
    return this.view({ apps: [], clusters: [], environments: [] }).apps.find(
      (x) => x.name === argo.spec.name,
    )!;
  }

  /** Whether the app is one of Argo CD's. */
  has(name: string): boolean {
    return this.source?.app(name) !== undefined;
  }

  private refusals(name: string, opts: SyncOptions): string[] {
    const argo = this.mustApp(name);
    const policy = this.stateOf(name).policy;
    const out: string[] = [];
    if (policy.readOnly) out.push(`${policy.readOnly.reason}; nothing is written to Argo CD`);
    out.push(...this.src().refusals(argo.spec));
    const op = argo.status.operation;
    if (argo.status.operationPending || op?.phase === 'Running')
      out.push(`an operation is running on ${name} in Argo CD; wait for it or terminate it`);
    if (opts.resources?.length) {
      const known = new Set(argo.status.resources.map((r) => keyString(r.key)));
      const unknown = opts.resources.find((k) => !known.has(keyString(k)));
      if (unknown) out.push(`${unknown.kind}/${unknown.name} is not a resource of ${name} in Argo CD`);
    }
    return out;
  }

  /** The sync Argo CD would run, from its resource list; refusals are inside the plan. */
  planSync(name: string, opts: SyncOptions): SyncPlanView {
    const argo = this.mustApp(name);
    const state = this.stateOf(name);
    const target = argo.spec.sources[0]?.targetRevision ?? 'HEAD';
    return {
      app: name,
      context: state.context ?? argo.spec.destination.name ?? argo.spec.destination.server ?? '-',
      revision: argo.status.revision ?? target,
      tasks: argoPlanTasks(argo, opts),
      refusals: this.refusals(name, opts),
      warnings: [`Argo CD (${this.where.context}/${this.where.namespace}) runs this sync as ${this.ctx.who}`],
      options: opts,
    };
  }

  /** Sets `operation.sync` on the Application and follows Argo CD's operation until it ends. */
  async sync(name: string, opts: SyncOptions = {}): Promise<OperationResult> {
    const { ctx } = this;
    const policy = this.stateOf(name).policy;
    if (policy.readOnly)
      throw new PolicyRefusal(`refused to sync ${name}: ${policy.readOnly.reason}`, policy.readOnly.code);
    const refused = this.refusals(name, opts);
    if (refused.length)
      throw new PolicyRefusal(`refused to sync ${name}: ${refused.join('; ')}`, RefusalCode.PlanRefused);
    if (policy.confirm.includes(MutatingAction.Sync) && !opts.dryRun && opts.confirm !== policy.confirmName)
      throw new PolicyRefusal(
        `refused: ${name} runs in production; confirm by typing the app name`,
        RefusalCode.ConfirmationRequired,
      );
    const before = this.mustApp(name).status.operation?.startedAt;
    try {
      await this.src().sync(name, {
        initiator: ctx.who,
        ...(opts.prune ? { prune: true } : {}),
        ...(opts.dryRun ? { dryRun: true } : {}),
        ...(opts.resources?.length ? { resources: opts.resources } : {}),
      });
    } catch (err) {
      if (err instanceof ArgoCdRefusal)
        throw new PolicyRefusal(`refused to sync ${name}: ${err.message}`, RefusalCode.PlanRefused, {
          cause: err,
        });
      throw new Error(`cannot request the sync of ${name} from Argo CD: ${(err as Error).message}`, {
        cause: err,
      });
    }
    ctx.store.emit({
      type: 'log',
      level: 'info',
      app: name,
      message: `sync ${name} requested from Argo CD by ${ctx.who}`,
    });
    ctx.store.emit({ type: 'operation', app: name, phase: 'Running', message: 'requested from Argo CD' });
    const done = await this.waitOperation(name, before, opts);
    const op = done.status.operation;
    const waves = new Map(done.status.resources.map((r) => [keyString(r.key), r.wave ?? 0]));
    const phase = op?.phase ?? 'Error';
    const message = op?.message ?? '';
    ctx.store.emit({
      type: 'log',
      level: phase === 'Succeeded' ? 'info' : 'error',
      app: name,
      message: `sync ${name} in Argo CD: ${phase}: ${message}`,
    });
    return {
      id: op?.id ?? `argocd:${name}`,
      phase,
      message,
      tasks: argoOperationTasks(done.object, waves),
      startedAt: op?.startedAt ?? '',
      ...(op?.finishedAt ? { finishedAt: op.finishedAt } : {}),
    };
  }

  /** Waits (fed by the watch) until Argo CD ends the operation started after `before`, emitting its progress. */
  private waitOperation(name: string, before: string | undefined, opts: SyncOptions): Promise<ArgoApp> {
    return followOperation({
      name,
      ...(before ? { before } : {}),
      current: () => (this.ctx.stopped ? undefined : this.source?.app(name)),
      subscribe: (fn) => {
        this.waiters.add(fn);
        return () => this.waiters.delete(fn);
      },
      limitMs: this.ctx.opts.syncWaitTimeoutMs ?? defaultWaitMs,
      dryRun: opts.dryRun ?? false,
      onTask: (t) =>
        this.ctx.store.emit({
          type: 'task',
          app: name,
          key: t.key,
          status: t.status ?? 'Running',
          ...(t.message ? { message: t.message } : {}),
        }),
    });
  }

  /** Asks Argo CD to terminate the running operation (read-only and AppProject checked first). */
  async terminate(name: string): Promise<void> {
    const policy = this.stateOf(name).policy;
    if (policy.readOnly)
      throw new PolicyRefusal(
        `refused to terminate ${name}: ${policy.readOnly.reason}`,
        policy.readOnly.code,
      );
    await this.src().terminate(name);
  }

  /** Sets Argo CD's refresh annotation on the named apps it has (unknown names are skipped). */
  async refresh(names: string[], opts: { hard?: boolean } = {}): Promise<string[]> {
    const done: string[] = [];
    for (const n of new Set(names)) {
      if (!this.has(n)) continue;
      await this.src().refresh(n, { hard: opts.hard ?? false });
      done.push(n);
    }
    return done;
  }

  /** Argo CD's resources of an app, with their live children from bosun's own watch when it reaches them. */
  tree(name: string): ResourceNode[] {
    const argo = this.mustApp(name);
    const context = this.stateOf(name).context;
    const cache = context ? this.ctx.caches.get(context) : undefined;
    return argo.status.resources.map((r) => {
      const live = cache?.get(r.key);
      const node = live ? liveNodeOf(this.ctx, live, 0, cache, context) : { key: r.key, children: [] };
      const health = r.health ?? node.health;
      return { ...node, version: r.version, sync: r.sync, ...(health ? { health } : {}) };
    });
  }

  /** Why an app (or one resource) is out of sync or unhealthy, as Argo CD reports it. */
  explain(name: string, resource?: ResourceKey): string[] {
    return argoExplain(this.mustApp(name), this.where, resource);
  }

  /** The app's git history; which commit runs where and who deployed it come from Argo CD's history. */
  history(name: string, opts: { limit?: number } = {}): Promise<HistoryEntry[]> {
    const argo = this.mustApp(name);
    if (!this.ctx.apps.has(name))
      throw new Error(
        `${name} is in Argo CD but not in the repository bosun reads; its git history is unknown here`,
      );
    return historyOf(this.ctx, name, {
      ...opts,
      deployments: argoDeployments(argo),
      deployedRevision: (app) => argoDeployedRevision(this.source?.app(app)),
    });
  }
}
