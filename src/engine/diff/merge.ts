import { isEmptyValue, isMap, type JsonMap, type Segment } from './json-path.js';
import {
  type FieldsNode,
  isLeafNode,
  type ManagedFieldsEntry,
  matchElement,
  ownsPath,
} from './managed-fields.js';

/** Options of `overlayDesired`. */
export type OverlayOptions = {
  /** The live object's managedFields. */
  entries: readonly ManagedFieldsEntry[];
  /** Our field manager (default `bosun`): fields it owns that Git no longer sets count as removed. */
  manager: string;
};

type State = {
  liveRoot: unknown;
  others: readonly ManagedFieldsEntry[];
  path: Segment[];
};

const QUANTITY_PARENTS = new Set(['limits', 'requests', 'capacity', 'allocatable', 'hard', 'storage']);
const SUFFIX: Record<string, number> = {
  n: 1e-9,
  u: 1e-6,
  m: 1e-3,
  '': 1,
  k: 1e3,
  M: 1e6,
  G: 1e9,
  T: 1e12,
  P: 1e15,
  E: 1e18,
  Ki: 2 ** 10,
  Mi: 2 ** 20,
  Gi: 2 ** 30,
  Ti: 2 ** 40,
  Pi: 2 ** 50,
  Ei: 2 ** 60,
};

/** The numeric value of a Kubernetes quantity (`500m`, `1Gi`, `2`), or undefined. */
export function parseQuantity(v: unknown): number | undefined {
  if (typeof v === 'number') return v;
  if (typeof v !== 'string') return undefined;
  const m = /^([+-]?(?:\d+(?:\.\d*)?|\.\d+))(?:[eE]([+-]?\d+))?(Ki|Mi|Gi|Ti|Pi|Ei|n|u|m|k|M|G|T|P|E)?$/.exec(
    v,
  );
  if (!m) return undefined;
  return Number(m[1]) * 10 ** Number(m[2] ?? 0) * (SUFFIX[m[3] ?? ''] ?? 1);
}

function sameQuantity(a: unknown, b: unknown): boolean {
  const x = parseQuantity(a);
  const y = parseQuantity(b);
  if (x === undefined || y === undefined) return false;
  return Math.abs(x - y) <= 1e-9 * Math.max(Math.abs(x), Math.abs(y));
}

/** True when both lists are lists of maps with the same `name`s in the same order. */
export function sameNames(a: readonly unknown[], b: readonly unknown[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) {
    const x = a[i];
    const y = b[i];
    if (!isMap(x) || !isMap(y) || typeof x.name !== 'string' || x.name !== y.name) return false;
  }
  return true;
}

/** Names of a list of named maps, when every element has a unique string `name`. */
export function listNames(list: readonly unknown[]): Map<string, number> | undefined {
  const out = new Map<string, number>();
  for (let i = 0; i < list.length; i++) {
    const el = list[i];
    if (!isMap(el) || typeof el.name !== 'string' || out.has(el.name)) return undefined;
    out.set(el.name, i);
  }
  return out;
}

/** True when Git dropped a field we applied before and no other manager keeps it. */
function removedFromGit(
  st: State,
  owned: FieldsNode | undefined,
  step: Segment,
  ownedChild: unknown,
): boolean {
  if (!owned || ownedChild === undefined) return false;
  st.path.push(step);
  const coOwned = st.others.some((e) => ownsPath(e.fields, st.liveRoot, st.path));
  st.path.pop();
  return !coOwned;
}

