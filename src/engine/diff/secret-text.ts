/**
 * Secret values in file diffs (revert and promote previews, history): the YAML text of both sides is
 * masked before diffing, so keys stay, every value becomes {@link SECRET_MASK}, and a value that differs
 * from the other side's reads {@link SECRET_TEXT_CHANGED}. Pure.
 */
import { createTwoFilesPatch } from 'diff';
import { isMap, isScalar, parseAllDocuments } from 'yaml';
import { SECRET_MASK } from './secrets.js';

/** What a changed Secret value reads in a masked file diff. */
export const SECRET_TEXT_CHANGED = `${SECRET_MASK} (changed)`;

type Values = Map<string, unknown>;

/** Values of Secret documents, by `name/field/key`, as JSON text (to compare sides). */
function secretValues(text: string): Values | undefined {
  let docs: ReturnType<typeof parseAllDocuments>;
  try {
    docs = parseAllDocuments(text);
  } catch {
    return undefined;
  }
  if (!Array.isArray(docs)) return undefined;
  const out: Values = new Map();
  let any = false;
  for (const d of docs) {
    const js = d.toJS() as Record<string, unknown> | null;
    if (js?.kind !== 'Secret' || js.apiVersion !== 'v1') continue;
    any = true;
    const name = String((js.metadata as Record<string, unknown> | undefined)?.name ?? '');
    for (const field of ['data', 'stringData'] as const) {
      const m = js[field];
      if (m && typeof m === 'object')
        for (const [k, v] of Object.entries(m)) out.set(`${name}/${field}/${k}`, JSON.stringify(v));
    }
  }
  return any ? out : undefined;
}

/** True when the text holds a v1 Secret document (a quick text test first). */
export function hasSecretDocument(text: string): boolean {
  return /kind:\s*["']?Secret\b/.test(text) && secretValues(text) !== undefined;
}

/**
 * The YAML text with every value of `data`/`stringData` in its Secret documents replaced by the mask;
 * a value that differs from `other`'s value of the same Secret key reads "changed". Other documents,
 * comments and layout stay. Text that is not YAML is returned as is.
 */
export function maskSecretText(text: string, other?: string): string {
  if (!/kind:\s*["']?Secret\b/.test(text)) return text;
  let docs: ReturnType<typeof parseAllDocuments>;
  try {
    docs = parseAllDocuments(text);
  } catch {
    return text;
  }
  if (!Array.isArray(docs)) return text;
  const theirs = other === undefined ? undefined : secretValues(other);
  let changed = false;
  for (const d of docs) {
    const js = d.toJS() as Record<string, unknown> | null;
    if (js?.kind !== 'Secret' || js.apiVersion !== 'v1') continue;
    const name = String((js.metadata as Record<string, unknown> | undefined)?.name ?? '');
    for (const field of ['data', 'stringData'] as const) {
      const node = d.get(field, true);
      if (!isMap(node)) continue;
      for (const pair of node.items) {
        const key = isScalar(pair.key) ? String(pair.key.value) : String(pair.key);
        const mine = JSON.stringify((js[field] as Record<string, unknown>)[key]);
        const other = theirs?.get(`${name}/${field}/${key}`);
        const mask = other !== undefined && other !== mine ? SECRET_TEXT_CHANGED : SECRET_MASK;
        d.setIn([field, key], mask);
        changed = true;
      }
    }
    // The last-applied annotation carries the values too.
    const ann = d.getIn(['metadata', 'annotations'], true);
    if (
      isMap(ann) &&
      d.hasIn(['metadata', 'annotations', 'kubectl.kubernetes.io/last-applied-configuration'])
    ) {
      d.setIn(['metadata', 'annotations', 'kubectl.kubernetes.io/last-applied-configuration'], SECRET_MASK);
      changed = true;
    }
  }
  if (!changed) return text;
  return docs.map((d) => d.toString({ lineWidth: 0 })).join('');
}

/** One file of a diff: path and both sides ('' when absent). */
export type FileSides = { file: string; before: string; after: string };

/** A masked unified diff of one file (git-style header); '' when the sides are equal. */
export function maskedFileDiff(f: FileSides, context = 3): string {
  if (f.before === f.after) return '';
  const before = maskSecretText(f.before);
  const after = maskSecretText(f.after, f.before);
  return createTwoFilesPatch(`a/${f.file}`, `b/${f.file}`, before, after, undefined, undefined, {
    context,
  }).replace(/^=+\n/, `diff --git a/${f.file} b/${f.file}\n`);
}
