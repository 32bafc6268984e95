import { argoOnlyDiffs } from '../argocd/app-view.js';
import { EngineContext } from '../core/context.js';
import type { EngineAdapters, EngineOptions } from '../core/options.js';
import { redactError } from '../core/redaction.js';
import type { ResourceKey } from '../model/resource-key.js';
import type { AppSetPreviewResult, EnvComparison } from '../offline/index.js';
import { ArgoCdActions } from '../services/argocd-actions.js';
import { ArgoCdBackend } from '../services/argocd-backend.js';
import { detectArgoCd } from '../services/argocd-detect.js';
import { Automation } from '../services/automation.js';
import { GitChanges } from '../services/git-changes.js';
import { diffApp, explainApp, historyOf, runtime, treeOf } from '../services/inspect.js';
import { Notifications } from '../services/notifications.js';
import { compareForEngine, liveApps, previewForEngine } from '../services/offline-views.js';
import { Reconciler } from '../services/reconciler.js';
import { planSyncMany, syncMany } from '../services/sync-many.js';
import { SyncOperations } from '../services/sync-operations.js';
import { SyncPrep } from '../services/sync-prep.js';
import type { TriageApi } from '../triage/api.js';
import { triageApi } from '../triage/engine-adapter.js';
import type {
  BosunEngine,
  EngineEvent,
  EngineSnapshot,
  GitChangePlan,
  GitChangeResult,
  HistoryEntry,
  OperationResult,
  ResourceDiff,
  ResourceNode,
  SyncManyItem,
  SyncManyOptions,
  SyncManyPlan,
  SyncOptions,
  SyncPlanView,
} from '../types.js';

/**
 * The engine behind one facade. Every text that leaves it passes one redaction step that knows the app's
 * Secret values, desired and live: snapshots, events, results and errors of every method.
 * composed of services that own their state: the reconciler
 * (config, repository, caches, comparison), sync operations, git changes and, when enabled, automation.
 */
class Engine implements BosunEngine {
  private readonly ctx: EngineContext;
  private readonly reconciler: Reconciler;
  private readonly syncs: SyncOperations;
  private readonly gitChanges: GitChanges;
  private readonly automation?: Automation;
  private readonly notifications?: Notifications;
  private readonly triage: TriageApi;
  /** Long-running engines: dry-runs what a sync would create, ahead of the sync. */
  private readonly prep?: SyncPrep;
  /** Set when bosun.yaml selects `backend: argocd` and Argo CD answered. */
  private argo?: ArgoCdBackend;
  /** Resource actions on the apps Argo CD owns (with the Argo CD backend). */
  private argoActions?: ArgoCdActions;
  /** The last snapshot handed out, and its redacted form. */
  private shown?: { raw: EngineSnapshot; redacted: EngineSnapshot };

  constructor(opts: EngineOptions, adapters: EngineAdapters) {
    this.ctx = new EngineContext(opts, adapters);
    this.reconciler = new Reconciler(this.ctx, (app) => this.syncs.isRunning(app));
    this.syncs = new SyncOperations(this.ctx, this.reconciler);
    this.gitChanges = new GitChanges(this.ctx, this.reconciler);
    if (opts.automation) this.automation = new Automation(this.ctx, this.syncs, this.reconciler);
    // Notifications are sent by processes that automate (watch, a console): the ones that see events live.
    if (opts.automation && adapters.webhook)
      this.notifications = new Notifications(this.ctx, adapters.webhook);
    this.triage = triageApi(this.ctx, {
      changed: (app) => this.reconciler.markDirty(app),
      // Apps in Argo CD that the repository does not hold: logs, events and YAML from their live objects.
      externalApp: (name) => (this.argo?.has(name) ? this.argo.stateOf(name) : undefined),
    });
    this.reconciler.backendStart = () => this.startBackend();
    if (opts.prepareSyncs && !opts.readOnly) {
      const prep = new SyncPrep(this.ctx, this.reconciler.predictions);
      this.prep = prep;
      this.reconciler.onAppCompared = (app) => prep.enqueue(app);
      this.reconciler.onStarted = () => prep.openSoon();
    }
  }

