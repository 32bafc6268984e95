import type {
  ActionInfo,
  ActionResult,
  AppSetPreviewResult,
  EngineEvent,
  EnvComparison,
  GitChangePlan,
  GitChangeResult,
  HistoryEntry,
  OperationResult,
  ResourceDiff,
  ResourceYaml,
  SyncManyEvent,
  SyncManyItem,
  SyncManyPlan,
  SyncPlanView,
  TimelineEvent,
  WhyReport,
} from '../../engine/index.js';
import type { LogViewState } from './log-view-model.js';

/** An asynchronous value: loading, ready, or a one-line error. */
export type Load<T> =
  | { status: 'loading' }
  | { status: 'ready'; value: T }
  | { status: 'error'; message: string };

/** How the fleet rows are ordered. */
export const SortKey = { Name: 'name', Health: 'health', Sync: 'sync' } as const;
/** One of the fleet sort orders. */
export type SortKey = (typeof SortKey)[keyof typeof SortKey];

/** How the fleet is grouped: by project (row sections) or by cluster (columns are clusters). */
export const GroupKey = { None: 'none', Project: 'project', Cluster: 'cluster' } as const;
/** One of the fleet groupings. */
export type GroupKey = (typeof GroupKey)[keyof typeof GroupKey];

/** The fleet's own state (kept while other views are on top). */
export type FleetState = {
  mode: 'matrix' | 'list';
  /** Services marked (space) for a promotion of several at once. */
  marked: string[];
  row: number;
  col: number;
  filter: string;
  sort: SortKey;
  group: GroupKey;
};

/** One entry of the navigation stack. */
export type ViewEntry =
  | { name: 'fleet'; id: number }
  | { name: 'app'; id: number; app: string; cursor: number }
  | {
      name: 'diff';
      id: number;
      app: string;
      index: number;
      scroll: number;
      focus?: string;
      data: Load<ResourceDiff[]>;
    }
  | { name: 'history'; id: number; app: string; cursor: number; data: Load<HistoryEntry[]> }
  | { name: 'clusters'; id: number; cursor: number }
  | { name: 'help'; id: number; scroll: number }
  | LogsEntry
  | { name: 'events'; id: number; app: string; scroll: number; data: Load<TimelineEvent[]> }
  | {
      name: 'yaml';
      id: number;
      app: string;
      resource: string;
      /** Shows the desired (Git) YAML instead of the live object. */
      desired: boolean;
      scroll: number;
      data: Load<ResourceYaml>;
    }
  | { name: 'why'; id: number; app: string; scroll: number; data: Load<WhyReport> }
  | CompareEntry
  | AppSetEntry;

/** A service in two environments, compared (as `bosun compare`); tab picks the other environment. */
export type CompareEntry = {
  name: 'compare';
  id: number;
  service: string;
  envA: string;
  envB: string;
  /** The service's environments in promotion order (what tab cycles through). */
  envs: string[];
  scroll: number;
  data: Load<EnvComparison>;
};

/** What an ApplicationSet generates at a revision, against HEAD and against what is live. */
export type AppSetEntry = {
  name: 'appset';
  id: number;
  set: string;
  revision?: string;
  scroll: number;
  data: Load<AppSetPreviewResult>;
};

/** The merged logs of an app or one resource; the log session itself lives in the controller. */
export type LogsEntry = {
  name: 'logs';
  id: number;
  app: string;
  /** `Kind/namespace/name`, or all the app's workloads when absent. */
  resource?: string;
  /** One container (all when absent). */
  container?: string;
  /** The previous (crashed) instance instead of following the current one. */
  previous: boolean;
  log: LogViewState;
};

/** Removes a key from every member of a union. */
export type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

/** A view to push (the reducer assigns its id). */
export type NewView = DistributiveOmit<ViewEntry, 'id'>;

/** Progress of one resource while a sync runs. */
export type TaskProgress = Record<string, { status: string; message?: string }>;

/** A target environment offered by the promote dialog. */
export type PromoteTarget = { env: string; app?: string; production: boolean };

