import { type Document, isMap, isScalar, isSeq, type YAMLMap, type YAMLSeq } from 'yaml';
import {
  appendSeqMap,
  eol,
  formatScalar,
  type IntendedChange,
  insertPair,
  pairOf,
  parseYamlDocs,
  removePair,
  scalarText,
  spliceScalar,
  verifyEdit,
} from './yaml-text.js';

/** One `images[]` entry of a kustomization. */
export type KustomizeImage = { name: string; newName?: string; newTag?: string; digest?: string };

/** The fields of an image entry promotion copies. */
export const imageFields = ['newName', 'newTag', 'digest'] as const;
/** One of the copied image fields. */
export type ImageField = (typeof imageFields)[number];

/** A change to one image entry: a string sets the field, `null` removes it, undefined leaves it. */
export type ImageChange = { name: string } & { [F in ImageField]?: string | null };

/** The `images[]` entries of a kustomization text (empty when it has none). Pure. */
export function readKustomizeImages(text: string, file = 'kustomization.yaml'): KustomizeImage[] {
  const found = findImages(parseYamlDocs(text, file));
  if (!found) return [];
  const out: KustomizeImage[] = [];
  for (const item of found.seq.items) {
    if (!isMap(item)) continue;
    const name = scalarText(pairOf(item, 'name')?.value);
    if (!name) continue;
    const img: KustomizeImage = { name };
    for (const f of imageFields) {
      const v = scalarText(pairOf(item, f)?.value);
      if (v !== undefined) img[f] = v;
    }
    out.push(img);
  }
  return out;
}

/**
 * Sets (or removes) fields of the `images[]` entry named `change.name` in a kustomization text,
 * changing only those scalars: comments, order, quoting and every other byte stay. A missing field
 * is added inside that entry; a missing entry is appended to `images` (created at the end when
 * absent). Throws one line naming the file when the edit cannot be made cleanly. Pure.
 */
export function setKustomizeImage(text: string, change: ImageChange, file = 'kustomization.yaml'): string {
  let out = text;
  const changes: IntendedChange[] = [];
  const located = locate(out, change.name, file);
  if (!located.entry) {
    const fields = imageFields.flatMap((f) => {
      const v = change[f];
      return typeof v === 'string' ? [[f, v] as [string, string]] : [];
    });
    if (fields.length === 0) return text;
    out = located.seq
      ? appendSeqMap(out, located.seq, [['name', change.name], ...fields])
      : appendImagesKey(out, [['name', change.name], ...fields]);
    const index = located.seq ? located.seq.items.length : 0;
    changes.push({ doc: located.doc, path: located.seq ? ['images', index] : ['images'] });
    verifyEdit({ before: text, after: out, file, changes });
    return out;
  }
  for (const f of imageFields) {
    const want = change[f];
    if (want === undefined) continue;
    const { entry, index } = locate(out, change.name, file);
    if (!entry || index === undefined)
      throw new Error(`${file}: image ${change.name} vanished while editing`);
    const pair = pairOf(entry, f);
    if (want === null) {
      if (!pair) continue;
      out = removePair(out, entry, f);
    } else if (pair && isScalar(pair.value)) {
      if (scalarText(pair.value) === want) continue;
      out = spliceScalar(out, pair.value, want);
    } else if (pair) {
      throw new Error(`${file}: images[${change.name}].${f} is not a plain value; edit it by hand`);
    } else {
      out = insertPair(out, entry, f, want);
    }
    changes.push({ doc: located.doc, path: ['images', index, f], value: want });
  }
  if (changes.length > 0) verifyEdit({ before: text, after: out, file, changes });
  return out;
}

type Located = { doc: number; seq?: YAMLSeq; entry?: YAMLMap; index?: number };

function locate(text: string, name: string, file: string): Located {
  const docs = parseYamlDocs(text, file);
  const found = findImages(docs);
  if (!found) {
    if (docs.some((d) => isMap(d.contents) && pairOf(d.contents, 'images'))) {
      throw new Error(`${file}: images is not a list; edit it by hand`);
    }
    const doc = docs.findIndex((d) => isMap(d.contents));
    if (doc < 0) throw new Error(`${file} is not a kustomization (no mapping at the top)`);
    return { doc };
  }
  if (found.seq.flow) throw new Error(`${file}: images is a flow sequence; edit it by hand`);
  const index = found.seq.items.findIndex(
    (it) => isMap(it) && scalarText(pairOf(it, 'name')?.value) === name,
  );
  const entry = index >= 0 ? (found.seq.items[index] as YAMLMap) : undefined;
  return { doc: found.doc, seq: found.seq, ...(entry ? { entry, index } : {}) };
}

function findImages(docs: Document.Parsed[]): { doc: number; seq: YAMLSeq } | undefined {
  for (let i = 0; i < docs.length; i++) {
    const root = docs[i]?.contents;
    if (!isMap(root)) continue;
    const v = pairOf(root, 'images')?.value;
    if (isSeq(v)) return { doc: i, seq: v };
  }
  return undefined;
}

/** Appends an `images:` key with one entry at the end of a kustomization text. */
function appendImagesKey(text: string, entry: [string, string][]): string {
  const nl = eol(text);
  const lines = entry.map(([k, v], i) => `${i === 0 ? '- ' : '  '}${k}: ${formatScalar(v)}`);
  const body = `images:${nl}${lines.join(nl)}${nl}`;
  if (text === '' || text.endsWith('\n')) return text + body;
  return text + nl + body;
}
