/**
 * What Argo CD's API server decides around a resource action, for bosun to do the same where Argo CD owns the
 * app (pure): whether the AppProject lets the app manage each object the action patches or creates (kind
 * allow/deny lists, namespaces among the destinations), whether Argo CD will undo the change (self-heal, or the
 * next sync, where Git sets a field the action changes), and the Kubernetes Event Argo CD records on the
 * Application (reason `ResourceActionRan`, with the user). Facts from Argo CD's server/application and
 * util/argo/audit_logger.go; the code is bosun's.
 */
import { isDestinationPermitted, isGroupKindPermitted } from '../apps/project.js';
import type { AppProject, AppSpec } from '../model/app.js';
import type { KubeObject } from '../model/resource-key.js';

/** An object an action changes or creates: namespace '' means cluster-scoped. */
export type ActionTarget = { group: string; kind: string; namespace: string; name: string };

/** The reason of the Event Argo CD records when an action ran. */
export const resourceActionRan = 'ResourceActionRan';

/**
 * Argo CD's check of every object an action touches (`IsResourcePermitted`): its kind must be permitted by the
 * project (cluster-scoped kinds need the cluster whitelist), and a namespaced object's namespace must be one of
 * the project's destinations on the app's cluster. Returns one-line refusals (empty = permitted).
 */
export function actionProjectRefusals(o: {
  project: AppProject | undefined;
  app: AppSpec;
  targets: readonly ActionTarget[];
  /** The app's cluster by server URL and by name (both count, as in Argo CD). */
  destination: { server?: string; name?: string };
}): string[] {
  const { project, app } = o;
  if (!project) return [`project ${app.project} of ${app.name} does not exist in Argo CD`];
  const out: string[] = [];
  for (const t of o.targets) {
    const namespaced = t.namespace !== '';
    const gk = t.group ? `${t.group}/${t.kind}` : t.kind;
    const what = `${gk} ${namespaced ? `${t.namespace}/` : ''}${t.name}`;
    if (!isGroupKindPermitted(project, t, namespaced)) {
      out.push(
        namespaced
          ? `project ${project.name} does not permit ${app.name} to manage ${what} (kind denied by the project's namespace resource lists)`
          : `project ${project.name} does not permit ${app.name} to manage ${what} (cluster-scoped kind not in its clusterResourceWhitelist)`,
      );
      continue;
    }
    if (
      namespaced &&
      !isDestinationPermitted(project, {
        server: o.destination.server,
        name: o.destination.name,
        namespace: t.namespace,
      })
    )
      out.push(
        `project ${project.name} does not permit ${app.name} to manage ${what}: namespace ${t.namespace} is not among its destinations`,
      );
  }
  return out;
}

/** True when Argo CD's automated sync with self-heal is on for the app (`automated.enabled` unset means on). */
export function selfHealOn(app: AppSpec): boolean {
  const a = app.syncPolicy?.automated;
  return Boolean(a && a.enabled !== false && a.selfHeal);
}

const isObj = (v: unknown): v is Record<string, unknown> =>
  v !== null && typeof v === 'object' && !Array.isArray(v);

/**
 * The leaf paths of a patch whose value Git sets to something else (`/spec/replicas`): Argo CD sees them as
 * drift and a sync (at once with self-heal) writes Git's value back. Lists are left out (strategic merges).
 */
export function revertedPaths(desired: unknown, patch: unknown, prefix = ''): string[] {
  if (!isObj(patch)) return [];
  const out: string[] = [];
  for (const [k, v] of Object.entries(patch)) {
    const path = `${prefix}/${k}`;
    const d = isObj(desired) ? desired[k] : undefined;
    if (d === undefined || Array.isArray(v) || Array.isArray(d)) continue;
    if (isObj(v)) out.push(...revertedPaths(d, v, path));
    else if (!isObj(d) && d !== v) out.push(path);
  }
  return out;
}

/**
 * A warning when Argo CD will undo what the action changes: the fields Git sets otherwise, reverted at once
 * with self-heal or by the next sync; without Git's object (an app only Argo CD knows), a self-healed scale
 * is said to be reverted if Git sets the replica count.
 */
