/**
 * An app's events timeline: the Kubernetes Events whose involved object is one of the app's resources or
 * the pods and ReplicaSets they own; warnings first, then newest first, with counts and age. Pure.
 */
import type { KubeObject } from '../model/resource-key.js';

/** One event as shown. */
export type TimelineEvent = {
  type: 'Warning' | 'Normal';
  reason: string;
  message: string;
  /** `Kind/name` of the involved object. */
  object: string;
  namespace: string;
  count: number;
  /** Last seen (ISO). */
  last: string;
  /** First seen (ISO). */
  first: string;
};

type RawEvent = KubeObject & {
  type?: string;
  reason?: string;
  message?: string;
  count?: number;
  firstTimestamp?: string;
  lastTimestamp?: string;
  eventTime?: string;
  involvedObject?: { kind?: string; name?: string; namespace?: string; uid?: string };
  series?: { count?: number; lastObservedTime?: string };
};

/** The identities of an app's objects: uids, and `Kind/namespace/name` for objects seen without uid. */
export type InvolvedSet = { uids: Set<string>; names: Set<string> };

/** Builds the set of objects whose events belong to the app (its resources plus what they own). */
export function involvedSet(objects: readonly KubeObject[]): InvolvedSet {
  const uids = new Set<string>();
  const names = new Set<string>();
  for (const o of objects) {
    if (o.metadata.uid) uids.add(o.metadata.uid);
    names.add(`${o.kind}/${o.metadata.namespace ?? ''}/${o.metadata.name}`);
  }
  return { uids, names };
}

/** Normalises raw Events (core/v1 shape) of the involved objects into a sorted timeline. */
export function buildTimeline(
  events: readonly KubeObject[],
  involved: InvolvedSet,
  opts: { warningsOnly?: boolean } = {},
): TimelineEvent[] {
  const out: TimelineEvent[] = [];
  for (const raw of events as RawEvent[]) {
    const io = raw.involvedObject ?? {};
    const nameKey = `${io.kind ?? ''}/${io.namespace ?? ''}/${io.name ?? ''}`;
    if (!(io.uid && involved.uids.has(io.uid)) && !involved.names.has(nameKey)) continue;
    const type = raw.type === 'Warning' ? 'Warning' : 'Normal';
    if (opts.warningsOnly && type !== 'Warning') continue;
    const last =
      raw.series?.lastObservedTime ??
      raw.lastTimestamp ??
      raw.eventTime ??
      raw.metadata.creationTimestamp ??
      '';
    out.push({
      type,
      reason: raw.reason ?? '',
      message: (raw.message ?? '').trim(),
      object: `${io.kind ?? '?'}/${io.name ?? '?'}`,
      namespace: io.namespace ?? '',
      count: raw.series?.count ?? raw.count ?? 1,
      last,
      first: raw.firstTimestamp ?? raw.eventTime ?? last,
    });
  }
  return sortTimeline(out);
}

/** Warnings first, then newest first. */
export function sortTimeline(events: TimelineEvent[]): TimelineEvent[] {
  return events.sort(
    (a, b) => (a.type === 'Warning' ? 0 : 1) - (b.type === 'Warning' ? 0 : 1) || b.last.localeCompare(a.last),
  );
}

/** A short age: `45s`, `12m`, `3h`, `2d` (from an ISO time to `now`, ms). */
export function age(iso: string, now: number): string {
  const t = Date.parse(iso);
  if (Number.isNaN(t)) return '?';
  const s = Math.max(0, Math.round((now - t) / 1000));
  if (s < 120) return `${s}s`;
  if (s < 7200) return `${Math.floor(s / 60)}m`;
  if (s < 172_800) return `${Math.floor(s / 3600)}h`;
  return `${Math.floor(s / 86_400)}d`;
}

/** One line of the timeline: `Warning  BackOff  Pod/web-1  ×12  3m  Back-off restarting failed container`. */
export function formatEvent(e: TimelineEvent, now: number): string {
  return `${e.type.padEnd(7)}  ${e.reason.padEnd(20)}  ${e.object}  ×${e.count}  ${age(e.last, now)}  ${e.message}`;
}
