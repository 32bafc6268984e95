/**
 * Operation records: what an operation was (kind, revision, initiator, times, phase, message) and what it
 * did per resource, small enough for a ConfigMap. The last 10 per app are kept. A record still Running
 * whose lease is gone or expired was cut off (lost SSH session, killed process) and shows as Interrupted.
 * Pure: time is passed in.
 */
import type { OperationPhase, OperationSummary } from '../model/index.js';
import { keyString, parseKeyString } from '../model/index.js';
import type { PlanTask } from '../types.js';

/** Records kept per app. */
export const HISTORY_LIMIT = 10;
/** Per-resource results kept per record (failures first); the counts always cover every task. */
export const RESOURCE_LIMIT = 100;

/** One resource's result in a record. */
export type ResourceResult = {
  key: string;
  phase: PlanTask['phase'];
  action: PlanTask['action'];
  status: string;
  message?: string;
};

/** Counts of an operation's tasks, and the results of (up to RESOURCE_LIMIT of) them. */
export type TaskSummary = {
  total: number;
  succeeded: number;
  failed: number;
  skipped: number;
  pruned: number;
  hooks: number;
  resources: ResourceResult[];
  /** Results left out to keep the record small. */
  omitted: number;
};

/** One operation as recorded in the cluster. */
export type OperationRecord = {
  id: string;
  app: string;
  kind: 'sync' | 'promote' | 'revert' | 'action';
  /** For kind `action`: which action on which resource (`Kind/namespace/name`), with its parameters. */
  action?: { name: string; resource: string; params?: Record<string, string> };
  context?: string;
  revision?: string;
  /** `user@host`. */
  initiator: string;
  startedAt: string;
  finishedAt?: string;
  phase: OperationPhase;
  message: string;
  dryRun?: boolean;
  tasks: TaskSummary;
  /** What the sync applied or left live (kinds and keys), so a later process watches those kinds too. */
  inventory?: Inventory;
};

/** Keys kept per inventory (the kinds always cover every key). */
export const INVENTORY_KEY_LIMIT = 500;

/** The objects an operation applied, or found live and left (not pruned): `group/Kind` and key strings. */
export type Inventory = { kinds: string[]; keys: string[]; omitted?: number };

/** The inventory of an operation's tasks: every object except hooks and successfully pruned ones. */
export function inventoryOf(tasks: readonly PlanTask[], limit = INVENTORY_KEY_LIMIT): Inventory {
  const kept = tasks.filter(
    (t) => t.action !== 'hook' && !(t.action === 'prune' && t.status === 'Succeeded'),
  );
  const keys = [...new Set(kept.map((t) => keyString(t.key)))].sort();
  const kinds = [...new Set(kept.map((t) => `${t.key.group}/${t.key.kind}`))].sort();
  const inv: Inventory = { kinds, keys: keys.slice(0, limit) };
  if (keys.length > limit) inv.omitted = keys.length - limit;
  return inv;
}

/**
 * Every kind the records name (`group` and `kind`): their inventories, and for older records without one,
 * the kinds of their per-resource results.
 */
export function inventoryKinds(records: readonly OperationRecord[]): { group: string; kind: string }[] {
  const ids = new Set<string>();
  for (const r of records) {
    for (const k of r.inventory?.kinds ?? []) ids.add(k);
    for (const res of r.tasks?.resources ?? []) {
      const key = parseKeyString(res.key);
      if (key && res.action !== 'hook') ids.add(`${key.group}/${key.kind}`);
    }
  }
  return [...ids].sort().flatMap((id) => {
    const at = id.lastIndexOf('/');
    const kind = id.slice(at + 1);
    return at >= 0 && kind ? [{ group: id.slice(0, at), kind }] : [];
  });
}

/** What records need to know about the app's sync lease. */
export type LeaseView = {
  holder?: string;
  /** Last renewal (ms since epoch). */
  renewedAt?: number;
  durationSeconds: number;
  operationId?: string;
};

