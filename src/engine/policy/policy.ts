/**
 * The one policy: whether an app or cluster is production, whether it is read-only, and which
 * actions need a typed confirmation. Decided here, published on the snapshot, read by CLI and console.
 * Pure: no I/O.
 */
import { isProductionName } from '../../config/production.js';

/** Why the engine refused an action (the CLI maps these to exit codes; the engine knows none). */
export const RefusalCode = {
  /** bosun runs `--read-only`. */
  ReadOnly: 'read-only',
  /** The destination cluster is `readOnly` in bosun.yaml. */
  ClusterReadOnly: 'cluster-read-only',
  /** A production action without the typed confirmation. */
  ConfirmationRequired: 'confirmation-required',
  /** A sync of the app is already running in this process. */
  AlreadyRunning: 'already-running',
  /** Another console holds the app's sync lease. */
  LeaseHeld: 'lease-held',
  /** The sync plan refuses (failed render, AppProject, unreachable cluster, foreign owner…). */
  PlanRefused: 'plan-refused',
  /** The app's AppProject sync windows do not allow a sync now. */
  SyncWindow: 'sync-window',
} as const;
/** One of the refusal codes. */
export type RefusalCode = (typeof RefusalCode)[keyof typeof RefusalCode];

/** Mutating actions the policy rules on. */
export const MutatingAction = { Sync: 'sync', Promote: 'promote', Revert: 'revert' } as const;
/** One of the mutating actions. */
export type MutatingAction = (typeof MutatingAction)[keyof typeof MutatingAction];

/** The policy decision for one app (published as `AppState.policy`). */
export type AppPolicy = {
  production: boolean;
  /** Set when no mutating action may reach the app's cluster. */
  readOnly?: { code: RefusalCode; reason: string };
  /** Actions that need `confirmName` typed (production only; automation never asks). */
  confirm: MutatingAction[];
  /** What the operator types to confirm: the app's name. */
  confirmName: string;
};

/** True for an environment or cluster named exactly `prod` or `production`, in any case. */
export { isProductionName };

/** Whether an environment is production: its bosun.yaml setting, else its name. */
export function environmentIsProduction(
  name: string | undefined,
  environments: readonly { name: string; production: boolean }[],
): boolean {
  if (!name) return false;
  const configured = environments.find((e) => e.name.toLowerCase() === name.toLowerCase());
  return configured ? configured.production : isProductionName(name);
}

/**
 * Whether a cluster is production: any app on it is in a production environment, else its
 * registry name or kubeconfig context is named production.
 */
export function clusterIsProduction(opts: {
  name: string;
  context: string;
  appEnvironments: (string | undefined)[];
  environments: readonly { name: string; production: boolean }[];
}): boolean {
  if (opts.appEnvironments.some((e) => environmentIsProduction(e, opts.environments))) return true;
  return isProductionName(opts.name) || isProductionName(opts.context);
}

/** Why a cluster is read-only, if it is. */
export function readOnlyReason(opts: {
  engineReadOnly: boolean;
  cluster?: { name: string; readOnly: boolean };
}): AppPolicy['readOnly'] {
  if (opts.engineReadOnly) return { code: RefusalCode.ReadOnly, reason: 'bosun runs --read-only' };
  if (opts.cluster?.readOnly)
    return {
      code: RefusalCode.ClusterReadOnly,
      reason: `cluster ${opts.cluster.name} is read-only in bosun.yaml`,
    };
  return undefined;
}

/** The policy of one app from its environment, its cluster and the engine's read-only flag. */
export function decideAppPolicy(opts: {
  app: string;
  environment?: string;
  environments: readonly { name: string; production: boolean }[];
  clusterProduction: boolean;
  engineReadOnly: boolean;
  cluster?: { name: string; readOnly: boolean };
}): AppPolicy {
  const production = opts.clusterProduction || environmentIsProduction(opts.environment, opts.environments);
  const readOnly = readOnlyReason(opts);
  return {
    production,
    ...(readOnly ? { readOnly } : {}),
    confirm: production ? [MutatingAction.Sync, MutatingAction.Promote, MutatingAction.Revert] : [],
    confirmName: opts.app,
  };
}
