import { createHash } from 'node:crypto';
import { join, resolve } from 'node:path';
import { loadConfig } from '../../config/index.js';
import { yamlMemo } from '../apps/yaml-memo.js';
import { compareApp } from '../core/compare-app.js';
import type { EngineContext } from '../core/context.js';
import { customizationsFor, loadDirCustomizations, setArgoCm } from '../core/customizations.js';
import { forEachLimit } from '../core/pool.js';
import { Predictions } from '../core/predictions.js';
import { snapshotParts } from '../core/snapshot-parts.js';
import { parseArgoCm } from '../customizations/argocd-cm.js';
import { ClusterCache } from '../live/cluster-cache.js';
import type { KubeObject } from '../model/resource-key.js';
import { ClusterStatus, type EngineSnapshot } from '../types.js';
import { loadHistories } from './app-history.js';
import { discover, mapDestinations, renderAll } from './desired.js';
import { appsTouchedBy } from './live-changes.js';

/**
 * Keeps the app states current: loads config and repository, connects the clusters, renders,
 * compares on live changes (coalesced) and publishes snapshots. Owns the prediction cache and the
 * set of apps waiting for comparison.
 */
export class Reconciler {
  /** Server-side dry-run results shared by comparison, sync pre-flight and previews. */
  readonly predictions = new Predictions();
  /** Apps waiting for comparison, with the sequence number of their latest change. */
  private readonly dirty = new Map<string, number>();
  /** The sequence number at which each app's latest comparison started. */
  private readonly compareStarted = new Map<string, number>();
  private seq = 0;
  /** Set once the start-up comparison is done; before it, changes are only recorded. */
  private started = false;
  private compareTimer?: NodeJS.Timeout;
  private comparing?: Promise<void>;
  private readonly compared = new Set<(names: string[]) => void>();
  private readonly t0 = Date.now();
  /** argocd-cm changes being applied, in order. */
  private argoCmUpdates: Promise<unknown> = Promise.resolve();
  /** Set by the facade: called after each app's comparison (sync preparation). */
  onAppCompared?: (app: string) => void;
  /** Set by the facade: called once the start-up comparison is published. */
  onStarted?: () => void;
  /** Set by the facade: started beside the clusters and awaited before the first full snapshot (a backend). */
  backendStart?: () => Promise<void>;
  /** Set by the facade: reshapes what is published (the argocd backend shows Argo CD's view). */
  view?: (
    parts: Pick<EngineSnapshot, 'apps' | 'clusters' | 'environments'>,
  ) => Pick<EngineSnapshot, 'apps' | 'clusters' | 'environments'> & Partial<Pick<EngineSnapshot, 'appSets'>>;

  constructor(
    private readonly ctx: EngineContext,
    /** Apps whose comparison must wait (a sync is in flight: objects are in flux). */
    private readonly busy: (app: string) => boolean,
  ) {}

  /** Calls `fn` with the app names after every comparison; returns unsubscribe. */
  onCompared(fn: (names: string[]) => void): () => void {
    this.compared.add(fn);
    return () => this.compared.delete(fn);
  }

  private notifyCompared(names: string[]): void {
    for (const fn of this.compared) fn(names);
  }

  /** Start-up phase timings on stderr when BOSUN_DEBUG_TIMING is set (the engine never writes stdout). */
  private mark(phase: string): void {
    if (process.env.BOSUN_DEBUG_TIMING)
      process.stderr.write(`[bosun timing] ${phase}: ${Date.now() - this.t0} ms\n`);
  }

  /** Says what the start is doing now: in the snapshot (a console's spinner) and as an event (a CLI's line). */
  private progress(message: string): void {
    this.ctx.store.update((s) => ({ ...s, progress: message }));
    this.ctx.store.emit({ type: 'progress', message });
  }

