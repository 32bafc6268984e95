import { readHistory } from './app-history.js';
import { Automation } from './automation-loop.js';
import { normalizeObject, unifiedDiff } from './diff/index.js';
import { EngineCore, type EngineOptions } from './engine.js';
import { applyChange, planPromoteChange, planRevertChange } from './git-changes.js';
import { assessHealth } from './health/index.js';
import type { ClusterCache } from './live/cluster-cache.js';
import { type KubeObject, keyLabel, keyOf, keyString, type ResourceKey } from './model/resource-key.js';
import { ResourceSync } from './model/status.js';
import { PolicyRefusal, previewSync, runSync } from './operations.js';
import { inputPaths } from './render/index.js';
import type { SyncRun } from './sync/index.js';
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
  SyncOptions,
  SyncPlanView,
} from './types.js';

/** The engine: config, git, render, live caches, compare, sync and git workflows behind one facade. */
export class Engine extends EngineCore implements BosunEngine {
  private readonly running = new Map<string, SyncRun>();
  private automation?: Automation;
  private poll?: NodeJS.Timeout;

  constructor(opts: EngineOptions) {
    super(opts);
    if (opts.automation) {
      const automation = new Automation(this);
      this.automation = automation;
      // Not before start() has finished: histories (last synced revisions) must be loaded first.
      this.afterCompare = (names) => {
        if (this.started) automation.consider(names);
      };
    }
  }

  private started = false;

  override async start(): Promise<void> {
    await super.start();
    this.started = true;
    if (!this.automation) return;
    this.automation.consider([...this.apps.keys()]);
    const every = this.opts.pollIntervalMs ?? 15_000;
    const tick = () => {
      this.poll = setTimeout(async () => {
        await this.refresh({ fetch: true }).catch((err: Error) =>
          this.store.emit({ type: 'log', level: 'warn', message: `refresh failed: ${err.message}` }),
        );
        if (!this.stopped) tick();
      }, every);
      this.poll.unref();
    };
    tick();
  }

  /** A sync started by automation (prune per automated.prune). */
  autoSync(app: string, opts: { prune: boolean; reason: string }): Promise<OperationResult> {
    return runSync(this, app, { automated: true, prune: opts.prune, reason: opts.reason }, this.running);
  }

  subscribe(listener: () => void): () => void {
    return this.store.subscribe(listener);
  }

  getSnapshot(): EngineSnapshot {
    return this.store.getSnapshot();
  }

  onEvent(listener: (e: EngineEvent) => void): () => void {
    return this.store.onEvent(listener);
  }

  async stop(): Promise<void> {
    this.automation?.stop();
    if (this.poll) clearTimeout(this.poll);
    for (const r of this.running.values()) r.terminate('bosun is stopping');
    await this.stopCore();
  }

  async refresh(opts: { app?: string; fetch?: boolean } = {}): Promise<void> {
    const changed = await this.refreshHead({ fetch: opts.fetch ?? false });
    if (!changed) {
      const names = opts.app ? [opts.app] : [...this.apps.keys()];
      await this.compareAll(names);
      this.afterCompare?.(names);
    }
  }

  private runtime(app: string) {
    const rt = this.apps.get(app);
    if (!rt) throw new Error(`unknown application "${app}"`);
    return rt;
  }

  async diff(app: string): Promise<ResourceDiff[]> {
    const rt = this.runtime(app);
    const out: ResourceDiff[] = [];
    for (const c of rt.compares) {
      if (c.sync === ResourceSync.Synced) continue;
      let text = '';
      if (c.sync === ResourceSync.Missing)
        text = unifiedDiff({ key: c.key, target: normalizeObject(c.desired!) });
      else if (c.sync === ResourceSync.Extra)
        text = unifiedDiff({ key: c.key, live: normalizeObject(c.live!) });
      else if (c.result)
        text = unifiedDiff({ key: c.key, live: c.result.normalizedLive, target: c.result.normalizedTarget });
      if (!text && c.sync === ResourceSync.OutOfSync)
        text = `--- live/${keyLabel(c.key)}\n+++ target/${keyLabel(c.key)}\n# ${c.explain[0] ?? 'differs'}\n`;
      out.push({
        key: c.key,
        sync: c.sync,
        changedPaths: c.result?.changedPaths ?? [],
        text,
        explain: c.explain,
      });
    }
    return out;
  }

  tree(app: string): ResourceNode[] {
    const rt = this.runtime(app);
    const cache = rt.context ? this.caches.get(rt.context) : undefined;
    const nodeOf = (obj: KubeObject, depth: number, c?: ClusterCache): ResourceNode => {
      const uid = obj.metadata.uid;
      const children = uid && c && depth < 3 ? c.ownedBy(uid).map((o) => nodeOf(o, depth + 1, c)) : [];
      const health = assessHealth(obj);
      const events = uid && c ? c.eventsFor(uid) : [];
      return {
        key: keyOf(obj),
        ...(health ? { health } : {}),
        ...(obj.kind === 'Pod'
          ? { info: String((obj.status as { phase?: string } | undefined)?.phase ?? '') }
          : {}),
        children: children.sort((a, b) => keyString(a.key).localeCompare(keyString(b.key))),
        ...(events.length ? { events } : {}),
      };
    };
    return rt.compares.map((c) => {
      if (!c.live)
        return {
          key: c.key,
          version: c.version,
          sync: c.sync,
          ...(c.health ? { health: c.health } : {}),
          children: [],
        };
      const n = nodeOf(c.live, 0, cache);
      return { ...n, version: c.version, sync: c.sync };
    });
  }

