import { type Document, parseAllDocuments, type Tags } from 'yaml';
import type { KubeObject } from '../model/index.js';

/** Parsed objects, or why they could not be parsed. */
export type ParseResult = { ok: true; objects: KubeObject[] } | { ok: false; error: string };

/** At most this many aliases per document: a billion-laughs document fails instead of exploding. */
const MAX_ALIASES = 100;

/**
 * YAML 1.1 like Kubernetes (yes/no booleans, merge keys) but timestamps stay strings, as they do
 * when Kubernetes converts YAML to JSON.
 */
const customTags = (tags: Tags): Tags =>
  tags.filter((t) => t !== 'timestamp' && (typeof t === 'string' || t.tag !== 'tag:yaml.org,2002:timestamp'));

function firstLine(s: string): string {
  return (s.split('\n')[0] ?? s).trim();
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Why a value is not a Kubernetes object, or undefined when it is one. */
function objectProblem(v: unknown): string | undefined {
  if (!isRecord(v)) return 'is not a mapping';
  if (typeof v.apiVersion !== 'string' || !v.apiVersion) return 'has no apiVersion';
  if (typeof v.kind !== 'string' || !v.kind) return 'has no kind';
  const md = v.metadata;
  if (!isRecord(md)) return `(${v.kind}) has no metadata`;
  if (typeof md.name !== 'string' || !md.name) return `(${v.kind}) has no metadata.name`;
  return undefined;
}

/** True for a `List` kind (`v1/List`, `ConfigMapList`…) whose items are flattened. */
function isList(v: Record<string, unknown>): boolean {
  return typeof v.kind === 'string' && v.kind.endsWith('List') && Array.isArray(v.items);
}

/** The template a Helm document came from (`# Source: chart/templates/x.yaml`), if any. */
function helmSource(doc: Document.Parsed): string | undefined {
  const contents = doc.contents as { commentBefore?: string | null } | null;
  const m = /Source:\s*(\S+)/.exec(`${doc.commentBefore ?? ''}\n${contents?.commentBefore ?? ''}`);
  return m?.[1];
}

/** Adds one parsed value (object or List) to `out`; returns why it is not an object. */
function collect(v: unknown, out: KubeObject[]): string | undefined {
  if (isRecord(v) && isList(v)) {
    const items = v.items as unknown[];
    for (let i = 0; i < items.length; i++) {
      const p = objectProblem(items[i]);
      if (p) return `${v.kind} item ${i + 1} ${p}`;
      out.push(items[i] as KubeObject);
    }
    return undefined;
  }
  const p = objectProblem(v);
  if (p) return `object ${p}`;
  out.push(v as KubeObject);
  return undefined;
}

/**
 * Parses multi-document YAML safely (duplicate keys are an error, aliases limited) into objects;
 * `List` kinds are flattened. Each error names where: `<source>: document <n>: …`.
 */
export function parseManifests(text: string, source: string): ParseResult {
  let docs: Document.Parsed[];
  try {
    docs = parseAllDocuments(text, {
      version: '1.1',
      uniqueKeys: true,
      customTags,
      prettyErrors: false,
    }) as Document.Parsed[];
  } catch (err) {
    return { ok: false, error: `${source}: ${firstLine(String((err as Error).message ?? err))}` };
  }
  if (!Array.isArray(docs)) return { ok: true, objects: [] };
  const objects: KubeObject[] = [];
  for (let i = 0; i < docs.length; i++) {
    const doc = docs[i]!;
    const where = () => {
      const from = helmSource(doc);
      return `${source}: document ${i + 1}${from ? ` (${from})` : ''}`;
    };
    const e = doc.errors[0];
    if (e) return { ok: false, error: `${where()}: ${firstLine(e.message)}` };
    let value: unknown;
    try {
      value = doc.toJS({ maxAliasCount: MAX_ALIASES });
    } catch (err) {
      return { ok: false, error: `${where()}: ${firstLine((err as Error).message)}` };
    }
    if (value === null || value === undefined) continue;
    const problem = collect(value, objects);
    if (problem) return { ok: false, error: `${where()}: ${problem}` };
  }
  return { ok: true, objects };
}

/** Parses one JSON manifest (an object or a List). */
export function parseJsonManifest(text: string, source: string): ParseResult {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    return { ok: false, error: `${source}: ${firstLine((err as Error).message)}` };
  }
  const objects: KubeObject[] = [];
  const problem = collect(value, objects);
  return problem ? { ok: false, error: `${source}: ${problem}` } : { ok: true, objects };
}

/** Argo CD's test for a file that is meant to be a manifest (errors in other YAML files are ignored). */
export function looksLikeManifest(text: string): boolean {
  return text.includes('apiVersion') && text.includes('kind') && text.includes('metadata');
}
