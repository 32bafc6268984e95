/**
 * The sync run: executes a plan against one cluster as a stepper. A dry run of every task comes first
 * (nothing is changed when it fails); then each wave is applied (bounded parallelism within a kind group),
 * its hooks complete and its resources get healthy before the next wave starts; prunes follow in reverse
 * wave order and never run after a failure. A failed sync runs the SyncFail hooks; `syncPolicy.retry`
 * retries it with backoff; a lost connection stops it with phase Error. Time comes from an injected clock.
 */
import type { OperationPhase } from '../model/index.js';
import { keyLabel } from '../model/index.js';
import type { OperationResult } from '../types.js';
import { type GateContext, pruneTask, runApplyTask, waitForGone, waitForStep } from './gate.js';
import { groupKind } from './kinds.js';
import { type SyncPlan, type SyncTask, toPlanTask } from './plan.js';
import type { ClusterPort } from './port.js';
import { backoffDelay, formatDuration, retryPolicy } from './retry.js';
import {
  type Clock,
  ConnectionLostError,
  classify,
  failureMessage,
  mapLimit,
  missingKindMessage,
  sendTask,
  systemClock,
  TerminatedError,
} from './step.js';

/** Options of a {@link SyncRun}. */
export type SyncRunOptions = {
  plan: SyncPlan;
  port: ClusterPort;
  clock?: Clock;
  /** Requests in flight within a kind group (default 8). */
  concurrency?: number;
  /** How long a wave may take to get healthy, or a hook to complete (default 5 min). */
  waitTimeoutMs?: number;
  /** Health polling interval (default 250 ms). */
  pollMs?: number;
  /** Pause after applying a wave that has a successor, for controllers to react (Argo CD's 2 s). */
  waveDelayMs?: number;
  onTask?: (task: SyncTask) => void;
  onPhase?: (state: SyncRunState) => void;
};

/** Where a run stands. */
export type SyncRunState = {
  phase: OperationPhase;
  message: string;
  /** Every task, SyncFail hooks last; statuses and messages are updated as the run goes. */
  tasks: SyncTask[];
  attempt: number;
  startedAt?: number;
  finishedAt?: number;
};

type Outcome = { phase: OperationPhase; message: string };

const clone = (tasks: SyncTask[]) => tasks.map((t) => ({ ...t }));

/** Executes one sync plan; create one per operation. */
export class SyncRun {
  private readonly plan: SyncPlan;
  private readonly port: ClusterPort;
  private readonly clock: Clock;
  private readonly opts: Required<
    Pick<SyncRunOptions, 'concurrency' | 'waitTimeoutMs' | 'pollMs' | 'waveDelayMs'>
  >;
  private readonly onTask: (task: SyncTask) => void;
  private readonly onPhase: (state: SyncRunState) => void;
  private tasks: SyncTask[];
  private failTasks: SyncTask[];
  private phase: OperationPhase = 'Running';
  private message = 'waiting to start';
  private attempt = 0;
  private startedAt?: number;
  private finishedAt?: number;
  private started = false;
  private terminateReason?: string;
  private wake: () => void = () => {};
  private readonly aborted: Promise<void>;

  constructor(opts: SyncRunOptions) {
    this.plan = opts.plan;
    this.port = opts.port;
    this.clock = opts.clock ?? systemClock;
    this.opts = {
      concurrency: opts.concurrency ?? 8,
      waitTimeoutMs: opts.waitTimeoutMs ?? 300_000,
      pollMs: opts.pollMs ?? 250,
      waveDelayMs: opts.waveDelayMs ?? 2000,
    };
    this.onTask = opts.onTask ?? (() => {});
    this.onPhase = opts.onPhase ?? (() => {});
    this.tasks = clone(this.plan.tasks);
    this.failTasks = clone(this.plan.syncFailTasks);
    this.aborted = new Promise((resolve) => {
      this.wake = resolve;
    });
  }

  /** The current state (a fresh object; tasks are the live task objects). */
  get state(): SyncRunState {
    return {
      phase: this.phase,
      message: this.message,
      tasks: [...this.tasks, ...this.failTasks],
      attempt: this.attempt,
      startedAt: this.startedAt,
      finishedAt: this.finishedAt,
    };
  }

