/**
 * Argo CD's view of an app, read from an Application CR's `status` (pure): sync, health, per-resource state,
 * conditions, the running or last operation and the deployment history, in bosun's vocabulary.
 */
import type { AppCondition, OperationSummary, ResourceState } from '../model/app.js';
import { OperationPhase } from '../model/app.js';
import { type Health, HealthStatus, ResourceSync, SyncStatus } from '../model/status.js';

type Obj = Record<string, unknown>;

/** An Application custom resource as read from the Kubernetes API (the parts bosun reads). */
export type ArgoApplicationObject = {
  apiVersion?: string;
  kind?: string;
  metadata: {
    name: string;
    namespace?: string;
    uid?: string;
    resourceVersion?: string;
    ownerReferences?: { apiVersion?: string; kind?: string; name?: string; uid?: string }[];
    annotations?: Record<string, string>;
    labels?: Record<string, string>;
  };
  spec?: Obj;
  status?: Obj;
  operation?: Obj;
};

/** One entry of Argo CD's deployment history (`status.history`). */
export type ArgoHistoryEntry = {
  id: number;
  revision?: string;
  deployedAt?: string;
  deployStartedAt?: string;
  initiator: string;
  automated: boolean;
};

/** Argo CD's view of one app, in bosun's vocabulary. */
export type ArgoAppStatus = {
  sync: SyncStatus;
  /** The revision Argo CD compared with (`status.sync.revision`). */
  revision?: string;
  health: HealthStatus;
  healthMessage?: string;
  resources: ResourceState[];
  conditions: AppCondition[];
  /** The running operation, else the last one Argo CD recorded. */
  operation?: OperationSummary;
  /** True while `operation` is set on the CR (requested, not yet picked up or still running). */
  operationPending: boolean;
  history: ArgoHistoryEntry[];
  images: string[];
  reconciledAt?: string;
  /** The value of the `argocd.argoproj.io/refresh` annotation while a refresh is pending. */
  refreshPending?: string;
};

const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);
const obj = (v: unknown): Obj | undefined =>
  v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Obj) : undefined;
const list = (v: unknown): Obj[] => (Array.isArray(v) ? v.map(obj).filter((x): x is Obj => !!x) : []);

const syncValues = new Set<string>(Object.values(SyncStatus));
const healthValues = new Set<string>(Object.values(HealthStatus));

function syncOf(v: unknown): SyncStatus {
  const s = str(v);
  return s && syncValues.has(s) ? (s as SyncStatus) : SyncStatus.Unknown;
}

function healthOf(v: unknown): HealthStatus {
  const s = str(v);
  return s && healthValues.has(s) ? (s as HealthStatus) : HealthStatus.Unknown;
}

/** The `user@host` (or "automated") that started an Argo CD operation. */
function initiatorOf(v: unknown): { initiator: string; automated: boolean } {
  const i = obj(v);
  const automated = i?.automated === true;
  return { initiator: str(i?.username) ?? (automated ? 'argocd (automated)' : 'unknown'), automated };
}

function resourceOf(r: Obj): ResourceState {
  const h = obj(r.health);
  const health: Health | undefined = h ? { status: healthOf(h.status), ...msg(h.message) } : undefined;
  const argoSync = str(r.status);
  // bosun has no per-resource Unknown: anything Argo CD does not call Synced needs a look.
  let sync: ResourceSync = argoSync === 'Synced' ? ResourceSync.Synced : ResourceSync.OutOfSync;
  if (r.requiresPruning === true) sync = ResourceSync.Extra;
  else if (sync === ResourceSync.OutOfSync && health?.status === HealthStatus.Missing)
    sync = ResourceSync.Missing;
  const wave = typeof r.syncWave === 'number' ? r.syncWave : undefined;
  return {
    key: {
      group: str(r.group) ?? '',
      kind: str(r.kind) ?? '',
      namespace: str(r.namespace) ?? '',
      name: str(r.name) ?? '',
    },
    version: str(r.version) ?? '',
    sync,
    ...(health ? { health } : {}),
    ...(r.hook === true ? { hook: true } : {}),
    ...(wave !== undefined ? { wave } : {}),
    ...(r.requiresPruning === true ? { requiresPruning: true } : {}),
  };
}

