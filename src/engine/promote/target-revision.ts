import { type Document, isMap, isScalar, isSeq, type YAMLMap } from 'yaml';
import {
  type IntendedChange,
  insertPair,
  nodeAt,
  pairOf,
  parseYamlDocs,
  scalarText,
  spliceScalar,
  verifyEdit,
  type YamlPath,
} from './yaml-text.js';

/** Which Application source to read or edit. */
export type TargetRevisionSelector = {
  /** The Application's metadata.name (needed when the file holds several). */
  app?: string;
  /** Index into `spec.sources` for a multi-source Application; `spec.source` otherwise. */
  sourceIndex?: number;
  /** The file, for error messages. */
  file?: string;
};

/** `spec.source.targetRevision` (or `spec.sources[i].targetRevision`) of an Application text; undefined when unset. Pure. */
export function readTargetRevision(text: string, sel: TargetRevisionSelector = {}): string | undefined {
  return scalarText(pairOf(locate(text, sel).source, 'targetRevision')?.value);
}

/**
 * Sets `targetRevision` of an Application's source, changing only that scalar (added inside the
 * source when missing). Throws one line naming the file when the Application or source is missing. Pure.
 */
export function setTargetRevision(text: string, sel: TargetRevisionSelector & { value: string }): string {
  const file = sel.file ?? 'Application manifest';
  const { doc, source, path } = locate(text, sel);
  const pair = pairOf(source, 'targetRevision');
  let out: string;
  if (pair && isScalar(pair.value)) {
    if (scalarText(pair.value) === sel.value) return text;
    out = spliceScalar(text, pair.value, sel.value);
  } else if (pair) {
    throw new Error(`${file}: targetRevision is not a single value; edit it by hand`);
  } else {
    out = insertPair(text, source, 'targetRevision', sel.value);
  }
  const changes: IntendedChange[] = [{ doc, path: [...path, 'targetRevision'], value: sel.value }];
  verifyEdit({ before: text, after: out, file, changes });
  return out;
}

function locate(text: string, sel: TargetRevisionSelector): { doc: number; source: YAMLMap; path: YamlPath } {
  const file = sel.file ?? 'Application manifest';
  const docs = parseYamlDocs(text, file);
  const apps = docs
    .map((d, i) => ({ d, i }))
    .filter(({ d }) => isApplication(d) && (!sel.app || appName(d) === sel.app));
  const hit = apps[0];
  if (!hit) {
    throw new Error(sel.app ? `${file} has no Application named ${sel.app}` : `${file} has no Application`);
  }
  if (apps.length > 1 && !sel.app) throw new Error(`${file} holds several Applications; say which one`);
  const spec = nodeAt(hit.d.contents, ['spec']);
  if (sel.sourceIndex !== undefined) {
    const sources = nodeAt(spec, ['sources']);
    const source = isSeq(sources) ? sources.items[sel.sourceIndex] : undefined;
    if (!isMap(source)) throw new Error(`${file}: Application has no spec.sources[${sel.sourceIndex}]`);
    return { doc: hit.i, source, path: ['spec', 'sources', sel.sourceIndex] };
  }
  const source = nodeAt(spec, ['source']);
  if (!isMap(source)) throw new Error(`${file}: Application has no spec.source`);
  return { doc: hit.i, source, path: ['spec', 'source'] };
}

function isApplication(d: Document.Parsed): boolean {
  return isMap(d.contents) && scalarText(pairOf(d.contents, 'kind')?.value) === 'Application';
}

function appName(d: Document.Parsed): string | undefined {
  return scalarText(nodeAt(d.contents, ['metadata', 'name']));
}