  /** Asks the run to stop: requests in flight finish, nothing new starts, nothing is pruned. */
  terminate(reason = 'terminated by the operator'): void {
    if (this.finishedAt !== undefined || this.terminateReason) return;
    this.terminateReason = reason;
    this.wake();
  }

  /** Runs the plan to its end (with retries) and returns the final state. */
  async start(): Promise<SyncRunState> {
    if (this.started) throw new Error(`the sync of ${this.plan.app} was already started`);
    this.started = true;
    this.startedAt = this.clock.now();
    if (this.plan.refusals.length > 0) {
      for (const t of [...this.tasks, ...this.failTasks]) if (t.status === 'Pending') t.status = 'Skipped';
      return this.finish({ phase: 'Failed', message: `sync refused: ${this.plan.refusals.join('; ')}` });
    }
    const policy = this.plan.options.dryRun ? undefined : retryPolicy(this.plan.retry);
    for (;;) {
      this.attempt++;
      if (this.attempt > 1) {
        this.tasks = clone(this.plan.tasks);
        this.failTasks = clone(this.plan.syncFailTasks);
      }
      this.setPhase('Running', this.attempt > 1 ? `attempt ${this.attempt}: syncing` : 'syncing');
      const outcome = await this.runAttempt();
      if (outcome.phase !== 'Failed' && outcome.phase !== 'Error') return this.finish(outcome);
      const delay = backoffDelay(policy, this.attempt);
      if (delay === undefined) {
        const suffix = this.attempt > 1 ? ` (after ${this.attempt} attempts)` : '';
        return this.finish({ ...outcome, message: outcome.message + suffix });
      }
      this.setPhase(
        'Running',
        `${outcome.message}; retrying in ${formatDuration(delay)} (attempt ${this.attempt + 1})`,
      );
      try {
        await this.pause(delay);
      } catch {
        return this.finish({ phase: 'Terminated', message: this.terminateReason ?? 'terminated' });
      }
    }
  }

  /** The run as the facade's operation result. */
  toResult(id: string): OperationResult {
    const iso = (ms: number | undefined) => (ms === undefined ? undefined : new Date(ms).toISOString());
    const out: OperationResult = {
      id,
      phase: this.phase,
      message: this.message,
      tasks: this.state.tasks.map(toPlanTask),
      startedAt: iso(this.startedAt) ?? '',
    };
    const finished = iso(this.finishedAt);
    if (finished) out.finishedAt = finished;
    return out;
  }

  private finish(outcome: Outcome): SyncRunState {
    for (const t of this.tasks) {
      if (t.status === 'Pending' || t.status === 'Running') {
        const wasRunning = t.status === 'Running';
        t.status = 'Skipped';
        const prior = t.message?.startsWith('dry run') ? `${t.message}; ` : '';
        t.message = `${prior}${wasRunning ? 'not finished' : 'not run'}: ${outcome.message}`;
        this.onTask(t);
      }
    }
    for (const t of this.failTasks) {
      if (t.status === 'Pending' || t.status === 'Running') {
        t.status = 'Skipped';
        t.message =
          outcome.phase === 'Succeeded' ? 'runs only when the sync fails' : `not run: ${outcome.message}`;
        this.onTask(t);
      }
    }
    this.finishedAt = this.clock.now();
    this.setPhase(outcome.phase, outcome.message);
    return this.state;
  }

  private setPhase(phase: OperationPhase, message: string): void {
    this.phase = phase;
    this.message = message;
    this.onPhase(this.state);
  }

  private update(task: SyncTask, patch: Partial<SyncTask>): void {
    Object.assign(task, patch);
    this.onTask(task);
  }

  private checkTerminated(): void {
    if (this.terminateReason) throw new TerminatedError(this.terminateReason);
  }

  /** Sleeps on the injected clock; rejects as soon as terminate() is called. */
  private async pause(ms: number): Promise<void> {
    this.checkTerminated();
    await Promise.race([this.clock.sleep(ms), this.aborted]);
    this.checkTerminated();
  }

  private gate(): GateContext {
    return {
      port: this.port,
      clock: this.clock,
      concurrency: this.opts.concurrency,
      waitTimeoutMs: this.opts.waitTimeoutMs,
      pollMs: this.opts.pollMs,
      crdKinds: new Set(this.plan.crdKinds),
      update: (t, p) => this.update(t, p),
      pause: (ms) => this.pause(ms),
    };
  }

