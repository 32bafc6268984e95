/**
 * Read-only triage views of an app: merged pod logs, the events timeline, live and desired YAML with the
 * matching kubectl command, and "why": the first unhealthy resource with its health message, its last
 * warning events and the last 50 log lines of its failing container (the previous instance when it restarted).
 */
import { kubectlGetCommand, toYaml } from '../events/live-yaml.js';
import { buildTimeline, involvedSet, type TimelineEvent } from '../events/timeline.js';
import { listKind, streamPodLog } from '../kube/triage-io.js';
import type { LogOptions } from '../logs/options.js';
import { containersOf, LOG_KINDS, podsOf } from '../logs/pods.js';
import { type LogPort, LogSession } from '../logs/session.js';
import { type KubeObject, keyLabel, keyOf } from '../model/resource-key.js';
import type { WhyReport } from './api.js';
import { appObjects, findObject, type TriageApp, type TriageContext } from './context.js';

function connected(ctx: TriageContext, app: TriageApp) {
  const cluster = app.context ? ctx.cluster(app.context) : undefined;
  if (!cluster) throw new Error(`the cluster of ${app.name} is not connected`);
  return cluster;
}

function logPort(ctx: TriageContext, app: TriageApp): LogPort {
  const cluster = connected(ctx, app);
  return {
    listOwned: async (namespace) =>
      (
        await Promise.all([
          listKind(cluster, { group: '', kind: 'Pod', namespace }),
          listKind(cluster, { group: 'apps', kind: 'ReplicaSet', namespace }),
          listKind(cluster, { group: 'batch', kind: 'Job', namespace }),
        ])
      ).flat(),
    stream: (req, onLine) => streamPodLog(cluster, req, onLine),
  };
}

/**
 * A log session over an app (all its workloads' pods) or one resource of it (workload or Pod). Call
 * `start()`; with follow, `stop()` ends it. Workloads in several namespaces: the first namespace's.
 */
export function openLogs(
  ctx: TriageContext,
  o: { app: string; resource?: string; options: LogOptions },
): LogSession {
  const app = ctx.app(o.app);
  const objects = appObjects(ctx, app);
  const roots = o.resource
    ? [findObject(objects, o.resource, app.name)]
    : app.resources.flatMap((r) => (r.live && LOG_KINDS.includes(r.live.kind) ? [r.live] : []));
  const root = roots[0];
  if (!root) throw new Error(`${app.name} has no workloads or pods to read logs from`);
  if (!LOG_KINDS.includes(root.kind))
    throw new Error(`${keyLabel(keyOf(root))} has no logs (logs come from ${LOG_KINDS.join(', ')})`);
  const namespace = root.metadata.namespace ?? '';
  return new LogSession({
    port: logPort(ctx, app),
    namespace,
    roots: roots.filter((r) => (r.metadata.namespace ?? '') === namespace),
    options: o.options,
    ...(ctx.redact ? { redact: ctx.redact(app.name) } : {}),
  });
}

/** The app's events timeline (its resources, their ReplicaSets and Pods): warnings first, then newest. */
export async function appEvents(
  ctx: TriageContext,
  o: { app: string; warningsOnly?: boolean },
): Promise<TimelineEvent[]> {
  const app = ctx.app(o.app);
  const cluster = connected(ctx, app);
  const objects = appObjects(ctx, app);
  // Pods that the cache does not hold yet (just created) still count: list them with their owners.
  const namespaces = [...new Set(objects.map((x) => x.metadata.namespace ?? '').filter(Boolean))];
  const extra = (
    await Promise.all(
      namespaces.map(async (ns) => {
        const owned = await logPort(ctx, app).listOwned(ns);
        return podsOf(objects, owned).concat(owned.filter((x) => x.kind !== 'Pod'));
      }),
    )
  ).flat();
  const events = (
    await Promise.all(namespaces.map((ns) => listKind(cluster, { group: '', kind: 'Event', namespace: ns })))
  ).flat();
  return buildTimeline(events, involvedSet([...objects, ...extra]), {
    warningsOnly: o.warningsOnly ?? false,
  });
}

