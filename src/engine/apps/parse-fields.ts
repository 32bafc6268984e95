/** Typed readers for the fields of Argo CD manifests; each throws a ParseError naming the bad key. */

/** A manifest as parsed YAML. */
export type Obj = Record<string, unknown>;

/** A manifest field that is missing or has the wrong type; its message names the key. */
export class ParseError extends Error {}

/** Field reader: isObj (throws ParseError naming the key). */
export function isObj(v: unknown): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Field reader: object (throws ParseError naming the key). */
export function object(v: unknown, key: string): Obj {
  if (v === undefined || v === null) throw new ParseError(`${key} is required`);
  if (!isObj(v)) throw new ParseError(`${key} must be a mapping`);
  return v;
}

/** Field reader: string (throws ParseError naming the key). */
export function string(v: unknown, key: string): string {
  if (v === undefined || v === null || v === '') throw new ParseError(`${key} is required`);
  if (typeof v !== 'string') {
    throw new ParseError(`${key} must be a string${typeof v === 'number' ? ' (quote it)' : ''}`);
  }
  return v;
}

/** Field reader: optString (throws ParseError naming the key). */
export function optString(v: unknown, key: string): string | undefined {
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'string') {
    throw new ParseError(`${key} must be a string${typeof v === 'number' ? ' (quote it)' : ''}`);
  }
  return v;
}

/** Field reader: optBool (throws ParseError naming the key). */
export function optBool(v: unknown, key: string): boolean | undefined {
  if (v === undefined || v === null) return undefined;
  if (typeof v === 'boolean') return v;
  if (v === 'true' || v === 'false') return v === 'true';
  throw new ParseError(`${key} must be true or false`);
}

/** Field reader: scalar (throws ParseError naming the key). */
export function scalar(v: unknown, key: string): string {
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  if (v === undefined || v === null) return '';
  throw new ParseError(`${key} must be a string`);
}

/** Field reader: list (throws ParseError naming the key). */
export function list(v: unknown, key: string): unknown[] {
  if (v === undefined || v === null) throw new ParseError(`${key} is required`);
  if (!Array.isArray(v)) throw new ParseError(`${key} must be a list`);
  return v;
}

/** Field reader: optList (throws ParseError naming the key). */
export function optList(v: unknown, key: string): unknown[] {
  return v === undefined || v === null ? [] : list(v, key);
}

/** Field reader: stringList (throws ParseError naming the key). */
export function stringList(v: unknown, key: string): string[] {
  return optList(v, key).map((x, i) => string(x, `${key}[${i}]`));
}

/** Field reader: stringMap (throws ParseError naming the key). */
export function stringMap(v: unknown, key: string): Record<string, string> {
  if (v === undefined || v === null) return {};
  const o = object(v, key);
  const out: Record<string, string> = {};
  for (const [k, x] of Object.entries(o)) out[k] = scalarOnly(x, `${key}.${k}`);
  return out;
}

/** Field reader: scalarOnly (throws ParseError naming the key). */
export function scalarOnly(v: unknown, key: string): string {
  if (typeof v === 'string') return v;
  if (v === null || v === undefined) return '';
  throw new ParseError(
    `${key} must be a string${typeof v === 'number' || typeof v === 'boolean' ? ' (quote it)' : ''}`,
  );
}

/** Drops undefined properties so optional fields are absent rather than undefined. */
/** Field reader: compact (throws ParseError naming the key). */
export function compact<T extends Record<string, unknown>>(
  o: T,
): { [K in keyof T]?: Exclude<T[K], undefined> } {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(o)) if (v !== undefined) out[k] = v;
  return out as { [K in keyof T]?: Exclude<T[K], undefined> };
}
