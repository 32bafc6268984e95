import {
  canSyncNow,
  matchingWindows,
  type SyncWindow,
  WindowRefusal,
  type WindowTarget,
  type WindowVerdict,
} from '../apps/sync-windows.js';

/** An app's sync windows at one moment, as the engine publishes them (`AppState.syncWindow`). */
export type SyncWindowStatus = {
  /** True while a matching window is active now (deny first, then allow). */
  active: boolean;
  /** The kind of the window that governs now: an active deny, else an active allow, else the allow windows waited for. */
  kind: 'allow' | 'deny';
  /** When the next matching window opens or closes (ISO time), if it can be known. */
  nextChange?: string;
  /** Whether automation (auto-sync, self-heal) may sync now. */
  automated: boolean;
  /** Whether a manual sync may run now. */
  manual: boolean;
  /** Why a sync is held, when one is (one line, names the window). */
  reason?: string;
  /** The governing window, e.g. `deny "0 22 * * *" for 1h (Europe/Paris)`. */
  window: string;
};

/** Whether a sync may run under the app's windows: the verdict and its one-line reason, naming the project. */
export type SyncWindowVerdict = { allowed: true } | { allowed: false; reason: string };

/** One window in words: kind, schedule, duration and time zone. */
export function describeWindow(w: SyncWindow): string {
  return `${w.kind} "${w.schedule}" for ${w.duration}${w.timeZone ? ` (${w.timeZone})` : ''}`;
}

/** The windows of an app's project that apply to it (empty when none). */
export function appWindows(windows: readonly SyncWindow[] | undefined, target: WindowTarget): SyncWindow[] {
  return windows?.length ? matchingWindows(windows, target) : [];
}

function verdictOf(v: WindowVerdict, project: string): SyncWindowVerdict {
  return v.allowed
    ? { allowed: true }
    : { allowed: false, reason: `AppProject ${project}: ${v.reason ?? 'a sync window blocks syncing'}` };
}

/** Whether a manual (or automated) sync may run at `now` under these matching windows. Pure. */
export function decideSyncWindow(opts: {
  project: string;
  windows: readonly SyncWindow[];
  now: number;
  manual: boolean;
}): SyncWindowVerdict {
  const raw = canSyncNow(opts.windows, { now: opts.now, manual: opts.manual });
  const v = verdictOf(raw, opts.project);
  return !v.allowed && opts.manual && raw.code !== WindowRefusal.Invalid
    ? { allowed: false, reason: `${v.reason} (manualSync is off)` }
    : v;
}

/** The published status of the app's matching windows at `now`, or undefined when no window matches. Pure. */
export function syncWindowStatus(opts: {
  project: string;
  windows: readonly SyncWindow[];
  now: number;
}): SyncWindowStatus | undefined {
  if (opts.windows.length === 0) return undefined;
  const auto = canSyncNow(opts.windows, { now: opts.now, manual: false });
  const manual = canSyncNow(opts.windows, { now: opts.now, manual: true });
  const states = auto.states;
  const active = states.filter((s) => s.active);
  const governing =
    active.find((s) => s.window.kind === 'deny') ??
    active.find((s) => s.window.kind === 'allow') ??
    states.find((s) => s.error) ??
    states.find((s) => s.window.kind === 'allow') ??
    states[0];
  if (!governing) return undefined;
  const changes = states
    .map((s) => (s.active ? s.closesAt : s.opensAt))
    .filter((t): t is number => t !== undefined);
  const next = changes.length > 0 ? Math.min(...changes) : undefined;
  const autoVerdict = verdictOf(auto, opts.project);
  return {
    active: governing.active,
    kind: governing.window.kind,
    ...(next !== undefined ? { nextChange: new Date(next).toISOString() } : {}),
    automated: auto.allowed,
    manual: manual.allowed,
    ...(!autoVerdict.allowed ? { reason: autoVerdict.reason } : {}),
    window: describeWindow(governing.window),
  };
}
