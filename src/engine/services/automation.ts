import { syncWindowOf, syncWindowVerdictOf } from '../core/app-policy.js';
import type { EngineContext } from '../core/context.js';
import { PolicyRefusal } from '../core/refusal.js';
import { keyLabel } from '../model/resource-key.js';
import { decideAutomation } from '../sync/index.js';
import type { Reconciler } from './reconciler.js';
import type { SyncOperations } from './sync-operations.js';

/**
 * Runs auto-sync and self-heal for apps with `syncPolicy.automated` while bosun runs: called after
 * every comparison; syncs at most one operation per app at a time; re-checks when a backoff ends.
 */
export class Automation {
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private readonly busy = new Set<string>();
  private stopped = false;
  private poll?: NodeJS.Timeout;
  private unsubscribe?: () => void;

  constructor(
    private readonly ctx: EngineContext,
    private readonly syncs: Pick<SyncOperations, 'run'>,
    private readonly reconciler: Pick<Reconciler, 'refresh' | 'onCompared'>,
  ) {}

  /**
   * Starts automating (after the engine started: histories, hence last synced revisions, are loaded):
   * considers every app now and after every comparison, and polls origin for new commits.
   */
  start(): void {
    this.unsubscribe = this.reconciler.onCompared((names) => this.consider(names));
    this.consider([...this.ctx.apps.keys()]);
    const every = this.ctx.opts.pollIntervalMs ?? 15_000;
    const tick = () => {
      this.poll = setTimeout(async () => {
        await this.reconciler
          .refresh({ fetch: true })
          .catch((err: Error) =>
            this.ctx.store.emit({ type: 'log', level: 'warn', message: `refresh failed: ${err.message}` }),
          );
        if (!this.ctx.stopped && !this.stopped) tick();
      }, every);
      this.poll.unref();
    };
    tick();
  }

  /** Considers these apps now. */
  consider(names: string[]): void {
    if (this.stopped) return;
    for (const name of names) void this.one(name);
  }

  private async one(name: string): Promise<void> {
    const rt = this.ctx.apps.get(name);
    if (!rt || this.busy.has(name) || !rt.spec.syncPolicy?.automated) return;
    // An app-of-apps parent renders only Applications, which bosun interprets and never applies.
    if (rt.render?.ok && rt.render.objects.length > 0 && rt.desired.length === 0) return;
    const state = this.ctx.store.getSnapshot().apps.find((a) => a.name === name);
    if (!state || state.sync === 'Unknown') return;
    const outOfSync = state.sync === 'OutOfSync';
    if (!outOfSync && rt.automation.attempts > 0 && rt.revision === rt.automation.lastSyncedRevision) {
      rt.automation.attempts = 0;
    }
    const drifted = state.resources.filter((r) => r.sync !== 'Synced').map((r) => keyLabel(r.key));
    const decision = decideAutomation({
      app: rt.spec,
      backend: this.ctx.config.backend.type,
      ...(rt.revision ? { revision: rt.revision } : {}),
      ...(rt.automation.lastSyncedRevision ? { lastSyncedRevision: rt.automation.lastSyncedRevision } : {}),
      outOfSync,
      attempts: rt.automation.attempts,
      ...(rt.automation.lastAttemptAt !== undefined ? { lastAttemptAt: rt.automation.lastAttemptAt } : {}),
      now: Date.now(),
      ...(rt.automation.lastAttemptedRevision
        ? { lastAttemptedRevision: rt.automation.lastAttemptedRevision }
        : {}),
      ...(rt.automation.lastAttemptFailed !== undefined
        ? { lastAttemptFailed: rt.automation.lastAttemptFailed }
        : {}),
      desiredCount: rt.desired.length,
      driftedResources: drifted,
    });
    if (decision.warning && decision.warning !== rt.automation.warning) {
      rt.automation.warning = decision.warning;
      this.ctx.store.emit({ type: 'log', level: 'warn', app: name, message: decision.warning });
    }
    if (decision.action !== 'sync') {
      if (decision.nextAttemptAt) this.later(name, decision.nextAttemptAt - Date.now());
      return;
    }
    if (this.heldByWindow(name, decision.reason)) return;
    this.busy.add(name);
    rt.automation.attempts++;
    rt.automation.lastAttemptAt = Date.now();
    rt.automation.lastAttemptedRevision = rt.revision;
    this.ctx.store.emit({
      type: 'log',
      level: 'info',
      app: name,
      message: `auto-sync ${name}: ${decision.reason}`,
    });
    try {
      const r = await this.syncs.run(name, {
        automated: true,
        prune: decision.prune,
        reason: decision.reason,
      });
      rt.automation.lastAttemptFailed = r.phase !== 'Succeeded';
    } catch (err) {
      rt.automation.lastAttemptFailed = true;
      const level = err instanceof PolicyRefusal ? 'warn' : 'error';
      this.ctx.store.emit({
        type: 'log',
        level,
        app: name,
        message: `auto-sync ${name} not done: ${(err as Error).message}`,
      });
    } finally {
      this.busy.delete(name);
    }
  }

  /**
   * True when the app's sync windows hold automation now: says so once per reason and looks again
   * when the next window opens or closes.
   */
  private heldByWindow(name: string, reason: string): boolean {
    const rt = this.ctx.apps.get(name);
    if (!rt) return true;
    const now = Date.now();
    const verdict = syncWindowVerdictOf(this.ctx, rt, { now, manual: false });
    if (verdict.allowed) {
      delete rt.automation.heldBy;
      return false;
    }
    if (rt.automation.heldBy !== verdict.reason) {
      rt.automation.heldBy = verdict.reason;
      this.ctx.store.emit({
        type: 'log',
        level: 'warn',
        app: name,
        message: `auto-sync ${name} held by a sync window (${reason}): ${verdict.reason}`,
      });
    }
    const next = syncWindowOf(this.ctx, rt, now)?.nextChange;
    // Timers cannot wait for months: look again within the hour at the latest.
    this.later(name, Math.min(next ? Date.parse(next) - now + 1000 : 60_000, 3_600_000));
    return true;
  }

  private later(name: string, ms: number): void {
    if (this.timers.has(name) || this.stopped) return;
    const t = setTimeout(
      () => {
        this.timers.delete(name);
        void this.one(name);
      },
      Math.max(50, ms),
    );
    t.unref();
    this.timers.set(name, t);
  }

  /** Stops timers. */
  stop(): void {
    this.stopped = true;
    this.unsubscribe?.();
    if (this.poll) clearTimeout(this.poll);
    for (const t of this.timers.values()) clearTimeout(t);
    this.timers.clear();
  }
}
