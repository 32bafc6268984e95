/**
 * Argo CD's view of an app in the engine's own shapes (pure): the AppState the console and CLI show, the sync
 * plan a dialog previews, the per-resource results of Argo CD's operation and the sentences of `explain`.
 */
import type { AppCondition, AppSpec, AppState } from '../model/app.js';
import { keyLabel, keyString, type ResourceKey } from '../model/resource-key.js';
import { ResourceSync } from '../model/status.js';
import type { AppPolicy } from '../policy/index.js';
import type { HistoryEntry, PlanTask, ResourceDiff, SyncOptions } from '../types.js';
import type { ArgoApp } from './source.js';
import type { ArgoApplicationObject } from './status.js';

type Obj = Record<string, unknown>;
const obj = (v: unknown): Obj | undefined =>
  v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Obj) : undefined;
const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);

/** Where Argo CD runs, as shown in messages. */
export type ArgoWhere = { context: string; namespace: string };

/**
 * The AppState of an Argo CD app: sync, health, resources, conditions, operation and revision are Argo CD's;
 * the spec's environment and service come from bosun's discovery when the repository has the app (`base`).
 */
export function argoAppState(opts: {
  argo: ArgoApp;
  base?: AppState;
  spec: AppSpec;
  context?: string;
  policy: AppPolicy;
}): AppState {
  const { argo, base } = opts;
  const s = argo.status;
  const conditions: AppCondition[] = s.conditions.map((c) => ({ type: c.type, message: c.message }));
  const healthMessage =
    s.healthMessage ??
    s.resources.find((r) => r.health && r.health.status !== 'Healthy' && r.health.message)?.health?.message;
  const images = s.images.length ? s.images : (base?.images ?? []);
  return {
    name: argo.spec.name,
    spec: opts.spec,
    ...(s.revision ? { revision: s.revision } : {}),
    ...(opts.context ? { context: opts.context } : {}),
    sync: s.sync,
    health: s.health,
    ...(healthMessage ? { healthMessage } : {}),
    resources: s.resources,
    conditions,
    desiredCount: s.resources.filter((r) => !r.requiresPruning && !r.hook).length,
    images,
    ...(s.operation ? { operation: s.operation } : {}),
    ...(s.reconciledAt ? { reconciledAt: s.reconciledAt } : {}),
    // Until Argo CD's controller removes its annotation: the console shows the app as refreshing.
    ...(s.refreshPending ? { refreshing: s.refreshPending === 'hard' ? 'hard' : 'normal' } : {}),
    policy: opts.policy,
  };
}

/**
 * The tasks Argo CD's application controller would run for a sync, from its resource list: every resource it
 * does not call Synced (or the selected ones), applied in wave order; resources to prune only with prune.
 */
export function argoPlanTasks(argo: ArgoApp, opts: SyncOptions): PlanTask[] {
  const selected = opts.resources?.length ? new Set(opts.resources.map(keyString)) : undefined;
  const tasks: PlanTask[] = [];
  for (const r of argo.status.resources) {
    if (selected && !selected.has(keyString(r.key))) continue;
    if (!selected && r.sync === ResourceSync.Synced) continue;
    const prune = r.requiresPruning === true || r.sync === ResourceSync.Extra;
    const task: PlanTask = {
      key: r.key,
      phase: 'Sync',
      wave: r.wave ?? 0,
      action: prune ? (opts.prune ? 'prune' : 'skip') : r.sync === ResourceSync.Missing ? 'create' : 'apply',
    };
    if (prune && !opts.prune) task.reason = 'not in Git; prune is off';
    tasks.push(task);
  }
  // Prunes (and prunes left out) come after every apply, as Argo CD runs them.
  const rank = (t: PlanTask) => (t.action === 'prune' || t.action === 'skip' ? 1 : 0);
  return tasks.sort(
    (a, b) => rank(a) - rank(b) || a.wave - b.wave || keyString(a.key).localeCompare(keyString(b.key)),
  );
}

const taskStatus: Record<string, PlanTask['status']> = {
  Synced: 'Succeeded',
  Pruned: 'Succeeded',
  SyncFailed: 'Failed',
  PruneSkipped: 'Skipped',
};

const hookStatus: Record<string, PlanTask['status']> = {
  Running: 'Running',
  Pending: 'Pending',
  Succeeded: 'Succeeded',
  Failed: 'Failed',
  Error: 'Failed',
  Terminating: 'Running',
};

const phases = new Set(['PreSync', 'Sync', 'PostSync', 'SyncFail']);

