import type { WebhookRequest, WebhookSender } from './webhook.js';

/** One delivery: a request to one target, and how to claim it (exactly one operator sends it). */
export type Delivery = {
  /** For messages: `<target> <key>`. */
  label: string;
  request: WebhookRequest;
  /** Resolves true when this process may send (no other operator did); rejects when it cannot tell. */
  claim: () => Promise<boolean>;
};

/** Delivery outcome, for logs. */
export type DeliveryOutcome =
  | { label: string; result: 'sent'; status: number; attempts: number }
  | { label: string; result: 'skipped'; reason: string }
  | { label: string; result: 'gave-up'; reason: string; attempts: number };

/** Retry policy: attempts and backoff (ms) of one delivery. */
export type RetryPolicy = { attempts: number; initialMs: number; factor: number; maxMs: number };

/** Five attempts over about 15 s: 1 s, 2 s, 4 s, 8 s between them. */
export const DEFAULT_RETRY: RetryPolicy = { attempts: 5, initialMs: 1000, factor: 2, maxMs: 30_000 };

/**
 * A fire-and-forget queue: `push` returns at once (a sync never waits for a notification); each
 * delivery is claimed once, then POSTed and retried with backoff on a network error or a status
 * other than 2xx. Deliveries run one after another, in order.
 */
export class NotificationQueue {
  private readonly pending: Delivery[] = [];
  private running?: Promise<void>;
  private stopped = false;

  constructor(
    private readonly send: WebhookSender,
    private readonly onOutcome: (o: DeliveryOutcome) => void,
    private readonly retry: RetryPolicy = DEFAULT_RETRY,
    private readonly sleep: (ms: number) => Promise<void> = (ms) =>
      new Promise((r) => setTimeout(r, ms).unref()),
  ) {}

  /** Queues a delivery; never throws, never waits. */
  push(d: Delivery): void {
    if (this.stopped) return;
    this.pending.push(d);
    this.running ??= this.drain().finally(() => {
      this.running = undefined;
    });
  }

  /** Resolves when every queued delivery is done (for tests and a clean stop). */
  async idle(): Promise<void> {
    while (this.running) await this.running;
  }

  /** Drops what is not yet started. */
  stop(): void {
    this.stopped = true;
    this.pending.length = 0;
  }

  private async drain(): Promise<void> {
    for (let d = this.pending.shift(); d; d = this.pending.shift()) {
      try {
        this.onOutcome(await this.deliver(d));
      } catch (err) {
        this.onOutcome({ label: d.label, result: 'gave-up', reason: (err as Error).message, attempts: 0 });
      }
    }
  }

  private async deliver(d: Delivery): Promise<DeliveryOutcome> {
    let claimed: boolean;
    try {
      claimed = await d.claim();
    } catch (err) {
      return {
        label: d.label,
        result: 'gave-up',
        reason: `cannot record it: ${(err as Error).message}`,
        attempts: 0,
      };
    }
    if (!claimed) return { label: d.label, result: 'skipped', reason: 'another operator sent it' };
    let reason = '';
    for (let attempt = 1; attempt <= this.retry.attempts; attempt++) {
      if (attempt > 1 && !this.stopped)
        await this.sleep(
          Math.min(this.retry.initialMs * this.retry.factor ** (attempt - 2), this.retry.maxMs),
        );
      try {
        const status = await this.send(d.request);
        if (status >= 200 && status < 300)
          return { label: d.label, result: 'sent', status, attempts: attempt };
        reason = `HTTP ${status}`;
      } catch (err) {
        reason = (err as Error).message;
      }
    }
    return { label: d.label, result: 'gave-up', reason, attempts: this.retry.attempts };
  }
}
