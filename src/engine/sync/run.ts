/**
 * The sync run: executes a plan against one cluster as a stepper. A dry run of every task comes first
 * (nothing is changed when it fails); then each wave is applied (bounded parallelism within a kind group),
 * its hooks complete and its resources get healthy before the next wave starts; prunes follow in reverse
 * wave order and never run after a failure. A failed sync runs the SyncFail hooks; `syncPolicy.retry`
 * retries it with backoff; a lost connection stops it with phase Error. Time comes from an injected clock.
 */
import { secretRedactor } from '../diff/redactor.js';
import { isSecret } from '../diff/secrets.js';
import type { Customizations } from '../health/customizations.js';
import type { KubeObject, OperationPhase } from '../model/index.js';
import { keyLabel } from '../model/index.js';
import type { OperationResult } from '../types.js';
import { dryRunTasks, reportDryRun } from './dry-run.js';
import { type GateContext, pruneTask, runApplyTask, UNCHANGED, waitForGone, waitForStep } from './gate.js';
import { type SyncPlan, type SyncTask, toPlanTask } from './plan.js';
import type { ClusterPort } from './port.js';
import { backoffDelay, formatDuration, retryPolicy } from './retry.js';
import {
  type Clock,
  ConnectionLostError,
  failureMessage,
  mapLimit,
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
  /** Lua health customizations the wave gates use (as the comparison does). */
  customizations?: Customizations;
  /** The app's redaction step for every message (default: the values of the plan's Secrets). */
  redact?: (text: string) => string;
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
  private readonly customizations: Customizations | undefined;
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
  /** The app's Secrets (desired and live): every message of the run passes through redaction with them. */
  private readonly redactText: (text: string) => string;

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
    this.customizations = opts.customizations;
    this.onTask = opts.onTask ?? (() => {});
    this.onPhase = opts.onPhase ?? (() => {});
    this.tasks = clone(this.plan.tasks);
    this.failTasks = clone(this.plan.syncFailTasks);
    const secrets = [...this.plan.tasks, ...this.plan.syncFailTasks]
      .flatMap((t) => [t.obj, t.live])
      .filter((o): o is KubeObject => isSecret(o));
    this.redactText = opts.redact ?? secretRedactor(secrets).text;
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
        t.message = this.redact(`${prior}${wasRunning ? 'not finished' : 'not run'}: ${outcome.message}`);
        this.onTask(t);
      }
    }
    for (const t of this.failTasks) {
      if (t.status === 'Pending' || t.status === 'Running') {
        t.status = 'Skipped';
        t.message =
          outcome.phase === 'Succeeded'
            ? 'runs only when the sync fails'
            : this.redact(`not run: ${outcome.message}`);
        this.onTask(t);
      }
    }
    this.finishedAt = this.clock.now();
    this.setPhase(outcome.phase, outcome.message);
    return this.state;
  }

  /** Replaces the app's Secret values (plain, base64, JSON-escaped, lines of multi-line values) in text. */
  redact(text: string): string {
    return this.redactText(text);
  }

  private setPhase(phase: OperationPhase, message: string): void {
    this.phase = phase;
    this.message = this.redact(message);
    this.onPhase(this.state);
  }

  private update(task: SyncTask, patch: Partial<SyncTask>): void {
    Object.assign(
      task,
      patch.message === undefined ? patch : { ...patch, message: this.redact(patch.message) },
    );
    this.onTask(task);
  }

  private checkTerminated(): void {
    if (this.terminateReason) throw new TerminatedError(this.terminateReason);
  }

  /**
   * Sleeps on the injected clock, in slices of at most a second so a terminated run leaves no long timer
   * behind; rejects as soon as terminate() is called.
   */
  private async pause(ms: number): Promise<void> {
    let left = ms;
    do {
      this.checkTerminated();
      const slice = Math.min(left, 1000);
      await Promise.race([this.clock.sleep(slice), this.aborted]);
      left -= slice;
    } while (left > 0);
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
      ...(this.customizations ? { customizations: this.customizations } : {}),
      update: (t, p) => this.update(t, p),
      pause: (ms) => this.pause(ms),
    };
  }

  private async runAttempt(): Promise<Outcome> {
    const pruned = () => this.tasks.some((t) => t.action === 'prune' && t.status === 'Succeeded');
    try {
      const dryFailures = await dryRunTasks(this.gate(), this.tasks, () => this.checkTerminated());
      if (dryFailures.length > 0)
        return { phase: 'Failed', message: `dry run failed: ${summarize(dryFailures)}` };
      if (this.plan.options.dryRun) {
        const n = reportDryRun(this.gate(), this.tasks);
        return { phase: 'Succeeded', message: `dry run: ${n} tasks would run; nothing was changed` };
      }
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

  /** Runs tasks step by step; returns a failure sentence, or undefined when all went well. */
  private async runSteps(tasks: SyncTask[], gateLast: boolean): Promise<string | undefined> {
    const steps = groupSteps(tasks);
    const gate = this.gate();
    for (let i = 0; i < steps.length; i++) {
      const step = steps[i]!;
      this.checkTerminated();
      const later = steps.slice(i + 1).some((s) => s.some((t) => t.action !== 'skip'));
      if (step[0]?.prune) {
        const prunes = step.filter((t) => t.action === 'prune' && t.status === 'Pending');
        await mapLimit(prunes, this.opts.concurrency, (t) => pruneTask(gate, t));
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
      // The pause between waves lets controllers react to a change; a step that changed nothing (e.g.
      // CreateNamespace on an existing namespace) needs none: that pause made self-heal take 2 s more.
      const applied = step.some(
        (t) =>
          t.action !== 'skip' && t.message !== UNCHANGED && !(t.createOnly && t.message === 'already exists'),
      );
      if (applied && later && this.opts.waveDelayMs > 0) await this.pause(this.opts.waveDelayMs);
      // As Argo CD: a wave waits for the previous one to be healthy, but the operation ends when the last
      // wave is applied; only `wait: true` also waits for the last wave's health.
      const waitHealth = later || (gateLast && this.plan.options.wait === true);
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
/** Kinds others depend on inside a wave: each gets its own barrier (applied before the rest). */
const barrierKinds = new Set(['Namespace', 'CustomResourceDefinition']);

/**
 * Splits a step into groups applied one after the other: Namespaces and CRDs first, each in their own
 * group, then everything else of the step at once (bounded parallelism), as Argo CD applies a wave.
 */
function kindGroups(step: SyncTask[]): SyncTask[][] {
  const groups: SyncTask[][] = [];
  let rest: SyncTask[] | undefined;
  for (const t of step) {
    if (t.action === 'skip' || t.status !== 'Pending') continue;
    if (barrierKinds.has(t.key.kind)) {
      const last = groups[groups.length - 1];
      if (last && last !== rest && last[0]!.key.kind === t.key.kind) last.push(t);
      else groups.push([t]);
      continue;
    }
    if (!rest || groups[groups.length - 1] !== rest) {
      rest = [];
      groups.push(rest);
    }
    rest.push(t);
  }
  return groups;
}

function summarize(tasks: SyncTask[]): string {
  const first = tasks[0];
  if (!first) return '';
  const more = tasks.length > 1 ? ` (and ${tasks.length - 1} more)` : '';
  return `${keyLabel(first.key)}: ${first.message ?? 'failed'}${more}`;
}
