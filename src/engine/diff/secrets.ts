import type { KubeObject } from '../model/index.js';
import { isMap, type JsonMap } from './json-path.js';

/** The mask shown for a Secret value; a longer run marks a live value that differs from the target. */
export const SECRET_MASK = '++++++++';
/** The mask of a live Secret value that differs from the target's value of the same key. */
export const SECRET_MASK_CHANGED = '+++++++++';
/** What `redactSecretValues` puts in place of a secret value. */
export const REDACTED = '<redacted>';

const LAST_APPLIED = 'kubectl.kubernetes.io/last-applied-configuration';

/** True for core-group Secrets (`apiVersion: v1`, `kind: Secret`). */
export function isSecret(obj: { apiVersion?: unknown; kind?: unknown } | undefined): boolean {
  return obj?.kind === 'Secret' && obj.apiVersion === 'v1';
}

function base64(s: string): string {
  return Buffer.from(s, 'utf8').toString('base64');
}

/**
 * Folds `stringData` into `data` (base64-encoded), as the API server does, so a Secret written
 * with `stringData` compares equal to the live one. Returns a copy; non-Secrets are returned as is.
 */
export function foldStringData<T extends KubeObject | JsonMap>(obj: T): T {
  const o = obj as JsonMap;
  if (!isMap(o.stringData)) return obj;
  const data: JsonMap = isMap(o.data) ? { ...o.data } : {};
  for (const [k, v] of Object.entries(o.stringData)) {
    if (typeof v === 'string') data[k] = base64(v);
    else if (v !== null && v !== undefined) data[k] = base64(String(v));
  }
  const out: JsonMap = { ...o, data };
  delete out.stringData;
  return out as T;
}

function maskMaps(target: JsonMap | undefined, live: JsonMap | undefined, field: 'data' | 'stringData') {
  const t = target && isMap(target[field]) ? (target[field] as JsonMap) : undefined;
  const l = live && isMap(live[field]) ? (live[field] as JsonMap) : undefined;
  if (target && t) {
    const masked: JsonMap = {};
    for (const k in t) masked[k] = SECRET_MASK;
    target[field] = masked;
  }
  if (live && l) {
    const masked: JsonMap = {};
    for (const k in l) {
      const tv = t?.[k];
      masked[k] = tv === undefined || tv === l[k] ? SECRET_MASK : SECRET_MASK_CHANGED;
    }
    live[field] = masked;
  }
}

function withoutLastApplied(obj: JsonMap): JsonMap {
  const md = obj.metadata;
  if (!isMap(md) || !isMap(md.annotations) || !(LAST_APPLIED in md.annotations)) return obj;
  const annotations = { ...md.annotations };
  delete annotations[LAST_APPLIED];
  return { ...obj, metadata: { ...md, annotations } };
}

/**
 * Masks the values of a target/live pair of Secrets: every value of `data` and `stringData` becomes
 * `++++++++`, except a live value that differs from the target's, which becomes `+++++++++`. So
 * the diff shows which keys were added, removed or changed, never a value. The last-applied
 * annotation (which holds values) is dropped. Non-Secrets pass through; inputs are not modified.
 */
export function maskSecretPair<T extends KubeObject | undefined, L extends KubeObject | undefined>(
  target: T,
  live: L,
): { target: T; live: L } {
  if (!isSecret(target) && !isSecret(live)) return { target, live };
  const t = isSecret(target) ? withoutLastApplied({ ...(target as JsonMap) }) : undefined;
  const l = isSecret(live) ? withoutLastApplied({ ...(live as JsonMap) }) : undefined;
  maskMaps(t, l, 'data');
  maskMaps(t, l, 'stringData');
  return { target: (t ?? target) as T, live: (l ?? live) as L };
}

/** Masks one Secret on its own (every value becomes the same mask). */
export function maskSecret<T extends KubeObject | undefined>(obj: T): T {
  return maskSecretPair(obj, undefined).target;
}

/** Options of `redactSecretValues`. */
export type RedactOptions = {
  /** Shorter values are left alone so that text stays readable (default 4). */
  minLength?: number;
};

function addForms(out: Set<string>, plain: string | undefined, encoded: string | undefined, min: number) {
  const forms = [plain, encoded];
  if (plain !== undefined) {
    forms.push(JSON.stringify(plain).slice(1, -1));
    // Lines of multi-line values (certificates, keys) can show up on their own in messages.
    if (plain.includes('\n')) for (const line of plain.split('\n')) forms.push(line.trim());
  }
  for (const f of forms) if (f !== undefined && f.length >= min) out.add(f);
}

function decodeBase64(s: string): string | undefined {
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(s)) return undefined;
  return Buffer.from(s, 'base64').toString('utf8');
}

/** Every form of every value of the given Secrets (plain, base64, JSON-escaped), longest first. */
export function secretValueForms(secrets: readonly KubeObject[], opts: RedactOptions = {}): string[] {
  const min = Math.max(1, opts.minLength ?? 4);
  const out = new Set<string>();
  for (const s of secrets) {
    if (!isSecret(s)) continue;
    if (isMap(s.data))
      for (const v of Object.values(s.data)) {
        if (typeof v === 'string') addForms(out, decodeBase64(v), v, min);
      }
    if (isMap(s.stringData))
      for (const v of Object.values(s.stringData)) {
        if (typeof v === 'string') addForms(out, v, base64(v), min);
      }
  }
  return [...out].sort((a, b) => b.length - a.length);
}

/** Replaces every known secret value (plain, base64 or JSON-escaped) in `text` with `<redacted>`. */
export function redactSecretValues(
  text: string,
  secrets: readonly KubeObject[],
  opts: RedactOptions = {},
): string {
  let out = text;
  for (const v of secretValueForms(secrets, opts)) if (out.includes(v)) out = out.split(v).join(REDACTED);
  return out;
}
