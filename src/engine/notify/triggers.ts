import type { AppState } from '../model/app.js';
import type { NotificationEvent } from './template.js';

/** What trigger detection reads of an app. */
export type TriggerView = Pick<
  AppState,
  'name' | 'sync' | 'health' | 'revision' | 'operation' | 'context'
> & {
  spec: Pick<AppState['spec'], 'project' | 'environment'>;
  healthMessage?: string;
};

const failed = new Set(['Failed', 'Error']);

const deployed = (a: TriggerView | undefined) =>
  a?.operation?.kind === 'sync' &&
  a.operation.phase === 'Succeeded' &&
  a.health === 'Healthy' &&
  (!a.operation.revision || a.operation.revision === a.revision);

/**
 * The notification events between two views of one app (pure): a sync that just ended (succeeded or
 * failed), a deployed revision (sync succeeded and the app is Healthy), health that turned Degraded, and
 * drift (Synced to OutOfSync at the same revision). Keys are the same for every operator seeing the event.
 */
export function detectEvents(prev: TriggerView | undefined, cur: TriggerView): NotificationEvent[] {
  if (!prev) return [];
  const out: NotificationEvent[] = [];
  const op = cur.operation;
  const base = {
    app: cur.name,
    project: cur.spec.project,
    ...(cur.spec.environment ? { environment: cur.spec.environment } : {}),
    ...(cur.context ? { context: cur.context } : {}),
    ...(cur.revision ? { revision: cur.revision } : {}),
    health: cur.health,
  };
  const opBase = op
    ? { operationId: op.id, phase: op.phase, ...(op.revision ? { revision: op.revision } : {}) }
    : {};
  const justEnded =
    op?.kind === 'sync' &&
    op.finishedAt !== undefined &&
    !(prev.operation?.id === op.id && prev.operation.finishedAt !== undefined);
  if (op && justEnded && op.phase === 'Succeeded')
    out.push({
      ...base,
      ...opBase,
      trigger: 'on-sync-succeeded',
      message: `sync ${op.id} by ${op.initiator} succeeded${op.message ? `: ${op.message}` : ''}`,
      key: `on-sync-succeeded:${op.id}`,
    });
  if (op && justEnded && failed.has(op.phase))
    out.push({
      ...base,
      ...opBase,
      trigger: 'on-sync-failed',
      message: `sync ${op.id} by ${op.initiator} ${op.phase.toLowerCase()}${op.message ? `: ${op.message}` : ''}`,
      key: `on-sync-failed:${op.id}`,
    });
  if (op && deployed(cur) && !(deployed(prev) && prev.operation?.id === op.id))
    out.push({
      ...base,
      ...opBase,
      trigger: 'on-deployed',
      message: `${op.revision?.slice(0, 7) ?? 'the revision'} is synced and Healthy`,
      key: `on-deployed:${op.id}`,
    });
  // Seen by every operator alike: keyed by revision (the claim remembers them for a while, see Notifications).
  const epoch = cur.revision ?? '-';
  if (cur.health === 'Degraded' && prev.health !== 'Degraded')
    out.push({
      ...base,
      trigger: 'on-health-degraded',
      message: `health went from ${prev.health} to Degraded${cur.healthMessage ? `: ${cur.healthMessage}` : ''}`,
      key: `on-health-degraded:${epoch}`,
    });
  if (cur.sync === 'OutOfSync' && prev.sync === 'Synced' && prev.revision === cur.revision)
    out.push({
      ...base,
      trigger: 'on-drift-detected',
      message: 'the live state drifted from Git (OutOfSync at the same revision)',
      key: `on-drift-detected:${epoch}`,
    });
  return out;
}
