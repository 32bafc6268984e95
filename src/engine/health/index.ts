/**
 * Resource health: one pure function per kind, chosen by group and kind, in the manner of Argo CD's
 * gitops-engine `pkg/health`. `undefined` means "no opinion" (the kind has no check and no Ready/Available
 * condition), never Healthy. Progressing and Degraded results say which check decided (`check`) and which
 * field it is waiting on (`waitingOn`), so the console can explain them. No I/O and no clock: the time, when a
 * message needs it, comes in through `opts.now`.
 */
import type { Health, KubeObject, ResourceKey } from '../model/index.js';
import { HealthStatus, isWorse, keyOf, splitApiVersion } from '../model/index.js';
import { getApiServiceHealth } from './apiservice.js';
import {
  getAnalysisRunHealth,
  getApplicationSetHealth,
  getCertManagerHealth,
  getExperimentHealth,
  getExternalSecretsHealth,
  getRolloutHealth,
  getScaledObjectHealth,
  getSealedSecretHealth,
} from './crd.js';
import { getCronJobHealth } from './cronjob.js';
import { type Customizations, customizedHealth } from './customizations.js';
import { getDaemonSetHealth } from './daemonset.js';
import { getDeploymentHealth } from './deployment.js';
import {
  degraded,
  findCondition,
  healthy,
  num,
  parseConditions,
  progressing,
  reasonAndMessage,
  recordAt,
  sentence,
  str,
} from './fields.js';
import { getHpaHealth } from './hpa.js';
import { getIngressHealth } from './ingress.js';
import { getJobHealth } from './job.js';
import { getNamespaceHealth } from './namespace.js';
import { getPodHealth } from './pod.js';
import { getPvcHealth } from './pvc.js';
import { getCrossplaneHealth, getFluxHealth, isCrossplaneGroup, isFluxGroup } from './ready-conditions.js';
import { getReplicaSetHealth } from './replicaset.js';
import { getServiceHealth } from './service.js';
import { getStatefulSetHealth } from './statefulset.js';

/** A health check of one kind: `undefined` means no opinion. */
export type HealthCheck = (obj: KubeObject) => Health | undefined;

/** Options of {@link assessHealth}. */
export type AssessOptions = {
  /** The current time, used only to say how long an object has been pending deletion. */
  now?: Date;
  /** Lua health scripts (argocd-cm, directories); they come before the built-in checks. */
  customizations?: Customizations;
};

/** The built-in check for a group and kind, or undefined when the kind has none (the generic check applies). */
export function healthCheckFor(group: string, kind: string): HealthCheck | undefined {
  switch (group) {
    case 'apps':
    case 'extensions':
      switch (kind) {
        case 'Deployment':
          return getDeploymentHealth;
        case 'StatefulSet':
          return getStatefulSetHealth;
        case 'DaemonSet':
          return getDaemonSetHealth;
        case 'ReplicaSet':
          return getReplicaSetHealth;
        case 'Ingress':
          return group === 'extensions' ? getIngressHealth : undefined;
      }
      return undefined;
    case 'networking.k8s.io':
      return kind === 'Ingress' ? getIngressHealth : undefined;
    case '':
      switch (kind) {
        case 'Pod':
          return getPodHealth;
        case 'Service':
          return getServiceHealth;
        case 'PersistentVolumeClaim':
          return getPvcHealth;
        case 'Namespace':
          return getNamespaceHealth;
      }
      return undefined;
    case 'batch':
      if (kind === 'Job') return getJobHealth;
      return kind === 'CronJob' ? getCronJobHealth : undefined;
    case 'autoscaling':
      return kind === 'HorizontalPodAutoscaler' ? getHpaHealth : undefined;
    case 'apiregistration.k8s.io':
      return kind === 'APIService' ? getApiServiceHealth : undefined;
    case 'argoproj.io':
      return argoprojCheck(kind);
    case 'bitnami.com':
      return kind === 'SealedSecret' ? getSealedSecretHealth : undefined;
    case 'external-secrets.io':
      return externalSecretsKinds.has(kind) ? getExternalSecretsHealth : undefined;
    case 'cert-manager.io':
      return certManagerKinds.has(kind) ? getCertManagerHealth : undefined;
    case 'keda.sh':
      return kind === 'ScaledObject' ? getScaledObjectHealth : undefined;
  }
  if (isFluxGroup(group)) return getFluxHealth;
  if (isCrossplaneGroup(group)) return getCrossplaneHealth;
  return undefined;
}

const externalSecretsKinds = new Set([
  'ExternalSecret',
  'ClusterExternalSecret',
  'SecretStore',
  'ClusterSecretStore',
  'PushSecret',
]);
const certManagerKinds = new Set(['Certificate', 'CertificateRequest', 'Issuer', 'ClusterIssuer']);

function argoprojCheck(kind: string): HealthCheck | undefined {
  switch (kind) {
    case 'Application':
      return healthOfApplication;
    case 'ApplicationSet':
      return getApplicationSetHealth;
    case 'Rollout':
      return getRolloutHealth;
    case 'AnalysisRun':
      return getAnalysisRunHealth;
    case 'Experiment':
      return getExperimentHealth;
  }
  return undefined;
}

/**
 * Where a verdict came from, for explain: "health.lua from argocd-cm in production", "health.lua from DIR",
 * "built-in Rollout health", "generic conditions".
 */
export function healthSource(health: Health, key: { group: string; kind: string }): string {
  const check = health.check;
  if (!check) return 'no check';
  if (check.startsWith('health.lua from ')) return check;
  if (check.startsWith('conditions.')) return 'generic conditions';
  if (check === 'deletion') return 'pending deletion';
  if (check.startsWith('flux.')) return 'built-in Flux health';
  if (check.startsWith('crossplane.')) return 'built-in Crossplane health';
  return `built-in ${key.kind} health`;
}

