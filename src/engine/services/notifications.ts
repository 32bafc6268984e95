import type { EngineContext } from '../core/context.js';
import { HistoryStore } from '../history/index.js';
import type { AppState } from '../model/app.js';
import { type DeliveryOutcome, NotificationQueue, type RetryPolicy } from '../notify/queue.js';
import { expandEnv, type NotificationEvent, renderBody, targetsFor } from '../notify/template.js';
import { detectEvents, type TriggerView } from '../notify/triggers.js';
import type { WebhookSender } from '../notify/webhook.js';

/** Drift or degraded health at one revision is told again after this long. */
const REPEAT_AFTER_MS = 10 * 60_000;

/**
 * Notifications (bosun.yaml `notifications:`): watches the published app states for trigger events
 * and queues a webhook POST per subscribed target. Each event is claimed in the app's history
 * ConfigMap first, so when several operators automate, exactly one of them sends it. Never blocks
 * a sync: the queue is fire-and-forget.
 */
export class Notifications {
  private readonly seen = new Map<string, TriggerView>();
  private readonly queue: NotificationQueue;
  private unsubscribe?: () => void;

  constructor(
    private readonly ctx: EngineContext,
    send: WebhookSender,
    opts: { retry?: RetryPolicy; env?: Record<string, string | undefined> } = {},
  ) {
    this.env = opts.env ?? process.env;
    this.queue = new NotificationQueue(send, (o) => this.report(o), opts.retry);
  }

  private readonly env: Record<string, string | undefined>;

  /** Starts watching (after the engine started): the current states are the baseline, not events. */
  start(): void {
    const { notifications } = this.ctx.config;
    if (notifications.subscriptions.length === 0) return;
    for (const a of this.ctx.store.getSnapshot().apps) this.seen.set(a.name, view(a));
    this.unsubscribe = this.ctx.store.subscribe(() => this.look());
  }

  /** Stops watching and drops deliveries not yet started. */
  stop(): void {
    this.unsubscribe?.();
    this.queue.stop();
  }

  /** Resolves when queued deliveries are done. */
  idle(): Promise<void> {
    return this.queue.idle();
  }

  private look(): void {
    for (const a of this.ctx.store.getSnapshot().apps) {
      const cur = view(a);
      const events = detectEvents(this.seen.get(a.name), cur);
      this.seen.set(a.name, cur);
      for (const e of events) this.dispatch(e);
    }
  }

  private dispatch(e: NotificationEvent): void {
    const { targets, subscriptions } = this.ctx.config.notifications;
    for (const name of targetsFor(subscriptions, e)) {
      const target = targets.find((t) => t.name === name);
      if (!target) continue;
      const headers: Record<string, string> = {};
      for (const [k, v] of Object.entries(target.headers)) {
        const x = expandEnv(v, this.env);
        if (x.missing.length > 0)
          this.log('warn', e.app, `notification to ${name}: header ${k} needs ${x.missing.join(', ')} set`);
        headers[k] = x.value;
      }
      this.queue.push({
        label: `${e.trigger} of ${e.app} to ${name}`,
        request: {
          url: target.url,
          headers,
          // The body leaves the engine: it passes the app's redaction like every other text.
          body: this.ctx.redactions.forApp(e.app).text(renderBody(target.body, e)),
          timeoutMs: 10_000,
        },
        claim: () => this.claim(e, name),
      });
    }
  }

  /** Records `<target> <key>` in the app's history ConfigMap; false when another operator already did. */
  private async claim(e: NotificationEvent, target: string): Promise<boolean> {
    const rt = this.ctx.apps.get(e.app);
    const cache = rt?.context ? this.ctx.caches.get(rt.context) : undefined;
    if (!cache) throw new Error(`no cluster for ${e.app}`);
    // Drift and degraded health are seen by every operator and keyed by revision: once per 10 minutes.
    const windowed = e.trigger === 'on-drift-detected' || e.trigger === 'on-health-degraded';
    return new HistoryStore(cache.cluster).claimNotification(e.app, `${target} ${e.key}`, {
      now: Date.now(),
      ...(windowed ? { withinMs: REPEAT_AFTER_MS } : {}),
    });
  }

  private report(o: DeliveryOutcome): void {
    if (o.result === 'skipped') this.log('info', undefined, `notification ${o.label} skipped: ${o.reason}`);
    else if (o.result === 'sent')
      this.log('info', undefined, `notification ${o.label} sent (HTTP ${o.status}, attempt ${o.attempts})`);
    else if (o.result === 'gave-up')
      this.log(
        'warn',
        undefined,
        `notification ${o.label} not sent after ${o.attempts} attempts: ${o.reason}`,
      );
  }

  private log(level: 'info' | 'warn', app: string | undefined, message: string): void {
    this.ctx.store.emit({ type: 'log', level, message, ...(app ? { app } : {}) });
  }
}

function view(a: AppState): TriggerView {
  return {
    name: a.name,
    sync: a.sync,
    health: a.health,
    ...(a.healthMessage ? { healthMessage: a.healthMessage } : {}),
    ...(a.revision ? { revision: a.revision } : {}),
    ...(a.operation ? { operation: a.operation } : {}),
    ...(a.context ? { context: a.context } : {}),
    spec: { project: a.spec.project, ...(a.spec.environment ? { environment: a.spec.environment } : {}) },
  };
}
