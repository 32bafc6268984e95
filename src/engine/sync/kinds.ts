/**
 * Kind knowledge sync needs without asking a cluster: Argo CD's apply order of kinds, the well-known
 * cluster-scoped kinds, the Argo CD kinds bosun reads but never applies, and which kinds a CRD defines.
 * Pure: no I/O, no clock.
 */
import type { KubeObject } from '../model/index.js';
import { splitApiVersion } from '../model/index.js';

/** Argo CD's kind order (gitops-engine `sync_tasks.go`): these kinds first, in this order; unknown kinds after. */
export const KIND_ORDER: readonly string[] = [
  'Namespace',
  'NetworkPolicy',
  'ResourceQuota',
  'LimitRange',
  'PodSecurityPolicy',
  'PodDisruptionBudget',
  'ServiceAccount',
  'Secret',
  'SecretList',
  'ConfigMap',
  'StorageClass',
  'PersistentVolume',
  'PersistentVolumeClaim',
  'CustomResourceDefinition',
  'ClusterRole',
  'ClusterRoleList',
  'ClusterRoleBinding',
  'ClusterRoleBindingList',
  'Role',
  'RoleList',
  'RoleBinding',
  'RoleBindingList',
  'Service',
  'DaemonSet',
  'Pod',
  'ReplicationController',
  'ReplicaSet',
  'Deployment',
  'HorizontalPodAutoscaler',
  'StatefulSet',
  'Job',
  'CronJob',
  'IngressClass',
  'Ingress',
  'APIService',
];

const kindIndex = new Map(KIND_ORDER.map((k, i) => [k, i]));

/** The position of a kind in the apply order; unknown kinds share the last position. */
export function kindOrder(kind: string): number {
  return kindIndex.get(kind) ?? KIND_ORDER.length;
}

/** Kinds that are cluster-scoped in every Kubernetes version (used when no discovery answer is at hand). */
const CLUSTER_SCOPED = new Set([
  '/Namespace',
  '/Node',
  '/PersistentVolume',
  '/ComponentStatus',
  'storage.k8s.io/StorageClass',
  'storage.k8s.io/CSIDriver',
  'storage.k8s.io/CSINode',
  'storage.k8s.io/VolumeAttachment',
  'apiextensions.k8s.io/CustomResourceDefinition',
  'rbac.authorization.k8s.io/ClusterRole',
  'rbac.authorization.k8s.io/ClusterRoleBinding',
  'apiregistration.k8s.io/APIService',
  'scheduling.k8s.io/PriorityClass',
  'networking.k8s.io/IngressClass',
  'node.k8s.io/RuntimeClass',
  'admissionregistration.k8s.io/MutatingWebhookConfiguration',
  'admissionregistration.k8s.io/ValidatingWebhookConfiguration',
  'admissionregistration.k8s.io/ValidatingAdmissionPolicy',
  'admissionregistration.k8s.io/ValidatingAdmissionPolicyBinding',
  'certificates.k8s.io/CertificateSigningRequest',
  'flowcontrol.apiserver.k8s.io/FlowSchema',
  'flowcontrol.apiserver.k8s.io/PriorityLevelConfiguration',
  'policy/PodSecurityPolicy',
]);

/** True when the group/kind is a well-known cluster-scoped kind. */
export function isWellKnownClusterScoped(group: string, kind: string): boolean {
  return CLUSTER_SCOPED.has(`${group}/${kind}`);
}

/** Argo CD's own kinds: interpreted by the engine, never applied. */
const ARGO_KINDS = new Set(['Application', 'ApplicationSet', 'AppProject']);

/** True for argoproj.io Application, ApplicationSet and AppProject. */
export function isArgoCdKind(group: string, kind: string): boolean {
  return group === 'argoproj.io' && ARGO_KINDS.has(kind);
}

/** True when the object is a CustomResourceDefinition. */
export function isCrd(obj: KubeObject): boolean {
  return (
    obj.kind === 'CustomResourceDefinition' &&
    splitApiVersion(obj.apiVersion).group === 'apiextensions.k8s.io'
  );
}

/** The group, kind and scope a CRD defines, or undefined when the object is not a well-formed CRD. */
export function crdDefines(
  obj: KubeObject,
): { group: string; kind: string; namespaced: boolean } | undefined {
  if (!isCrd(obj)) return undefined;
  const spec = obj.spec as { group?: unknown; names?: { kind?: unknown }; scope?: unknown } | undefined;
  if (typeof spec?.group !== 'string' || typeof spec.names?.kind !== 'string') return undefined;
  return { group: spec.group, kind: spec.names.kind, namespaced: spec.scope !== 'Cluster' };
}

/** `group/kind` as one string (for sets and messages). */
export function groupKind(group: string, kind: string): string {
  return `${group}/${kind}`;
}
