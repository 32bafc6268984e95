import { PlaintextSecretCondition, plaintextSecretWarning } from '../diff/index.js';
import type { AppCondition, AppSpec, AppState, OperationSummary, RenderResult } from '../model/app.js';
import type { KubeObject } from '../model/resource-key.js';
import { HealthStatus, ResourceSync, SyncStatus, worstHealth } from '../model/status.js';
import type { AppPolicy } from '../policy/index.js';
import type { ResourceCompare } from './compare-app.js';

/** Everything the engine keeps about one app between refreshes. */
export type AppRuntime = {
  spec: AppSpec;
  context?: string;
  /** Discovery errors: the app is neither rendered nor synced. */
  errors: string[];
  /** Why the destination maps to no usable context. */
  contextError?: string;
  /** What the app's AppProject refuses (a sync is refused; comparison still runs). */
  projectRefusals?: string[];
  revision?: string;
  render?: RenderResult;
  /** Desired objects as applied (namespaced, tracked). */
  desired: KubeObject[];
  /** Desired count of the last successful render (to notice a render that became empty). */
  lastGoodDesiredCount?: number;
  compares: ResourceCompare[];
  operation?: OperationSummary;
  automation: {
    lastSyncedRevision?: string;
    lastAttemptedRevision?: string;
    lastAttemptFailed?: boolean;
    attempts: number;
    lastAttemptAt?: number;
    warning?: string;
    /** Why automation is held by a sync window (logged once per reason). */
    heldBy?: string;
  };
  reconciledAt?: string;
};

const workloadKinds = new Set([
  'Deployment',
  'StatefulSet',
  'DaemonSet',
  'Job',
  'CronJob',
  'Pod',
  'ReplicaSet',
]);

/** Container images used by an app's workloads (for the fleet cell). */
export function imagesOf(objects: KubeObject[]): string[] {
  const out = new Set<string>();
  for (const o of objects) {
    if (!workloadKinds.has(o.kind)) continue;
    const spec = o.spec as
      | { template?: { spec?: unknown }; jobTemplate?: { spec?: { template?: { spec?: unknown } } } }
      | undefined;
    const podSpec = (
      o.kind === 'Pod'
        ? o.spec
        : o.kind === 'CronJob'
          ? spec?.jobTemplate?.spec?.template?.spec
          : spec?.template?.spec
    ) as { containers?: { image?: string }[] } | undefined;
    for (const c of podSpec?.containers ?? []) if (c.image) out.add(c.image);
  }
  return [...out];
}

/**
 * The AppState of a runtime: sync is Unknown when the app could not be compared (with the reason
 * as a condition) or has not been compared yet, OutOfSync when any resource differs, is missing, extra or foreign; health is the
 * worst of its resources.
 */
export function appStateOf(
  rt: AppRuntime,
  opts: { clusterReachable: boolean; clusterMessage?: string; policy: AppPolicy },
): AppState {
  const conditions: AppCondition[] = rt.errors.map((message) => ({ type: 'InvalidSpec', message }));
  // An invalid spec is the one cause: its destination and its refused render say nothing more.
  if (rt.contextError && rt.errors.length === 0)
    conditions.push({ type: 'DestinationError', message: rt.contextError });
  if (rt.render && !rt.render.ok && !rt.errors.includes(rt.render.error))
    conditions.push({ type: 'RenderError', message: rt.render.error });
  if (rt.context && !opts.clusterReachable) {
    conditions.push({
      type: 'ClusterUnreachable',
      message: `${rt.context} unreachable: ${opts.clusterMessage ?? 'no answer'}`,
    });
  }
  for (const r of rt.projectRefusals ?? [])
    conditions.push({ type: 'ProjectRefused', message: `AppProject ${rt.spec.project} refuses ${r}` });
  if (rt.automation.warning) conditions.push({ type: 'SelfHealWarning', message: rt.automation.warning });
  const plaintext = rt.render?.ok ? plaintextSecretWarning(rt.render.objects) : undefined;
  if (plaintext) conditions.push({ type: PlaintextSecretCondition, message: plaintext });
  const warnings: string[] = ['SelfHealWarning', 'ProjectRefused', PlaintextSecretCondition];
  // Until the first comparison against the live cache (still listing), nothing is known: no resource
  // compared reads as Synced and Healthy otherwise, which is what an empty app is.
  const compared = rt.reconciledAt !== undefined;
  const comparable = conditions.every((c) => warnings.includes(c.type)) && rt.render?.ok === true && compared;
  const resources = rt.compares.map((c) => ({
    key: c.key,
    version: c.version,
    sync: c.sync,
    ...(c.health ? { health: c.health } : {}),
    ...(c.result?.changedPaths.length ? { changedPaths: c.result.changedPaths } : {}),
    explain: c.explain,
    ...(c.sync === ResourceSync.Extra ? { requiresPruning: true } : {}),
  }));
  let sync: SyncStatus = SyncStatus.Unknown;
  if (comparable) {
    sync = rt.compares.every((c) => c.sync === ResourceSync.Synced)
      ? SyncStatus.Synced
      : SyncStatus.OutOfSync;
  }
  const healths = rt.compares
    .filter((c) => c.sync !== ResourceSync.Extra && c.health)
    .map((c) => c.health!.status);
  const health = comparable ? worstHealth(healths) : HealthStatus.Unknown;
  const worst = rt.compares.find((c) => c.health?.status === health && health !== HealthStatus.Healthy);
  const healthMessage = comparable
    ? worst?.health?.message
      ? `${worst.key.kind}/${worst.key.name}: ${worst.health.message}`
      : undefined
    : (conditions[0]?.message ??
      (rt.render?.ok && !compared && rt.context
        ? `not compared yet: waiting for the live state of ${rt.context}`
        : undefined));
  return {
    name: rt.spec.name,
    spec: rt.spec,
    ...(rt.revision ? { revision: rt.revision } : {}),
    ...(rt.context ? { context: rt.context } : {}),
    sync,
    health,
    ...(healthMessage ? { healthMessage } : {}),
    resources,
    conditions,
    desiredCount: rt.desired.length,
    images: imagesOf(rt.desired),
    ...(rt.operation ? { operation: rt.operation } : {}),
    ...(rt.reconciledAt ? { reconciledAt: rt.reconciledAt } : {}),
    policy: opts.policy,
  };
}