  /** Loads config and the repository, discovers apps, connects clusters and compares everything. */
  async start(): Promise<void> {
    const { ctx } = this;
    this.progress('reading the configuration');
    ctx.config = await loadConfig({
      repoPath: ctx.opts.repoPath,
      ...(ctx.opts.configPath ? { configPath: ctx.opts.configPath } : {}),
    });
    await loadDirCustomizations(ctx);
    this.predictions.load(this.predictionsFile());
    yamlMemo.load(this.cacheFile('yaml'));
    // Whether this process automates is known as soon as the config is: the flag and bosun.yaml agree.
    // With the argocd backend Argo CD automates, never bosun.
    const automates =
      (ctx.opts.automation ?? false) && ctx.config.automation && ctx.config.backend.type !== 'argocd';
    ctx.store.update((s) => ({ ...s, automation: { ...s.automation, enabled: automates } }));
    ctx.repo = await ctx.adapters.git.open({ path: ctx.opts.repoPath, cacheDir: ctx.cacheDir });
    const branch = ctx.config.repo.branch;
    let repoError: string | undefined;
    this.progress(`fetching ${ctx.config.repo.remote}`);
    if (ctx.opts.fetch !== false) {
      await ctx.repo.fetch({ remote: ctx.config.repo.remote }).catch((err: Error) => {
        repoError = `fetch from ${ctx.config.repo.remote} failed: ${err.message}`;
      });
    }
    const remote = await ctx.repo.originUrl().catch(() => undefined);
    ctx.store.update((s) => ({
      ...s,
      repo: {
        ...s.repo,
        branch,
        ...(remote ? { remote } : {}),
        ...(repoError ? { error: repoError } : {}),
        fetchedAt: new Date().toISOString(),
      },
    }));
    const { contexts, current, missing } = ctx.adapters.kube.loadContexts({
      ...(ctx.opts.kubeconfig ? { kubeconfig: ctx.opts.kubeconfig } : {}),
      ...(ctx.opts.contexts?.length ? { contexts: ctx.opts.contexts } : {}),
    });
    ctx.noKubeconfig = missing;
    this.progress('reading the applications');
    await discover(ctx);
    // Map destinations to contexts and create one cache per context in use.
    const inClusterContext = ctx.config.inClusterContext ?? current;
    ctx.destinations = {
      registry: ctx.config.clusters,
      contexts: contexts.map((c) => ({ name: c.name, server: c.server })),
      ...(inClusterContext ? { inClusterContext } : {}),
    };
    mapDestinations(ctx);
    const used = new Set([...ctx.apps.values()].map((rt) => rt.context).filter((c): c is string => !!c));
    for (const c of ctx.config.clusters) used.add(c.context);
    for (const c of ctx.opts.contexts ?? []) used.add(c);
    for (const kc of contexts) {
      if (!used.has(kc.name)) continue;
      const cache = new ClusterCache(ctx.adapters.kube.connect(kc), {
        trackingAnnotation: ctx.tracking,
        onChange: (changed) => this.onLiveChange(kc.name, changed),
        onApisChanged: () => void this.rerender(kc.name),
        ...(ctx.opts.discoveryRefreshMs ? { discoveryRefreshMs: ctx.opts.discoveryRefreshMs } : {}),
        onStatus: (status) => {
          ctx.store.emit({ type: 'cluster-changed', cluster: kc.name, status });
          for (const rt of ctx.apps.values()) if (rt.context === kc.name) this.touch(rt.spec.name);
          this.scheduleCompare();
        },
      });
      ctx.caches.set(kc.name, cache);
      this.watchArgoCm(kc.name, cache);
    }
    for (const rt of ctx.apps.values()) {
      if (rt.context && !ctx.caches.has(rt.context))
        rt.contextError = `kubeconfig context ${rt.context} is not available`;
    }
    this.mark('discovered');
    // The backend connects beside the clusters; its failure is thrown once the start is through.
    const backend = this.backendStart?.();
    backend?.catch(() => {});
    this.progress(`connecting ${ctx.caches.size} cluster${ctx.caches.size === 1 ? '' : 's'}`);
    await Promise.all([...ctx.caches.values()].map((c) => c.start()));
    this.mark('clusters probed');
    this.progress(`rendering 0/${ctx.apps.size} apps`);
    await renderAll(ctx, undefined, {
      onRendered: (done, total) => this.progress(`rendering ${done}/${total} apps`),
    });
    this.mark('rendered');
    this.progress('listing live objects');
    await Promise.all([...ctx.caches.values()].map((c) => c.synced(15_000)));
    this.mark('caches synced');
    // Health must use each cluster's argocd-cm from the first comparison on.
    await Promise.all([...ctx.caches.values()].map((c) => c.objectsSettled(15_000)));
    await this.argoCmUpdates;
    await loadHistories(ctx);
    // Histories name kinds past syncs applied that the render may no longer hold: list them before comparing.
    await Promise.all([...ctx.caches.values()].map((c) => c.synced(15_000)));
    this.mark('histories loaded');
    this.progress(`comparing ${ctx.apps.size} apps with the clusters`);
    await this.compareAll([...ctx.apps.keys()]);
    this.mark('compared');
    await backend;
    this.mark('backend ready');
    this.started = true;
    this.publish();
    ctx.store.update(({ progress: _, ...s }) => ({ ...s, loading: false }));
    ctx.store.flush();
    // Changes that arrived while the start-up comparison ran.
    if (this.dirty.size > 0) this.scheduleCompare();
    this.onStarted?.();
  }

