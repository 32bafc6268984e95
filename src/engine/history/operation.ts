/**
 * One recorded sync operation, end to end: take the app's sync lease (a second console is refused with the
 * holder's identity), record the operation as Running in the cluster, run the plan while renewing the lease
 * (losing it terminates the run), record the outcome, release the lease and append the audit journal.
 * A refused plan and a dry run change nothing in the cluster: no lease, no record.
 */
import type { Env } from '../../config/paths.js';
import type { SyncPlan } from '../sync/plan.js';
import type { ClusterPort } from '../sync/port.js';
import { SyncRun, type SyncRunOptions, type SyncRunState } from '../sync/run.js';
import { type Clock, systemClock } from '../sync/step.js';
import { appendJournal } from './journal.js';
import { acquireLease } from './lease.js';
import {
  inventoryOf,
  newOperationId,
  type OperationRecord,
  summarizeTasks,
  type TaskSummary,
} from './records.js';
import { HistoryStore } from './store.js';

/** Input of {@link runSyncOperation}. */
export type SyncOperationInput = {
  plan: SyncPlan;
  port: ClusterPort;
  clock?: Clock;
  /** `user@host`. */
  initiator: string;
  /** `user@host pid=N` (the lease holder). */
  holder: string;
  operationId?: string;
  /** Passed to the SyncRun (concurrency, timeouts, callbacks). */
  run?: Omit<SyncRunOptions, 'plan' | 'port' | 'clock'>;
  /** Where the audit journal goes; `false` writes none. */
  journal?: { path?: string; env?: Env } | false;
  /** Hands out the run as soon as it exists (to terminate it). */
  onRun?: (run: SyncRun) => void;
  /**
   * The app's redaction step (its Secret values, desired and live): task and run messages, the record in
   * the cluster and the journal line pass it. Default: the values of the plan's Secrets.
   */
  redact?: (text: string) => string;
};

/** The outcome: the final run state, the record (undefined for refusals and dry runs), what could not be written. */
export type SyncOperationResult = {
  id: string;
  state: SyncRunState;
  record?: OperationRecord;
  warnings: string[];
};

/** The per-resource messages of a summary, redacted. */
function redactResults(t: TaskSummary, redact: (text: string) => string): TaskSummary {
  return {
    ...t,
    resources: t.resources.map((r) => (r.message ? { ...r, message: redact(r.message) } : r)),
  };
}

const iso = (ms: number | undefined) => (ms === undefined ? undefined : new Date(ms).toISOString());

function recordOf(
  input: SyncOperationInput,
  id: string,
  state: SyncRunState,
  redact: (text: string) => string,
): OperationRecord {
  const r: OperationRecord = {
    id,
    app: input.plan.app,
    kind: 'sync',
    initiator: input.initiator,
    startedAt: iso(state.startedAt) ?? new Date((input.clock ?? systemClock).now()).toISOString(),
    phase: state.phase,
    message: redact(state.message),
    tasks: redactResults(summarizeTasks(state.tasks), redact),
    // Before the run starts its state may hold no tasks yet: the plan's tasks say what it will apply.
    inventory: inventoryOf(state.tasks.length > 0 ? state.tasks : input.plan.tasks),
  };
  if (input.plan.context) r.context = input.plan.context;
  if (input.plan.revision) r.revision = input.plan.revision;
  const finished = iso(state.finishedAt);
  if (finished) r.finishedAt = finished;
  return r;
}

/**
 * Runs a sync as a recorded operation. Throws LeaseHeldError (nothing changed) when another console holds
 * the app's lease, and an Error when the history cannot be written before the sync starts.
 */
export async function runSyncOperation(input: SyncOperationInput): Promise<SyncOperationResult> {
  const clock = input.clock ?? systemClock;
  const id = input.operationId ?? newOperationId(clock.now());
  const run = new SyncRun({
    ...input.run,
    ...(input.redact ? { redact: input.redact } : {}),
    plan: input.plan,
    port: input.port,
    clock,
  });
  const redact = (text: string) => run.redact(text);
  input.onRun?.(run);
  const journal = async (result: string, message: string, details: Record<string, unknown> = {}) => {
    if (input.journal === false) return;
    await appendJournal(
      {
        identity: input.initiator,
        action: input.plan.options.dryRun ? 'sync-dry-run' : 'sync',
        app: input.plan.app,
        context: input.plan.context,
        revision: input.plan.revision,
        result,
        message,
        operationId: id,
        details,
      },
      { ...(input.journal ?? {}), now: () => clock.now(), redact },
    );
  };

  const warnings: string[] = [];
  const attempt = async (what: string, fn: () => Promise<unknown>) => {
    try {
      await fn();
    } catch (err) {
      const cause = (err as { cause?: unknown }).cause;
      const detail = cause instanceof Error ? `: ${cause.message}` : '';
      warnings.push(`${what}: ${err instanceof Error ? err.message : String(err)}${detail}`);
    }
  };

  if (input.plan.refusals.length > 0 || input.plan.options.dryRun) {
    const state = await run.start();
    if (input.plan.refusals.length > 0)
      await attempt('audit journal', () => journal('refused', state.message));
    return { id, state, warnings };
  }

  const lease = await acquireLease(input.port, {
    app: input.plan.app,
    holder: input.holder,
    operationId: id,
    clock,
  });
  const store = new HistoryStore(input.port);
  try {
    await store.put(recordOf(input, id, { ...run.state, startedAt: clock.now() }, redact));
    await attempt('audit journal', () => journal('started', 'sync started', { prune: input.plan.prune }));
    lease.startRenewing(clock, {
      onLost: (err) =>
        run.terminate(`lost the sync lease: ${err instanceof Error ? err.message : String(err)}`),
    });
    const state = await run.start();
    const record = recordOf(input, id, state, redact);
    await attempt('operation history', () => store.put(record));
    await attempt('audit journal', () =>
      journal(state.phase, state.message, {
        prune: input.plan.prune,
        applied: record.tasks.succeeded - record.tasks.pruned,
        pruned: record.tasks.pruned,
        failed: record.tasks.failed,
      }),
    );
    return { id, state, record, warnings };
  } finally {
    await lease.release().catch(() => undefined);
  }
}
