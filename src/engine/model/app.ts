import type { AppPolicy, SyncWindowStatus } from '../policy/index.js';
import type { KubeObject, ResourceKey } from './resource-key.js';
import type { Health, HealthStatus, ResourceSync, SyncStatus } from './status.js';

/** Kustomize options of an Application source (`spec.source.kustomize`). */
export type KustomizeOptions = {
  images?: string[];
  namePrefix?: string;
  nameSuffix?: string;
  namespace?: string;
  commonLabels?: Record<string, string>;
  commonAnnotations?: Record<string, string>;
};

/** Helm options of an Application source (`spec.source.helm`). */
export type HelmOptions = {
  releaseName?: string;
  valueFiles?: string[];
  values?: string;
  valuesObject?: Record<string, unknown>;
  parameters?: { name: string; value: string; forceString?: boolean }[];
  ignoreMissingValueFiles?: boolean;
  /** Argo CD's override of the Kubernetes version charts see (`.Capabilities.KubeVersion`). */
  kubeVersion?: string;
  /** Argo CD's override of the API versions charts see (`.Capabilities.APIVersions`). */
  apiVersions?: string[];
};

/** What a destination cluster tells charts, as Argo CD passes it to `helm template`. */
export type HelmCapabilities = {
  /** `major.minor` of the API server (`--kube-version`). */
  kubeVersion?: string;
  /** `group/version` and `group/version/Kind` the cluster serves (`--api-versions`). */
  apiVersions?: string[];
};

/** Directory options of an Application source (`spec.source.directory`). */
export type DirectoryOptions = { recurse?: boolean; include?: string; exclude?: string };

/** One source of an Application. */
export type AppSource = {
  repoURL: string;
  path?: string;
  chart?: string;
  targetRevision?: string;
  ref?: string;
  kustomize?: KustomizeOptions;
  helm?: HelmOptions;
  directory?: DirectoryOptions;
};

/** Where an Application deploys. */
export type AppDestination = { server?: string; name?: string; namespace?: string };

/** One `ignoreDifferences` rule. */
export type IgnoreDifference = {
  group?: string;
  kind: string;
  name?: string;
  namespace?: string;
  jsonPointers?: string[];
  jqPathExpressions?: string[];
  managedFieldsManagers?: string[];
};

/** `spec.syncPolicy`. */
export type SyncPolicy = {
  automated?: { prune?: boolean; selfHeal?: boolean; allowEmpty?: boolean; enabled?: boolean };
  syncOptions?: string[];
  retry?: { limit?: number; backoff?: { duration?: string; factor?: number; maxDuration?: string } };
};

/** An Application as bosun understands it, after discovery and generation. */
export type AppSpec = {
  /** Unique name (Application metadata.name). */
  name: string;
  project: string;
  sources: AppSource[];
  destination: AppDestination;
  syncPolicy?: SyncPolicy;
  ignoreDifferences?: IgnoreDifference[];
  labels: Record<string, string>;
  annotations: Record<string, string>;
  info?: { name: string; value: string }[];
  /** Where it was found: a file in the repo, or the ApplicationSet / parent app that produced it. */
  origin: { file?: string; parentApp?: string; applicationSet?: string };
  /** Environment (dev, staging, prod…) resolved from config, labels, generator params or paths. */
  environment?: string;
  /** Service name: the app name without its environment part, used to group the fleet. */
  service: string;
};

/** An AppProject's guard rails. */
export type AppProject = {
  name: string;
  sourceRepos: string[];
  destinations: { server?: string; name?: string; namespace?: string }[];
  clusterResourceWhitelist?: { group: string; kind: string }[];
  clusterResourceBlacklist?: { group: string; kind: string }[];
  namespaceResourceWhitelist?: { group: string; kind: string }[];
  namespaceResourceBlacklist?: { group: string; kind: string }[];
  /** `spec.syncWindows`: when syncs may run (allow) or must not (deny). */
  syncWindows?: {
    kind: 'allow' | 'deny';
    schedule: string;
    duration: string;
    applications: string[];
    namespaces: string[];
    clusters: string[];
    manualSync: boolean;
    timeZone?: string;
  }[];
};

/** A one-line problem attached to an app (render failure, policy refusal, unreachable cluster…). */
export type AppCondition = { type: string; message: string };

/** The comparison of one resource. */
export type ResourceState = {
  key: ResourceKey;
  version: string;
  sync: ResourceSync;
  health?: Health;
  /** Paths of differing fields, e.g. `/spec/replicas`. */
  changedPaths?: string[];
  /** Why, in sentences: ignore rules applied, field managers. */
  explain?: string[];
  hook?: boolean;
  wave?: number;
  requiresPruning?: boolean;
};

/** What bosun knows about one app right now. */
export type AppState = {
  name: string;
  spec: AppSpec;
  /** Commit the desired state was rendered from. */
  revision?: string;
  context?: string;
  sync: SyncStatus;
  health: HealthStatus;
  healthMessage?: string;
  resources: ResourceState[];
  conditions: AppCondition[];
  desiredCount: number;
  /** Image tags the desired Deployments use (for the fleet cell). */
  images: string[];
  operation?: OperationSummary;
  reconciledAt?: string;
  /** The engine's decision: production, read-only (with the reason) and what needs a typed confirmation. */
  policy: AppPolicy;
  /** The AppProject sync windows that match the app, at the snapshot's time (absent when none match). */
  syncWindow?: SyncWindowStatus;
  /** argocd backend: a refresh was requested and Argo CD has not reconciled yet (its annotation is still set). */
  refreshing?: 'normal' | 'hard';
};

/** Phases of an operation. */
export const OperationPhase = {
  Running: 'Running',
  Succeeded: 'Succeeded',
  Failed: 'Failed',
  Error: 'Error',
  Terminated: 'Terminated',
  Interrupted: 'Interrupted',
} as const;
/** One of the operation phases. */
export type OperationPhase = (typeof OperationPhase)[keyof typeof OperationPhase];

/** A short view of the last or running operation of an app. */
export type OperationSummary = {
  id: string;
  kind: 'sync' | 'promote' | 'revert' | 'action';
  /** For kind `action`: which action on which resource. */
  action?: { name: string; resource: string; params?: Record<string, string> };
  phase: OperationPhase;
  message?: string;
  revision?: string;
  initiator: string;
  startedAt: string;
  finishedAt?: string;
};

/** Desired objects of an app, or why there are none. */
export type RenderResult =
  | { ok: true; objects: KubeObject[]; revision: string; cacheKey: string; cached: boolean }
  | { ok: false; error: string; revision?: string };
