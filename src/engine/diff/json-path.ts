/** One step of a path into a JSON document: a map key or an array index. */
export type Segment = string | number;

/** A JSON map (plain object). */
export type JsonMap = Record<string, unknown>;

/** True for plain JSON maps (not arrays, not null). */
export function isMap(v: unknown): v is JsonMap {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Escapes one segment for a JSON pointer (RFC 6901: `~` → `~0`, `/` → `~1`). */
export function escapeSegment(s: Segment): string {
  const str = String(s);
  if (str.indexOf('~') < 0 && str.indexOf('/') < 0) return str;
  return str.replace(/~/g, '~0').replace(/\//g, '~1');
}

/** The JSON pointer of a path, e.g. `['spec', 'replicas']` → `/spec/replicas`. */
export function toPointer(segs: readonly Segment[]): string {
  let out = '';
  for (const s of segs) out += '/' + escapeSegment(s);
  return out;
}

/** Splits a JSON pointer into unescaped segments; undefined when it is not a pointer. */
export function parsePointer(pointer: string): string[] | undefined {
  if (pointer === '') return [];
  if (!pointer.startsWith('/')) return undefined;
  return pointer
    .slice(1)
    .split('/')
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
}

/** Structural equality of two JSON values. */
export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!deepEqual(a[i], b[i])) return false;
    return true;
  }
  if (Array.isArray(b)) return false;
  const am = a as JsonMap;
  const bm = b as JsonMap;
  let n = 0;
  for (const k in am) {
    if (!(k in bm) || !deepEqual(am[k], bm[k])) return false;
    n++;
  }
  for (const _ in bm) n--;
  return n === 0;
}

/** True for values normalisation drops: undefined, null, `[]`, and maps of only such values. */
export function isEmptyValue(v: unknown): boolean {
  if (v === null || v === undefined) return true;
  if (typeof v !== 'object') return false;
  if (Array.isArray(v)) return v.length === 0;
  for (const k in v as JsonMap) if (!isEmptyValue((v as JsonMap)[k])) return false;
  return true;
}

/** Equality after normalisation: like `deepEqual`, but null, `{}`, `[]` and absent are alike. */
export function equivalent(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (isMap(a) && isMap(b)) {
    for (const k in a) if (Object.hasOwn(b, k) ? !equivalent(a[k], b[k]) : !isEmptyValue(a[k])) return false;
    for (const k in b) if (!Object.hasOwn(a, k) && !isEmptyValue(b[k])) return false;
    return true;
  }
  if (Array.isArray(a) && Array.isArray(b)) {
    if (a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!equivalent(a[i], b[i])) return false;
    return true;
  }
  return isEmptyValue(a) && isEmptyValue(b);
}

/**
 * Resolves raw pointer segments against a document: array steps become numbers.
 * Undefined when the path does not exist.
 */
export function resolvePath(root: unknown, raw: readonly string[]): Segment[] | undefined {
  const out: Segment[] = [];
  let cur = root;
  for (const s of raw) {
    if (Array.isArray(cur)) {
      if (!/^(0|[1-9]\d*)$/.test(s)) return undefined;
      const i = Number(s);
      if (i >= cur.length) return undefined;
      out.push(i);
      cur = cur[i];
    } else if (isMap(cur)) {
      if (!Object.hasOwn(cur, s)) return undefined;
      out.push(s);
      cur = cur[s];
    } else {
      return undefined;
    }
  }
  return out;
}

/** The value at a resolved path, or undefined. */
export function getAt(root: unknown, segs: readonly Segment[]): unknown {
  let cur = root;
  for (const s of segs) {
    if (Array.isArray(cur) && typeof s === 'number') cur = cur[s];
    else if (isMap(cur) && typeof s === 'string') cur = Object.hasOwn(cur, s) ? cur[s] : undefined;
    else return undefined;
  }
  return cur;
}

function shallowCopy(v: unknown): unknown {
  if (Array.isArray(v)) return v.slice();
  if (isMap(v)) return { ...v };
  return v;
}

/** A copy of `root` without the value at `segs`; containers along the path are copied, the rest is shared. */
export function deleteAt(root: unknown, segs: readonly Segment[]): unknown {
  if (segs.length === 0) return undefined;
  if (getAt(root, segs) === undefined) return root;
  const top = shallowCopy(root);
  let cur = top;
  for (let i = 0; i < segs.length - 1; i++) {
    const s = segs[i] as Segment;
    const next = shallowCopy(getAt(cur, [s]));
    if (Array.isArray(cur)) cur[s as number] = next;
    else (cur as JsonMap)[String(s)] = next;
    cur = next;
  }
  const last = segs[segs.length - 1] as Segment;
  if (Array.isArray(cur) && typeof last === 'number') cur.splice(last, 1);
  else if (isMap(cur)) delete cur[String(last)];
  return top;
}

/**
 * A copy of `root` with `value` at `segs` (undefined deletes); missing maps along the path are
 * created. Containers along the path are copied, the rest is shared.
 */
export function setAt(root: unknown, segs: readonly Segment[], value: unknown): unknown {
  if (segs.length === 0) return value;
  if (value === undefined) return deleteAt(root, segs);
  const [head, ...rest] = segs as [Segment, ...Segment[]];
  if (Array.isArray(root) && typeof head === 'number' && head <= root.length) {
    const copy = root.slice();
    copy[head] = setAt(root[head], rest, value);
    return copy;
  }
  const base = isMap(root) ? { ...root } : {};
  const key = String(head);
  base[key] = setAt(base[key], rest, value);
  return base;
}
