import type { AppState, OperationPhase } from './model/app.js';
import type { KubeObject, ResourceKey } from './model/resource-key.js';
import type { Health, ResourceSync } from './model/status.js';
import type { AppSetPreviewResult } from './offline/appset-preview.js';
import type { EnvComparison } from './offline/compare-envs.js';
import type { RefusalCode } from './policy/index.js';
import type { TriageApi } from './triage/api.js';

/** Reachability of one cluster. */
export const ClusterStatus = {
  Connecting: 'Connecting',
  Connected: 'Connected',
  Unreachable: 'Unreachable',
} as const;
/** One of the cluster reachability states. */
export type ClusterStatus = (typeof ClusterStatus)[keyof typeof ClusterStatus];

/** What the engine knows about one cluster (a kubeconfig context). */
export type ClusterState = {
  name: string;
  context: string;
  server?: string;
  status: ClusterStatus;
  message?: string;
  serverVersion?: string;
  watchedKinds: number;
  objects: number;
  apps: number;
  readOnly: boolean;
  production: boolean;
  theme?: string;
  /** Count of list and watch requests made (to prove there are no storms). */
  requests: { list: number; watch: number };
  /** What bosun could not apply on this cluster (an unreadable or partly invalid argocd-cm), one line each. */
  warnings?: string[];
};

/** What the engine knows about the manifest repository. */
export type RepoState = {
  path: string;
  name: string;
  branch: string;
  remote?: string;
  head?: string;
  fetchedAt?: string;
  error?: string;
  /** Files under the roots that hold a broken manifest no app row can show (no readable name). */
  problems?: RepoProblem[];
};

/** A repository file bosun could not read as Argo CD objects, and why (one line). */
export type RepoProblem = { file: string; message: string };

/** Which engine acts on the apps: bosun's own (`embedded`) or an existing Argo CD (`argocd`). */
export type BackendState = {
  type: 'embedded' | 'argocd';
  /** argocd: the kubeconfig context and namespace Argo CD runs in. */
  context?: string;
  namespace?: string;
  /** argocd: number of Applications Argo CD has. */
  applications?: number;
  /** embedded: a one-line suggestion, e.g. an Argo CD already manages these apps. */
  hint?: string;
  /** embedded: where an Argo CD has Applications named like bosun's apps, and which. */
  detected?: { context: string; namespace: string; apps: string[] };
};

/** The whole engine state at one moment; immutable, replaced on every change. */
export type EngineSnapshot = {
  /** Increases on every change. */
  version: number;
  repo: RepoState;
  clusters: ClusterState[];
  apps: AppState[];
  appSets: { name: string; generated: string[]; error?: string }[];
  /** Environment chain, ordered (dev → staging → prod). */
  environments: { name: string; production: boolean; requireReview: boolean }[];
  errors: { source: string; message: string }[];
  loading: boolean;
  /** While loading: what the start is doing now (`rendering 12/60 apps`), for a spinner. */
  progress?: string;
  readOnly: boolean;
  identity: string;
  /** Whether this process runs auto-sync and self-heal, and how many app sync leases it holds now. */
  automation: { enabled: boolean; leases: number };
  /** The backend in use (absent until the config is loaded). */
  backend?: BackendState;
};

/** Typed change events; the store coalesces bursts (about 100 ms). */
export type EngineEvent =
  | { type: 'apps-changed'; apps: string[] }
  | { type: 'cluster-changed'; cluster: string; status: ClusterStatus }
  | { type: 'repo-changed'; head?: string }
  | { type: 'operation'; app: string; phase: OperationPhase; message?: string }
  | { type: 'task'; app: string; key: ResourceKey; status: string; message?: string }
  | { type: 'log'; level: 'info' | 'warn' | 'error'; message: string; app?: string }
  /** Long work under way (the start: rendering, listing clusters); for a progress line. */
  | { type: 'progress'; message: string };

/** One resource's diff, ready to show. Secret values are masked. */
export type ResourceDiff = {
  key: ResourceKey;
  sync: ResourceSync;
  changedPaths: string[];
  /** Unified diff text (live → desired). */
  text: string;
  explain: string[];
  /** `argocd`: Argo CD's comparison of an app bosun cannot render (not in its repository); no field diff. */
  source?: 'argocd';
};