  private async runAttempt(): Promise<Outcome> {
    const pruned = () => this.tasks.some((t) => t.action === 'prune' && t.status === 'Succeeded');
    try {
      const dryFailures = await this.dryRunPass();
      if (dryFailures.length > 0)
        return { phase: 'Failed', message: `dry run failed: ${summarize(dryFailures)}` };
      if (this.plan.options.dryRun) return this.reportDryRun();
      const failure = await this.runSteps(this.tasks, true);
      if (!failure) {
        const done = this.tasks.filter((t) => t.status === 'Succeeded').length;
        return { phase: 'Succeeded', message: `successfully synced (${done} tasks)` };
      }
      const failMessage = await this.runSyncFail();
      return { phase: 'Failed', message: failure + failMessage };
    } catch (err) {
      if (err instanceof TerminatedError) return { phase: 'Terminated', message: err.message };
      if (err instanceof ConnectionLostError)
        return { phase: 'Error', message: `${err.message}${pruned() ? '' : '; nothing was pruned'}` };
      return { phase: 'Error', message: `sync of ${this.plan.app} failed: ${failureMessage(err)}` };
    }
  }

  /** Dry-runs every task that will run; returns the failed ones. Makes no change to the cluster. */
  private async dryRunPass(): Promise<SyncTask[]> {
    const runnable = this.tasks.filter((t) => t.action !== 'skip' && !t.needsConfirmation);
    const crdKinds = new Set(this.plan.crdKinds);
    const known = new Map<string, boolean>();
    const kinds = [...new Set(runnable.filter((t) => t.obj).map((t) => groupKind(t.key.group, t.key.kind)))];
    await mapLimit(kinds, this.opts.concurrency, async (gk) => {
      const slash = gk.indexOf('/');
      try {
        known.set(gk, await this.port.hasKind(gk.slice(0, slash), gk.slice(slash + 1)));
      } catch (err) {
        classify(err, this.port.context);
        known.set(gk, true); // the API answered with an error: let the dry run report it
      }
    });
    const newNamespaces = new Set<string>();
    const namespaceTasks = runnable.filter((t) => t.obj && t.key.group === '' && t.key.kind === 'Namespace');
    await mapLimit(namespaceTasks, this.opts.concurrency, async (t) => {
      try {
        if (!(await this.port.get(t.key, 'v1'))) newNamespaces.add(t.key.name);
      } catch (err) {
        classify(err, this.port.context);
      }
    });
    const failed: SyncTask[] = [];
    await mapLimit(runnable, this.opts.concurrency, async (t) => {
      this.checkTerminated();
      const gk = groupKind(t.key.group, t.key.kind);
      if (t.action === 'prune') {
        try {
          await this.port.delete(t.key, {
            dryRun: true,
            propagationPolicy: t.prune?.propagation ?? 'Foreground',
          });
          t.message = 'dry run: would prune';
        } catch (err) {
          const api = classify(err, this.port.context);
          if (api.status === 404) t.message = 'dry run: already gone';
          else {
            this.update(t, { status: 'Failed', message: failureMessage(err) });
            failed.push(t);
          }
        }
        return;
      }
      if (!known.get(gk)) {
        if (crdKinds.has(gk) || t.skipDryRunOnMissingResource) {
          t.message = crdKinds.has(gk)
            ? 'dry run skipped: its CRD is created by this sync'
            : 'dry run skipped: kind not known yet';
          return;
        }
        this.update(t, { status: 'Failed', message: missingKindMessage(t.key.group, t.key.kind) });
        failed.push(t);
        return;
      }
      if (t.key.namespace && newNamespaces.has(t.key.namespace)) {
        t.message = `dry run skipped: namespace ${t.key.namespace} is created by this sync`;
        return;
      }
      try {
        // The old hook object is deleted before the new one is created: a dry run against it says nothing.
        if (
          t.hook?.deletePolicies.includes('BeforeHookCreation') &&
          (await this.port.get(t.key, t.apiVersion))
        ) {
          t.message = 'dry run skipped: the previous hook object is deleted first';
          return;
        }
        await sendTask(this.port, t, { dryRun: true });
        t.message = 'dry run passed';
      } catch (err) {
        classify(err, this.port.context);
        this.update(t, { status: 'Failed', message: failureMessage(err) });
        failed.push(t);
      }
    });
    return failed;
  }

