/** The engine's only public API: model types, the facade interface, its factory and the real adapters. */

export { type ActionInfo, actionParamProblem } from './actions/builtin.js';
export {
  type AdoptItem,
  type AdoptPlan,
  applyAdopt,
  applyRelease,
  planAdopt,
  planRelease,
  type ReleasePlan,
} from './argocd/handover.js';
export type { ArgoCdConnection, OpenArgoCdOptions } from './argocd/open.js';
export { openArgoCd } from './argocd/open.js';
export type { ArgoSyncRequest } from './argocd/requests.js';
export { type ArgoApp, ArgoCdRefusal } from './argocd/source.js';
export type { ArgoAppStatus, ArgoHistoryEntry } from './argocd/status.js';
export type { EngineAdapters, EngineOptions, GitAdapter, KubeAdapter } from './core/options.js';
/** The bounded-concurrency helpers (also used by the CLI's multi-app commands). */
export { forEachLimit, forEachPerKey } from './core/pool.js';
export { PolicyRefusal } from './core/refusal.js';
export { loadCustomizationDir, loadCustomizationDirs } from './customizations/load-dir.js';
export { CheckStatus, type DoctorCheck, type DoctorOptions, runDoctor } from './doctor.js';
export type { TimelineEvent } from './events/timeline.js';
export { age, formatEvent } from './events/timeline.js';
export { createEngine } from './facade/engine.js';
export { realAdapters } from './facade/real-adapters.js';
export { gitAdapter } from './git/adapter.js';
export {
  type ActionScripts,
  type Customizations,
  customizationKey,
  lookupScript,
  mergeCustomizations,
  type ScriptSource,
} from './health/customizations.js';
export { assessHealth, assessObjects } from './health/index.js';
/** The audit journal and who is acting (the CLI journals the refusals it decides itself). */
export { appendJournal, identity, type JournalEntry, journalPath, readJournal } from './history/index.js';
export { kubeAdapter } from './kube/adapter.js';
export type { LogOptions } from './logs/options.js';
export { compileGrep, LOG_BUFFER_LINES, parseSince, parseTail } from './logs/options.js';
export type { LogLine, LogSession } from './logs/session.js';
export {
  createLuaVm,
  type LuaAction,
  type LuaActionImpact,
  LuaScriptError,
  type LuaVm,
  luaHealthRunner,
  runAction,
  runActionDiscovery,
  runHealthScript,
} from './lua/index.js';
export * from './model/index.js';
export * from './offline/index.js';
export * from './policy/index.js';
/** The batch sync runner behind `syncMany` (exported for engine doubles in tests). */
export {
  APPS_PER_CLUSTER,
  batchPhrase,
  planSyncMany,
  type SyncManyHost,
  syncMany,
} from './services/sync-many.js';
export type { ActionRequest, ActionResult, ResourceYaml, TriageApi, WhyReport } from './triage/api.js';
export * from './types.js';
