import { changedPaths, foldStringData, isSecret, maskSecretPair, toYaml } from '../diff/index.js';
import type { KubeObject } from '../model/index.js';
import { keyLabel, keyOf } from '../model/index.js';
import { textPatch } from './patch.js';

/** How one resource differs between two sides of a comparison. */
export const Presence = { Changed: 'changed', OnlyA: 'only-a', OnlyB: 'only-b', Same: 'same' } as const;
/** One of the presence states. */
export type Presence = (typeof Presence)[keyof typeof Presence];

/** One resource of a two-sided comparison: which side has it, the changed fields and a masked diff. */
export type ObjectDelta = {
  /** `group/Kind/name` (after folding, when the sides were folded). */
  resource: string;
  status: Presence;
  /** JSON pointers of the fields that differ (changed only). */
  changedPaths: string[];
  /** Unified diff A → B of the YAML; Secret values masked. Empty when identical. */
  diff: string;
};

function id(o: KubeObject): string {
  const k = keyOf(o);
  return `${k.group ? `${k.group}/` : ''}${keyLabel({ ...k, namespace: '' })}`;
}

/**
 * Compares two object sets, matched by group, kind and name (namespaces ignored), A → B. Secrets are
 * compared and shown masked: which keys were added, removed or changed, never their values.
 */
export function diffObjectSets(opts: {
  a: KubeObject[];
  b: KubeObject[];
  labelA: string;
  labelB: string;
}): ObjectDelta[] {
  const byId = (list: KubeObject[]) => new Map(list.map((o) => [id(o), o] as const));
  const a = byId(opts.a);
  const b = byId(opts.b);
  const ids = [...new Set([...a.keys(), ...b.keys()])].sort();
  return ids.map((resource): ObjectDelta => {
    const x = a.get(resource);
    const y = b.get(resource);
    const fold = (o: KubeObject | undefined) => (o && isSecret(o) ? foldStringData(o) : o);
    const masked = maskSecretPair(fold(y), fold(x));
    const before = toYaml(masked.live);
    const after = toYaml(masked.target);
    const status: Presence = !x ? 'only-b' : !y ? 'only-a' : before === after ? 'same' : 'changed';
    const diff = textPatch(`${opts.labelA}/${resource}`, `${opts.labelB}/${resource}`, before, after);
    return {
      resource,
      status,
      changedPaths: status === 'changed' ? changedPaths(masked.target, masked.live) : [],
      diff,
    };
  });
}
