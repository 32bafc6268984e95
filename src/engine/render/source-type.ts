import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { AppSource } from '../model/index.js';

/** How a source is rendered. */
export const SourceType = { Directory: 'Directory', Kustomize: 'Kustomize', Helm: 'Helm' } as const;
/** One of the source types. */
export type SourceType = (typeof SourceType)[keyof typeof SourceType];

/** File names that make a directory a Kustomize app, in kustomize's order. */
export const kustomizationNames = ['kustomization.yaml', 'kustomization.yml', 'Kustomization'] as const;

async function isFile(p: string): Promise<boolean> {
  try {
    return (await stat(p)).isFile();
  } catch {
    return false;
  }
}

/** The kustomization file of a directory, if any. */
export async function findKustomization(dirAbs: string): Promise<string | undefined> {
  for (const n of kustomizationNames) {
    const p = join(dirAbs, n);
    if (await isFile(p)) return p;
  }
  return undefined;
}

function hasValues(o: object | undefined): boolean {
  return (
    !!o &&
    Object.values(o).some(
      (v) => v !== undefined && v !== false && v !== '' && !(Array.isArray(v) && v.length === 0),
    )
  );
}

/**
 * The source type like Argo CD decides it: an explicit `kustomize`/`helm`/`directory` block when
 * exactly one is set, else `kustomization.yaml|yml|Kustomization` → Kustomize, `Chart.yaml` → Helm,
 * else a plain directory.
 */
export async function detectSourceType(
  source: AppSource,
  dirAbs: string,
): Promise<{ ok: true; type: SourceType } | { ok: false; error: string }> {
  const explicit: SourceType[] = [];
  if (hasValues(source.kustomize)) explicit.push(SourceType.Kustomize);
  if (hasValues(source.helm)) explicit.push(SourceType.Helm);
  if (hasValues(source.directory)) explicit.push(SourceType.Directory);
  if (explicit.length > 1)
    return {
      ok: false,
      error: `source sets more than one of kustomize, helm, directory (${explicit.join(', ')})`,
    };
  if (explicit[0]) return { ok: true, type: explicit[0] };
  if (await findKustomization(dirAbs)) return { ok: true, type: SourceType.Kustomize };
  if (await isFile(join(dirAbs, 'Chart.yaml'))) return { ok: true, type: SourceType.Helm };
  return { ok: true, type: SourceType.Directory };
}
