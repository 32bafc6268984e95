import { isScalar } from 'yaml';
import { nodeAt, parseYamlDocs, scalarText, spliceScalar, verifyEdit, type YamlPath } from './yaml-text.js';

/** The values key promotion copies when the config names none. */
export const defaultHelmValueKey = 'image.tag';

/** Error for a values file that lacks the configured key. */
export class MissingValueKeyError extends Error {
  /** The values file. */
  readonly file: string;
  /** The dotted key. */
  readonly key: string;
  constructor(file: string, key: string) {
    super(`${file} has no key ${key}; add it there, or set promote.helmValueKey in bosun.yaml`);
    this.name = 'MissingValueKeyError';
    this.file = file;
    this.key = key;
  }
}

/**
 * Splits a dotted values key into a path: `image.tag` → `['image', 'tag']`, `images[0].tag` →
 * `['images', 0, 'tag']`; `\.` escapes a dot inside a key (as `helm --set` does).
 */
export function parseValueKey(key: string): YamlPath {
  const path: YamlPath = [];
  let cur = '';
  let any = false;
  for (let i = 0; i < key.length; i++) {
    const ch = key[i] as string;
    if (ch === '\\' && i + 1 < key.length) {
      cur += key[++i];
      any = true;
    } else if (ch === '.') {
      if (any) path.push(cur);
      cur = '';
      any = false;
    } else if (ch === '[') {
      const close = key.indexOf(']', i);
      const idx = close > i ? key.slice(i + 1, close) : '';
      if (!/^\d+$/.test(idx)) throw new Error(`values key "${key}" has an invalid index`);
      if (any) path.push(cur);
      path.push(Number(idx));
      cur = '';
      any = false;
      i = close;
    } else {
      cur += ch;
      any = true;
    }
  }
  if (any) path.push(cur);
  if (path.length === 0) throw new Error(`values key "${key}" is empty`);
  return path;
}

/** The value of a dotted key in a values text as written (`1.10` stays `1.10`); undefined when absent. Pure. */
export function readHelmValue(text: string, opts: { key?: string; file?: string } = {}): string | undefined {
  const file = opts.file ?? 'values.yaml';
  const key = opts.key ?? defaultHelmValueKey;
  const doc = parseYamlDocs(text, file)[0];
  if (!doc) return undefined;
  const node = nodeAt(doc.contents, parseValueKey(key));
  if (node === undefined) return undefined;
  const v = scalarText(node);
  if (v === undefined) throw new Error(`${file}: ${key} is not a single value`);
  return v;
}

/** True when a values text defines the key (with any value). Pure. */
export function hasHelmValue(text: string, opts: { key?: string; file?: string } = {}): boolean {
  const doc = parseYamlDocs(text, opts.file ?? 'values.yaml')[0];
  return !!doc && nodeAt(doc.contents, parseValueKey(opts.key ?? defaultHelmValueKey)) !== undefined;
}

/**
 * Sets a dotted key in a values text, changing only that scalar (comments, order, quoting and every
 * other byte stay). Throws `MissingValueKeyError` (naming file and key) when the key is absent. Pure.
 */
export function setHelmValue(text: string, opts: { key?: string; value: string; file?: string }): string {
  const file = opts.file ?? 'values.yaml';
  const key = opts.key ?? defaultHelmValueKey;
  const path = parseValueKey(key);
  const doc = parseYamlDocs(text, file)[0];
  const node = doc ? nodeAt(doc.contents, path) : undefined;
  if (node === undefined) throw new MissingValueKeyError(file, key);
  if (!isScalar(node) || (scalarText(node) === undefined && node.value !== null)) {
    throw new Error(`${file}: ${key} is not a single value; set promote.helmValueKey to the tag's key`);
  }
  if (scalarText(node) === opts.value) return text;
  const out = spliceScalar(text, node, opts.value);
  verifyEdit({ before: text, after: out, file, changes: [{ doc: 0, path, value: opts.value }] });
  return out;
}