function msg(v: unknown): { message?: string } {
  const m = str(v);
  return m ? { message: m } : {};
}

const phaseOf: Record<string, OperationPhase> = {
  Running: OperationPhase.Running,
  Terminating: OperationPhase.Running,
  Succeeded: OperationPhase.Succeeded,
  Failed: OperationPhase.Failed,
  Error: OperationPhase.Error,
};

function operationOf(app: ArgoApplicationObject, status: Obj): OperationSummary | undefined {
  const st = obj(status.operationState);
  const pending = obj(app.operation);
  if (st) {
    const op = obj(st.operation);
    const argoPhase = str(st.phase) ?? 'Running';
    const phase = phaseOf[argoPhase] ?? OperationPhase.Error;
    const started = str(st.startedAt) ?? '';
    const finished = str(st.finishedAt);
    const rev = str(obj(st.syncResult)?.revision) ?? str(obj(op?.sync)?.revision);
    const message =
      argoPhase === 'Terminating' ? `terminating: ${str(st.message) ?? ''}`.trim() : str(st.message);
    return {
      id: `argocd:${app.metadata.name}:${started}`,
      kind: 'sync',
      phase,
      ...(message ? { message } : {}),
      ...(rev ? { revision: rev } : {}),
      initiator: initiatorOf(op?.initiatedBy).initiator,
      startedAt: started,
      ...(finished ? { finishedAt: finished } : {}),
    };
  }
  if (pending) {
    const rev = str(obj(pending.sync)?.revision);
    return {
      id: `argocd:${app.metadata.name}:requested`,
      kind: 'sync',
      phase: OperationPhase.Running,
      message: 'requested; waiting for the Argo CD application controller',
      ...(rev ? { revision: rev } : {}),
      initiator: initiatorOf(pending.initiatedBy).initiator,
      startedAt: '',
    };
  }
  return undefined;
}

function imagesOf(v: unknown): string[] {
  return (Array.isArray(v) ? v : []).filter((i): i is string => typeof i === 'string').sort();
}

/** Reads Argo CD's view of an app from its Application CR. */
export function argoAppStatus(app: ArgoApplicationObject): ArgoAppStatus {
  const status = obj(app.status) ?? {};
  const sync = obj(status.sync);
  const health = obj(status.health);
  const op = operationOf(app, status);
  const refresh = app.metadata.annotations?.['argocd.argoproj.io/refresh'];
  const reconciledAt = str(status.reconciledAt);
  const revision = str(sync?.revision);
  return {
    sync: syncOf(sync?.status),
    ...(revision ? { revision } : {}),
    health: healthOf(health?.status),
    ...(str(health?.message) ? { healthMessage: str(health?.message) } : {}),
    resources: list(status.resources).map(resourceOf),
    conditions: list(status.conditions).map((c) => ({
      type: str(c.type) ?? 'Unknown',
      message: str(c.message) ?? '',
    })),
    ...(op ? { operation: op } : {}),
    operationPending: obj(app.operation) !== undefined,
    history: list(status.history)
      .map((h) => {
        const who = initiatorOf(h.initiatedBy);
        const revision = str(h.revision) ?? (Array.isArray(h.revisions) ? str(h.revisions[0]) : undefined);
        return {
          id: typeof h.id === 'number' ? h.id : 0,
          ...(revision ? { revision } : {}),
          ...(str(h.deployedAt) ? { deployedAt: str(h.deployedAt) } : {}),
          ...(str(h.deployStartedAt) ? { deployStartedAt: str(h.deployStartedAt) } : {}),
          initiator: who.initiator,
          automated: who.automated,
        };
      })
      .sort((a, b) => b.id - a.id),
    images: imagesOf(obj(status.summary)?.images),
    ...(reconciledAt ? { reconciledAt } : {}),
    ...(refresh ? { refreshPending: refresh } : {}),
  };
}
