/** Sync: the pure plan, the run stepper, retry and automation decisions. */
export {
  type AutomationDecision,
  type AutomationInput,
  decideAutomation,
  SELF_HEAL_BACKOFF,
  SELF_HEAL_WARN_AFTER,
  selfHealDelay,
} from './automation.js';
export { crdDefines, isArgoCdKind, KIND_ORDER, kindOrder } from './kinds.js';
export {
  mergeSyncOptions,
  type PropagationPolicy,
  parseSyncOptions,
  type ResolvedSyncOptions,
  resourceSyncOptions,
  SYNC_OPTIONS_ANNOTATION,
} from './options.js';
export {
  type PlanInput,
  type PlanOptions,
  planSync,
  type SyncPlan,
  type SyncTask,
  toPlanTask,
  toPlanView,
} from './plan.js';
export type { ApiFailure, ApplyOptions, ClusterPort } from './port.js';
export { backoffDelay, formatDuration, parseDuration, type RetryPolicy, retryPolicy } from './retry.js';
export { groupSteps, SyncRun, type SyncRunOptions, type SyncRunState } from './run.js';
export { type Clock, ConnectionLostError, FIELD_MANAGER, missingKindMessage, systemClock } from './step.js';
export {
  HOOK_ANNOTATION,
  HOOK_DELETE_POLICY_ANNOTATION,
  type HookDeletePolicy,
  type HookInfo,
  hookInfo,
  SYNC_WAVE_ANNOTATION,
  SyncPhase,
  waveOf,
} from './waves.js';
