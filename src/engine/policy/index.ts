/** The policy: production, read-only and typed confirmation, decided once. */
export {
  type AppPolicy,
  clusterIsProduction,
  decideAppPolicy,
  environmentIsProduction,
  isProductionName,
  MutatingAction,
  RefusalCode,
  readOnlyReason,
} from './policy.js';
/** Sync windows: whether a sync may run now, and the status the engine publishes. */
export {
  appWindows,
  decideSyncWindow,
  describeWindow,
  type SyncWindowStatus,
  type SyncWindowVerdict,
  syncWindowStatus,
} from './sync-window.js';