/** The per-resource results of Argo CD's current or last operation (`status.operationState.syncResult`). */
export function argoOperationTasks(app: ArgoApplicationObject, waves: Map<string, number>): PlanTask[] {
  const st = obj(app.status?.operationState);
  const results = obj(st?.syncResult)?.resources;
  if (!Array.isArray(results)) return [];
  return results.flatMap((v): PlanTask[] => {
    const r = obj(v);
    if (!r) return [];
    const key: ResourceKey = {
      group: str(r.group) ?? '',
      kind: str(r.kind) ?? '',
      namespace: str(r.namespace) ?? '',
      name: str(r.name) ?? '',
    };
    const result = str(r.status);
    const hook = str(r.hookType) !== undefined;
    const phase = str(r.syncPhase);
    const status = hook ? hookStatus[str(r.hookPhase) ?? ''] : taskStatus[result ?? ''];
    const message = str(r.message);
    return [
      {
        key,
        phase: phase && phases.has(phase) ? (phase as PlanTask['phase']) : 'Sync',
        wave: waves.get(keyString(key)) ?? 0,
        action: hook ? 'hook' : result === 'Pruned' || result === 'PruneSkipped' ? 'prune' : 'apply',
        status: status ?? 'Running',
        ...(message ? { message } : {}),
      },
    ];
  });
}

/** Why an Argo CD app (or one of its resources) is out of sync or unhealthy, as Argo CD reports it. */
export function argoExplain(argo: ArgoApp, where: ArgoWhere, resource?: ResourceKey): string[] {
  const s = argo.status;
  const name = argo.spec.name;
  const line = (r: (typeof s.resources)[number]) =>
    `${keyLabel(r.key)}: ${r.sync}${r.health ? `, ${r.health.status}` : ''}`;
  if (resource) {
    const r = s.resources.find((x) => keyString(x.key) === keyString(resource));
    if (!r) return [`${keyLabel(resource)} is not part of ${name} in Argo CD`];
    const out = [line(r), `  as Argo CD (${where.context}/${where.namespace}) reports it`];
    if (r.health?.message) out.push(`  health: ${r.health.message}`);
    if (r.requiresPruning) out.push('  not in Git: a sync with prune removes it');
    return out;
  }
  const out = [
    `${name}: ${s.sync}, ${s.health}${s.revision ? ` at ${s.revision.slice(0, 7)}` : ''} (Argo CD, ${where.context}/${where.namespace})`,
  ];
  for (const c of s.conditions) out.push(`  ${c.type}: ${c.message}`);
  const op = s.operation;
  if (op)
    out.push(
      `  operation: ${op.phase} by ${op.initiator}${op.message ? `: ${op.message}` : ''}${op.revision ? ` (${op.revision.slice(0, 7)})` : ''}`,
    );
  for (const r of s.resources) {
    const unhealthy = r.health && !['Healthy', 'Missing'].includes(r.health.status);
    if (r.sync === ResourceSync.Synced && !unhealthy) continue;
    out.push(line(r));
    if (r.health?.message && unhealthy) out.push(`  health: ${r.health.message}`);
    if (r.requiresPruning) out.push('  not in Git: a sync with prune removes it');
  }
  if (out.length === 1 && s.sync === 'Synced')
    out.push('  every resource matches Git, as Argo CD compares it');
  return out;
}

/**
 * The diff of an app bosun cannot render (Argo CD has it, the repository bosun reads does not): Argo CD's
 * comparison from `status.resources`, one entry per resource it does not call Synced, saying that the field
 * diff needs the repository.
 */
export function argoOnlyDiffs(argo: ArgoApp, where: ArgoWhere): ResourceDiff[] {
  const name = argo.spec.name;
  const note = `${name} is in Argo CD (${where.context}/${where.namespace}) but not in the repository bosun reads: this is Argo CD's comparison; the full diff needs the repository`;
  const out: ResourceDiff[] = [];
  for (const r of argo.status.resources) {
    if (r.sync === ResourceSync.Synced) continue;
    const health = r.health && r.sync !== ResourceSync.Missing ? `, health ${r.health.status}` : '';
    const what =
      r.sync === ResourceSync.Extra
        ? 'not in Git (a sync with prune removes it)'
        : r.sync === ResourceSync.Missing
          ? 'missing from the cluster'
          : 'Argo CD reports it out of sync';
    const head = out.length === 0 ? `# ${note}\n` : '';
    out.push({
      key: r.key,
      sync: r.sync,
      changedPaths: [],
      text: `${head}${r.sync} ${keyLabel(r.key)}: ${what}${health}\n`,
      explain: [note],
      source: 'argocd',
    });
  }
  return out;
}

/** Who deployed each revision, from Argo CD's deployment history (newest first). */
export function argoDeployments(argo: ArgoApp): Map<string, NonNullable<HistoryEntry['deployments']>> {
  const deployments = new Map<string, NonNullable<HistoryEntry['deployments']>>();
  for (const h of argo.status.history) {
    if (!h.revision) continue;
    const list = deployments.get(h.revision) ?? [];
    list.push({ id: h.id, initiator: h.initiator, ...(h.deployedAt ? { deployedAt: h.deployedAt } : {}) });
    deployments.set(h.revision, list);
  }
  return deployments;
}

/** The revision Argo CD runs: its last deployment, else the compared revision when Synced. */
export function argoDeployedRevision(a: ArgoApp | undefined): string | undefined {
  return a?.status.history[0]?.revision ?? (a?.status.sync === 'Synced' ? a.status.revision : undefined);
}
