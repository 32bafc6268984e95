import { AppSetError, type Params } from '../types.js';
import { renderGoTemplate } from './go-template.js';
import { isMap, normalizeName } from './template-funcs.js';

/** How an ApplicationSet's strings are templated. */
export type TemplateStyle = { goTemplate: boolean; goTemplateOptions: string[] };

/** fasttemplate (`{{path.basename}}`): known keys are replaced, unknown tags are left as written. */
export function renderFastTemplate(s: string, params: Params): string {
  if (!s.includes('{{')) return s;
  return s.replace(/\{\{([^{}]*)\}\}/g, (whole, tag: string) => {
    const key = tag.trim();
    if (key === '' || !Object.hasOwn(params, key)) return whole;
    const v = params[key];
    return typeof v === 'string' ? v : JSON.stringify(v);
  });
}

/** Renders one string in the set's style. Throws AppSetError (one line). */
export function renderString(s: string, params: Params, style: TemplateStyle): string {
  if (!style.goTemplate) return renderFastTemplate(s, params);
  const missingKeyError = style.goTemplateOptions.some((o) => o.replace(/\s/g, '') === 'missingkey=error');
  return renderGoTemplate(s, params, { missingKeyError });
}

/** Renders every string (values and keys) of a JSON-like value; other values are copied. */
export function renderObject(value: unknown, params: Params, style: TemplateStyle): unknown {
  if (typeof value === 'string') return renderString(value, params, style);
  if (Array.isArray(value)) return value.map((v) => renderObject(v, params, style));
  if (isMap(value)) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value))
      out[renderString(k, params, style)] = renderObject(v, params, style);
    return out;
  }
  return value;
}

/** Flattens nested params into `a.b.c` keys with string values (fasttemplate's view). */
export function flattenParams(
  params: Params,
  prefix = '',
  out: Record<string, string> = {},
): Record<string, string> {
  for (const [k, v] of Object.entries(params)) {
    const key = prefix === '' ? k : `${prefix}.${k}`;
    if (isMap(v)) flattenParams(v, key, out);
    else if (Array.isArray(v)) {
      v.forEach((x, i) => {
        if (isMap(x)) flattenParams(x, `${key}.${i}`, out);
        else out[`${key}.${i}`] = scalarString(x);
      });
    } else out[key] = scalarString(v);
  }
  return out;
}

function scalarString(v: unknown): string {
  if (typeof v === 'string') return v;
  if (v === null || v === undefined) return '';
  return typeof v === 'object' ? JSON.stringify(v) : String(v);
}

/** Reads a dotted key from params: the flat key first, then a nested path. */
export function lookupParam(params: Params, key: string): unknown {
  if (Object.hasOwn(params, key)) return params[key];
  let cur: unknown = params;
  for (const part of key.split('.')) {
    if (!isMap(cur) || !Object.hasOwn(cur, part)) return undefined;
    cur = cur[part];
  }
  return cur;
}

/** The `path…` parameters git generators give a directory (and a file name for git files). */
export function pathParams(
  dir: string,
  opts: { goTemplate: boolean; prefix?: string; filename?: string },
): Params {
  const segments = dir === '' || dir === '.' ? [] : dir.split('/');
  const basename = segments[segments.length - 1] ?? '.';
  const fields: Record<string, unknown> = {
    path: dir === '' ? '.' : dir,
    basename,
    basenameNormalized: normalizeName(basename),
  };
  if (opts.filename !== undefined) {
    fields.filename = opts.filename;
    fields.filenameNormalized = normalizeName(opts.filename);
  }
  if (opts.goTemplate) {
    const nested = { ...fields, segments };
    return opts.prefix ? { [opts.prefix]: { path: nested } } : { path: nested };
  }
  const p = opts.prefix ? `${opts.prefix}.path` : 'path';
  const flat: Params = { [p]: fields.path };
  for (const [k, v] of Object.entries(fields)) if (k !== 'path') flat[`${p}.${k}`] = v;
  segments.forEach((s, i) => {
    flat[`${p}[${i}]`] = s;
  });
  return flat;
}

/** Adds a generator's `values` (templated with its own params) as `values.<k>`. */
export function withValues(params: Params, values: unknown, style: TemplateStyle): Params {
  if (values === undefined || values === null) return params;
  if (!isMap(values)) throw new AppSetError('values must be a mapping of strings');
  const rendered: Record<string, string> = {};
  for (const [k, v] of Object.entries(values)) {
    if (typeof v !== 'string') throw new AppSetError(`values.${k} must be a string`);
    rendered[k] = renderString(v, params, style);
  }
  if (style.goTemplate) {
    const prev = isMap(params.values) ? params.values : {};
    return { ...params, values: { ...prev, ...rendered } };
  }
  const out: Params = { ...params };
  for (const [k, v] of Object.entries(rendered)) out[`values.${k}`] = v;
  return out;
}
