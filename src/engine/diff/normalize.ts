import type { KubeObject } from '../model/index.js';
import { isMap, type JsonMap } from './json-path.js';
import { foldStringData, isSecret } from './secrets.js';

/** Options of `normalizeObject`. */
export type NormalizeOptions = {
  /** Keep `status` (for kinds whose status is part of the desired state). Default: dropped. */
  keepStatus?: boolean;
};

/** Metadata fields the server owns; never part of a comparison. */
export const SERVER_METADATA: ReadonlySet<string> = new Set([
  'managedFields',
  'resourceVersion',
  'uid',
  'generation',
  'creationTimestamp',
  'deletionTimestamp',
  'selfLink',
]);

/** Annotations written by tools rather than by the author of the object. */
export const TOOL_ANNOTATIONS: ReadonlySet<string> = new Set([
  'kubectl.kubernetes.io/last-applied-configuration',
  'deployment.kubernetes.io/revision',
]);

/**
 * A deep copy of a JSON value without nulls, empty maps and empty arrays among map members (so
 * `{}`, `[]`, `null` and absent compare equal). Array elements are kept, so indices stay stable.
 * Returns undefined when the value itself is empty and `keepEmpty` is false.
 */
export function pruneEmpty(value: unknown, keepEmpty = false): unknown {
  if (value === null || typeof value !== 'object') return value === null && !keepEmpty ? undefined : value;
  if (Array.isArray(value)) {
    if (value.length === 0) return keepEmpty ? [] : undefined;
    const out = new Array<unknown>(value.length);
    for (let i = 0; i < value.length; i++) out[i] = pruneEmpty(value[i], true);
    return out;
  }
  const out: JsonMap = {};
  let any = false;
  const map = value as JsonMap;
  for (const k in map) {
    const v = pruneEmpty(map[k]);
    if (v !== undefined) {
      out[k] = v;
      any = true;
    }
  }
  return any || keepEmpty ? out : undefined;
}

function normalizeMetadata(md: JsonMap): JsonMap {
  const out: JsonMap = {};
  for (const k in md) {
    if (SERVER_METADATA.has(k)) continue;
    let v = md[k];
    if (k === 'annotations' && isMap(v)) {
      const annotations: JsonMap = {};
      for (const a in v) if (!TOOL_ANNOTATIONS.has(a)) annotations[a] = v[a];
      v = annotations;
    }
    const cleaned = pruneEmpty(v);
    if (cleaned !== undefined) out[k] = cleaned;
  }
  return out;
}

/**
 * A normalised deep copy of an object for comparison: without server-owned metadata
 * (managedFields, resourceVersion, uid, generation, timestamps, selfLink), the last-applied and
 * deployment revision annotations, `status` (unless `keepStatus`), and empty maps/arrays; Secret
 * `stringData` is folded into `data`. The input is not modified.
 */
export function normalizeObject(obj: KubeObject, opts: NormalizeOptions = {}): KubeObject {
  const src: JsonMap = isSecret(obj) ? foldStringData(obj) : obj;
  const out: JsonMap = {};
  for (const k in src) {
    if (k === 'status' && !opts.keepStatus) continue;
    const v = src[k];
    if (k === 'metadata' && isMap(v)) {
      out.metadata = normalizeMetadata(v);
      continue;
    }
    const cleaned = pruneEmpty(v);
    if (cleaned !== undefined) out[k] = cleaned;
  }
  if (!isMap(out.metadata)) out.metadata = {};
  return out as KubeObject;
}
