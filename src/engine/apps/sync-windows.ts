import { type CronSchedule, nextFire, parseCron } from './cron.js';
import { globMatch } from './glob.js';

/** One AppProject `spec.syncWindows` entry. */
export type SyncWindow = {
  kind: 'allow' | 'deny';
  schedule: string;
  duration: string;
  applications: string[];
  namespaces: string[];
  clusters: string[];
  manualSync: boolean;
  timeZone?: string;
};

/** What window matching reads of an app. */
export type WindowTarget = {
  name: string;
  namespace?: string;
  destinationName?: string;
  destinationServer?: string;
};

/** A window at one moment: active or not, when it closes (active) or next opens (inactive). */
export type WindowState = {
  window: SyncWindow;
  active: boolean;
  /** Epoch ms when an active window closes. */
  closesAt?: number;
  /** Epoch ms when an inactive window next opens. */
  opensAt?: number;
  /** A schedule, duration or time zone that cannot be read. */
  error?: string;
};

/** Why a sync is refused by sync windows (a refusal reason code). */
export const WindowRefusal = {
  Deny: 'sync-window-deny',
  OutsideAllow: 'sync-window-outside-allow',
  Invalid: 'sync-window-invalid',
} as const;
/** One of the sync-window refusal codes. */
export type WindowRefusal = (typeof WindowRefusal)[keyof typeof WindowRefusal];

/** Whether a sync may run now under the app's windows, and why not. */
export type WindowVerdict = {
  allowed: boolean;
  code?: WindowRefusal;
  reason?: string;
  /** The app's windows at this moment. */
  states: WindowState[];
};

const glob = (pattern: string, value: string | undefined) =>
  value !== undefined &&
  value !== '' &&
  (pattern === '*' || globMatch(pattern, value, { pathSeparator: false }));

/** The windows that apply to an app: any application, namespace or cluster (name or server) glob matches. */
export function matchingWindows(windows: readonly SyncWindow[], app: WindowTarget): SyncWindow[] {
  return windows.filter(
    (w) =>
      w.applications.some((p) => glob(p, app.name)) ||
      w.clusters.some((p) => glob(p, app.destinationName) || glob(p, app.destinationServer)) ||
      w.namespaces.some((p) => glob(p, app.namespace)),
  );
}

const units: Record<string, number> = {
  h: 3_600_000,
  m: 60_000,
  s: 1000,
  ms: 1,
  us: 0.001,
  µs: 0.001,
  ns: 1e-6,
};

/** Parses a Go duration (`1h`, `30m`, `1h30m`, `1.5h`) into ms; throws one line when unreadable. */
export function parseGoDuration(text: string): number {
  const re = /(\d+(?:\.\d+)?)(ms|us|µs|ns|h|m|s)/gy;
  let total = 0;
  let matched = 0;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    total += Number(m[1]) * (units[m[2] ?? ''] ?? 0);
    matched = re.lastIndex;
  }
  if (!text || matched !== text.length)
    throw new Error(`duration "${text}" is not a Go duration such as 1h or 30m`);
  return total;
}

/** The offset of a time zone from UTC at an instant, in ms (unknown zones count as UTC, as Argo CD does). */
export function zoneOffset(timeZone: string | undefined, at: number): number {
  if (!timeZone || timeZone === 'UTC') return 0;
  let parts: Intl.DateTimeFormatPart[];
  try {
    parts = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    }).formatToParts(new Date(at));
  } catch {
    return 0;
  }
  const n = (t: string) => Number(parts.find((p) => p.type === t)?.value ?? 0);
  const wall = Date.UTC(n('year'), n('month') - 1, n('day'), n('hour'), n('minute'), n('second'));
  return wall - Math.floor(at / 1000) * 1000;
}

const parsed = new Map<string, CronSchedule | Error>();
function schedule(expr: string): CronSchedule {
  let s = parsed.get(expr);
  if (!s) {
    try {
      s = parseCron(expr);
    } catch (err) {
      s = err as Error;
    }
    parsed.set(expr, s);
  }
  if (s instanceof Error) throw s;
  return s;
}

/**
 * A window at `now` (epoch ms). As Argo CD: the schedule runs on the zone's wall clock, and the
 * window is active when the schedule fired within the last `duration`.
 */
export function windowState(w: SyncWindow, now: number): WindowState {
  try {
    const s = schedule(w.schedule);
    const duration = parseGoDuration(w.duration);
    const offset = zoneOffset(w.timeZone, now);
    const wall = now + offset;
    const start = nextFire(s, wall - duration);
    if (start !== undefined && start < wall) {
      // The window stays open until the last firing before now has lasted its duration.
      let last = start;
      for (let i = 0, n = nextFire(s, last); n !== undefined && n < wall && i < 100_000; i++) {
        last = n;
        n = nextFire(s, n);
      }
      return { window: w, active: true, closesAt: last + duration - offset };
    }
    const next = nextFire(s, wall);
    return { window: w, active: false, ...(next !== undefined ? { opensAt: next - offset } : {}) };
  } catch (err) {
    return { window: w, active: false, error: (err as Error).message };
  }
}

/**
 * Decides, as Argo CD does, whether the app's matching windows let a sync run at `now`: an active
 * deny window blocks (a manual sync passes only when every active deny window has `manualSync`);
 * otherwise an active allow window permits; otherwise, when allow windows exist and none is
 * active, only a manual sync passes, and only when all of them have `manualSync`.
 */
export function canSyncNow(
  windows: readonly SyncWindow[],
  opts: { now: number; manual: boolean },
): WindowVerdict {
  const states = windows.map((w) => windowState(w, opts.now));
  if (states.length === 0) return { allowed: true, states };
  const bad = states.find((s) => s.error);
  if (bad)
    return {
      allowed: false,
      code: WindowRefusal.Invalid,
      reason: `sync window "${bad.window.schedule}" is invalid: ${bad.error}`,
      states,
    };
  const active = states.filter((s) => s.active);
  const deny = active.filter((s) => s.window.kind === 'deny');
  if (deny.length > 0) {
    if (opts.manual && deny.every((s) => s.window.manualSync)) return { allowed: true, states };
    const until = Math.max(...deny.map((s) => s.closesAt ?? 0));
    return {
      allowed: false,
      code: WindowRefusal.Deny,
      reason: `a deny sync window (${deny[0]?.window.schedule} for ${deny[0]?.window.duration}) is active until ${iso(until)}`,
      states,
    };
  }
  if (active.some((s) => s.window.kind === 'allow')) return { allowed: true, states };
  const inactiveAllows = states.filter((s) => s.window.kind === 'allow' && !s.active);
  if (inactiveAllows.length > 0) {
    if (opts.manual && inactiveAllows.every((s) => s.window.manualSync)) return { allowed: true, states };
    const opens = Math.min(...inactiveAllows.map((s) => s.opensAt ?? Number.POSITIVE_INFINITY));
    return {
      allowed: false,
      code: WindowRefusal.OutsideAllow,
      reason: `outside every allow sync window${Number.isFinite(opens) ? `; the next opens at ${iso(opens)}` : ''}`,
      states,
    };
  }
  return { allowed: true, states };
}

function iso(ms: number): string {
  return `${new Date(ms).toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}
