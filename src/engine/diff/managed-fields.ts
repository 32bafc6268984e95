import type { KubeObject } from '../model/index.js';
import { deepEqual, equivalent, isMap, type JsonMap, type Segment } from './json-path.js';

/**
 * A node of a `fieldsV1` set: keys are `f:<field>`, `k:<json key fields>` (list element by key),
 * `v:<json value>` (set element), `i:<index>` and `.` (the element itself); `{}` is a leaf.
 */
export type FieldsNode = JsonMap;

/** One entry of `metadata.managedFields`. */
export type ManagedFieldsEntry = {
  manager: string;
  operation?: string;
  time?: string;
  subresource?: string;
  fields: FieldsNode;
};

/** How a list element is found again in another list: its fields node and a matcher. */
type ElementMatch = { node: FieldsNode; same: (other: unknown, index: number) => boolean };

function asNode(v: unknown): FieldsNode | undefined {
  return isMap(v) ? v : undefined;
}

/** The `metadata.managedFields` entries of an object that carry a `fieldsV1` set. */
export function managedFieldsOf(obj: KubeObject | undefined): ManagedFieldsEntry[] {
  const raw = obj?.metadata?.managedFields;
  if (!Array.isArray(raw)) return [];
  const out: ManagedFieldsEntry[] = [];
  for (const e of raw) {
    if (!isMap(e) || typeof e.manager !== 'string' || !isMap(e.fieldsV1)) continue;
    const entry: ManagedFieldsEntry = { manager: e.manager, fields: e.fieldsV1 };
    if (typeof e.operation === 'string') entry.operation = e.operation;
    if (typeof e.time === 'string') entry.time = e.time;
    if (typeof e.subresource === 'string') entry.subresource = e.subresource;
    out.push(entry);
  }
  return out;
}

/** True when a fields node owns its whole value (a leaf, or an element with only `.`). */
export function isLeafNode(node: FieldsNode): boolean {
  for (const k in node) if (k !== '.') return false;
  return true;
}

/** The fields node of list element `el` (at `index`) under `node`, with a matcher for other lists. */
export function matchElement(node: FieldsNode, el: unknown, index: number): ElementMatch | undefined {
  if (isMap(el)) {
    if (typeof el.name === 'string') {
      const byName = asNode(node[`k:${JSON.stringify({ name: el.name })}`]);
      if (byName) return { node: byName, same: (o) => isMap(o) && o.name === el.name };
    }
    for (const key in node) {
      if (!key.startsWith('k:')) continue;
      let fields: unknown;
      try {
        fields = JSON.parse(key.slice(2));
      } catch {
        continue;
      }
      if (!isMap(fields)) continue;
      const names = Object.keys(fields);
      if (names.length === 0 || !names.every((f) => deepEqual(fields[f], el[f]))) continue;
      const child = asNode(node[key]);
      if (child)
        return { node: child, same: (o) => isMap(o) && names.every((f) => deepEqual(fields[f], o[f])) };
    }
  } else if (el !== undefined) {
    const child = asNode(node[`v:${JSON.stringify(el)}`]);
    if (child) return { node: child, same: (o) => deepEqual(o, el) };
  }
  const byIndex = asNode(node[`i:${index}`]);
  return byIndex ? { node: byIndex, same: (_o, j) => j === index } : undefined;
}

/** The fields node one step below `node`, where `container` is the value `node` describes. */
export function childNode(node: FieldsNode, container: unknown, seg: Segment): FieldsNode | undefined {
  if (typeof seg === 'string') return asNode(node[`f:${seg}`]);
  return Array.isArray(container) ? matchElement(node, container[seg], seg)?.node : undefined;
}

/** True when the fields set `fields` (of document `root`) owns the value at `segs` or part of it. */
export function ownsPath(fields: FieldsNode, root: unknown, segs: readonly Segment[]): boolean {
  let node = fields;
  let val = root;
  for (let i = 0; i < segs.length; i++) {
    if (i > 0 && isLeafNode(node)) return true;
    const s = segs[i] as Segment;
    const next = childNode(node, val, s);
    if (!next) return false;
    node = next;
    val = isMap(val) ? val[s as string] : Array.isArray(val) ? val[s as number] : undefined;
  }
  return segs.length > 0;
}

/** The entry that owns the value at `segs` of `root`, the most recently written one first. */
export function lastWriterOf(
  entries: readonly ManagedFieldsEntry[],
  root: unknown,
  segs: readonly Segment[],
): ManagedFieldsEntry | undefined {
  let best: ManagedFieldsEntry | undefined;
  for (const e of entries) {
    if (!ownsPath(e.fields, root, segs)) continue;
    if (!best || (e.time ?? '') >= (best.time ?? '')) best = e;
  }
  return best;
}

/**
 * Copies the values owned by a fields set from `live` into `target` and returns the new target
 * (copy-on-write: untouched parts are shared). `onCopy` receives the target path of each value
 * that actually changed.
 */
export function copyOwnedFields(
  node: FieldsNode,
  live: unknown,
  target: unknown,
  path: Segment[],
  onCopy: (path: Segment[]) => void,
): unknown {
  if (isLeafNode(node) || !(isMap(live) || Array.isArray(live))) {
    if (equivalent(live, target)) return target;
    onCopy(path);
    return live;
  }
  if (isMap(live)) {
    let out: JsonMap = isMap(target) ? target : {};
    let copied = false;
    for (const k in node) {
      if (!k.startsWith('f:')) continue;
      const child = asNode(node[k]);
      if (!child) continue;
      const f = k.slice(2);
      const tv = out[f];
      const nv = copyOwnedFields(child, live[f], tv, [...path, f], onCopy);
      if (nv === tv) continue;
      if (!copied) {
        out = { ...out };
        copied = true;
      }
      if (nv === undefined) delete out[f];
      else out[f] = nv;
    }
    return copied ? out : target;
  }
  let out: unknown[] = Array.isArray(target) ? target : [];
  let copied = false;
  for (let i = 0; i < live.length; i++) {
    const el = live[i];
    const m = matchElement(node, el, i);
    if (!m) continue;
    const ti = out.findIndex((o, j) => m.same(o, j));
    const nv = ti < 0 ? el : copyOwnedFields(m.node, el, out[ti], [...path, ti], onCopy);
    if (ti >= 0 && nv === out[ti]) continue;
    if (!copied) {
      out = out.slice();
      copied = true;
    }
    if (ti >= 0) out[ti] = nv;
    else {
      out.push(el);
      onCopy([...path, out.length - 1]);
    }
  }
  return copied ? out : target;
}
