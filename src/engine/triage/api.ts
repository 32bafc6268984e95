/** The triage part of the engine facade: logs, events, live YAML, actions, "why". */
import type { ActionInfo } from '../actions/builtin.js';
import type { TimelineEvent } from '../events/timeline.js';
import type { LogOptions } from '../logs/options.js';
import type { LogSession } from '../logs/session.js';

/** What was asked. */
export type ActionRequest = {
  app: string;
  resource: string;
  action: string;
  params?: Record<string, string>;
  /** Typed confirmation for production apps: the app name. */
  confirm?: string;
};

/** What happened. */
export type ActionResult = {
  id: string;
  app: string;
  resource: string;
  action: string;
  phase: 'Succeeded' | 'Failed';
  message: string;
  warnings: string[];
};

/** "Why is it unhealthy": one screen's worth about the first unhealthy resource. */
export type WhyReport = {
  resource?: string;
  health?: string;
  message?: string;
  warnings: TimelineEvent[];
  logs?: { pod: string; container: string; previous: boolean; lines: string[]; error?: string };
};

/** Live and desired YAML of one resource, with the kubectl command that shows the same. */
export type ResourceYaml = { resource: string; live?: string; desired?: string; command: string };

/** Triage methods of the engine. */
export interface TriageApi {
  /** A log session of an app or one of its resources (merged, bounded); `start()` it, `stop()` ends a follow. */
  logs(app: string, opts: LogOptions & { resource?: string }): LogSession;
  /** The app's events timeline: warnings first, then newest first. */
  events(app: string, opts?: { warningsOnly?: boolean }): Promise<TimelineEvent[]>;
  /** Live and desired YAML of one resource (managedFields hidden unless asked, Secret values masked). */
  resourceYaml(app: string, resource: string, opts?: { managedFields?: boolean }): Promise<ResourceYaml>;
  /** The actions offered for one resource (none in a read-only console). */
  actions(app: string, resource: string): Promise<ActionInfo[]>;
  /** Runs an action (recorded in history and the journal); refusals throw with exitCode 3. */
  runAction(req: ActionRequest): Promise<ActionResult>;
  /** The first unhealthy resource with its message, last warnings and last 50 log lines. */
  why(app: string): Promise<WhyReport>;
}