export function argoRevertWarning(o: {
  app: AppSpec;
  action: string;
  target: string;
  /** The object as Git declares it, when bosun renders the app. */
  desired?: KubeObject;
  /** The spec/metadata patches the action sends (status patches are never reverted by a sync). */
  patches: unknown[];
}): string | undefined {
  const selfHeal = selfHealOn(o.app);
  const by = selfHeal
    ? `Argo CD's self-heal on ${o.app.name} will revert it at once`
    : `the next sync of ${o.app.name} in Argo CD will revert it`;
  if (o.desired) {
    const desired = o.desired;
    const paths = [...new Set(o.patches.flatMap((p) => revertedPaths(desired, p)))];
    if (paths.length === 0) return undefined;
    return `Git sets ${paths.join(', ')} of ${o.target} otherwise: ${by}`;
  }
  if (selfHeal && o.action === 'scale')
    return `Argo CD self-heals ${o.app.name}: if Git sets spec.replicas of ${o.target}, it scales it back at once`;
  return undefined;
}

/** The Application an Event is about (the parts Argo CD puts in `involvedObject`). */
export type EventApplication = {
  name: string;
  namespace: string;
  uid?: string;
  resourceVersion?: string;
  destination: { server?: string; name?: string; namespace?: string };
};

const eventTime = (now: Date) => now.toISOString().replace(/\.\d{3}Z$/, 'Z');

/** A Normal `ResourceActionRan` Event around its metadata and involved object, stamped now. */
function actionRanEvent(
  parts: { metadata: KubeObject['metadata']; involvedObject: Record<string, unknown> },
  o: { component: string; now: Date; message: string },
): KubeObject {
  const t = eventTime(o.now);
  return {
    apiVersion: 'v1',
    kind: 'Event',
    ...parts,
    source: { component: o.component },
    firstTimestamp: t,
    lastTimestamp: t,
    count: 1,
    type: 'Normal',
    reason: resourceActionRan,
    message: o.message,
  } as KubeObject;
}

/**
 * The Event Argo CD's API server records on the Application when an action ran: named `<app>.<hex ns>`,
 * reason ResourceActionRan, message `<user> ran action <action> on resource <group>/<kind>/<name>`, the user
 * and the destination in its annotations. `component` names who wrote it (bosun, not argocd-server).
 */
export function applicationActionEvent(o: {
  app: EventApplication;
  user: string;
  action: string;
  target: ActionTarget;
  now: Date;
  /** Nanoseconds since the epoch (the name's suffix, unique per event). */
  nanos: bigint;
  component: string;
}): KubeObject {
  return actionRanEvent(
    {
      metadata: {
        name: `${o.app.name}.${o.nanos.toString(16)}`,
        namespace: o.app.namespace,
        annotations: {
          'dest-server': o.app.destination.server ?? '',
          'dest-namespace': o.app.destination.namespace ?? '',
          user: o.user,
        },
      },
      involvedObject: {
        kind: 'Application',
        apiVersion: 'argoproj.io/v1alpha1',
        name: o.app.name,
        namespace: o.app.namespace,
        ...(o.app.uid ? { uid: o.app.uid } : {}),
        ...(o.app.resourceVersion ? { resourceVersion: o.app.resourceVersion } : {}),
      },
    },
    {
      component: o.component,
      now: o.now,
      message: `${o.user} ran action ${o.action} on resource ${o.target.group}/${o.target.kind}/${o.target.name}`,
    },
  );
}

/** The Event Argo CD also records on the resource itself: `<user> ran action <action>`. */
export function resourceActionEvent(o: {
  obj: KubeObject;
  user: string;
  action: string;
  now: Date;
  nanos: bigint;
  component: string;
}): KubeObject {
  const m = o.obj.metadata;
  return actionRanEvent(
    {
      metadata: {
        name: `${m.name}.${o.nanos.toString(16)}`,
        namespace: m.namespace ?? 'default',
        annotations: { user: o.user },
      },
      involvedObject: {
        kind: o.obj.kind,
        apiVersion: o.obj.apiVersion,
        name: m.name,
        ...(m.namespace ? { namespace: m.namespace } : {}),
        ...(m.uid ? { uid: m.uid } : {}),
        ...(m.resourceVersion ? { resourceVersion: m.resourceVersion } : {}),
      },
    },
    { component: o.component, now: o.now, message: `${o.user} ran action ${o.action}` },
  );
}