  /**
   * Fetches origin (optionally) and, when the branch head moved, re-discovers, re-renders (through the
   * cache: only touched apps render) and re-compares everything. Returns whether the head changed.
   */
  async refreshHead(opts: { fetch?: boolean } = {}): Promise<boolean> {
    const { ctx } = this;
    if (opts.fetch) {
      await ctx.repo.fetch({ remote: ctx.config.repo.remote }).catch((err: Error) => {
        ctx.store.update((s) => ({ ...s, repo: { ...s.repo, error: `fetch failed: ${err.message}` } }));
      });
    }
    const head = await ctx.repo.resolve(ctx.config.repo.branch).catch(() => ctx.repo.resolve('HEAD'));
    if (head === ctx.head) return false;
    await discover(ctx);
    ctx.store.emit({ type: 'repo-changed', head });
    await renderAll(ctx);
    await this.compareAll([...ctx.apps.keys()]);
    this.notifyCompared([...ctx.apps.keys()]);
    return true;
  }

  /** Re-reads the repository if it moved, else re-compares the named apps (all by default). */
  async refresh(opts: { app?: string; fetch?: boolean } = {}): Promise<void> {
    const changed = await this.refreshHead({ fetch: opts.fetch ?? false });
    if (!changed) {
      const names = opts.app ? [opts.app] : [...this.ctx.apps.keys()];
      await this.compareAll(names);
      this.notifyCompared(names);
    }
  }

  /** Compares apps against their clusters and publishes their states. */
  async compareAll(names: string[]): Promise<void> {
    await forEachLimit(names, 4, (n) => this.compareOne(n));
    this.publish(names);
  }

  private async compareOne(name: string): Promise<void> {
    const rt = this.ctx.apps.get(name);
    if (!rt) return;
    this.compareStarted.set(name, ++this.seq);
    const cache = rt.context ? this.ctx.caches.get(rt.context) : undefined;
    if (!cache || cache.status !== ClusterStatus.Connected || !rt.render?.ok) {
      if (!cache || !rt.render?.ok) rt.compares = [];
      return;
    }
    const customizations = customizationsFor(this.ctx, rt.context);
    rt.compares = await compareApp({
      app: rt.spec,
      desired: rt.desired,
      cache,
      predict: this.predictions.predictorFor(cache),
      trackingAnnotation: this.ctx.tracking,
      ...(customizations ? { customizations } : {}),
      systemIgnores: (rt.context && this.ctx.systemIgnores.get(rt.context)) || [],
    });
    rt.reconciledAt = new Date().toISOString();
    this.onAppCompared?.(name);
  }

  /**
   * Reads the context's argocd-cm (read-only, through a namespaced watch) into that cluster's Lua
   * customizations; a change re-compares the cluster's apps.
   */
  private watchArgoCm(context: string, cache: ClusterCache): void {
    const { ctx } = this;
    const registry = ctx.config.clusters.find((c) => c.context === context);
    const namespace = registry?.argocdNamespace ?? ctx.config.argocdNamespace ?? ctx.config.backend.namespace;
    let lastVersion: string | undefined;
    cache.watchObject({
      group: '',
      kind: 'ConfigMap',
      namespace,
      name: 'argocd-cm',
      onError: (err) => {
        // Said once per cluster (the watch keeps retrying); health goes on with the built-in checks.
        const why =
          err.status === 403 ? 'forbidden' : err.status === 401 ? 'unauthorized' : `HTTP ${err.status}`;
        const message = `cannot read ConfigMap ${namespace}/argocd-cm in ${registry?.name ?? context} (${why}): Argo CD's Lua health and actions from it are not applied, built-in health is used`;
        if (ctx.argoCmAccess.get(context) === message) return;
        ctx.argoCmAccess.set(context, message);
        ctx.store.emit({ type: 'log', level: 'warn', message });
        if (!ctx.stopped) this.publish();
      },
      onChange: (obj) => {
        if (ctx.argoCmAccess.delete(context) && !ctx.stopped) this.publish();
        const version = obj ? (obj.metadata.resourceVersion ?? '?') : undefined;
        if (version === lastVersion) return;
        lastVersion = version;
        const data = obj ? ((obj as KubeObject & { data?: Record<string, string> }).data ?? {}) : undefined;
        const where = registry?.name ?? context;
        const cm = data ? parseArgoCm(data, { where }) : undefined;
        const ignores = cm?.ignoreDifferences ?? [];
        const ignoresChanged =
          JSON.stringify(ctx.systemIgnores.get(context) ?? []) !== JSON.stringify(ignores);
        if (ignores.length > 0) ctx.systemIgnores.set(context, ignores);
        else ctx.systemIgnores.delete(context);
        this.argoCmUpdates = this.argoCmUpdates
          .then(() => setArgoCm(ctx, context, cm))
          .then((changed) => {
            ctx.argoCmWarnings.set(
              context,
              (cm?.warnings ?? []).map((w) => `argocd-cm in ${where}: ${w}`),
            );
            if ((!changed && !ignoresChanged) || ctx.stopped) return;
            for (const rt of ctx.apps.values()) if (rt.context === context) this.touch(rt.spec.name);
            this.scheduleCompare();
          })
          .catch(() => undefined);
      },
    });
  }

