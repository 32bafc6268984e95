/** Annotation keys bosun can track its objects with. */
export const TrackingAnnotation = {
  Bosun: 'bosun.dev/tracking-id',
  ArgoCD: 'argocd.argoproj.io/tracking-id',
} as const;
/** One of the tracking annotation keys. */
export type TrackingAnnotation = (typeof TrackingAnnotation)[keyof typeof TrackingAnnotation];

/** Which engine drives the apps: bosun's own, or an existing Argo CD that bosun fronts. */
export const BackendType = {
  Embedded: 'embedded',
  ArgoCD: 'argocd',
} as const;
/** One of the backend types. */
export type BackendType = (typeof BackendType)[keyof typeof BackendType];

/** The `backend:` block: in `argocd` mode Argo CD syncs and self-heals, bosun never does. */
export type BackendConfig = {
  type: BackendType;
  /** The kubeconfig context of the cluster Argo CD runs in; undefined = the current context. */
  context?: string;
  /** Argo CD's namespace (default `argocd`). */
  namespace: string;
};

/** One entry of the cluster registry: a name, the kubeconfig context it maps to, its API server. */
export type ClusterConfig = {
  /** The name Applications use in `destination.name`. */
  name: string;
  /** The kubeconfig context (defaults to `name`). */
  context: string;
  /** The API server URL Applications use in `destination.server`. */
  server?: string;
  /** Labels for the clusters generator's selectors. */
  labels: Record<string, string>;
  /** Annotations for the clusters generator's `metadata.annotations.<k>` params. */
  annotations: Record<string, string>;
  /** No mutating action is ever sent to this cluster. */
  readOnly: boolean;
  /** A theme accent for screens showing this cluster (e.g. `danger`). */
  theme?: string;
  /** The namespace of the argocd-cm whose Lua customizations apply on this cluster (default: the global one). */
  argocdNamespace?: string;
};

/** One environment of the promotion chain. */
export type EnvironmentConfig = {
  name: string;
  /** A production environment: extra confirmation on every mutating action. */
  production: boolean;
  /** Promotions into it push a `bosun/promote/…` branch instead of the main branch. */
  requireReview: boolean;
  /** App name globs that belong to this environment (overrides labels and paths). */
  apps: string[];
  /** Cluster names (registry) whose apps belong to this environment. */
  clusters: string[];
  /** Source path globs (e.g. `envs/prod/**`) that belong to this environment. */
  paths: string[];
};

/** The events a notification subscription can name (Argo CD notifications' trigger names). */
export const NotificationTrigger = {
  SyncSucceeded: 'on-sync-succeeded',
  SyncFailed: 'on-sync-failed',
  HealthDegraded: 'on-health-degraded',
  Deployed: 'on-deployed',
  DriftDetected: 'on-drift-detected',
} as const;
/** One of the notification triggers. */
export type NotificationTrigger = (typeof NotificationTrigger)[keyof typeof NotificationTrigger];

/** A webhook target: where a notification is POSTed, with headers (`${ENV}` expanded at send time) and a body template. */
export type WebhookTarget = {
  name: string;
  url: string;
  headers: Record<string, string>;
  /** Body template with `{{field}}` placeholders (JSON-escaped); default `{"text": "{{text}}"}` (Slack-compatible). */
  body?: string;
};

/** Which triggers go to which targets, for which apps and projects (globs; empty = all). */
export type NotificationSubscription = {
  triggers: NotificationTrigger[];
  targets: string[];
  apps: string[];
  projects: string[];
};

/** The `notifications:` block. */
export type NotificationsConfig = {
  targets: WebhookTarget[];
  subscriptions: NotificationSubscription[];
};

/** bosun's configuration, fully defaulted. */
export type BosunConfig = {
  /** The file it was read from; undefined when only defaults apply. */
  file?: string;
  repo: { path: string; remote: string; branch: string };
  backend: BackendConfig;
  /** Directories scanned for Argo CD objects; empty in a parsed file means "auto" (resolved by loadConfig). */
  roots: string[];
  clusters: ClusterConfig[];
  /** The kubeconfig context `https://kubernetes.default.svc` maps to; undefined = the current context. */
  inClusterContext?: string;
  environments: EnvironmentConfig[];
  tracking: { annotation: TrackingAnnotation };
  promote: { helmValueKey: string };
  limits: { renderTimeoutSeconds: number; maxManifestBytes: number };
  /** Paths of the kustomize / helm binaries; undefined = found on PATH. */
  binaries: { kustomize?: string; helm?: string };
  theme: string;
  /** `automation: false`: consoles and `watch` never auto-sync or self-heal (default true). */
  automation: boolean;
  /**
   * Directories of Argo CD health/action customizations (`<group>/<Kind>/health.lua`), the first highest;
   * absolute after loadConfig (relative entries are relative to the repository).
   */
  customizations: string[];
  /**
   * The namespace where bosun reads each cluster's `argocd-cm` (Lua health and actions, read-only);
   * undefined = `backend.namespace` (default `argocd`). Per cluster: `clusters[].argocdNamespace`.
   */
  argocdNamespace?: string;
  /** Webhook notifications sent by `bosun watch` and by a console that automates. */
  notifications: NotificationsConfig;
  /** Unknown keys and other non-fatal remarks, one line each. */
  warnings: string[];
};

/** A config file problem: one line naming the file, the key and what is wrong. */
export class ConfigError extends Error {
  /** The file the problem is in. */
  readonly file: string;
  /** The key path, e.g. `clusters[1].context`; undefined for file-level problems. */
  readonly key: string | undefined;
  constructor(message: string, options: { file: string; key?: string; cause?: unknown }) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'ConfigError';
    this.file = options.file;
    this.key = options.key;
  }
}

/** The defaults: a repo with an `argocd/` folder works with no config at all. */
export const defaultConfig: Readonly<BosunConfig> = deepFreeze({
  repo: { path: '.', remote: 'origin', branch: 'main' },
  backend: { type: BackendType.Embedded, namespace: 'argocd' },
  roots: [],
  clusters: [],
  environments: [],
  tracking: { annotation: TrackingAnnotation.Bosun },
  promote: { helmValueKey: 'image.tag' },
  limits: { renderTimeoutSeconds: 60, maxManifestBytes: 10 * 1024 * 1024 },
  binaries: {},
  theme: 'default-dark',
  automation: true,
  customizations: [],
  notifications: { targets: [], subscriptions: [] },
  warnings: [],
} satisfies BosunConfig);

/** A fresh, mutable copy of the defaults. */
export function cloneDefaultConfig(): BosunConfig {
  return structuredClone(defaultConfig) as BosunConfig;
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object') {
    for (const v of Object.values(value)) deepFreeze(v);
    Object.freeze(value);
  }
  return value;
}
