import { createHash } from 'node:crypto';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { type BosunConfig, loadConfig } from '../config/index.js';
import { loadHistories } from './app-history.js';
import type { AppRuntime } from './app-runtime.js';
import { discoverApps } from './apps/discover.js';
import { environmentOrder } from './apps/environment.js';
import { checkProject } from './apps/project.js';
import { compareApp, type Predictor, prepareDesired } from './compare-app.js';
import { type DestinationIndex, resolveDestination } from './destinations.js';
import { GitRepo } from './git/index.js';
import { identity } from './history/index.js';
import { KubeCluster } from './kube/cluster.js';
import { loadContexts } from './kube/kubeconfig.js';
import { ClusterCache } from './live/cluster-cache.js';
import type { AppProject } from './model/app.js';
import { type KubeObject, keyString, splitApiVersion } from './model/resource-key.js';
import { RenderCache } from './render/index.js';
import { snapshotParts } from './snapshot-parts.js';
import { EngineStore } from './store.js';
import { ClusterStatus, type EngineSnapshot } from './types.js';

/** Options of createEngine. */
export type EngineOptions = {
  repoPath: string;
  configPath?: string;
  kubeconfig?: string;
  contexts?: string[];
  readOnly?: boolean;
  /** Run auto-sync and self-heal (TUI and watch). */
  automation?: boolean;
  /** Cache directory (default ~/.cache/bosun). */
  cacheDir?: string;
  /** Fetch origin at start (default true). */
  fetch?: boolean;
  /** With automation: how often to fetch origin and look for new commits (default 15 s). */
  pollIntervalMs?: number;
  /** How long a sync waits for a wave to get healthy or a hook to complete (default 5 min). */
  syncWaitTimeoutMs?: number;
};

/** Shared state and helpers of the engine, split across files by concern. */
export class EngineCore {
  readonly store: EngineStore;
  config!: BosunConfig;
  repo!: GitRepo;
  readonly renderCache: RenderCache;
  readonly apps = new Map<string, AppRuntime>();
  projects: AppProject[] = [];
  readonly caches = new Map<string, ClusterCache>();
  readonly cacheDir: string;
  readonly who = identity();
  head?: string;
  snapshotDir?: string;
  private predictions = new Map<string, KubeObject>();
  private dirty = new Set<string>();
  private compareTimer?: NodeJS.Timeout;
  private comparing?: Promise<void>;
  stopped = false;
  /** Apps with a sync in flight: their comparison waits until it ends (objects are in flux). */
  readonly syncing = new Set<string>();