/** Counts and (bounded) per-resource results of an operation's tasks. */
export function summarizeTasks(tasks: readonly PlanTask[], limit = RESOURCE_LIMIT): TaskSummary {
  const count = (f: (t: PlanTask) => boolean) => tasks.filter(f).length;
  const rank = (t: PlanTask) => (t.status === 'Failed' ? 0 : t.status === 'Skipped' ? 2 : 1);
  const ordered = tasks.map((t, i) => ({ t, i })).sort((a, b) => rank(a.t) - rank(b.t) || a.i - b.i);
  const kept = ordered.slice(0, limit).sort((a, b) => a.i - b.i);
  return {
    total: tasks.length,
    succeeded: count((t) => t.status === 'Succeeded'),
    failed: count((t) => t.status === 'Failed'),
    skipped: count((t) => t.status === 'Skipped'),
    pruned: count((t) => t.action === 'prune' && t.status === 'Succeeded'),
    hooks: count((t) => t.action === 'hook'),
    resources: kept.map(({ t }) => {
      const r: ResourceResult = {
        key: keyString(t.key),
        phase: t.phase,
        action: t.action,
        status: t.status ?? 'Pending',
      };
      if (t.message) r.message = t.message;
      return r;
    }),
    omitted: Math.max(0, tasks.length - limit),
  };
}

/** An empty summary (an operation that has not planned anything yet). */
export function emptySummary(): TaskSummary {
  return { total: 0, succeeded: 0, failed: 0, skipped: 0, pruned: 0, hooks: 0, resources: [], omitted: 0 };
}

/** Records with `record` inserted or replaced (by id), oldest first, the newest `limit` kept. */
export function upsertRecord(
  records: readonly OperationRecord[],
  record: OperationRecord,
  limit = HISTORY_LIMIT,
): OperationRecord[] {
  const others = records.filter((r) => r.id !== record.id);
  const all = [...others, record].sort((a, b) => a.startedAt.localeCompare(b.startedAt));
  return all.slice(Math.max(0, all.length - limit));
}

/** True when the lease is absent, released, or not renewed within its duration. */
export function leaseExpired(lease: LeaseView | undefined, now: number): boolean {
  if (!lease?.holder || lease.renewedAt === undefined) return true;
  return lease.renewedAt + lease.durationSeconds * 1000 <= now;
}

/**
 * Marks Running records that no live lease covers as Interrupted: the lease is gone or expired, or it
 * belongs to another operation. Records of other phases are returned unchanged.
 */
export function markInterrupted(
  records: readonly OperationRecord[],
  lease: LeaseView | undefined,
  now: number,
): OperationRecord[] {
  return records.map((r) => {
    if (r.phase !== 'Running') return r;
    const covered =
      !leaseExpired(lease, now) && (lease?.operationId === undefined || lease.operationId === r.id);
    if (covered) return r;
    const why =
      lease?.holder && lease.renewedAt !== undefined && lease.operationId === r.id
        ? `its console stopped renewing lease at ${new Date(lease.renewedAt).toISOString()}`
        : 'no console holds its lease any more';
    return {
      ...r,
      phase: 'Interrupted',
      message: `interrupted: ${why} (last known: ${r.message || 'running'})`,
      finishedAt: r.finishedAt ?? new Date(now).toISOString(),
    };
  });
}

/** A new operation id: time-ordered and unique enough across consoles. */
export function newOperationId(now: number, random: () => number = Math.random): string {
  const rand = Math.floor(random() * 36 ** 6)
    .toString(36)
    .padStart(6, '0');
  return `${now.toString(36)}-${rand}`;
}

/** The short view the app state carries. */
export function toOperationSummary(r: OperationRecord): OperationSummary {
  const out: OperationSummary = {
    id: r.id,
    kind: r.kind,
    phase: r.phase,
    initiator: r.initiator,
    startedAt: r.startedAt,
  };
  if (r.message) out.message = r.message;
  if (r.revision) out.revision = r.revision;
  if (r.finishedAt) out.finishedAt = r.finishedAt;
  if (r.action) out.action = r.action;
  return out;
}