  /** Rebuilds the snapshot's apps and clusters. */
  publish(changed: string[] = []): void {
    const parts = snapshotParts(this.ctx);
    const view = this.view;
    this.ctx.store.update((s): Omit<EngineSnapshot, 'version'> => {
      if (!view) return { ...s, ...parts };
      return { ...s, ...view({ ...parts, environments: s.environments }) };
    }, changed);
  }

  private onLiveChange(
    context: string,
    changed: { key: { group: string; kind: string; namespace: string; name: string }; obj?: KubeObject }[],
  ): void {
    const { ctx } = this;
    if (ctx.stopped) return;
    for (const name of appsTouchedBy(ctx, context, changed)) this.touch(name);
    this.scheduleCompare();
  }

  /**
   * Re-renders a cluster's apps after its API list changed (Helm charts see `--api-versions`, so a
   * new CRD can change what they render, as at Argo CD's next refresh), then compares them.
   */
  private async rerender(context: string): Promise<void> {
    if (!this.started || this.ctx.stopped) return;
    const names = [...this.ctx.apps.values()]
      .filter((rt) => rt.context === context)
      .map((rt) => rt.spec.name);
    await renderAll(this.ctx, names);
    for (const n of names) this.touch(n);
    this.scheduleCompare();
  }

  /** Records that an app changed and waits for comparison. */
  private touch(name: string): void {
    this.dirty.set(name, ++this.seq);
  }

  /** Marks an app for comparison and schedules it. */
  markDirty(name: string): void {
    this.touch(name);
    this.scheduleCompare();
  }

  /** Compares dirty apps soon (bursts of watch events are coalesced). */
  scheduleCompare(delayMs = 20): void {
    if (this.compareTimer || this.ctx.stopped) return;
    this.compareTimer = setTimeout(async () => {
      this.compareTimer = undefined;
      if (this.comparing) {
        await this.comparing;
      }
      // Before the start-up comparison is done, it compares everything anyway: wait for it.
      if (!this.started) return;
      // A change recorded before the app's latest comparison started was seen by it.
      for (const [n, at] of this.dirty) if (at < (this.compareStarted.get(n) ?? 0)) this.dirty.delete(n);
      const names = [...this.dirty.keys()].filter((n) => !this.busy(n));
      for (const n of names) this.dirty.delete(n);
      if (names.length === 0) {
        this.publish();
        return;
      }
      this.comparing = this.compareAll(names).finally(() => {
        this.comparing = undefined;
      });
      await this.comparing;
      this.notifyCompared(names);
    }, delayMs);
  }

  /** Where this repository's dry-run answers are kept between processes. */
  private predictionsFile(): string {
    return this.cacheFile('predictions');
  }

  /** This repository's file in one of the cache's directories (predictions, yaml). */
  private cacheFile(dir: string): string {
    const id = createHash('sha1').update(resolve(this.ctx.opts.repoPath)).digest('hex').slice(0, 16);
    return join(this.ctx.cacheDir, dir, `${id}.json`);
  }

  /** Stops caches and timers; keeps the dry-run answers this process used for the next one. */
  async stop(): Promise<void> {
    this.ctx.stopped = true;
    if (this.compareTimer) clearTimeout(this.compareTimer);
    await this.comparing?.catch(() => {});
    if (this.ctx.config) {
      this.predictions.save(this.predictionsFile());
      yamlMemo.save(this.cacheFile('yaml'));
    }
    for (const c of this.ctx.caches.values()) c.stop();
    this.ctx.store.close();
  }
}
