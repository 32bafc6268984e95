/** Which pods and containers a log view reads: pods owned (directly or through ReplicaSets) by workloads. Pure. */
import type { KubeObject } from '../model/resource-key.js';

/** Kinds whose pods bosun can show logs of. */
export const LOG_KINDS: readonly string[] = [
  'Deployment',
  'StatefulSet',
  'DaemonSet',
  'Rollout',
  'Job',
  'CronJob',
  'ReplicaSet',
  'Pod',
];

/** One container of one pod. */
export type PodContainer = { pod: string; namespace: string; container: string; restarts: number };

const owners = (o: KubeObject) => (o.metadata.ownerReferences ?? []).map((r) => r.uid);

/**
 * The pods of `roots` among `objects` (pods, ReplicaSets, Jobs of the namespace): a Pod root is itself;
 * a workload's pods are those owned by it or by an object it owns (Deployment → ReplicaSet → Pod,
 * CronJob → Job → Pod). Deleted (terminating) pods are left out unless nothing else is there.
 */
export function podsOf(roots: readonly KubeObject[], objects: readonly KubeObject[]): KubeObject[] {
  const uids = new Set<string>();
  const out = new Map<string, KubeObject>();
  for (const r of roots) {
    if (r.kind === 'Pod') out.set(`${r.metadata.namespace}/${r.metadata.name}`, r);
    else if (r.metadata.uid) uids.add(r.metadata.uid);
  }
  // Two levels of ownership are enough for every kind above.
  for (let level = 0; level < 2; level++) {
    for (const o of objects) {
      if (o.kind === 'Pod' || !o.metadata.uid) continue;
      if (owners(o).some((u) => uids.has(u))) uids.add(o.metadata.uid);
    }
  }
  for (const o of objects) {
    if (o.kind !== 'Pod') continue;
    if (owners(o).some((u) => uids.has(u))) out.set(`${o.metadata.namespace}/${o.metadata.name}`, o);
  }
  const pods = [...out.values()].sort((a, b) => a.metadata.name.localeCompare(b.metadata.name));
  const live = pods.filter((p) => !p.metadata.deletionTimestamp);
  return live.length > 0 ? live : pods;
}

type ContainerSpec = { name?: string };
type ContainerStatus = { name?: string; restartCount?: number };

/** The containers of a pod (init containers left out), with restart counts. */
export function containersOf(pod: KubeObject): PodContainer[] {
  const spec = (pod.spec ?? {}) as { containers?: ContainerSpec[] };
  const statuses = ((pod.status ?? {}) as { containerStatuses?: ContainerStatus[] }).containerStatuses ?? [];
  return (spec.containers ?? [])
    .filter((c): c is { name: string } => typeof c.name === 'string')
    .map((c) => ({
      pod: pod.metadata.name,
      namespace: pod.metadata.namespace ?? '',
      container: c.name,
      restarts: statuses.find((s) => s.name === c.name)?.restartCount ?? 0,
    }));
}

/**
 * The containers to read: all of each pod's, or only the chosen one (pods without it are skipped);
 * throws a one-line Error naming the containers that exist when none matches.
 */
export function chooseContainers(pods: readonly KubeObject[], container?: string): PodContainer[] {
  const all = pods.flatMap(containersOf);
  if (!container) return all;
  const chosen = all.filter((c) => c.container === container);
  if (chosen.length === 0 && all.length > 0) {
    const names = [...new Set(all.map((c) => c.container))].join(', ');
    throw new Error(`no container "${container}" in these pods (containers: ${names})`);
  }
  return chosen;
}
