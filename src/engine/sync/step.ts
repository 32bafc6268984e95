/**
 * Single steps of a sync run: sending one task to the cluster, telling an API refusal from a lost
 * connection, and reading whether an applied object is ready or a hook is done.
 */
import { forEachLimit } from '../core/pool.js';
import type { Customizations } from '../health/customizations.js';
import { assessHealth } from '../health/index.js';
import type { KubeObject } from '../model/index.js';
import { keyLabel, keyOf } from '../model/index.js';
import type { SyncTask } from './plan.js';
import type { ApiFailure, ClusterPort } from './port.js';

/** Time as the run sees it; injected so tests are fast and deterministic. */
export type Clock = {
  now(): number;
  sleep(ms: number): Promise<void>;
  /** A sleep that does not keep the process alive (background renewals); defaults to `sleep`. */
  idle?(ms: number): Promise<void>;
};

/** The real clock. */
export const systemClock: Clock = {
  now: () => Date.now(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
  idle: (ms) => new Promise((resolve) => setTimeout(resolve, ms).unref()),
};

/** Field manager of every apply. */
export const FIELD_MANAGER = 'bosun';

/** The run lost its cluster (a request failed without an API answer); the sync stops with phase Error. */
export class ConnectionLostError extends Error {
  override readonly name = 'ConnectionLostError';
}

/** Thrown inside a run when terminate() was called; never a connection problem. */
export class TerminatedError extends Error {
  override readonly name = 'TerminatedError';
}

/** The API's answer carried by an error (`cause`), or undefined when the request got no answer. */
export function apiFailureOf(err: unknown): ApiFailure | undefined {
  const cause = (err as { cause?: unknown } | undefined)?.cause;
  if (cause && typeof cause === 'object') {
    const c = cause as Partial<ApiFailure>;
    if (typeof c.status === 'number' && typeof c.message === 'string') return c as ApiFailure;
  }
  return undefined;
}

/** A one-line message of an error. */
export function oneLine(text: string): string {
  return text.replace(/\s*\n\s*/g, ' ').trim();
}

/** The error's one-line message, the API's own when there is one. */
export function failureMessage(err: unknown): string {
  const api = apiFailureOf(err);
  if (api) return oneLine(api.message || `${api.status} ${api.reason}`);
  return oneLine(err instanceof Error ? err.message : String(err));
}

/** Rethrows a request error that got no API answer as a lost connection; returns the API failure otherwise. */
export function classify(err: unknown, context: string): ApiFailure {
  if (err instanceof TerminatedError || err instanceof ConnectionLostError) throw err;
  const api = apiFailureOf(err);
  if (api) return api;
  throw new ConnectionLostError(
    `lost the connection to cluster ${context || '(unnamed)'}: ${failureMessage(err)}`,
    {
      cause: err,
    },
  );
}

/** The message of a kind the cluster does not serve. */
export function missingKindMessage(group: string, kind: string): string {
  return `the cluster has no kind ${kind} in group ${group || 'core'} (CRD missing?)`;
}

/** Sends a task's object: server-side apply (forced, field manager bosun) or replace; returns the result. */
export async function sendTask(
  port: ClusterPort,
  task: SyncTask,
  opts: { dryRun: boolean },
): Promise<KubeObject> {
  const obj = task.obj;
  if (!obj) throw new Error(`task ${keyLabel(task.key)} has no object to send`);
  if (task.action === 'replace') return port.replace(obj, { dryRun: opts.dryRun });
  return port.apply(obj, {
    dryRun: opts.dryRun,
    force: true,
    fieldManager: FIELD_MANAGER,
    validate: task.validate,
  });
}

/** Whether an applied object counts as ready for the wave gate: Healthy, Suspended or no opinion. */
export function readiness(
  obj: KubeObject | undefined,
  now: number,
  customizations?: Customizations,
): { ready: boolean; message: string } {
  if (!obj) return { ready: false, message: 'not found after it was applied' };
  const health = assessHealth(obj, { now: new Date(now), ...(customizations ? { customizations } : {}) });
  if (!health || health.status === 'Healthy' || health.status === 'Suspended')
    return { ready: true, message: health?.message ?? 'no health check' };
  return { ready: false, message: health.message ?? health.status };
}

/** Where a hook stands: still running, succeeded, or failed (with the reason). */
export type HookOutcome = { done: false; message: string } | { done: true; ok: boolean; message: string };

function str(v: unknown): string | undefined {
  return typeof v === 'string' && v ? v : undefined;
}

/** Reads a hook object: Pods by phase, Jobs by their Complete/Failed conditions, the rest by health. */
export function hookOutcome(
  obj: KubeObject | undefined,
  label: string,
  now: number,
  customizations?: Customizations,
): HookOutcome {
  if (!obj)
    return { done: true, ok: false, message: `hook ${label} disappeared before it reported completion` };
  const status = (obj.status ?? {}) as Record<string, unknown>;
  const key = keyOf(obj);
  if ((key.group === '' && key.kind === 'Pod') || (key.group === 'argoproj.io' && key.kind === 'Workflow')) {
    const phase = str(status.phase);
    if (phase === 'Succeeded') return { done: true, ok: true, message: `hook ${label} succeeded` };
    if (phase === 'Failed' || phase === 'Error') {
      const why = str(status.message) ?? str(status.reason) ?? 'no reason reported';
      return { done: true, ok: false, message: `hook ${label} failed: ${oneLine(why)}` };
    }
    return { done: false, message: `hook ${label} is ${phase ?? 'pending'}` };
  }
  const health = assessHealth(obj, { now: new Date(now), ...(customizations ? { customizations } : {}) });
  if (!health || health.status === 'Healthy')
    return { done: true, ok: true, message: `hook ${label} succeeded` };
  if (health.status === 'Degraded')
    return {
      done: true,
      ok: false,
      message: `hook ${label} failed: ${oneLine(health.message ?? 'Degraded')}`,
    };
  return { done: false, message: health.message ?? `hook ${label} is ${health.status}` };
}

/**
 * Runs `fn` over `items` with at most `limit` calls in flight; results keep the input order. After the first
 * rejection no new call starts; the calls in flight settle, then that rejection is rethrown.
 */
export async function mapLimit<T, R>(
  items: readonly T[],
  limit: number,
  fn: (item: T) => Promise<R>,
): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let failed = false;
  let error: unknown;
  await forEachLimit(items.keys(), limit, async (i) => {
    if (failed) return;
    try {
      out[i] = await fn(items[i] as T);
    } catch (err) {
      if (!failed) error = err;
      failed = true;
    }
  });
  if (failed) throw error;
  return out;
}
