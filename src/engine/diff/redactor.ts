/**
 * The one redaction step for text that leaves the engine: every form of every known Secret value
 * (plain, base64, JSON-escaped, each line of a multi-line value) is replaced by `<redacted>`, in a
 * string or in every string of plain data (messages, diffs, YAML, records). Pure.
 */
import type { KubeObject } from '../model/index.js';
import { REDACTED, type RedactOptions, secretValueForms } from './secrets.js';

/** Replaces known Secret values; built once per set of values. */
export type Redactor = {
  /** The forms it replaces, longest first (empty: it changes nothing). */
  readonly forms: readonly string[];
  /** The text with every known value replaced. */
  text(s: string): string;
  /** A copy of plain data with every string redacted (the same object when nothing changed). */
  deep<T>(value: T): T;
};

/**
 * Keys whose string values are identifiers, never free text (names, kinds, revisions): left as they are,
 * so a short Secret value that happens to equal a name never hides which app or resource is meant.
 */
const IDENTIFIER_KEYS = new Set([
  'name',
  'namespace',
  'kind',
  'group',
  'apiVersion',
  'context',
  'cluster',
  'revision',
  'sha',
  'shortSha',
  'id',
  'service',
  'environment',
  'project',
  'path',
  'repoURL',
  'targetRevision',
]);

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

function deepRedact(value: unknown, text: (s: string) => string, depth: number): unknown {
  if (typeof value === 'string') return text(value);
  if (!value || typeof value !== 'object' || depth > 64) return value;
  if (Array.isArray(value)) {
    let out: unknown[] | undefined;
    for (let i = 0; i < value.length; i++) {
      const v = deepRedact(value[i], text, depth + 1);
      if (v !== value[i]) {
        out ??= value.slice();
        out[i] = v;
      }
    }
    return out ?? value;
  }
  const proto = Object.getPrototypeOf(value);
  if (proto !== Object.prototype && proto !== null) return value;
  let out: Record<string, unknown> | undefined;
  for (const [k, v] of Object.entries(value)) {
    if (IDENTIFIER_KEYS.has(k) && typeof v === 'string') continue;
    const r = deepRedact(v, text, depth + 1);
    if (r !== v) {
      out ??= { ...(value as Record<string, unknown>) };
      out[k] = r;
    }
  }
  return out ?? value;
}

/** A redactor of the given forms (see {@link secretValueForms}). */
export function redactorOf(forms: readonly string[]): Redactor {
  if (forms.length === 0) return noRedaction;
  const sorted = [...new Set(forms)].sort((a, b) => b.length - a.length);
  const pattern = new RegExp(sorted.map(escapeRegExp).join('|'), 'g');
  const shortest = sorted[sorted.length - 1]?.length ?? 1;
  const text = (s: string) => {
    if (s.length < shortest) return s;
    pattern.lastIndex = 0;
    if (!pattern.test(s)) return s;
    pattern.lastIndex = 0;
    return s.replace(pattern, REDACTED);
  };
  return { forms: sorted, text, deep: <T>(v: T) => deepRedact(v, text, 0) as T };
}

/** A redactor of the values of the given Secrets (non-Secrets are ignored). */
export function secretRedactor(secrets: readonly KubeObject[], opts: RedactOptions = {}): Redactor {
  return redactorOf(secretValueForms(secrets, opts));
}

/** The redactor that changes nothing (no Secret values known). */
export const noRedaction: Redactor = { forms: [], text: (s) => s, deep: (v) => v };