  private reportDryRun(): Outcome {
    let n = 0;
    for (const t of this.tasks) {
      if (t.action === 'skip' || t.status !== 'Pending') continue;
      if (t.needsConfirmation) {
        this.update(t, { status: 'Skipped', message: 'not pruned: Prune=confirm needs confirmation' });
        continue;
      }
      const verb = t.action === 'hook' ? 'run hook' : t.action;
      const message = t.message?.startsWith('dry run skipped')
        ? `dry run: would ${verb} (${t.message.slice('dry run '.length)})`
        : t.action === 'prune'
          ? (t.message ?? 'dry run: would prune')
          : `dry run: would ${verb}`;
      this.update(t, { status: 'Succeeded', message });
      n++;
    }
    return { phase: 'Succeeded', message: `dry run: ${n} tasks would run; nothing was changed` };
  }

  /** Runs tasks step by step; returns a failure sentence, or undefined when all went well. */
  private async runSteps(tasks: SyncTask[], gateLast: boolean): Promise<string | undefined> {
    const steps = groupSteps(tasks);
    const gate = this.gate();
    for (let i = 0; i < steps.length; i++) {
      const step = steps[i]!;
      this.checkTerminated();
      const later = steps.slice(i + 1).some((s) => s.some((t) => t.action !== 'skip'));
      if (step[0]?.prune) {
        await mapLimit(step, this.opts.concurrency, (t) => pruneTask(gate, t));
        const failedPrunes = step.filter((t) => t.status === 'Failed');
        if (failedPrunes.length > 0) return `one or more prunes failed: ${summarize(failedPrunes)}`;
        const pending = step.filter((t) => t.status === 'Succeeded' && t.message === 'pruned');
        if (later && steps.slice(i + 1).some((s) => s[0]?.prune)) {
          const stuck = await waitForGone(gate, pending);
          if (stuck) return `prune wave ${step[0]!.wave}: ${stuck}`;
        }
        continue;
      }
      for (const group of kindGroups(step)) {
        await mapLimit(group, this.opts.concurrency, (t) => runApplyTask(gate, t));
        this.checkTerminated();
      }
      const failedTasks = step.filter((t) => t.status === 'Failed');
      if (failedTasks.length > 0) return `one or more tasks failed: ${summarize(failedTasks)}`;
      const applied = step.some((t) => t.action !== 'skip');
      if (applied && later && this.opts.waveDelayMs > 0) await this.pause(this.opts.waveDelayMs);
      const waitHealth = later || (gateLast && this.plan.options.wait !== false);
      const problem = await waitForStep(gate, step, { waitHealth });
      if (problem) return problem;
    }
    return undefined;
  }

  /** Runs SyncFail hooks after a failure; returns a sentence to append to the failure message. */
  private async runSyncFail(): Promise<string> {
    const hooks = this.failTasks.filter((t) => t.action !== 'skip');
    if (hooks.length === 0) return '';
    const problem = await this.runSteps(this.failTasks, false);
    return problem ? `; SyncFail hooks failed too: ${problem}` : '; SyncFail hooks ran';
  }
}

/** Tasks grouped by plan step, in order. */
export function groupSteps(tasks: SyncTask[]): SyncTask[][] {
  const steps: SyncTask[][] = [];
  for (const t of tasks) {
    const last = steps[steps.length - 1];
    if (last && last[0]!.step === t.step) last.push(t);
    else steps.push([t]);
  }
  return steps;
}

/** The runnable tasks of a step, in consecutive groups of one kind. */
function kindGroups(step: SyncTask[]): SyncTask[][] {
  const groups: SyncTask[][] = [];
  for (const t of step) {
    if (t.action === 'skip' || t.status !== 'Pending') continue;
    const last = groups[groups.length - 1];
    if (last && last[0]!.kindOrder === t.kindOrder && last[0]!.key.kind === t.key.kind) last.push(t);
    else groups.push([t]);
  }
  return groups;
}

function summarize(tasks: SyncTask[]): string {
  const first = tasks[0];
  if (!first) return '';
  const more = tasks.length > 1 ? ` (and ${tasks.length - 1} more)` : '';
  return `${keyLabel(first.key)}: ${first.message ?? 'failed'}${more}`;
}