/** The health of one live object: pending deletion first, then its kind's check, else the generic conditions. */
export function assessHealth(obj: KubeObject, opts: AssessOptions = {}): Health | undefined {
  if (str(obj.metadata.deletionTimestamp)) return pendingDeletion(obj, opts.now);
  if (opts.customizations) {
    const custom = customizedHealth(obj, opts.customizations);
    if (custom) return custom;
  }
  const check = healthCheckFor(splitApiVersion(obj.apiVersion).group, obj.kind);
  return check ? check(obj) : getConditionsHealth(obj);
}

/** The health of each object with its key (used by `bosun health`). */
export function assessObjects(
  objs: KubeObject[],
  opts: AssessOptions = {},
): { key: ResourceKey; health: Health | undefined }[] {
  return objs.map((obj) => ({ key: keyOf(obj), health: assessHealth(obj, opts) }));
}

/** The worst of several results, with its message; objects without an opinion are skipped. */
export function aggregateHealth(items: (Health | undefined)[]): Health {
  let worst: Health | undefined;
  let count = 0;
  for (const item of items) {
    if (!item) continue;
    count++;
    if (!worst || isWorse(worst.status, item.status)) worst = item;
  }
  if (!worst) return { status: HealthStatus.Healthy, message: 'No resource reports a health state.' };
  if (worst.status === HealthStatus.Healthy) {
    const message =
      count === 1
        ? (worst.message ?? 'The only resource is healthy.')
        : `All ${count} resources are healthy.`;
    return { status: HealthStatus.Healthy, message };
  }
  return { ...worst, message: worst.message ?? `A resource is ${worst.status}.` };
}

/**
 * The health an Argo CD Application (a child of an app-of-apps) reports in `status.health`; undefined when it
 * reports none. bosun assesses the apps it manages itself and passes their health separately.
 */
export function healthOfApplication(obj: KubeObject): Health | undefined {
  const health = recordAt(recordAt(obj, 'status'), 'health');
  const status = str(health.status);
  if (!status || !isHealthStatus(status)) return undefined;
  const name = obj.metadata.name;
  const detail = str(health.message);
  const message = sentence(
    `Application "${name}" reports ${status}${detail ? `: ${detail.replace(/\.$/, '')}` : ''}`,
  );
  if (status === HealthStatus.Healthy) return healthy(message, 'application.health');
  return { status, message, check: 'application.health', waitingOn: `status.health.status (${status})` };
}

/** Generic check for kinds without their own: the Ready, else Available, condition. */
export function getConditionsHealth(obj: KubeObject): Health | undefined {
  const status = recordAt(obj, 'status');
  const conditions = parseConditions(status.conditions);
  const cond = findCondition(conditions, 'Ready') ?? findCondition(conditions, 'Available');
  if (!cond) return undefined;
  const what = `${obj.kind} "${obj.metadata.name}"`;
  const adjective = cond.type === 'Ready' ? 'ready' : 'available';
  const check = `conditions.${adjective}`;

  const generation = num(obj.metadata.generation);
  const observed = num(status.observedGeneration) ?? cond.observedGeneration;
  if (generation !== undefined && observed !== undefined && observed < generation) {
    return progressing(
      'conditions.generation',
      `Waiting for the controller of ${what} to observe its latest spec (generation ${generation}).`,
      `status.observedGeneration (${observed}/${generation})`,
    );
  }

  const detail = reasonAndMessage(cond);
  if (cond.status === 'True')
    return healthy(`${what} is ${adjective}${detail ? ` (${detail})` : ''}.`, check);
  if (cond.status === 'False') {
    return degraded(
      check,
      sentence(`${what} is not ${adjective}: ${detail ?? 'no reason given'}`) +
        ` Read its status and events.`,
      `status.conditions[${cond.type}] (False${cond.reason ? `, ${cond.reason}` : ''})`,
    );
  }
  return progressing(
    check,
    sentence(`Waiting for ${what} to become ${adjective}${detail ? `: ${detail}` : ''}`),
    `status.conditions[${cond.type}] (${cond.status ?? 'Unknown'})`,
  );
}

function isHealthStatus(value: string): value is HealthStatus {
  return (Object.values(HealthStatus) as string[]).includes(value);
}

/** `3m`, `2h5m`, `4d`: a short span for messages. */
function shortDuration(ms: number): string {
  const s = Math.floor(ms / 1000);
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m`;
  const h = Math.floor(m / 60);
  if (h < 48) return m % 60 ? `${h}h${m % 60}m` : `${h}h`;
  return `${Math.floor(h / 24)}d`;
}

function pendingDeletion(obj: KubeObject, now: Date | undefined): Health {
  const since = obj.metadata.deletionTimestamp ?? '';
  const at = Date.parse(since);
  const elapsed =
    now && !Number.isNaN(at) && now.getTime() >= at ? ` for ${shortDuration(now.getTime() - at)}` : '';
  const finalizers = Array.isArray(obj.metadata.finalizers)
    ? obj.metadata.finalizers.filter((f): f is string => typeof f === 'string')
    : [];
  const waiting =
    finalizers.length > 0
      ? `; waiting for finalizers ${finalizers.join(', ')} to be removed by their controllers`
      : '; waiting for its controller to finish the deletion';
  return progressing(
    'deletion',
    `Pending deletion since ${since}${elapsed}${waiting}.`,
    finalizers.length > 0 ? `metadata.finalizers (${finalizers.join(', ')})` : 'metadata.deletionTimestamp',
  );
}
