import { deepEqual } from '../diff/index.js';
import type { AppSpec } from '../model/index.js';
import type { AppSetLive } from './live-types.js';
import { diffObjectSets, type ObjectDelta } from './object-diff.js';
import { type RevisionView, Workspace, type WorkspaceOptions } from './workspace.js';

/** One generated Application in a preview: new, gone, changed or unchanged between HEAD and REV. */
export type PreviewApp = {
  name: string;
  status: 'added' | 'removed' | 'changed' | 'unchanged';
  environment?: string;
  destination: string;
  /** Spec fields that differ (source, destination, syncPolicy…), for changed apps. */
  specChanges: string[];
  /** Rendered resources that differ, HEAD → REV; empty for unchanged apps. */
  resources: ObjectDelta[];
  /** A render failure at either side, one line. */
  error?: string;
};

/** What one ApplicationSet generates at REV compared with HEAD. */
export type AppSetPreview = {
  name: string;
  file?: string;
  /** The set's error at REV (no apps generated), or at HEAD when the set is new. */
  error?: string;
  apps: PreviewApp[];
  /** The generated apps compared with what is live (set by the engine, which sees the clusters). */
  live?: AppSetLive;
};

/** The preview of every (or one) ApplicationSet at a revision. */
export type AppSetPreviewResult = {
  revision: { rev: string; sha: string };
  head: { sha: string };
  sets: AppSetPreview[];
  /** True when some set generates different apps or renders at REV than at HEAD. */
  changed: boolean;
  /** Whether live was compared (absent: offline, not asked). */
  live?: { compared: true; unreachable: string[] } | { compared: false; reason: string };
};

/** Options of `previewAppSets`. */
export type AppSetPreviewOptions = WorkspaceOptions & { name?: string; revision?: string };

/** Why a preview cannot start (unknown set); carries a one-line message. */
export class PreviewError extends Error {}

const specFields = [
  'project',
  'sources',
  'destination',
  'syncPolicy',
  'ignoreDifferences',
  'labels',
  'annotations',
] as const;

function specChanges(a: AppSpec, b: AppSpec): string[] {
  return specFields.filter((f) => !deepEqual(a[f] ?? null, b[f] ?? null));
}

function dest(s: AppSpec): string {
  return `${s.destination.name ?? s.destination.server ?? '?'}/${s.destination.namespace ?? ''}`;
}

async function previewSet(
  ws: Workspace,
  name: string,
  head: RevisionView,
  rev: RevisionView,
): Promise<AppSetPreview> {
  const of = (v: RevisionView) =>
    new Map(
      v.discovery.apps.filter((a) => a.origin.applicationSet === name).map((a) => [a.name, a] as const),
    );
  const before = of(head);
  const after = of(rev);
  const summary =
    rev.discovery.appSets.find((s) => s.name === name) ?? head.discovery.appSets.find((s) => s.name === name);
  const names = [...new Set([...before.keys(), ...after.keys()])].sort();
  const apps = await Promise.all(
    names.map(async (app): Promise<PreviewApp> => {
      const a = before.get(app);
      const b = after.get(app);
      const spec = (b ?? a) as AppSpec;
      const base = {
        name: app,
        ...(spec.environment ? { environment: spec.environment } : {}),
        destination: dest(spec),
      };
      if (!a || !b) {
        const r = await ws.render(b ? rev : head, spec);
        return {
          ...base,
          status: b ? 'added' : 'removed',
          specChanges: [],
          resources: r.ok
            ? diffObjectSets({
                a: b ? [] : r.objects,
                b: b ? r.objects : [],
                labelA: 'HEAD',
                labelB: rev.rev,
              })
            : [],
          ...(r.ok ? {} : { error: r.error }),
        };
      }
      const [ra, rb] = await Promise.all([ws.render(head, a), ws.render(rev, b)]);
      const changes = specChanges(a, b);
      const error = !ra.ok ? `at HEAD: ${ra.error}` : !rb.ok ? `at ${rev.rev}: ${rb.error}` : undefined;
      const resources =
        ra.ok && rb.ok
          ? diffObjectSets({ a: ra.objects, b: rb.objects, labelA: 'HEAD', labelB: rev.rev }).filter(
              (d) => d.status !== 'same',
            )
          : [];
      const changed = changes.length > 0 || resources.length > 0 || ra.ok !== rb.ok;
      return {
        ...base,
        status: changed ? 'changed' : 'unchanged',
        specChanges: changes,
        resources,
        ...(error ? { error } : {}),
      };
    }),
  );
  return {
    name,
    ...(summary?.file ? { file: summary.file } : {}),
    ...(summary?.error ? { error: summary.error } : {}),
    apps,
  };
}

/**
 * Previews ApplicationSets offline: the Applications each set generates at `revision` compared with
 * the branch head — added, removed, changed (spec fields and rendered diff) — with no cluster.
 */
export async function previewAppSets(opts: AppSetPreviewOptions): Promise<AppSetPreviewResult> {
  const ws = await Workspace.open(opts);
  const [head, rev] = await Promise.all([ws.at(), ws.at(opts.revision ?? 'HEAD')]);
  const all = [...new Set([...head.discovery.appSets, ...rev.discovery.appSets].map((s) => s.name))].sort();
  if (opts.name && !all.includes(opts.name))
    throw new PreviewError(
      `no ApplicationSet "${opts.name}" at ${opts.revision ? `${opts.revision} or HEAD` : 'HEAD'}${all.length ? ` (sets: ${all.join(', ')})` : ' (the repository has none)'}`,
    );
  const names = opts.name ? [opts.name] : all;
  const sets: AppSetPreview[] = [];
  for (const n of names) sets.push(await previewSet(ws, n, head, rev));
  return {
    revision: { rev: rev.rev, sha: rev.sha },
    head: { sha: head.sha },
    sets,
    changed: sets.some((s) => s.apps.some((a) => a.status !== 'unchanged')),
  };
}
