/**
 * What bosun writes to an Application CR to act as Argo CD's API does (pure): a sync operation, a refresh, a
 * termination. Each builder returns a JSON merge patch or a one-line refusal; nothing here talks to a cluster.
 */
import type { ResourceKey } from '../model/resource-key.js';
import type { ArgoApplicationObject } from './status.js';

/** Argo CD's refresh annotation (`normal` or `hard`), removed by the controller once it has refreshed. */
export const refreshAnnotation = 'argocd.argoproj.io/refresh';

/** A JSON merge patch for an Application, or why it must not be sent. */
export type ArgoPatch = { ok: true; patch: Record<string, unknown> } | { ok: false; reason: string };

/** What a sync asks Argo CD to do. */
export type ArgoSyncRequest = {
  /** The operator's identity (`user@host`), recorded by Argo CD as `initiatedBy.username`. */
  initiator: string;
  /** Revision to sync to; default: the app's target revision. */
  revision?: string;
  prune?: boolean;
  dryRun?: boolean;
  /** Selective sync: only these resources. */
  resources?: ResourceKey[];
  /** Argo CD sync options, e.g. `CreateNamespace=true`, `ServerSideApply=true`. */
  syncOptions?: string[];
};

const record = (v: unknown): Record<string, unknown> | undefined =>
  v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;

/** The phase of the operation Argo CD is running on the app, if any. */
function runningPhase(app: ArgoApplicationObject): string | undefined {
  const phase = record(app.status?.operationState)?.phase;
  return phase === 'Running' || phase === 'Terminating' ? phase : undefined;
}

/** The `operation` patch that makes Argo CD's application controller sync the app. */
export function syncOperationPatch(app: ArgoApplicationObject, req: ArgoSyncRequest): ArgoPatch {
  const name = app.metadata.name;
  if (!req.initiator) return { ok: false, reason: `sync of ${name} refused: no operator identity` };
  if (app.operation !== undefined && app.operation !== null)
    return { ok: false, reason: `${name} already has a requested operation; wait for it or terminate it` };
  const phase = runningPhase(app);
  if (phase) return { ok: false, reason: `another operation is ${phase.toLowerCase()} on ${name}` };
  const sync: Record<string, unknown> = {};
  if (req.revision) sync.revision = req.revision;
  if (req.prune) sync.prune = true;
  if (req.dryRun) sync.dryRun = true;
  // Like Argo CD's API: without options of its own, a sync uses the app's syncPolicy.syncOptions.
  const appOptions = record(app.spec?.syncPolicy)?.syncOptions;
  const syncOptions = req.syncOptions ?? (Array.isArray(appOptions) ? (appOptions as string[]) : undefined);
  if (syncOptions?.length) sync.syncOptions = [...syncOptions];
  if (req.resources?.length)
    sync.resources = req.resources.map((k) => ({
      group: k.group,
      kind: k.kind,
      name: k.name,
      ...(k.namespace ? { namespace: k.namespace } : {}),
    }));
  // Like Argo CD's API, carry the app's retry policy into the operation.
  const retry = record(record(app.spec?.syncPolicy)?.retry);
  return {
    ok: true,
    patch: {
      operation: {
        sync,
        initiatedBy: { username: req.initiator },
        ...(retry ? { retry } : {}),
      },
    },
  };
}

/** The patch that asks Argo CD for a refresh (`hard` also drops the repo-server's manifest cache). */
export function refreshPatch(opts: { hard: boolean }): Record<string, unknown> {
  return { metadata: { annotations: { [refreshAnnotation]: opts.hard ? 'hard' : 'normal' } } };
}

/** The patch that asks Argo CD to terminate the running operation. */
export function terminatePatch(app: ArgoApplicationObject): ArgoPatch {
  const phase = runningPhase(app);
  if (phase === 'Terminating')
    return { ok: false, reason: `the operation on ${app.metadata.name} is already terminating` };
  if (phase !== 'Running') return { ok: false, reason: `no operation is running on ${app.metadata.name}` };
  return { ok: true, patch: { status: { operationState: { phase: 'Terminating' } } } };
}
