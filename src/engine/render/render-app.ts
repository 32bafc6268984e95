import { realpath } from 'node:fs/promises';
import type { AppSpec, HelmCapabilities, KubeObject, RenderResult } from '../model/index.js';
import { analyzeSource, compressPaths, renderedSources } from './analyze.js';
import { renderDirectory } from './directory.js';
import type { RenderLimits } from './exec.js';
import { renderHelm } from './helm.js';
import { renderKustomize } from './kustomize.js';
import { SourceType } from './source-type.js';

/** Default limits: 60 s per render, 10 MiB of manifests per app. */
export const renderDefaults = { timeoutMs: 60_000, maxBytes: 10 * 1024 * 1024 } as const;

/** Options of `renderApp`. */
export type RenderAppOptions = {
  spec: AppSpec;
  /** The read-only tree of the repository at `revision` (from `GitRepo.snapshot`). */
  snapshotDir: string;
  /** The commit the snapshot holds; carried into the result. */
  revision: string;
  /** kustomize binary (default `kustomize` on PATH). */
  kustomizeBin?: string;
  /** helm binary (default `helm` on PATH). */
  helmBin?: string;
  /** Time limit of the whole render (default 60 s); the renderer's process group is killed after it. */
  timeoutMs?: number;
  /** Cap on rendered manifests (default 10 MiB). */
  maxBytes?: number;
  signal?: AbortSignal;
  /** What the destination cluster tells Helm charts (Kubernetes and API versions), as Argo CD passes it. */
  capabilities?: HelmCapabilities;
};

function oneLine(err: unknown): string {
  const msg = err instanceof Error ? err.message : String(err);
  return (msg.split('\n')[0] ?? msg).trim();
}

/**
 * Renders an app's desired objects from a snapshot: plain directory, Kustomize or Helm per source
 * (multi-source apps concatenated, `ref`-only sources skipped). Never throws: a bad input, a failed
 * or timed-out tool, oversized output or a path that leaves the repository gives `{ ok: false }`
 * with one line.
 */
export async function renderApp(opts: RenderAppOptions): Promise<RenderResult> {
  const revision = opts.revision;
  try {
    return await render(opts);
  } catch (err) {
    return { ok: false, error: `render failed: ${oneLine(err)}`, revision };
  }
}

async function render(opts: RenderAppOptions): Promise<RenderResult> {
  const { spec, revision } = opts;
  const timeoutMs = opts.timeoutMs ?? renderDefaults.timeoutMs;
  const limits: RenderLimits = {
    deadline: Date.now() + timeoutMs,
    timeoutMs,
    maxBytes: opts.maxBytes ?? renderDefaults.maxBytes,
    signal: opts.signal,
  };
  let snapshotDir: string;
  try {
    snapshotDir = await realpath(opts.snapshotDir);
  } catch {
    return { ok: false, error: `snapshot ${opts.snapshotDir} does not exist`, revision };
  }
  const sources = renderedSources(spec);
  if (sources.length === 0) return { ok: false, error: 'application has no source to render', revision };
  const objects: KubeObject[] = [];
  for (let i = 0; i < sources.length; i++) {
    const fail = (error: string): RenderResult => ({
      ok: false,
      error:
        sources.length > 1 ? `source ${i + 1} (${sources[i]?.path ?? sources[i]?.chart}): ${error}` : error,
      revision,
    });
    const a = await analyzeSource(snapshotDir, spec, sources[i]!);
    if (!a.ok) return fail(a.error);
    let result: { ok: true; objects: KubeObject[] } | { ok: false; error: string };
    if (a.type === SourceType.Kustomize) {
      result = await renderKustomize({
        snapshotDir,
        appAbs: a.appAbs,
        options: a.source.kustomize,
        bin: opts.kustomizeBin ?? 'kustomize',
        limits,
      });
    } else if (a.type === SourceType.Helm) {
      result = await renderHelm({
        snapshotDir,
        chartRel: a.appRel,
        source: a.source,
        appName: spec.name,
        namespace: spec.destination.namespace,
        values: a.values ?? { files: [], declared: [] },
        localDeps: a.localDeps ?? [],
        bin: opts.helmBin ?? 'helm',
        limits,
        ...(opts.capabilities ? { capabilities: opts.capabilities } : {}),
      });
    } else {
      result = await renderDirectory({
        snapshotDir,
        appAbs: a.appAbs,
        options: a.source.directory,
        maxBytes: limits.maxBytes,
      });
    }
    if (!result.ok) return fail(result.error);
    objects.push(...result.objects);
  }
  const repeated = repeatedResources(objects, spec.destination.namespace ?? '');
  if (repeated) return { ok: false, error: repeated, revision };
  return { ok: true, objects, revision, cacheKey: '', cached: false };
}

/**
 * Two objects with one key (group, kind, namespace, name) in one render: Argo CD's RepeatedResourceWarning.
 * bosun refuses the render rather than merge them silently. Returns the sentence, or undefined.
 */
export function repeatedResources(
  objects: readonly KubeObject[],
  defaultNamespace: string,
): string | undefined {
  const seen = new Map<string, number>();
  for (const o of objects) {
    const group = (o.apiVersion ?? '').includes('/') ? o.apiVersion.split('/')[0] : '';
    const ns = o.metadata?.namespace || defaultNamespace;
    const label = `${group ? `${group}/` : ''}${o.kind}/${ns ? `${ns}/` : ''}${o.metadata?.name}`;
    seen.set(label, (seen.get(label) ?? 0) + 1);
  }
  const dups = [...seen].filter(([, n]) => n > 1);
  if (dups.length === 0) return undefined;
  const list = dups.map(([k, n]) => `${k} (${n} times)`).join(', ');
  return `RepeatedResourceWarning: the render has the same resource more than once: ${list}`;
}

/**
 * The repo-relative paths that feed an app's render (app path, kustomize bases, components and
 * resources, chart and local dependencies, value files, in-repo symlink targets), compressed so no
 * path lies below another. `''` is the repository root. Never throws.
 */
export async function inputPaths(opts: { spec: AppSpec; snapshotDir: string }): Promise<string[]> {
  let snapshotDir: string;
  try {
    snapshotDir = await realpath(opts.snapshotDir);
  } catch {
    return [];
  }
  const all: string[] = [];
  for (const s of renderedSources(opts.spec)) {
    try {
      all.push(...(await analyzeSource(snapshotDir, opts.spec, s)).inputs);
    } catch {
      // unreadable: the render reports it
    }
  }
  return compressPaths(all);
}