  constructor(readonly opts: EngineOptions) {
    this.cacheDir = opts.cacheDir ?? join(process.env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), 'bosun');
    this.renderCache = new RenderCache({ cacheDir: this.cacheDir });
    this.store = new EngineStore({
      version: 0,
      repo: { path: opts.repoPath, name: opts.repoPath.split('/').pop() ?? 'repo', branch: 'main' },
      clusters: [],
      apps: [],
      appSets: [],
      environments: [],
      errors: [],
      loading: true,
      readOnly: opts.readOnly ?? false,
      identity: this.who,
    });
  }

  /** The tracking annotation key in use. */
  get tracking(): string {
    return this.config.tracking.annotation;
  }

  private t0 = Date.now();

  /** Start-up phase timings on stderr when BOSUN_DEBUG_TIMING is set (the engine never writes stdout). */
  private mark(phase: string): void {
    if (process.env.BOSUN_DEBUG_TIMING)
      process.stderr.write(`[bosun timing] ${phase}: ${Date.now() - this.t0} ms\n`);
  }

  /** Loads config and the repository, discovers apps, connects clusters and compares everything. */
  async start(): Promise<void> {
    this.config = await loadConfig({
      repoPath: this.opts.repoPath,
      ...(this.opts.configPath ? { configPath: this.opts.configPath } : {}),
    });
    this.repo = await GitRepo.open({ path: this.opts.repoPath, cacheDir: this.cacheDir });
    const branch = this.config.repo.branch;
    let repoError: string | undefined;
    if (this.opts.fetch !== false) {
      await this.repo.fetch({ remote: this.config.repo.remote }).catch((err: Error) => {
        repoError = `fetch from ${this.config.repo.remote} failed: ${err.message}`;
      });
    }
    const remote = await this.repo.originUrl().catch(() => undefined);
    this.store.update((s) => ({
      ...s,
      repo: {
        ...s.repo,
        branch,
        ...(remote ? { remote } : {}),
        ...(repoError ? { error: repoError } : {}),
        fetchedAt: new Date().toISOString(),
      },
    }));
    const { contexts, current } = loadContexts({
      ...(this.opts.kubeconfig ? { kubeconfig: this.opts.kubeconfig } : {}),
      ...(this.opts.contexts?.length ? { contexts: this.opts.contexts } : {}),
    });
    await this.discover();
    // Map destinations to contexts and create one cache per context in use.
    const idx = {
      registry: this.config.clusters,
      contexts: contexts.map((c) => ({ name: c.name, server: c.server })),
      ...((this.config.inClusterContext ?? current)
        ? { inClusterContext: this.config.inClusterContext ?? current }
        : {}),
    };
    this.destinations = idx;
    this.mapDestinations();
    const used = new Set([...this.apps.values()].map((rt) => rt.context).filter((c): c is string => !!c));
    for (const c of this.config.clusters) used.add(c.context);
    for (const c of this.opts.contexts ?? []) used.add(c);
    for (const ctx of contexts) {
      if (!used.has(ctx.name)) continue;
      const cluster = new KubeCluster(ctx);
      const cache = new ClusterCache(cluster, {
        trackingAnnotation: this.tracking,
        onChange: (changed) => this.onLiveChange(ctx.name, changed),
        onStatus: (status) => {
          this.store.emit({ type: 'cluster-changed', cluster: ctx.name, status });
          for (const rt of this.apps.values()) if (rt.context === ctx.name) this.dirty.add(rt.spec.name);
          this.scheduleCompare();
        },
      });
      this.caches.set(ctx.name, cache);
    }
    for (const rt of this.apps.values()) {
      if (rt.context && !this.caches.has(rt.context))
        rt.contextError = `kubeconfig context ${rt.context} is not available`;
    }
    this.mark('discovered');
    await Promise.all([...this.caches.values()].map((c) => c.start()));
    this.mark('clusters probed');
    await this.renderAll();
    this.mark('rendered');
    await Promise.all([...this.caches.values()].map((c) => c.synced(15_000)));
    this.mark('caches synced');
    await loadHistories(this);
    this.mark('histories loaded');
    await this.compareAll([...this.apps.keys()]);
    this.mark('compared');
    this.store.update((s) => ({ ...s, loading: false }));
    this.store.flush();
  }

  /**
   * Fetches origin (optionally) and, when the branch head moved, re-discovers, re-renders (through the
   * cache: only touched apps render) and re-compares everything. Returns whether the head changed.
   */
  async refreshHead(opts: { fetch?: boolean } = {}): Promise<boolean> {
    if (opts.fetch) {
      await this.repo.fetch({ remote: this.config.repo.remote }).catch((err: Error) => {
        this.store.update((s) => ({ ...s, repo: { ...s.repo, error: `fetch failed: ${err.message}` } }));
      });
    }
    const head = await this.repo.resolve(this.config.repo.branch).catch(() => this.repo.resolve('HEAD'));
    if (head === this.head) return false;
    await this.discover();
    this.store.emit({ type: 'repo-changed', head });
    await this.renderAll();
    await this.compareAll([...this.apps.keys()]);
    this.afterCompare?.([...this.apps.keys()]);
    return true;
  }

  private destinations?: DestinationIndex;

  /** Maps each app's destination to a kubeconfig context (after every discovery). */
  private mapDestinations(): void {
    if (!this.destinations) return;
    for (const rt of this.apps.values()) {
      const r = resolveDestination(rt.spec.destination, this.destinations);
      rt.context = 'context' in r ? r.context : undefined;
      rt.contextError = 'error' in r ? r.error : undefined;
      if (rt.context && this.caches.size > 0 && !this.caches.has(rt.context)) {
        rt.contextError = `kubeconfig context ${rt.context} is not available`;
      }
    }
  }

  /** Resolves the branch head, snapshots it and discovers applications. */
  async discover(): Promise<void> {
    const branch = this.config.repo.branch;
    this.head = await this.repo.resolve(branch).catch(async () => this.repo.resolve('HEAD'));
    this.snapshotDir = await this.repo.snapshot(this.head);
    const discovery = await discoverApps({ dir: this.snapshotDir, config: this.config });
    this.projects = discovery.projects;
    const seen = new Set<string>();
    for (const spec of discovery.apps) {
      seen.add(spec.name);
      const prev = this.apps.get(spec.name);
      const errors = discovery.errors.filter((e) => e.app === spec.name).map((e) => e.message);
      if (prev) {
        prev.spec = spec;
        prev.errors = errors;
      } else {
        this.apps.set(spec.name, { spec, errors, desired: [], compares: [], automation: { attempts: 0 } });
      }
    }
    for (const name of [...this.apps.keys()]) if (!seen.has(name)) this.apps.delete(name);
    // A parent of an app-of-apps is its own service (its path names a folder of Applications).
    for (const rt of this.apps.values()) {
      if (rt.spec.origin.parentApp) {
        const parent = this.apps.get(rt.spec.origin.parentApp);
        if (parent) parent.spec = { ...parent.spec, service: parent.spec.name };
      }
    }
    this.mapDestinations();
    const envs = environmentOrder(
      this.config,
      [...this.apps.values()].map((a) => a.spec.environment).filter((e): e is string => !!e),
    );
    this.store.update((s) => ({
      ...s,
      repo: { ...s.repo, head: this.head },
      appSets: discovery.appSets.map((a) => ({
        name: a.name,
        generated: a.generated,
        ...(a.error ? { error: a.error } : {}),
      })),
      errors: discovery.errors
        .filter((e) => !e.app)
        .map((e) => ({ source: e.file ?? e.appSet ?? 'repository', message: e.message })),
      environments: envs.map((name) => {
        const c = this.config.environments.find((e) => e.name === name);
        return {
          name,
          production: c?.production ?? /^prod(uction)?$/.test(name),
          requireReview: c?.requireReview ?? false,
        };
      }),
    }));
  }

  /** Renders every app (4 at a time) through the render cache. */
  async renderAll(names?: string[]): Promise<void> {
    const queue = [...(names ?? this.apps.keys())];
    const worker = async () => {
      for (let n = queue.shift(); n; n = queue.shift()) await this.renderOne(n);
    };
    await Promise.all(Array.from({ length: 4 }, worker));
  }

  /** Renders one app at its target revision and prepares its desired objects. */
  async renderOne(name: string): Promise<void> {
    const rt = this.apps.get(name);
    if (!rt || !this.head || !this.snapshotDir) return;
    if (rt.errors.length > 0) {
      rt.render = { ok: false, error: rt.errors[0] ?? 'discovery error' };
      rt.desired = [];
      return;
    }
    let revision = this.head;
    let dir = this.snapshotDir;
    const target = rt.spec.sources[0]?.targetRevision;
    if (target && !['HEAD', this.config.repo.branch, `origin/${this.config.repo.branch}`].includes(target)) {
      try {
        revision = await this.repo.resolve(target);
        dir = await this.repo.snapshot(revision);
      } catch (err) {
        rt.render = { ok: false, error: `targetRevision ${target}: ${(err as Error).message}` };
        rt.desired = [];
        return;
      }
    }
    const result = await this.renderCache.render({
      spec: rt.spec,
      snapshotDir: dir,
      revision,
      objectId: (p) => this.repo.objectId(revision, p),
      timeoutMs: this.config.limits.renderTimeoutSeconds * 1000,
      maxBytes: this.config.limits.maxManifestBytes,
      ...(this.config.binaries.kustomize ? { kustomizeBin: this.config.binaries.kustomize } : {}),
      ...(this.config.binaries.helm ? { helmBin: this.config.binaries.helm } : {}),
    });
    rt.render = result;
    rt.revision = revision;
    if (!result.ok) {
      rt.desired = [];
      return;
    }
    const cache = rt.context ? this.caches.get(rt.context) : undefined;
    rt.desired = prepareDesired(rt.spec, result.objects, {
      trackingAnnotation: this.tracking,
      namespaced: (g, k) => cache?.cluster.discovery.find(g, k)?.namespaced,
    });
    rt.lastGoodDesiredCount = rt.desired.length;
    const clusterCfg = this.config.clusters.find((c) => c.context === rt.context);
    rt.projectRefusals = checkProject(
      this.projects.find((p) => p.name === rt.spec.project),
      {
        app: rt.spec,
        ...(clusterCfg?.server ? { destinationServer: clusterCfg.server } : {}),
        ...(rt.spec.destination.name ? { destinationName: rt.spec.destination.name } : {}),
        objects: rt.desired.map((o) => ({
          group: splitApiVersion(o.apiVersion).group,
          kind: o.kind,
          namespace: o.metadata.namespace ?? '',
          name: o.metadata.name,
        })),
      },
    );
    cache?.ensureKinds(rt.desired.map((o) => ({ group: splitApiVersion(o.apiVersion).group, kind: o.kind })));
  }

  /** The prediction cache key of a desired object against the live object's resourceVersion. */
  predictionKey(context: string, desired: KubeObject, liveRv: string | undefined): string {
    const h = createHash('sha1').update(JSON.stringify(desired)).digest('hex');
    const { group } = splitApiVersion(desired.apiVersion);
    return `${context}|${group}/${desired.kind}/${desired.metadata.namespace ?? ''}/${desired.metadata.name}|${liveRv ?? 'absent'}|${h}`;
  }

  /** A cached server-side dry-run result, if this exact object was dry-run against this live version. */
  cachedPrediction(context: string, desired: KubeObject, liveRv: string | undefined): KubeObject | undefined {
    return this.predictions.get(this.predictionKey(context, desired, liveRv));
  }

  predictorFor(cache: ClusterCache): Predictor {
    return async (desired, live) => {
      const k = this.predictionKey(cache.context, desired, live?.metadata.resourceVersion);
      const hit = this.predictions.get(k);
      if (hit) return { predicted: hit };
      try {
        const predicted = await cache.cluster.apply(desired, { dryRun: true, force: true });
        if (this.predictions.size > 20_000) this.predictions.clear();
        this.predictions.set(k, predicted);
        return { predicted };
      } catch (err) {
        return { error: (err as Error).message.split('\n')[0] ?? 'dry-run failed' };
      }
    };
  }

  /** Compares apps against their clusters and publishes their states. */
  async compareAll(names: string[]): Promise<void> {
    const queue = [...names];
    const worker = async () => {
      for (let n = queue.shift(); n; n = queue.shift()) await this.compareOne(n);
    };
    await Promise.all(Array.from({ length: 4 }, worker));
    this.publish(names);
  }

  private async compareOne(name: string): Promise<void> {
    const rt = this.apps.get(name);
    if (!rt) return;
    const cache = rt.context ? this.caches.get(rt.context) : undefined;
    if (!cache || cache.status !== ClusterStatus.Connected || !rt.render?.ok) {
      if (!cache || !rt.render?.ok) rt.compares = [];
      return;
    }
    rt.compares = await compareApp({
      app: rt.spec,
      desired: rt.desired,
      cache,
      predict: this.predictorFor(cache),
      trackingAnnotation: this.tracking,
    });
    rt.reconciledAt = new Date().toISOString();
  }

  /** Rebuilds the snapshot's apps and clusters. */
  publish(changed: string[] = []): void {
    const { apps, clusters } = snapshotParts(this);
    this.store.update((s): Omit<EngineSnapshot, 'version'> => ({ ...s, apps, clusters }), changed);
  }

  private onLiveChange(
    context: string,
    changed: { key: { group: string; kind: string; namespace: string; name: string }; obj?: KubeObject }[],
  ): void {
    if (this.stopped) return;
    const cache = this.caches.get(context);
    for (const { key, obj } of changed) {
      const id = keyString(key);
      let appName = obj?.metadata.annotations?.[this.tracking]?.split(':')[0];
      if (!appName && obj && cache) {
        // Walk owners up (Pod → ReplicaSet → Deployment) to the managed object.
        let cur: KubeObject | undefined = obj;
        for (let i = 0; i < 3 && cur && !appName; i++) {
          const ref: { uid: string } | undefined = cur.metadata.ownerReferences?.[0];
          cur = ref ? cache.byUidGet(ref.uid) : undefined;
          appName = cur?.metadata.annotations?.[this.tracking]?.split(':')[0];
        }
      }
      if (appName && this.apps.has(appName)) this.dirty.add(appName);
      for (const rt of this.apps.values()) {
        if (rt.context !== context) continue;
        if (
          rt.desired.some(
            (d) =>
              keyString({
                group: splitApiVersion(d.apiVersion).group,
                kind: d.kind,
                namespace: d.metadata.namespace ?? '',
                name: d.metadata.name,
              }) === id,
          )
        ) {
          this.dirty.add(rt.spec.name);
        }
      }
    }
    this.scheduleCompare();
  }

  /** Marks an app for comparison and schedules it. */
  markDirty(name: string): void {
    this.dirty.add(name);
    this.scheduleCompare();
  }

  /** Compares dirty apps soon (bursts of watch events are coalesced). */
  scheduleCompare(delayMs = 20): void {
    if (this.compareTimer || this.stopped) return;
    this.compareTimer = setTimeout(async () => {
      this.compareTimer = undefined;
      if (this.comparing) {
        await this.comparing;
      }
      const names = [...this.dirty].filter((n) => !this.syncing.has(n));
      for (const n of names) this.dirty.delete(n);
      if (names.length === 0) {
        this.publish();
        return;
      }
      this.comparing = this.compareAll(names).finally(() => {
        this.comparing = undefined;
      });
      await this.comparing;
      this.afterCompare?.(names);
    }, delayMs);
  }

  /** Hook for automation after a comparison (set by the engine). */
  afterCompare?: (names: string[]) => void;

  /** Stops caches and timers. */
  async stopCore(): Promise<void> {
    this.stopped = true;
    if (this.compareTimer) clearTimeout(this.compareTimer);
    await this.comparing?.catch(() => {});
    for (const c of this.caches.values()) c.stop();
    this.store.close();
  }
}