/** The sync dialog: plan, toggles, typed confirmation, live progress, result. */
export type SyncModal = {
  kind: 'sync';
  id: number;
  app: string;
  production: boolean;
  stage: 'plan' | 'confirm' | 'running' | 'done';
  plan: Load<SyncPlanView>;
  prune: boolean;
  dryRun: boolean;
  /** Key strings of the resources chosen for a selective sync (empty: all). */
  selected: string[];
  cursor: number;
  typed: string;
  progress: TaskProgress;
  phase?: string;
  message?: string;
  result?: OperationResult;
  error?: string;
};

/** One app of the batch sync dialog while it runs: running, then its outcome. */
export type SyncManyProgress = Record<
  string,
  { phase: SyncManyItem['phase']; message?: string; ms?: number }
>;

/** The "sync what the filter shows" dialog: the apps, their plans, one confirmation, a line per app. */
export type SyncManyModal = {
  kind: 'sync-many';
  id: number;
  /** The fleet filter the apps were chosen by (for the title). */
  filter: string;
  /** Every app the fleet showed when the dialog opened, in its order, and whether it was OutOfSync. */
  shown: { app: string; outOfSync: boolean }[];
  /** Also sync the shown apps that are not OutOfSync (default: only the OutOfSync ones). */
  all: boolean;
  /** Some runnable app is production: the batch phrase must be typed. */
  production: boolean;
  stage: 'plan' | 'confirm' | 'running' | 'done';
  plan: Load<SyncManyPlan>;
  cursor: number;
  typed: string;
  progress: SyncManyProgress;
  /** When the run started and ended (ms since the epoch), for the summary. */
  startedAt?: number;
  finishedAt?: number;
  error?: string;
};

/** One service of a promotion: source app, target app, its preview and its outcome. */
export type PromoteItem = {
  service: string;
  fromApp: string;
  toApp?: string;
  plan: Load<GitChangePlan>;
  result?: GitChangeResult;
  error?: string;
};

/** The promote dialog: one or more services, a target environment, previews, confirmation, push. */
export type PromoteModal = {
  kind: 'promote';
  id: number;
  /** Source environment. */
  from: string;
  /** The services and their apps in the source environment. */
  sources: { service: string; fromApp: string }[];
  targets: PromoteTarget[];
  target?: PromoteTarget;
  stage: 'pick' | 'preview' | 'confirm' | 'applying' | 'done';
  /** One per service once the target is chosen. */
  items: PromoteItem[];
  cursor: number;
  typed: string;
  error?: string;
};

/** The revert dialog: preview a `git revert`, confirm, push. */
export type RevertModal = {
  kind: 'revert';
  id: number;
  app: string;
  commit: string;
  subject: string;
  production: boolean;
  stage: 'preview' | 'confirm' | 'applying' | 'done';
  plan: Load<GitChangePlan>;
  cursor: number;
  typed: string;
  result?: GitChangeResult;
  error?: string;
};

/**
 * The action menu of one resource: pick an action, type its parameters one by one (`typed` holds the one
 * being typed), confirm (production: the app's name typed), run.
 */
export type ActionModal = {
  kind: 'action';
  id: number;
  app: string;
  resource: string;
  production: boolean;
  stage: 'pick' | 'params' | 'confirm' | 'running' | 'done';
  actions: Load<ActionInfo[]>;
  cursor: number;
  typed: string;
  /** Parameter values given so far for the chosen action. */
  params?: Record<string, string>;
  result?: ActionResult;
  error?: string;
};

/** A dialog on top of the views. */
export type Modal = SyncModal | SyncManyModal | PromoteModal | RevertModal | ActionModal;

/** A dialog to open (the reducer assigns its id). */
export type NewModal = DistributiveOmit<Modal, 'id'>;

/** The stage names of all dialogs. */
export type ModalStage = Modal['stage'];

/** What the footer prompt edits: the fleet filter, a `:` command line, or the filter of the log view on top. */
export type PromptKind = 'filter' | 'command' | 'logs';