  explain(app: string, resource?: ResourceKey): string[] {
    const rt = this.runtime(app);
    const state = this.getSnapshot().apps.find((a) => a.name === app);
    if (resource) {
      const c = rt.compares.find((x) => keyString(x.key) === keyString(resource));
      if (!c) return [`${keyLabel(resource)} is not part of ${app}`];
      const lines = [
        `${keyLabel(c.key)}: ${c.sync}${c.health ? `, ${c.health.status}` : ''}`,
        ...c.explain.map((l) => `  ${l}`),
      ];
      if (c.health && c.health.status !== 'Healthy') {
        lines.push(`  health: ${c.health.message ?? c.health.status}`);
        if (c.health.check)
          lines.push(
            `  check: ${c.health.check}${c.health.waitingOn ? `, waiting on ${c.health.waitingOn}` : ''}`,
          );
      }
      return lines;
    }
    const lines = [
      `${app}: ${state?.sync ?? 'Unknown'}, ${state?.health ?? 'Unknown'}${rt.revision ? ` at ${rt.revision.slice(0, 7)}` : ''}`,
    ];
    for (const cond of state?.conditions ?? []) lines.push(`  ${cond.type}: ${cond.message}`);
    for (const c of rt.compares) {
      const unhealthy = c.health && !['Healthy', 'Missing'].includes(c.health.status);
      if (c.sync === ResourceSync.Synced && !unhealthy) continue;
      lines.push(`${keyLabel(c.key)}: ${c.sync}${c.health ? `, ${c.health.status}` : ''}`);
      for (const l of c.explain) lines.push(`  ${l}`);
      if (unhealthy)
        lines.push(
          `  health: ${c.health?.message ?? ''}${c.health?.waitingOn ? ` (waiting on ${c.health.waitingOn})` : ''}`,
        );
    }
    if (lines.length === 1 && state?.sync === 'Synced') lines.push('  every resource matches Git');
    return lines;
  }

  async planSync(app: string, opts: SyncOptions = {}): Promise<SyncPlanView> {
    this.runtime(app);
    return previewSync(this, app, opts);
  }

  async sync(app: string, opts: SyncOptions = {}): Promise<OperationResult> {
    return runSync(this, app, opts, this.running);
  }

  terminate(app: string): void {
    this.running.get(app)?.terminate('terminated by the operator');
  }

  async history(app: string, opts: { limit?: number } = {}): Promise<HistoryEntry[]> {
    const rt = this.runtime(app);
    const paths = this.snapshotDir ? await inputPaths({ spec: rt.spec, snapshotDir: this.snapshotDir }) : [];
    if (rt.spec.origin.file) paths.push(rt.spec.origin.file);
    const commits = await this.repo.log({ rev: this.head ?? 'HEAD', paths, maxCount: opts.limit ?? 50 });
    const running = new Map<string, string[]>();
    const siblings = [...this.apps.values()].filter((o) => o.spec.service === rt.spec.service && o.context);
    await Promise.all(
      siblings.map(async (o) => {
        const records = await readHistory(this, o.spec.name).catch(() => []);
        const rev =
          records.find((r) => r.kind === 'sync' && r.phase === 'Succeeded' && !r.dryRun)?.revision ??
          o.automation.lastSyncedRevision;
        if (!rev || !o.context) return;
        const label = `${o.context}${o.spec.environment ? ` (${o.spec.environment})` : ''}`;
        // A revision that touches none of these paths runs the newest commit of this history it contains.
        const at = commits.some((c) => c.sha === rev)
          ? rev
          : (await this.repo.log({ rev, paths, maxCount: 1 }).catch(() => []))[0]?.sha;
        if (at) running.set(at, [...(running.get(at) ?? []), label]);
      }),
    );
    return commits.map((c) => ({
      sha: c.sha,
      shortSha: c.shortSha,
      author: c.author,
      date: c.date,
      subject: c.subject,
      runningIn: running.get(c.sha) ?? [],
    }));
  }

  async planPromote(opts: { service: string; from: string; to: string }): Promise<GitChangePlan> {
    return planPromoteChange(this, opts);
  }

  async planRevert(opts: { app: string; commit: string }): Promise<GitChangePlan> {
    return planRevertChange(this, opts);
  }

  async applyGitChange(plan: GitChangePlan, opts: { confirm?: string } = {}): Promise<GitChangeResult> {
    return applyChange(this, plan, opts);
  }
}

/** Creates the engine (not started). */
export function createEngine(opts: EngineOptions): BosunEngine {
  return new Engine(opts);
}

export { PolicyRefusal };
