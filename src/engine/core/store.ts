import type { EngineEvent, EngineSnapshot } from '../types.js';

/**
 * The engine store: an immutable snapshot replaced on change, subscribers notified at most once per
 * `coalesceMs` (bursts of watch events become one UI update), and typed events delivered at once.
 */
export class EngineStore {
  private snapshot: EngineSnapshot;
  private readonly listeners = new Set<() => void>();
  private readonly eventListeners = new Set<(e: EngineEvent) => void>();
  private timer?: NodeJS.Timeout;
  private pendingApps = new Set<string>();

  constructor(
    initial: EngineSnapshot,
    private readonly coalesceMs = 100,
  ) {
    this.snapshot = initial;
  }

  /** The current snapshot. */
  getSnapshot = (): EngineSnapshot => this.snapshot;

  /** Subscribes to snapshot changes; returns unsubscribe. */
  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  /** Subscribes to typed events; returns unsubscribe. */
  onEvent = (listener: (e: EngineEvent) => void): (() => void) => {
    this.eventListeners.add(listener);
    return () => this.eventListeners.delete(listener);
  };

  /** Replaces the snapshot (version is bumped) and schedules a coalesced notification. */
  update(fn: (s: EngineSnapshot) => Omit<EngineSnapshot, 'version'>, changedApps: string[] = []): void {
    const next = fn(this.snapshot);
    this.snapshot = { ...next, version: this.snapshot.version + 1 };
    for (const a of changedApps) this.pendingApps.add(a);
    if (this.timer) return;
    this.timer = setTimeout(() => this.flush(), this.coalesceMs);
    this.timer.unref?.();
  }

  /** Notifies now (used at the end of start and in tests). */
  flush(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    const apps = [...this.pendingApps];
    this.pendingApps.clear();
    for (const l of this.listeners) l();
    if (apps.length > 0) this.emit({ type: 'apps-changed', apps });
  }

  /** Delivers a typed event to every event listener. */
  emit(e: EngineEvent): void {
    for (const l of this.eventListeners) {
      try {
        l(e);
      } catch {
        /* a listener's failure must not break the engine */
      }
    }
  }

  /** Stops pending timers. */
  close(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
  }
}
