/** Health states, Argo CD's vocabulary. */
export const HealthStatus = {
  Healthy: 'Healthy',
  Progressing: 'Progressing',
  Degraded: 'Degraded',
  Suspended: 'Suspended',
  Missing: 'Missing',
  Unknown: 'Unknown',
} as const;
/** One of the health states. */
export type HealthStatus = (typeof HealthStatus)[keyof typeof HealthStatus];

/** The result of a health check: a state and a sentence a person can act on. */
export type Health = { status: HealthStatus; message?: string; check?: string; waitingOn?: string };

/** Worst first: used to aggregate an app's health from its resources. */
const healthOrder: readonly HealthStatus[] = [
  HealthStatus.Degraded,
  HealthStatus.Missing,
  HealthStatus.Unknown,
  HealthStatus.Progressing,
  HealthStatus.Suspended,
  HealthStatus.Healthy,
];

/** True when `b` is worse than `a`. */
export function isWorse(a: HealthStatus, b: HealthStatus): boolean {
  return healthOrder.indexOf(b) < healthOrder.indexOf(a);
}

/** The worst of several health states (Healthy for none). */
export function worstHealth(states: Iterable<HealthStatus>): HealthStatus {
  let worst: HealthStatus = HealthStatus.Healthy;
  for (const s of states) if (isWorse(worst, s)) worst = s;
  return worst;
}

/** Sync states of an app. */
export const SyncStatus = {
  Synced: 'Synced',
  OutOfSync: 'OutOfSync',
  Unknown: 'Unknown',
} as const;
/** One of the sync states. */
export type SyncStatus = (typeof SyncStatus)[keyof typeof SyncStatus];

/** Per-resource comparison result. */
export const ResourceSync = {
  Synced: 'Synced',
  OutOfSync: 'OutOfSync',
  /** In Git, not live. */
  Missing: 'Missing',
  /** Live with our tracking id, gone from Git: pruned by a sync with prune. */
  Extra: 'Extra',
  /** Live, not ours (no or foreign tracking id) but referenced by Git: would be adopted. */
  Foreign: 'Foreign',
} as const;
/** One of the per-resource comparison states. */
export type ResourceSync = (typeof ResourceSync)[keyof typeof ResourceSync];
