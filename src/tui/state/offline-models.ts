import {
  type AppSetPreviewResult,
  type EnvComparison,
  livePresence,
  type ObjectDelta,
} from '../../engine/index.js';
import type { ViewEntry } from './types.js';
import { diffLines, type Line } from './view-models.js';

const fields = (r: ObjectDelta) =>
  r.changedPaths.length > 3
    ? `${r.changedPaths.slice(0, 3).join(', ')} +${r.changedPaths.length - 3}`
    : r.changedPaths.join(', ');

/**
 * A comparison as lines: the resources that differ (folded names), then the source files that differ,
 * then each rendered diff and each file diff, in that order.
 */
export function compareLines(c: EnvComparison): Line[] {
  const a = c.a.environment;
  const b = c.b.environment;
  const out: Line[] = [
    { text: `${c.a.app} (${a}) → ${c.b.app} (${b}) at ${c.a.revision.slice(0, 7)}`, kind: 'muted' },
  ];
  for (const s of [c.a, c.b])
    if (s.error) out.push({ text: `${s.environment}: render failed: ${s.error}`, kind: 'error' });
  const differing = c.resources.filter((r) => r.status !== 'same');
  const same = c.resources.length - differing.length;
  out.push({ text: 'RENDERED MANIFESTS', kind: 'title' });
  for (const r of differing) {
    const status =
      r.status === 'only-a' ? `only in ${a}` : r.status === 'only-b' ? `only in ${b}` : 'changed';
    out.push({
      text: `  ${r.resource.padEnd(40)} ${status.padEnd(18)} ${fields(r)}`.trimEnd(),
      kind: r.status === 'changed' ? 'warning' : r.status === 'only-a' ? 'removed' : 'added',
    });
  }
  if (!c.a.error && !c.b.error)
    out.push({
      text: differing.length
        ? `  ${same} resource(s) the same once names are folded`
        : `  the same once names are folded (${same} resources)`,
      kind: differing.length ? 'muted' : 'success',
    });
  const files = c.files.filter((f) => f.diff);
  out.push({ text: 'SOURCE FILES', kind: 'title' });
  if (files.length === 0) out.push({ text: '  no differences', kind: 'success' });
  for (const f of files)
    out.push({
      text: `  ${f.a && f.b ? `${f.a} ↔ ${f.b}` : f.a ? `only in ${a}: ${f.a}` : `only in ${b}: ${f.b}`}`,
      kind: 'plain',
    });
  for (const r of differing) out.push({ text: '', kind: 'plain' }, ...diffLines(r.diff));
  for (const f of files) out.push({ text: '', kind: 'plain' }, ...diffLines(f.diff));
  return out;
}

/** An ApplicationSet preview as lines: per set its apps (status, live), what live says, then the diffs. */
export function appsetLines(p: AppSetPreviewResult): Line[] {
  const out: Line[] = [];
  const rev = p.revision.rev;
  if (p.live && !p.live.compared) out.push({ text: `live not compared: ${p.live.reason}`, kind: 'warning' });
  for (const set of p.sets) {
    out.push({
      text: `ApplicationSet ${set.name}${set.file ? ` (${set.file})` : ''}: ${rev} ${p.revision.sha.slice(0, 7)} against HEAD ${p.head.sha.slice(0, 7)}`,
      kind: 'title',
    });
    if (set.error) out.push({ text: `  error: ${set.error}`, kind: 'error' });
    if (set.apps.length === 0) out.push({ text: '  (no applications)', kind: 'muted' });
    const live = set.live;
    for (const a of set.apps) {
      const presence = livePresence(live, a.name);
      const changes =
        a.error ??
        [...a.specChanges.map((f) => `spec.${f}`), ...a.resources.map((r) => r.resource)]
          .slice(0, 3)
          .join(', ');
      out.push({
        text: `  ${a.name.padEnd(28)} ${a.status.padEnd(10)} ${(presence ?? '').padEnd(13)} ${(a.environment ?? '-').padEnd(10)} ${changes}`.trimEnd(),
        kind: a.error
          ? 'error'
          : a.status === 'added'
            ? 'added'
            : a.status === 'removed'
              ? 'removed'
              : a.status === 'changed'
                ? 'warning'
                : 'plain',
      });
    }
    const counts = ['added', 'removed', 'changed', 'unchanged'].map(
      (s) => `${set.apps.filter((a) => a.status === s).length} ${s}`,
    );
    out.push({ text: `  ${counts.join(' · ')}`, kind: 'muted' });
    if (live && !live.compared && !(p.live && !p.live.compared))
      out.push({ text: `  live not compared: ${live.reason}`, kind: 'warning' });
    if (live?.compared) {
      if (live.liveOnly.length)
        out.push({
          text: `  live but no longer generated at ${rev}: ${live.liveOnly.join(', ')}`,
          kind: 'warning',
        });
      if (live.notDeployed.length)
        out.push({
          text: `  generated at ${rev} but not deployed: ${live.notDeployed.join(', ')}`,
          kind: 'warning',
        });
      if (live.unknown.length)
        out.push({ text: `  live unknown (cluster unreachable): ${live.unknown.join(', ')}`, kind: 'muted' });
      if (!live.liveOnly.length && !live.notDeployed.length && !live.unknown.length)
        out.push({
          text: `  live: every app generated at ${rev} is deployed, and nothing else`,
          kind: 'success',
        });
    }
    for (const a of set.apps.filter((x) => x.status === 'changed'))
      for (const r of a.resources)
        if (r.diff)
          out.push({ text: '', kind: 'plain' }, { text: `# ${a.name}`, kind: 'title' }, ...diffLines(r.diff));
  }
  if (p.sets.length === 0) out.push({ text: 'no ApplicationSets in the repository', kind: 'muted' });
  return out;
}

/** The lines of a compare or ApplicationSet view (loading and errors included). */
export function offlineLines(v: ViewEntry): Line[] {
  if (v.name !== 'compare' && v.name !== 'appset') return [];
  if (v.data.status === 'loading')
    return [
      {
        text:
          v.name === 'compare'
            ? `rendering ${v.service} in ${v.envA} and ${v.envB}…`
            : `generating ${v.set}…`,
        kind: 'muted',
      },
    ];
  if (v.data.status === 'error') return [{ text: v.data.message, kind: 'error' }];
  return v.name === 'compare' ? compareLines(v.data.value) : appsetLines(v.data.value);
}
