/** Types of the sync plan and its conversion to the facade's `SyncPlanView`. Pure. */
import type { AppSpec, KubeObject, ResourceKey, ResourceState } from '../model/index.js';
import type { PlanTask, SyncOptions, SyncPlanView } from '../types.js';
import type { PropagationPolicy } from './options.js';
import type { HookDeletePolicy } from './waves.js';

/** Options of a plan: the facade's sync options plus what automation and explicit confirmations add. */
export type PlanOptions = SyncOptions & {
  /** The sync was started by automation: prune follows `automated.prune`, not `prune`. */
  automated?: boolean;
  /** Live objects owned by someone else that the operator explicitly confirmed to take over. */
  adopt?: ResourceKey[];
  /** Allow syncing an empty desired set (else `syncPolicy.automated.allowEmpty`). */
  allowEmpty?: boolean;
  /** Confirms `Prune=confirm` resources: all (`true`) or the listed ones. */
  confirmPrune?: boolean | ResourceKey[];
  /** Seed for names of hooks that only have `generateName` (default: the short revision). */
  operationId?: string;
};

/** Input of {@link planSync}. */
export type PlanInput = {
  app: AppSpec;
  desired: KubeObject[];
  /** Live objects carrying this app's tracking id or sharing a desired key, by `keyString`. */
  live: Map<string, KubeObject>;
  /** The comparison, to know which resources are OutOfSync (ApplyOutOfSyncOnly). */
  resourceStates?: ResourceState[];
  options: PlanOptions;
  /** Desired objects of the last successful render, to notice a render that suddenly became empty. */
  previousDesiredCount?: number;
  /** The tracking annotation key (`bosun.dev/tracking-id` or Argo CD's). */
  trackingAnnotation: string;
  context?: string;
  revision?: string;
  /** Discovery's answer to "is this kind namespaced?"; undefined when unknown. */
  namespaced?: (group: string, kind: string) => boolean | undefined;
  /** AppProject (or other) guard rail: a refusal sentence for an object that may not be synced. */
  policy?: (obj: KubeObject) => string | undefined;
};

/** One task of a plan, with what the run needs beyond the view. */
export type SyncTask = PlanTask & {
  /** Unique within the plan. */
  id: string;
  /** Tasks with the same step run as one wave (one health gate). */
  step: number;
  kindOrder: number;
  apiVersion: string;
  /** The object to send, tracking annotation set; absent for prune tasks. */
  obj?: KubeObject;
  live?: KubeObject;
  /** The server's answer to this task's dry run: equal to `live` means the apply would change nothing. */
  predicted?: KubeObject;
  /** What the real apply returned (or the live object when it was unchanged): the first health read. */
  applied?: KubeObject;
  hook?: { deletePolicies: HookDeletePolicy[] };
  prune?: { last: boolean; propagation: PropagationPolicy };
  /** Prune=confirm without confirmation: the run skips it. */
  needsConfirmation?: boolean;
  /** False when Validate=false. */
  validate: boolean;
  /** Created only when absent (CreateNamespace's namespace), never tracked or pruned. */
  createOnly?: boolean;
  skipDryRunOnMissingResource?: boolean;
};

/** A computed plan; `toPlanView` turns it into the facade's `SyncPlanView`. */
export type SyncPlan = {
  app: string;
  context: string;
  revision: string;
  /** Ordered tasks of PreSync, Sync (with prunes) and PostSync, skipped ones included. */
  tasks: SyncTask[];
  /** SyncFail hooks: run only when the sync fails. */
  syncFailTasks: SyncTask[];
  refusals: string[];
  warnings: string[];
  options: PlanOptions;
  /** Whether this sync prunes. */
  prune: boolean;
  retry?: NonNullable<AppSpec['syncPolicy']>['retry'];
  /** Group/kinds that CRDs in this plan define (their objects cannot be dry-run before the CRD exists). */
  crdKinds: string[];
};

/** The facade's view of a plan (a snapshot; the run updates its own tasks). */
export function toPlanView(plan: SyncPlan, tasks?: SyncTask[]): SyncPlanView {
  const all = tasks ?? [...plan.tasks, ...plan.syncFailTasks];
  return {
    app: plan.app,
    context: plan.context,
    revision: plan.revision,
    tasks: all.map(toPlanTask),
    refusals: [...plan.refusals],
    warnings: [...plan.warnings],
    options: plan.options,
  };
}

/** A task reduced to the facade's `PlanTask`. */
export function toPlanTask(t: SyncTask): PlanTask {
  const out: PlanTask = { key: t.key, phase: t.phase, wave: t.wave, action: t.action };
  if (t.reason !== undefined) out.reason = t.reason;
  if (t.status !== undefined) out.status = t.status;
  if (t.message !== undefined) out.message = t.message;
  return out;
}