/** A node of the live resource tree of an app. */
export type ResourceNode = {
  key: ResourceKey;
  version?: string;
  sync?: ResourceSync;
  health?: Health;
  info?: string;
  children: ResourceNode[];
  events?: { type: string; reason: string; message: string; count?: number; last?: string }[];
};

/** A commit in an app's history, with where it runs. */
export type HistoryEntry = {
  sha: string;
  shortSha: string;
  author: string;
  date: string;
  subject: string;
  /** Contexts (clusters) whose last successful sync was this commit. */
  runningIn: string[];
  /** argocd backend: Argo CD's deployments of this commit for the app (`status.history`), newest first. */
  deployments?: { id: number; initiator: string; deployedAt?: string }[];
};

/** Live object as cached (managedFields and last-applied dropped). */
export type LiveObject = KubeObject;

/** Options of a sync. */
export type SyncOptions = {
  prune?: boolean;
  dryRun?: boolean;
  /** Only these resources (selective sync; hooks don't run). */
  resources?: ResourceKey[];
  /** Typed confirmation for production apps: must equal the app name. */
  confirm?: string;
  /** Also wait for the last wave to be healthy before the operation ends (default false, as Argo CD). */
  wait?: boolean;
};

/** One ordered step of a sync plan. */
export type PlanTask = {
  key: ResourceKey;
  phase: 'PreSync' | 'Sync' | 'PostSync' | 'SyncFail';
  wave: number;
  action: 'create' | 'apply' | 'replace' | 'prune' | 'hook' | 'skip';
  reason?: string;
  status?: 'Pending' | 'Running' | 'Succeeded' | 'Failed' | 'Skipped';
  message?: string;
};

/** What a sync will do, before it runs; the same object is updated while it runs. */
export type SyncPlanView = {
  app: string;
  context: string;
  revision: string;
  tasks: PlanTask[];
  refusals: string[];
  warnings: string[];
  options: SyncOptions;
};

/** Result of an operation (sync, promote, revert). */
export type OperationResult = {
  id: string;
  phase: OperationPhase;
  message: string;
  tasks: PlanTask[];
  startedAt: string;
  finishedAt?: string;
};

/** Options of a batch sync (every app synced whole: no resource selection). */
export type SyncManyOptions = {
  prune?: boolean;
  dryRun?: boolean;
  /** The batch's typed confirmation: the plan's `phrase`, needed when any app is production. */
  confirm?: string;
  /** Called as each app starts and finishes (in the caller's turn of the event loop). */
  onProgress?: (e: SyncManyEvent) => void;
};

/** A policy refusal: its reason code and a one-line reason. */
export type Refusal = { code: RefusalCode; reason: string };

/** One app of a batch sync, as planned. */
export type SyncManyPlanItem = {
  app: string;
  context: string;
  production: boolean;
  /** Why this app would not be synced (absent: it will be). */
  refusal?: Refusal;
  warnings: string[];
  plan?: SyncPlanView;
};

/** A batch sync before it runs: each app's plan, the production apps, and the phrase that confirms them. */
export type SyncManyPlan = {
  items: SyncManyPlanItem[];
  /** The apps that will be synced (not refused), in order: what to pass to `syncMany`. */
  runnable: string[];
  /** The runnable apps that are production: when there is one, the batch needs `phrase` typed. */
  production: string[];
  /** What the operator types to confirm the batch of `runnable` apps (`sync 3 apps`). */
  phrase: string;
};

/** The outcome of one app of a batch sync. */
export type SyncManyItem = {
  app: string;
  context: string;
  /** The operation's phase, `Refused` when the policy stopped the app (see `code`), `Error` when it threw. */
  phase: OperationPhase | 'Refused';
  message: string;
  /** Milliseconds from the app's start to its end. */
  ms: number;
  code?: RefusalCode;
  result?: OperationResult;
};

/** Progress of a batch sync, one app at a time. */
export type SyncManyEvent =
  | { type: 'started'; app: string; context: string }
  | { type: 'finished'; item: SyncManyItem };

