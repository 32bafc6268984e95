import { readFile, stat } from 'node:fs/promises';
import { yamlMemo } from '../apps/yaml-memo.js';
import { resolveRepoPath, showRel } from './safe-path.js';
import { findKustomization } from './source-type.js';

/** A kustomization's own path fields, as strings. */
function pathFields(k: Record<string, unknown>): string[] {
  const out: string[] = [];
  const strings = (v: unknown) => {
    if (Array.isArray(v)) for (const s of v) if (typeof s === 'string') out.push(s);
  };
  const objPaths = (v: unknown) => {
    if (Array.isArray(v))
      for (const o of v)
        if (o && typeof o === 'object' && typeof (o as { path?: unknown }).path === 'string')
          out.push((o as { path: string }).path);
  };
  for (const f of [
    'resources',
    'bases',
    'components',
    'crds',
    'configurations',
    'generators',
    'transformers',
    'validators',
  ])
    strings(k[f]);
  // patchesStrategicMerge entries are file paths or inline patches
  if (Array.isArray(k.patchesStrategicMerge)) {
    for (const p of k.patchesStrategicMerge)
      if (typeof p === 'string' && !p.includes('\n') && !/:\s/.test(p)) out.push(p);
  }
  for (const f of ['patches', 'patchesJson6902', 'replacements']) objPaths(k[f]);
  for (const f of ['configMapGenerator', 'secretGenerator']) {
    const gens = k[f];
    if (!Array.isArray(gens)) continue;
    for (const g of gens) {
      if (!g || typeof g !== 'object') continue;
      const gen = g as { files?: unknown; envs?: unknown; env?: unknown };
      if (Array.isArray(gen.files)) {
        for (const s of gen.files)
          if (typeof s === 'string') out.push(s.includes('=') ? s.slice(s.indexOf('=') + 1) : s);
      }
      strings(gen.envs);
      if (typeof gen.env === 'string') out.push(gen.env);
    }
  }
  const openapi = k.openapi as { path?: unknown } | undefined;
  if (openapi && typeof openapi.path === 'string') out.push(openapi.path);
  const helmGlobals = k.helmGlobals as { chartHome?: unknown } | undefined;
  if (helmGlobals && typeof helmGlobals.chartHome === 'string') out.push(helmGlobals.chartHome);
  return out;
}

/** True for a remote kustomize reference (a URL or a hosted git repository), which is not in the snapshot. */
export function isRemoteRef(p: string): boolean {
  return (
    /^[a-z][a-z0-9+.-]*:\/\//i.test(p) ||
    /^(git@|github\.com\/|gitlab\.com\/|bitbucket\.org\/)/.test(p) ||
    p.includes('?ref=') ||
    p.includes('?version=')
  );
}

/** Every repo-relative path a Kustomize app reads, or the first reference that leaves the repository. */
export type KustomizeInputs = { ok: true; paths: string[] } | { ok: false; error: string };

/**
 * Follows a kustomization and everything it refers to (bases, components, resources, patches,
 * generator files), recursively and cycle-safe, without running kustomize.
 */
export async function collectKustomizeInputs(snapshotDir: string, appRel: string): Promise<KustomizeInputs> {
  const paths = new Set<string>();
  const visited = new Set<string>();
  const visit = async (dirRel: string): Promise<string | undefined> => {
    if (visited.has(dirRel)) return undefined;
    visited.add(dirRel);
    paths.add(dirRel);
    const file = await findKustomization(`${snapshotDir}/${dirRel}`);
    if (!file) return undefined;
    // Not YAML: kustomize reports the syntax error itself.
    const k = yamlMemo.kustomization(await readFile(file, 'utf8'));
    if (!k || typeof k !== 'object') return undefined;
    for (const p of pathFields(k as Record<string, unknown>)) {
      if (isRemoteRef(p)) continue;
      const r = resolveRepoPath({
        snapshotDir,
        baseRel: dirRel,
        p,
        what: 'path',
        context: `kustomization ${showRel(dirRel)}`,
      });
      if (!r.ok) return r.error;
      let isDir = false;
      try {
        isDir = (await stat(r.value.abs)).isDirectory();
      } catch {
        // missing: kustomize reports it; the path still keys the cache
      }
      if (isDir) {
        const e = await visit(r.value.rel);
        if (e) return e;
      } else paths.add(r.value.rel);
    }
    return undefined;
  };
  const error = await visit(appRel);
  return error ? { ok: false, error } : { ok: true, paths: [...paths] };
}
