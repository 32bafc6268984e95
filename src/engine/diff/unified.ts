import { createTwoFilesPatch } from 'diff';
import { stringify } from 'yaml';
import type { KubeObject, ResourceKey } from '../model/index.js';
import { keyLabel } from '../model/index.js';
import { foldStringData, isSecret, maskSecretPair } from './secrets.js';

/** Input of `unifiedDiff`; a missing side shows as an empty file (object to create or to prune). */
export type UnifiedDiffInput = {
  /** Names the files; defaults to `keyLabel(key)`. */
  label?: string;
  key?: ResourceKey;
  live?: KubeObject;
  target?: KubeObject;
  /** Lines of context around each change (default 3). */
  context?: number;
};

/** Line counts of a unified diff. */
export type DiffStats = { added: number; removed: number };

/** YAML of an object with sorted keys and no line folding (stable, diff-friendly). */
export function toYaml(obj: unknown): string {
  if (obj === undefined) return '';
  return stringify(obj, { sortMapEntries: true, lineWidth: 0, aliasDuplicateObjects: false });
}

/**
 * A unified diff (live → target) of two objects as YAML. Secret values are masked first, so
 * only added, removed or changed keys show. Empty string when the YAML is identical.
 */
export function unifiedDiff(input: UnifiedDiffInput): string {
  const label = input.label ?? (input.key ? keyLabel(input.key) : 'object');
  const fold = (o: KubeObject | undefined) => (o && isSecret(o) ? foldStringData(o) : o);
  const { target, live } = maskSecretPair(fold(input.target), fold(input.live));
  const before = toYaml(live);
  const after = toYaml(target);
  if (before === after) return '';
  return createTwoFilesPatch(`live/${label}`, `target/${label}`, before, after, undefined, undefined, {
    context: input.context ?? 3,
  });
}

/** Counts added and removed lines of a unified diff (headers excluded). */
export function diffStats(patch: string): DiffStats {
  let added = 0;
  let removed = 0;
  let inHunk = false;
  for (const line of patch.split('\n')) {
    if (line.startsWith('@@')) inHunk = true;
    else if (line.startsWith('====') || line.startsWith('Index: ')) inHunk = false;
    else if (!inHunk) continue;
    else if (line.startsWith('+')) added++;
    else if (line.startsWith('-')) removed++;
  }
  return { added, removed };
}