function overlayMap(live: JsonMap, desired: JsonMap, owned: FieldsNode | undefined, st: State): JsonMap {
  let res: JsonMap | undefined;
  for (const k in desired) {
    let nv = desired[k];
    if (isEmptyValue(nv)) continue;
    const lv = Object.hasOwn(live, k) ? live[k] : undefined;
    if (lv !== undefined) {
      st.path.push(k);
      const child = owned?.[`f:${k}`];
      nv = overlay(lv, nv, isMap(child) ? child : undefined, st);
      st.path.pop();
    }
    if (nv === lv) continue;
    res ??= { ...live };
    res[k] = nv;
  }
  if (!owned) return res ?? live;
  for (const fk in owned) {
    if (fk.charCodeAt(0) !== 102 || fk.charCodeAt(1) !== 58) continue; // "f:"
    const k = fk.slice(2);
    if ((Object.hasOwn(desired, k) && !isEmptyValue(desired[k])) || !Object.hasOwn(live, k)) continue;
    const lv = live[k];
    const child = owned[fk];
    if (isMap(lv) && isMap(child) && !isLeafNode(child)) {
      // Git dropped a whole map we set parts of: look at each of our parts on its own.
      st.path.push(k);
      const nv = overlayMap(lv, {}, child, st);
      st.path.pop();
      if (nv === lv) continue;
      res ??= { ...live };
      if (isEmptyValue(nv)) delete res[k];
      else res[k] = nv;
    } else if (removedFromGit(st, owned, k, child)) {
      res ??= { ...live };
      delete res[k];
    }
  }
  return res ?? live;
}

function overlayList(
  live: unknown[],
  desired: unknown[],
  owned: FieldsNode | undefined,
  st: State,
): unknown[] {
  const res: unknown[] = [];
  const dNames = sameNames(live, desired) ? undefined : listNames(desired);
  const lNames = dNames && listNames(live);
  const key = st.path[st.path.length - 1];
  if (dNames && lNames) {
    for (let i = 0; i < live.length; i++) {
      const el = live[i] as JsonMap;
      const di = dNames.get(el.name as string);
      const m = owned ? matchElement(owned, el, i) : undefined;
      if (di !== undefined) {
        st.path.push(i);
        res.push(overlay(el, desired[di], m?.node, st));
        st.path.pop();
      } else if (!removedFromGit(st, owned, i, m)) {
        res.push(el);
      }
    }
    for (const d of desired) if (!lNames.has((d as JsonMap).name as string)) res.push(d);
  } else if (key === 'finalizers' || (owned && Object.keys(owned).some((k) => k.startsWith('v:')))) {
    // A set: values others added stay; ours that Git dropped go.
    const want = new Set(desired.map((d) => JSON.stringify(d)));
    for (let i = 0; i < live.length; i++) {
      const el = live[i];
      const s = JSON.stringify(el);
      if (want.delete(s) || !removedFromGit(st, owned, i, owned?.[`v:${s}`])) res.push(el);
    }
    for (const s of want) res.push(JSON.parse(s));
  } else {
    for (let i = 0; i < desired.length; i++) {
      if (i >= live.length) {
        res.push(desired[i]);
        continue;
      }
      st.path.push(i);
      const m = owned ? matchElement(owned, live[i], i) : undefined;
      res.push(overlay(live[i], desired[i], m?.node, st));
      st.path.pop();
    }
  }
  if (res.length === live.length && res.every((v, i) => v === live[i])) return live;
  return res;
}

function overlay(live: unknown, desired: unknown, owned: FieldsNode | undefined, st: State): unknown {
  if (desired === undefined) return live;
  if (isMap(desired) && isMap(live)) return overlayMap(live, desired, owned, st);
  if (Array.isArray(desired) && Array.isArray(live)) return overlayList(live, desired, owned, st);
  if (desired === live) return live;
  const parent = st.path[st.path.length - 2];
  if (typeof parent === 'string' && QUANTITY_PARENTS.has(parent) && sameQuantity(live, desired)) return live;
  return desired;
}

/**
 * What live would look like once the desired object is applied, without asking the server: the
 * desired fields laid over the live object (maps merged, lists of named maps merged by name,
 * other lists replaced, quantities compared by value). Fields our manager applied before that
 * Git no longer sets, and no other manager owns, are dropped. Parts equal to live are shared
 * with `live` (identical references), so comparing the result with live is cheap.
 */
export function overlayDesired(live: unknown, desired: unknown, opts: OverlayOptions): unknown {
  const owned = opts.entries.find(
    (e) => e.manager === opts.manager && (e.operation ?? 'Apply') === 'Apply' && !e.subresource,
  )?.fields;
  const st: State = {
    liveRoot: live,
    others: opts.entries.filter((e) => e.manager !== opts.manager),
    path: [],
  };
  return overlay(live, desired, owned, st);
}