  /** Connects the backend bosun.yaml selects; with Argo CD, the published view becomes Argo CD's. */
  private async startBackend(): Promise<void> {
    const { ctx } = this;
    if (ctx.config.backend.type !== 'argocd') {
      ctx.store.update((s) => ({ ...s, backend: { type: 'embedded' } }));
      return;
    }
    const b = new ArgoCdBackend(ctx, (names) => this.reconciler.publish(names));
    await b.start();
    this.argo = b;
    this.argoActions = new ArgoCdActions(ctx, b, (app) => this.reconciler.markDirty(app));
    this.reconciler.view = (parts) => b.view(parts);
    this.gitChanges.onPushed = async (apps) => {
      const done = await b.refresh(apps);
      if (done.length)
        ctx.store.emit({
          type: 'log',
          level: 'info',
          message: `refresh requested from Argo CD: ${done.join(', ')}`,
        });
    };
    ctx.store.update((s) => ({ ...s, backend: b.state() }));
  }

  async start(): Promise<void> {
    await this.reconciler.start();
    if (!this.argo) {
      const detected = await detectArgoCd(this.ctx).catch(() => undefined);
      if (detected) {
        this.ctx.store.update((s) => ({ ...s, backend: detected }));
        this.ctx.store.flush();
      }
    }
    // bosun.yaml can switch automation off for every console and watch loop (published by the reconciler).
    if (this.automation && this.ctx.store.getSnapshot().automation.enabled) {
      this.notifications?.start();
      this.automation.start();
    }
  }

  subscribe(listener: () => void): () => void {
    return this.ctx.store.subscribe(listener);
  }

  settled(): Promise<void> {
    return this.prep?.settled() ?? Promise.resolve();
  }

  getSnapshot(): EngineSnapshot {
    const raw = this.ctx.store.getSnapshot();
    if (this.shown?.raw === raw) return this.shown.redacted;
    const r = this.ctx.redactions;
    const all = r.all();
    const redacted: EngineSnapshot =
      all.forms.length === 0
        ? raw
        : {
            ...all.deep({ ...raw, apps: [] }),
            apps: raw.apps.map((a) => r.forApp(a.name).deep(a)),
            version: raw.version,
          };
    this.shown = { raw, redacted };
    return redacted;
  }

  onEvent(listener: (e: EngineEvent) => void): () => void {
    return this.ctx.store.onEvent((e) => {
      const app = 'app' in e ? e.app : undefined;
      listener(this.ctx.redactions.forApp(app).deep(e));
    });
  }

  /** The result of `fn` with the app's Secret values redacted, or its error so redacted. */
  private async shown$<T>(app: string | undefined, fn: () => Promise<T>): Promise<T> {
    try {
      return this.ctx.redactions.forApp(app).deep(await fn());
    } catch (err) {
      throw redactError(err, this.ctx.redactions.forApp(app));
    }
  }

  /** The synchronous form of {@link shown$}. */
  private shown_<T>(app: string | undefined, fn: () => T): T {
    try {
      return this.ctx.redactions.forApp(app).deep(fn());
    } catch (err) {
      throw redactError(err, this.ctx.redactions.forApp(app));
    }
  }

  async stop(): Promise<void> {
    this.automation?.stop();
    this.notifications?.stop();
    this.syncs.terminateAll('bosun is stopping');
    this.argo?.stop();
    await this.reconciler.stop();
  }

  refresh(opts: { app?: string; fetch?: boolean; hard?: boolean } = {}): Promise<void> {
    return this.shown$(opts.app, async () => {
      const { hard, ...own } = opts;
      // Argo CD first: its controller works while bosun fetches and compares.
      if (this.argo && opts.app) await this.argo.refresh([opts.app], { hard: hard ?? false });
      await this.reconciler.refresh(own);
    });
  }

  diff(app: string): Promise<ResourceDiff[]> {
    return this.shown$(app, () => {
      const argo = this.argo;
      // An app only Argo CD has: its comparison, as Argo CD reports it (bosun cannot render it).
      if (argo && !this.ctx.apps.has(app) && argo.has(app))
        return Promise.resolve(argoOnlyDiffs(argo.mustApp(app), argo.where));
      return diffApp(this.ctx, app);
    });
  }

  tree(app: string): ResourceNode[] {
    return this.shown_(app, () => (this.argo ? this.argo.tree(app) : treeOf(this.ctx, app)));
  }

