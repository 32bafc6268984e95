import { createHash } from 'node:crypto';
import { appPolicyOf } from '../core/app-policy.js';
import type { EngineContext } from '../core/context.js';
import { forEachLimit } from '../core/pool.js';
import type { Predictions } from '../core/predictions.js';
import { type KubeObject, keyOf } from '../model/resource-key.js';
import { ResourceSync } from '../model/status.js';
import { ClusterStatus } from '../types.js';

/** Background dry-runs in flight at once, over all clusters: a console never crowds a cluster. */
const CONCURRENCY = 4;
/** Refused dry-runs remembered (not sent again until the object's content changes). */
const MAX_REFUSED = 10_000;
/**
 * Prepared creates kept at most: a fleet with more Missing objects than this prepares no more (its
 * syncs dry-run the rest as usual) rather than pushing the comparison's answers out of the cache.
 */
const MAX_PREPARED = 5_000;
/** How long after start-up preparation begins: the first screen is drawn first. */
const OPEN_DELAY_MS = 1000;

/**
 * Prepares syncs in a long-running engine (console, watch): after an app is compared, the objects a
 * sync would create (Missing) are dry-run in the background, a few at a time, and the answers kept in
 * the prediction cache. The sync's pre-flight then answers those creates from the cache, so pressing
 * sync sends only the applies. A refused dry-run is not kept: the sync's own pre-flight sends it again
 * and reports the refusal. Makes no change to any cluster.
 */
export class SyncPrep {
  private readonly queue = new Set<string>();
  private readonly refused = new Set<string>();
  private draining?: Promise<void>;
  private open = false;

  constructor(
    private readonly ctx: EngineContext,
    private readonly predictions: Predictions,
  ) {}

  /** Queues an app whose comparison just finished; nothing is sent before {@link openSoon}'s delay. */
  enqueue(app: string): void {
    if (this.ctx.stopped) return;
    this.queue.add(app);
    if (this.open) this.draining ??= this.drain().finally(() => (this.draining = undefined));
  }

  /** Called when the engine's start-up is through: preparation begins a moment later. */
  openSoon(): void {
    setTimeout(() => {
      this.open = true;
      const [first] = this.queue;
      if (first !== undefined) this.enqueue(first);
    }, OPEN_DELAY_MS).unref();
  }

  /** Resolves when everything queued so far has been prepared (after the start-up delay). */
  async settled(): Promise<void> {
    while (!this.open && this.queue.size > 0 && !this.ctx.stopped)
      await new Promise((r) => setTimeout(r, 50));
    while (this.draining) await this.draining;
  }

  private async drain(): Promise<void> {
    while (this.queue.size > 0 && !this.ctx.stopped) {
      const [app] = this.queue;
      if (app === undefined) break;
      this.queue.delete(app);
      await this.prepare(app).catch(() => {});
    }
  }

  private async prepare(app: string): Promise<void> {
    const rt = this.ctx.apps.get(app);
    const cache = rt?.context ? this.ctx.caches.get(rt.context) : undefined;
    if (!rt || !cache || cache.status !== ClusterStatus.Connected) return;
    // Read-only (the engine, the cluster or the environment): no sync will run, and no dry-run is sent.
    if (appPolicyOf(this.ctx, rt).readOnly) return;
    // With the Argo CD backend, Argo CD syncs: its own pre-flight runs there.
    if (this.ctx.config.backend.type === 'argocd') return;
    const context = cache.context;
    const creates: KubeObject[] = [];
    for (const c of rt.compares) {
      if (c.sync !== ResourceSync.Missing || !c.desired) continue;
      if (this.predictions.preparedCreate(context, c.desired)) continue;
      if (this.refused.has(refusedKey(context, c.desired))) continue;
      creates.push(c.desired);
    }
    let room = MAX_PREPARED - this.predictions.preparedCount();
    await forEachLimit(creates, CONCURRENCY, async (desired) => {
      // Created meanwhile, the engine stopped, or enough prepared: nothing to do.
      if (this.ctx.stopped || room <= 0 || cache.get(keyOf(desired))) return;
      room--;
      try {
        const predicted = await cache.cluster.apply(desired, { dryRun: true, force: true });
        this.predictions.preparedAs(context, desired, predicted);
      } catch {
        if (this.refused.size > MAX_REFUSED) this.refused.clear();
        this.refused.add(refusedKey(context, desired));
      }
    });
  }
}

/** An object's identity and content: a refusal is forgotten when either changes. */
function refusedKey(context: string, desired: KubeObject): string {
  return `${context}|${createHash('sha1').update(JSON.stringify(desired)).digest('hex')}`;
}
