import { stat } from 'node:fs/promises';
import type { AppSource, AppSpec } from '../model/index.js';
import { resolveValueFiles, type ValueFiles } from './helm.js';
import { type LocalDependency, planChart } from './helm-chart.js';
import { collectKustomizeInputs } from './kustomize-inputs.js';
import { realInside, resolveRepoPath, scanSymlinks, showRel } from './safe-path.js';
import { detectSourceType, SourceType } from './source-type.js';

/** Everything known about one source before rendering it. */
export type SourceAnalysis =
  | {
      ok: true;
      source: AppSource;
      type: SourceType;
      appRel: string;
      appAbs: string;
      /** Repo-relative paths that feed the render (not yet compressed). */
      inputs: string[];
      values?: ValueFiles;
      localDeps?: LocalDependency[];
    }
  | { ok: false; error: string; inputs: string[] };

/** True for a source that only lends its repository to `$ref` value files and is not rendered itself. */
export function isRefOnly(s: AppSource): boolean {
  return !!s.ref && !s.path && !s.chart;
}

/** The sources of an app that produce objects. */
export function renderedSources(spec: AppSpec): AppSource[] {
  return spec.sources.filter((s) => !isRefOnly(s));
}

/**
 * Resolves a source's path inside the snapshot, detects its type and collects its inputs; refuses
 * paths, value files, dependencies and symlinks that leave the repository. `snapshotDir` must be
 * a real path.
 */
export async function analyzeSource(
  snapshotDir: string,
  spec: AppSpec,
  source: AppSource,
): Promise<SourceAnalysis> {
  if (source.chart) {
    return {
      ok: false,
      error: `Helm chart ${source.chart} from ${source.repoURL} is a remote chart; bosun renders charts in the repository only`,
      inputs: [],
    };
  }
  const r = resolveRepoPath({ snapshotDir, baseRel: '', p: source.path ?? '', what: 'app path' });
  if (!r.ok) return { ok: false, error: r.error, inputs: [] };
  const appRel = r.value.rel;
  const inputs = [appRel];
  const real = await realInside(snapshotDir, r.value.abs, `app path "${source.path}"`);
  if (!real.ok) return { ok: false, error: real.error, inputs };
  let isDir = false;
  if (real.value) {
    try {
      isDir = (await stat(real.value)).isDirectory();
    } catch {
      isDir = false;
    }
  }
  if (!isDir)
    return { ok: false, error: `app path ${showRel(appRel)} does not exist in the repository`, inputs };
  const appAbs = real.value!;
  const detected = await detectSourceType(source, appAbs);
  if (!detected.ok) return { ok: false, error: detected.error, inputs };
  const type = detected.type;
  const base = { ok: true as const, source, type, appRel, appAbs };
  let scan = [appRel];
  let values: ValueFiles | undefined;
  let localDeps: LocalDependency[] | undefined;
  if (type === SourceType.Kustomize) {
    const k = await collectKustomizeInputs(snapshotDir, appRel);
    if (!k.ok) return { ok: false, error: k.error, inputs };
    inputs.push(...k.paths);
    scan = k.paths;
  } else if (type === SourceType.Helm) {
    const v = await resolveValueFiles({
      snapshotDir,
      chartRel: appRel,
      helm: source.helm,
      sources: spec.sources,
    });
    const plan = await planChart(snapshotDir, appRel);
    if (plan.ok) {
      localDeps = plan.local;
      inputs.push(...plan.local.map((d) => d.rel));
      scan = [appRel, ...plan.local.map((d) => d.rel)];
    }
    if (v.ok) {
      values = v.value;
      inputs.push(...v.value.declared);
    }
    if (!v.ok) return { ok: false, error: v.error, inputs };
    if (!plan.ok) return { ok: false, error: plan.error, inputs };
  }
  const links = await scanSymlinks(snapshotDir, scan);
  inputs.push(...links.targets);
  const escaping = links.escapes[0];
  if (escaping !== undefined) {
    return { ok: false, error: `${showRel(escaping)} is a symlink that leaves the repository`, inputs };
  }
  return { ...base, inputs, ...(values ? { values } : {}), ...(localDeps ? { localDeps } : {}) };
}

/** Sorted, de-duplicated paths with every path below another one dropped (a tree id covers its contents). */
export function compressPaths(paths: Iterable<string>): string[] {
  const all = new Set(paths);
  if (all.has('')) return [''];
  const covered = (p: string): boolean => {
    for (let i = p.lastIndexOf('/'); i > 0; i = p.lastIndexOf('/', i - 1)) {
      if (all.has(p.slice(0, i))) return true;
    }
    return false;
  };
  return [...all].filter((p) => !covered(p)).sort();
}
