import { formatEvent, type ResourceYaml, type TimelineEvent, type WhyReport } from '../../engine/index.js';
import type { ViewEntry } from './types.js';
import type { Line } from './view-models.js';

/** The events timeline as lines: warnings first, then newest (the engine's order). */
export function eventLines(events: readonly TimelineEvent[], now: number): Line[] {
  if (events.length === 0) return [{ text: 'no events for this app', kind: 'muted' }];
  return events.map((e) => ({ text: formatEvent(e, now), kind: e.type === 'Warning' ? 'warning' : 'plain' }));
}

/** Live or desired YAML as lines, after the kubectl command that shows the same. */
export function yamlLines(y: ResourceYaml, desired: boolean): Line[] {
  const text = desired ? y.desired : y.live;
  const out: Line[] = [
    { text: `$ ${y.command}`, kind: 'muted' },
    { text: desired ? `desired (Git) ${y.resource}` : `live ${y.resource}`, kind: 'title' },
  ];
  if (!text)
    out.push({
      text: desired ? 'not in Git (no desired object)' : 'not in the cluster (no live object)',
      kind: 'warning',
    });
  else for (const l of text.replace(/\n$/, '').split('\n')) out.push({ text: l, kind: 'plain' });
  return out;
}

/** "Why" on one screen: the first unhealthy resource, its health message, warnings and last log lines. */
export function whyLines(app: string, w: WhyReport, now: number): Line[] {
  if (!w.resource)
    return [{ text: `${app}: no resource is Degraded, Progressing or Missing`, kind: 'success' }];
  const out: Line[] = [
    { text: `${w.resource}: ${w.health ?? 'Unknown'}`, kind: w.health === 'Degraded' ? 'error' : 'warning' },
  ];
  if (w.message) out.push({ text: w.message, kind: 'plain' });
  out.push({ text: 'last warning events', kind: 'title' });
  if (w.warnings.length === 0) out.push({ text: '(none)', kind: 'muted' });
  for (const e of w.warnings) out.push({ text: formatEvent(e, now), kind: 'warning' });
  if (w.logs) {
    const l = w.logs;
    out.push({
      text: `last log lines of ${l.pod}/${l.container}${l.previous ? ' (previous instance)' : ''}`,
      kind: 'title',
    });
    if (l.error) out.push({ text: l.error, kind: 'error' });
    for (const t of l.lines) out.push({ text: t, kind: 'plain' });
  }
  return out;
}

/** The lines of an events, YAML or why view (loading and errors included). */
export function triageLines(v: ViewEntry, now: number): Line[] {
  if (v.name !== 'events' && v.name !== 'yaml' && v.name !== 'why') return [];
  if (v.data.status === 'loading') return [{ text: 'loading…', kind: 'muted' }];
  if (v.data.status === 'error') return [{ text: v.data.message, kind: 'error' }];
  if (v.name === 'events') return eventLines(v.data.value, now);
  if (v.name === 'yaml') return yamlLines(v.data.value, v.desired);
  return whyLines(v.app, v.data.value, now);
}
