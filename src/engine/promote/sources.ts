import { normalizeRepoPath } from '../git/paths.js';
import type { AppSource, AppSpec } from '../model/index.js';

/** Reads a repo-relative file at the revision being planned; undefined when it does not exist. */
export type ReadRepoFile = (path: string) => string | undefined | Promise<string | undefined>;

/** How an app's version is expressed in the repository. */
export const VersionKind = {
  Kustomize: 'kustomize',
  Helm: 'helm',
  TargetRevision: 'targetRevision',
} as const;
/** One of the version kinds. */
export type VersionKind = (typeof VersionKind)[keyof typeof VersionKind];

/** The source of an app that carries its manifests (not a `ref`-only source), with its index. */
export function primarySource(app: AppSpec): { source: AppSource; index: number } {
  const index = app.sources.findIndex((s) => s.path !== undefined || s.chart !== undefined);
  const i = Math.max(index, 0);
  const source = app.sources[i];
  if (!source) throw new Error(`app ${app.name} has no source`);
  return { source, index: i };
}

const KUSTOMIZATION_FILES = ['kustomization.yaml', 'kustomization.yml', 'Kustomization'];

/** Joins a source path and a file inside it; undefined when the result leaves the repository. */
export function repoJoin(dir: string | undefined, file: string): string | undefined {
  return normalizeRepoPath(dir ? `${dir}/${file}` : file);
}

/** The kustomization file of a source path, undefined when there is none. */
export async function kustomizationFile(source: AppSource, read: ReadRepoFile): Promise<string | undefined> {
  if (source.path === undefined || source.chart) return undefined;
  for (const name of KUSTOMIZATION_FILES) {
    const p = repoJoin(source.path, name);
    if (p !== undefined && (await read(p)) !== undefined) return p;
  }
  return undefined;
}

/** True when the source renders with Helm (a chart from a registry, helm options, or a Chart.yaml). */
export async function isHelmSource(source: AppSource, read: ReadRepoFile): Promise<boolean> {
  if (source.chart || source.helm) return true;
  const p = source.path !== undefined ? repoJoin(source.path, 'Chart.yaml') : undefined;
  return p !== undefined && (await read(p)) !== undefined;
}

/** How the app's primary source is rendered: kustomize, helm, else plain targetRevision. */
export async function versionKind(app: AppSpec, read: ReadRepoFile): Promise<VersionKind> {
  const { source } = primarySource(app);
  if (await kustomizationFile(source, read)) return VersionKind.Kustomize;
  if (await isHelmSource(source, read)) return VersionKind.Helm;
  return VersionKind.TargetRevision;
}

/** One Helm value file of an app, resolved to a repo path. */
export type ValueFile = { path: string; optional: boolean };

/**
 * The Helm value files of an app in merge order, as repo paths: the chart's own `values.yaml` (when
 * the chart is in the repository) and then `helm.valueFiles`, relative to the source path or
 * through a `$ref/…` source. Files outside the repository are refused; remote URLs are skipped.
 */
export function helmValueFiles(app: AppSpec): ValueFile[] {
  const { source } = primarySource(app);
  const out: ValueFile[] = [];
  const optional = source.helm?.ignoreMissingValueFiles === true;
  if (source.path !== undefined && !source.chart) {
    const p = repoJoin(source.path, 'values.yaml');
    if (p !== undefined) out.push({ path: p, optional: true });
  }
  for (const vf of source.helm?.valueFiles ?? []) {
    if (/^[a-z][a-z0-9+.-]*:\/\//i.test(vf)) continue;
    let p: string | undefined;
    if (vf.startsWith('$')) {
      const slash = vf.indexOf('/');
      const ref = vf.slice(1, slash < 0 ? undefined : slash);
      if (!app.sources.some((s) => s.ref === ref)) {
        throw new Error(`${app.name}: value file ${vf} names $${ref}, but no source has ref: ${ref}`);
      }
      p = slash < 0 ? undefined : normalizeRepoPath(vf.slice(slash + 1));
    } else {
      p = repoJoin(source.chart ? undefined : source.path, vf);
    }
    if (p === undefined || p === '') throw new Error(`${app.name}: value file ${vf} leaves the repository`);
    if (!out.some((o) => o.path === p)) out.push({ path: p, optional });
    else {
      // Listed again: it now applies later in the merge order.
      const i = out.findIndex((o) => o.path === p);
      out.splice(i, 1);
      out.push({ path: p, optional });
    }
  }
  return out;
}

/** The value a `helm.parameters` entry gives `key`, if any (parameters override value files). */
export function helmParameter(app: AppSpec, key: string): string | undefined {
  const { source } = primarySource(app);
  return source.helm?.parameters?.find((p) => p.name === key)?.value;
}

/** A memoising reader, so each file is read once per plan. */
export function cachedReader(read: ReadRepoFile): ReadRepoFile {
  const cache = new Map<string, Promise<string | undefined>>();
  return (path) => {
    let hit = cache.get(path);
    if (!hit) {
      hit = Promise.resolve(read(path));
      cache.set(path, hit);
    }
    return hit;
  };
}