/** Severity of the status-bar line. */
export type StatusLevel = 'error' | 'warning' | 'success' | 'info';

/** The whole UI state (engine state lives outside, in the engine store). */
export type UiState = {
  /** Never empty; the bottom entry is the fleet. */
  stack: ViewEntry[];
  fleet: FleetState;
  modal?: Modal;
  prompt?: { kind: PromptKind; text: string };
  status?: { level: StatusLevel; text: string };
  showExplain: boolean;
  /** Theme chosen at runtime with `:theme`. */
  themeName?: string;
  nextId: number;
  quitting: boolean;
};

/** Every change to the UI state. */
export type UiAction =
  | { type: 'push-view'; view: NewView; id?: number }
  | { type: 'pop-view' }
  | { type: 'reset-to-fleet' }
  | { type: 'move'; delta: number; count: number }
  | { type: 'move-to'; index: number; count: number }
  | { type: 'move-col'; delta: number; count: number }
  | { type: 'diff-step'; delta: number }
  | { type: 'diff-data'; id: number; data: Load<ResourceDiff[]> }
  | { type: 'history-data'; id: number; data: Load<HistoryEntry[]> }
  | { type: 'fleet'; patch: Partial<FleetState> }
  | { type: 'prompt-open'; kind: PromptKind; text?: string }
  | { type: 'prompt-edit'; text: string }
  | { type: 'prompt-close' }
  | { type: 'status'; level: StatusLevel; text: string }
  | { type: 'status-clear' }
  | { type: 'toggle-explain' }
  | { type: 'modal-open'; modal: NewModal; id?: number }
  | { type: 'modal-close' }
  | { type: 'modal-stage'; id: number; stage: ModalStage }
  | { type: 'modal-typed'; text: string }
  | { type: 'sync-plan'; id: number; plan: Load<SyncPlanView> }
  | { type: 'sync-toggle'; option: 'prune' | 'dryRun' }
  | { type: 'sync-select'; key: string }
  | { type: 'sync-progress'; id: number; events: EngineEvent[] }
  | { type: 'sync-finished'; id: number; result?: OperationResult; error?: string }
  | { type: 'sync-many-plan'; id: number; plan: Load<SyncManyPlan> }
  | { type: 'sync-many-toggle'; id: number }
  | { type: 'sync-many-progress'; id: number; event: SyncManyEvent }
  | { type: 'sync-many-started'; id: number; at: number }
  | { type: 'sync-many-finished'; id: number; at: number; items?: SyncManyItem[]; error?: string }
  | { type: 'fleet-mark'; service: string }
  | { type: 'promote-target'; id: number; target: PromoteTarget; items: PromoteItem[] }
  | { type: 'promote-plan'; id: number; service: string; plan: Load<GitChangePlan> }
  | { type: 'promote-finished'; id: number; items: PromoteItem[] }
  | { type: 'git-plan'; id: number; plan: Load<GitChangePlan> }
  | { type: 'git-finished'; id: number; result?: GitChangeResult; error?: string }
  | { type: 'logs-view'; id: number; patch: Partial<Pick<LogsEntry, 'container' | 'previous' | 'log'>> }
  | { type: 'events-data'; id: number; data: Load<TimelineEvent[]> }
  | { type: 'yaml-data'; id: number; data: Load<ResourceYaml> }
  | { type: 'yaml-toggle' }
  | { type: 'why-data'; id: number; data: Load<WhyReport> }
  | { type: 'compare-data'; id: number; envB: string; data: Load<EnvComparison> }
  | { type: 'compare-env'; id: number; envB: string }
  | { type: 'appset-data'; id: number; data: Load<AppSetPreviewResult> }
  | { type: 'action-list'; id: number; actions: Load<ActionInfo[]> }
  | { type: 'action-param'; id: number; name: string; value: string }
  | { type: 'action-finished'; id: number; result?: ActionResult; error?: string }
  | { type: 'theme'; name: string }
  | { type: 'quit' };