/** A previewed git change (promotion or revert). */
export type GitChangePlan = {
  kind: 'promote' | 'revert';
  title: string;
  /** Unified diff of the files changed. */
  fileDiff: string;
  files: string[];
  /** Rendered diff of the target app(s) against live, per app. */
  renderedDiff: { app: string; diffs: ResourceDiff[] }[];
  commitMessage: string;
  targetBranch: string;
  nothingToDo?: string;
  refusals: string[];
  /** The policy's decision: the change targets production, so applying it needs the name typed. */
  production?: boolean;
  /** Opaque id to pass to apply. */
  id: string;
};

/** Outcome of pushing a git change. */
export type GitChangeResult = {
  commit: string;
  pushedTo: string;
  branch: string;
  retries: number;
  nextStep?: string;
};

/** The engine facade: the only API the TUI, CLI and watch loop use. */
export interface BosunEngine extends TriageApi {
  /** Loads config, discovers apps, connects clusters, starts watches. */
  start(): Promise<void>;
  /** Stops watches, timers, automation; releases leases. */
  stop(): Promise<void>;
  /** Store: subscribe to changes (coalesced); returns unsubscribe. */
  subscribe(listener: () => void): () => void;
  /** Store: the current immutable snapshot. */
  getSnapshot(): EngineSnapshot;
  /** Resolves when the background work queued so far is done (sync preparation of long-running engines). */
  settled(): Promise<void>;
  /** Typed events (operations, tasks, logs); returns unsubscribe. */
  onEvent(listener: (e: EngineEvent) => void): () => void;
  /**
   * Fetches origin (optional) and re-renders and re-compares apps; with the argocd backend, also asks Argo CD to
   * refresh the app (`hard`: and regenerate its manifests).
   */
  refresh(opts?: { app?: string; fetch?: boolean; hard?: boolean }): Promise<void>;
  /** Per-resource diffs of an app (Secrets masked). */
  diff(app: string): Promise<ResourceDiff[]>;
  /** Live resource tree of an app (resources → owned objects), with recent events. */
  tree(app: string): ResourceNode[];
  /** Sentences explaining why an app or resource is OutOfSync / Progressing / Degraded. */
  explain(app: string, resource?: ResourceKey): string[];
  /** The ordered sync plan, computed before anything runs. */
  planSync(app: string, opts?: SyncOptions): Promise<SyncPlanView>;
  /** Runs a sync; progress arrives as 'task' and 'operation' events. */
  sync(app: string, opts?: SyncOptions): Promise<OperationResult>;
  /** Plans a batch sync: per-app refusals with reason codes, production apps and the confirmation phrase. */
  planSyncMany(apps: string[], opts?: SyncManyOptions): Promise<SyncManyPlan>;
  /**
   * Syncs many apps at once, bounded per destination cluster, each app's waves and hooks unchanged; one
   * app's failure never stops the others. Results come in the order of `apps`.
   */
  syncMany(apps: string[], opts?: SyncManyOptions): Promise<SyncManyItem[]>;
  /** Terminates the running sync of an app. */
  terminate(app: string): void;
  /** Git history of the paths feeding an app, with which commit each cluster runs. */
  history(app: string, opts?: { limit?: number }): Promise<HistoryEntry[]>;
  /** Previews promoting a service from one environment to the next. */
  planPromote(opts: { service: string; from: string; to: string }): Promise<GitChangePlan>;
  /** Previews reverting a commit for an app. */
  planRevert(opts: { app: string; commit: string }): Promise<GitChangePlan>;
  /** Commits and pushes a previewed change. */
  applyGitChange(plan: GitChangePlan, opts?: { confirm?: string }): Promise<GitChangeResult>;
  /** A service's rendered manifests and source files in two environments, normalised (as `bosun compare`). */
  compare(opts: { service: string; envA: string; envB: string; revision?: string }): Promise<EnvComparison>;
  /** What ApplicationSets generate at a revision, against HEAD and against what is live. */
  previewAppSets(opts?: { name?: string; revision?: string }): Promise<AppSetPreviewResult>;
}
