import { isEmptyValue, isMap, type JsonMap, type Segment, toPointer } from './json-path.js';
import { listNames, sameNames } from './merge.js';
import { SERVER_METADATA, TOOL_ANNOTATIONS } from './normalize.js';

/**
 * The structural differ. It walks raw objects and applies the normalisation rules on the fly
 * (server-owned metadata, tool annotations and `status` skipped; null, `{}`, `[]` and absent
 * alike), so comparing needs no copies. Lists of uniquely named maps are matched by name.
 */

/** One difference: its path in the target and, when it exists live, its path there. */
export type Change = { path: Segment[]; live?: Segment[] };

/** Options of the differ. */
export type DiffOptions = { keepStatus: boolean };

function diffList(t: unknown[], l: unknown[], tp: Segment[], lp: Segment[], out: Change[]): void {
  const tn = sameNames(t, l) ? undefined : listNames(t);
  const ln = tn && listNames(l);
  if (tn && ln) {
    let moved = false;
    for (let i = 0; i < t.length; i++) {
      const j = ln.get((t[i] as JsonMap).name as string);
      if (j === undefined) {
        out.push({ path: [...tp, i] });
        continue;
      }
      if (j !== i) moved = true;
      tp.push(i);
      lp.push(j);
      diffValues(t[i], l[j], tp, lp, out);
      tp.pop();
      lp.pop();
    }
    let removed = false;
    for (const [name, j] of ln) {
      if (tn.has(name)) continue;
      removed = true;
      out.push({ path: [...tp, j], live: [...lp, j] });
    }
    if (moved && !removed && t.length === l.length) out.push({ path: [...tp], live: [...lp] });
    return;
  }
  const n = Math.min(t.length, l.length);
  for (let i = 0; i < n; i++) {
    tp.push(i);
    lp.push(i);
    diffValues(t[i], l[i], tp, lp, out);
    tp.pop();
    lp.pop();
  }
  for (let i = n; i < t.length; i++) out.push({ path: [...tp, i] });
  for (let i = n; i < l.length; i++) out.push({ path: [...tp, i], live: [...lp, i] });
}

function diffMap(
  t: JsonMap,
  l: JsonMap,
  tp: Segment[],
  lp: Segment[],
  out: Change[],
  skip?: ReadonlySet<string>,
): void {
  for (const k in t) {
    if (skip?.has(k)) continue;
    const tv = t[k];
    if (!Object.hasOwn(l, k)) {
      if (!isEmptyValue(tv)) out.push({ path: [...tp, k] });
      continue;
    }
    tp.push(k);
    lp.push(k);
    diffValues(tv, l[k], tp, lp, out);
    tp.pop();
    lp.pop();
  }
  for (const k in l) {
    if (Object.hasOwn(t, k) || skip?.has(k) || isEmptyValue(l[k])) continue;
    out.push({ path: [...tp, k], live: [...lp, k] });
  }
}

/** Records where two JSON values differ; `tp`/`lp` are the current paths in target and live. */
export function diffValues(t: unknown, l: unknown, tp: Segment[], lp: Segment[], out: Change[]): void {
  if (t === l) return;
  if (isMap(t) && isMap(l)) {
    diffMap(t, l, tp, lp, out);
    return;
  }
  if (Array.isArray(t) && Array.isArray(l)) {
    diffList(t, l, tp, lp, out);
    return;
  }
  if (isEmptyValue(t) && isEmptyValue(l)) return;
  out.push({ path: [...tp], live: [...lp] });
}

const METADATA_SKIP: ReadonlySet<string> = new Set([...SERVER_METADATA, 'annotations']);
const EMPTY: JsonMap = {};

function diffMetadata(t: JsonMap, l: JsonMap, out: Change[]): void {
  if (t === l) return;
  diffMap(t, l, ['metadata'], ['metadata'], out, METADATA_SKIP);
  const ta = isMap(t.annotations) ? t.annotations : EMPTY;
  const la = isMap(l.annotations) ? l.annotations : EMPTY;
  if (ta !== la)
    diffMap(ta, la, ['metadata', 'annotations'], ['metadata', 'annotations'], out, TOOL_ANNOTATIONS);
}

const STATUS = new Set(['status', 'metadata']);
const NO_STATUS = new Set(['metadata']);

/** The differences between a target and a live object, normalisation rules applied on the fly. */
export function diffObjects(target: unknown, live: unknown, opts: DiffOptions): Change[] {
  const out: Change[] = [];
  if (target === live) return out;
  if (!isMap(target) || !isMap(live)) {
    diffValues(target, live, [], [], out);
    return out;
  }
  const tm = isMap(target.metadata) ? target.metadata : {};
  const lm = isMap(live.metadata) ? live.metadata : {};
  diffMetadata(tm, lm, out);
  diffMap(target, live, [], [], out, opts.keepStatus ? NO_STATUS : STATUS);
  return out;
}

/** The paths (JSON pointers) where two JSON values differ; lists of named maps match by name. */
export function changedPaths(target: unknown, live: unknown): string[] {
  const out: Change[] = [];
  diffValues(target, live, [], [], out);
  return out.map((c) => toPointer(c.path));
}