/** Live (and desired) YAML of one resource of an app, Secret values masked, with the kubectl command. */
export async function resourceYaml(
  ctx: TriageContext,
  o: { app: string; resource: string; managedFields?: boolean },
): Promise<{ live?: string; desired?: string; command: string; resource: string }> {
  const app = ctx.app(o.app);
  const all = appObjects(ctx, app);
  const desiredObjs = app.resources.flatMap((r) => (r.desired ? [r.desired] : []));
  let found: KubeObject;
  try {
    found = findObject(
      [...all, ...desiredObjs.filter((d) => !all.some((l) => same(l, d)))],
      o.resource,
      app.name,
    );
  } catch (err) {
    throw new Error((err as Error).message.replace('no live resource', 'no resource'), { cause: err });
  }
  const key = keyOf(found);
  const cluster = connected(ctx, app);
  const live = await cluster.get(key, found.apiVersion).catch(() => undefined);
  const desired = desiredObjs.find((d) => same(d, found));
  return {
    resource: keyLabel(key),
    ...(live ? { live: toYaml(live, { managedFields: o.managedFields ?? false }) } : {}),
    ...(desired ? { desired: toYaml(desired) } : {}),
    command: kubectlGetCommand({
      context: app.context ?? '',
      kind: key.kind,
      group: key.group,
      name: key.name,
      ...(key.namespace ? { namespace: key.namespace } : {}),
      managedFields: o.managedFields ?? false,
    }),
  };
}

const same = (a: KubeObject, b: KubeObject) =>
  a.kind === b.kind &&
  a.metadata.name === b.metadata.name &&
  (a.metadata.namespace ?? '') === (b.metadata.namespace ?? '');

/** The first Degraded (else Progressing) resource, its last warnings and its failing container's last 50 lines. */
export async function why(ctx: TriageContext, o: { app: string }): Promise<WhyReport> {
  const app = ctx.app(o.app);
  const rank = (s?: string) => (s === 'Degraded' ? 0 : s === 'Progressing' ? 1 : s === 'Missing' ? 2 : 9);
  const bad = app.resources
    .filter((r) => rank(r.health?.status) < 9)
    .sort((a, b) => rank(a.health?.status) - rank(b.health?.status))[0];
  if (!bad) return { warnings: [] };
  const resource = keyLabel(bad.key);
  const warnings = (await appEvents(ctx, { app: app.name, warningsOnly: true }).catch(() => [])).slice(0, 5);
  const out: WhyReport = {
    resource,
    ...(bad.health?.status ? { health: bad.health.status } : {}),
    ...(bad.health?.message ? { message: bad.health.message } : {}),
    warnings,
  };
  if (!bad.live || !LOG_KINDS.includes(bad.live.kind)) return out;
  const port = logPort(ctx, app);
  const pods = podsOf([bad.live], await port.listOwned(bad.live.metadata.namespace ?? ''));
  // The failing container: one that restarted (read its previous instance), else one not ready.
  const containers = pods.flatMap(containersOf);
  const failing =
    [...containers].sort((a, b) => b.restarts - a.restarts).find((c) => c.restarts > 0) ??
    containers.find((c) => notReady(pods, c.pod, c.container)) ??
    containers[0];
  if (!failing) return out;
  const previous = failing.restarts > 0;
  const lines: string[] = [];
  let error: string | undefined;
  await port
    .stream(
      {
        namespace: failing.namespace,
        pod: failing.pod,
        container: failing.container,
        tailLines: 50,
        previous,
      },
      (l) => lines.push(l),
    )
    .catch((err: Error) => {
      error = err.message;
    });
  out.logs = { pod: failing.pod, container: failing.container, previous, lines, ...(error ? { error } : {}) };
  return out;
}

function notReady(pods: KubeObject[], pod: string, container: string): boolean {
  const p = pods.find((x) => x.metadata.name === pod);
  const st = ((p?.status ?? {}) as { containerStatuses?: { name?: string; ready?: boolean }[] })
    .containerStatuses;
  return st?.find((s) => s.name === container)?.ready === false;
}