  explain(app: string, resource?: ResourceKey): string[] {
    return this.shown_(app, () =>
      this.argo ? this.argo.explain(app, resource) : explainApp(this.ctx, app, resource),
    );
  }

  async planSync(app: string, opts: SyncOptions = {}): Promise<SyncPlanView> {
    const argo = this.argo;
    if (argo) return this.shown_(app, () => argo.planSync(app, opts));
    return this.shown_(app, () => {
      runtime(this.ctx, app);
      return this.syncs.preview(app, opts);
    });
  }

  sync(app: string, opts: SyncOptions = {}): Promise<OperationResult> {
    const argo = this.argo;
    return this.shown$(app, () => (argo ? argo.sync(app, opts) : this.syncs.run(app, opts)));
  }

  planSyncMany(apps: string[], opts: SyncManyOptions = {}): Promise<SyncManyPlan> {
    // Each app's plan is redacted by planSync; the batch's own text names only apps.
    return planSyncMany(this, apps, opts);
  }

  syncMany(apps: string[], opts: SyncManyOptions = {}): Promise<SyncManyItem[]> {
    // Each app goes through sync (its backend, its redaction); the batch adds the bound and the policy.
    return syncMany(this, apps, opts);
  }

  terminate(app: string): void {
    if (this.argo) {
      this.argo.terminate(app).catch((err: Error) =>
        this.ctx.store.emit({
          type: 'log',
          level: 'error',
          app,
          message: `terminate ${app}: ${err.message}`,
        }),
      );
      return;
    }
    this.syncs.terminate(app, 'terminated by the operator');
  }

  history(app: string, opts: { limit?: number } = {}): Promise<HistoryEntry[]> {
    const argo = this.argo;
    return this.shown$(app, () => (argo ? argo.history(app, opts) : historyOf(this.ctx, app, opts)));
  }

  planPromote(opts: { service: string; from: string; to: string }): Promise<GitChangePlan> {
    // A promotion spans the service's apps: every app's values are redacted.
    return this.shown$(undefined, () => this.gitChanges.planPromote(opts));
  }

  planRevert(opts: { app: string; commit: string }): Promise<GitChangePlan> {
    return this.shown$(opts.app, () => this.gitChanges.planRevert(opts));
  }

  applyGitChange(plan: GitChangePlan, opts: { confirm?: string } = {}): Promise<GitChangeResult> {
    return this.shown$(undefined, () => this.gitChanges.apply(plan, opts));
  }

  compare(opts: { service: string; envA: string; envB: string; revision?: string }): Promise<EnvComparison> {
    // Secret values never reach the comparison (masked by it); the whole text is redacted once more.
    return this.shown$(undefined, () => compareForEngine(this.ctx, opts));
  }

  previewAppSets(opts: { name?: string; revision?: string } = {}): Promise<AppSetPreviewResult> {
    const argo = this.argo;
    return this.shown$(undefined, () =>
      previewForEngine(this.ctx, opts, (names) =>
        argo
          ? {
              compared: true,
              apps: names.filter((n) => argo.has(n)).map((name) => ({ name, contexts: [], objects: 0 })),
              unreachable: [],
            }
          : liveApps(this.ctx),
      ),
    );
  }

  logs: TriageApi['logs'] = (app, opts) => this.shown_(app, () => this.triage.logs(app, opts));
  events: TriageApi['events'] = (app, opts) => this.shown$(app, () => this.triage.events(app, opts));
  resourceYaml: TriageApi['resourceYaml'] = (app, resource, opts) =>
    this.shown$(app, () => this.triage.resourceYaml(app, resource, opts));
  actions: TriageApi['actions'] = (app, resource) =>
    this.shown$(app, () => {
      const a = this.argoActions;
      return a?.owns(app) ? a.list(app, resource) : this.triage.actions(app, resource);
    });
  runAction: TriageApi['runAction'] = (req) =>
    this.shown$(req.app, () => {
      const a = this.argoActions;
      return a?.owns(req.app) ? a.run(req) : this.triage.runAction(req);
    });
  why: TriageApi['why'] = (app) => this.shown$(app, () => this.triage.why(app));
}

/** Creates the engine (not started) with the adapters the composition root chose. */
export function createEngine(opts: EngineOptions, adapters: EngineAdapters): BosunEngine {
  return new Engine(opts, adapters);
}
