import { parse as parseYaml, stringify as stringifyYaml } from 'yaml';
import { AppSetError } from '../types.js';

type Fn = (args: unknown[]) => unknown;

/** True for a plain mapping (not a list, not null). */
export function isMap(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Go's truthiness: false, 0, "", nil, empty lists and maps are false. */
export function truth(v: unknown): boolean {
  if (v === undefined || v === null || v === false || v === 0 || v === '') return false;
  if (Array.isArray(v)) return v.length > 0;
  if (isMap(v)) return Object.keys(v).length > 0;
  return true;
}

/** Formats a value the way Go's `{{ . }}` prints it. */
export function printValue(v: unknown): string {
  if (v === undefined || v === null) return '<no value>';
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  if (Array.isArray(v)) return `[${v.map(printValue).join(' ')}]`;
  if (isMap(v)) {
    return `map[${Object.keys(v)
      .sort()
      .map((k) => `${k}:${printValue(v[k])}`)
      .join(' ')}]`;
  }
  return String(v);
}

/** Argo CD's `normalize`: lower-case, characters outside [-a-z0-9.] become "-", at most 253, trimmed. */
export function normalizeName(s: string): string {
  return s
    .toLowerCase()
    .replace(/[^-a-z0-9.]/g, '-')
    .slice(0, 253)
    .replace(/^[-.]+|[-.]+$/g, '');
}

function str(v: unknown): string {
  return typeof v === 'string' ? v : printValue(v);
}

function num(v: unknown, fn: string): number {
  const n = typeof v === 'number' ? v : typeof v === 'string' && v.trim() !== '' ? Number(v) : Number.NaN;
  if (!Number.isFinite(n)) throw new AppSetError(`template: ${fn} expects a number, got ${printValue(v)}`);
  return n;
}

function arity(fn: string, args: unknown[], min: number, max = min): void {
  if (args.length < min || args.length > max) {
    const want = min === max ? `${min}` : `${min} to ${max}`;
    throw new AppSetError(`template: ${fn} takes ${want} arguments, got ${args.length}`);
  }
}

function eq(a: unknown, b: unknown): boolean {
  if (typeof a === 'object' || typeof b === 'object') return JSON.stringify(a) === JSON.stringify(b);
  return a === b;
}

function slugify(args: unknown[]): string {
  const s = str(args[args.length - 1]);
  const max = args.length > 1 ? num(args[0], 'slugify') : 50;
  const smart = args.length > 2 ? truth(args[1]) : true;
  let out = s
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
  if (out.length > max) {
    out = out.slice(0, max);
    if (smart && out.includes('-')) out = out.slice(0, out.lastIndexOf('-'));
    out = out.replace(/-+$/g, '');
  }
  return out;
}

function printf(format: unknown, ...args: unknown[]): string {
  let i = 0;
  return str(format).replace(/%([-+ 0#]*\d*(?:\.\d+)?)([svdqtfx%])/g, (_m, _flags: string, verb: string) => {
    if (verb === '%') return '%';
    const a = args[i++];
    if (verb === 'q') return JSON.stringify(str(a));
    if (verb === 'd') return String(Math.trunc(num(a, 'printf')));
    if (verb === 'f') return num(a, 'printf').toFixed(6);
    if (verb === 'x') return Math.trunc(num(a, 'printf')).toString(16);
    return str(a);
  });
}

function indent(n: unknown, s: unknown): string {
  const pad = ' '.repeat(num(n, 'indent'));
  return str(s)
    .split('\n')
    .map((l) => pad + l)
    .join('\n');
}

const num2 = (a: unknown[]): [number, number] => [a[0] as number, a[1] as number];

/** name → [min args, max args, implementation]. */
const funcs: Record<string, [min: number, max: number, fn: Fn]> = {
  normalize: [1, 1, (a) => normalizeName(str(a[0]))],
  slugify: [1, 3, (a) => slugify(a)],
  lower: [1, 1, (a) => str(a[0]).toLowerCase()],
  upper: [1, 1, (a) => str(a[0]).toUpperCase()],
  title: [1, 1, (a) => str(a[0]).replace(/\b[a-z]/g, (c) => c.toUpperCase())],
  trim: [1, 1, (a) => str(a[0]).trim()],
  trimPrefix: [
    2,
    2,
    (a) => {
      const [p, s] = [str(a[0]), str(a[1])];
      return p !== '' && s.startsWith(p) ? s.slice(p.length) : s;
    },
  ],
  trimSuffix: [
    2,
    2,
    (a) => {
      const [p, s] = [str(a[0]), str(a[1])];
      return p !== '' && s.endsWith(p) ? s.slice(0, -p.length) : s;
    },
  ],
  replace: [3, 3, (a) => str(a[2]).split(str(a[0])).join(str(a[1]))],
  trunc: [
    2,
    2,
    (a) => {
      const n = num(a[0], 'trunc');
      const s = str(a[1]);
      return n >= 0 ? s.slice(0, n) : s.slice(Math.max(0, s.length + n));
    },
  ],
  contains: [2, 2, (a) => str(a[1]).includes(str(a[0]))],
  hasPrefix: [2, 2, (a) => str(a[1]).startsWith(str(a[0]))],
  hasSuffix: [2, 2, (a) => str(a[1]).endsWith(str(a[0]))],
  default: [1, 2, (a) => (a.length < 2 || !truth(a[1]) ? a[0] : a[1])],
  empty: [1, 1, (a) => !truth(a[0])],
  coalesce: [0, 99, (a) => a.find((x) => truth(x))],
  ternary: [3, 3, (a) => (truth(a[2]) ? a[0] : a[1])],
  quote: [0, 99, (a) => a.map((x) => JSON.stringify(str(x))).join(' ')],
  squote: [0, 99, (a) => a.map((x) => `'${str(x)}'`).join(' ')],
  eq: [2, 99, (a) => a.slice(1).some((b) => eq(a[0], b))],
  ne: [2, 2, (a) => !eq(a[0], a[1])],
  lt: [2, 2, (a) => num2(a)[0] < num2(a)[1]],
  le: [2, 2, (a) => num2(a)[0] <= num2(a)[1]],
  gt: [2, 2, (a) => num2(a)[0] > num2(a)[1]],
  ge: [2, 2, (a) => num2(a)[0] >= num2(a)[1]],
  not: [1, 1, (a) => !truth(a[0])],
  and: [1, 99, (a) => a.find((x) => !truth(x)) ?? a[a.length - 1]],
  or: [1, 99, (a) => a.find((x) => truth(x)) ?? a[a.length - 1]],
  len: [
    1,
    1,
    (a) => {
      const v = a[0];
      if (typeof v === 'string' || Array.isArray(v)) return v.length;
      if (v && typeof v === 'object') return Object.keys(v).length;
      throw new AppSetError(`template: len of ${printValue(v)}`);
    },
  ],
  index: [1, 99, (a) => indexInto(a[0], a.slice(1))],
  printf: [1, 99, (a) => printf(a[0], ...a.slice(1))],
  print: [0, 99, (a) => a.map(str).join('')],
  // (typed explicitly: `toString` would otherwise be typed by Object.prototype.toString)
  toString: [1, 1, (a: unknown[]) => str(a[0])] as [number, number, Fn],
  atoi: [1, 1, (a) => Math.trunc(num(a[0], 'atoi'))],
  int: [1, 1, (a) => Math.trunc(num(a[0], 'int'))],
  join: [2, 2, (a) => (Array.isArray(a[1]) ? a[1].map(str).join(str(a[0])) : str(a[1]))],
  splitList: [2, 2, (a) => str(a[1]).split(str(a[0]))],
  list: [0, 99, (a) => a],
  dict: [
    0,
    99,
    (a) => {
      const o: Record<string, unknown> = {};
      for (let i = 0; i < a.length; i += 2) o[str(a[i])] = a[i + 1];
      return o;
    },
  ],
  get: [2, 2, (a) => (isMap(a[0]) ? (a[0][str(a[1])] ?? '') : '')],
  hasKey: [2, 2, (a) => isMap(a[0]) && Object.hasOwn(a[0], str(a[1]))],
  toJson: [1, 1, (a) => JSON.stringify(a[0] ?? null)],
  toYaml: [1, 1, (a) => stringifyYaml(a[0] ?? null).replace(/\n$/, '')],
  fromYaml: [1, 1, (a) => parseYaml(str(a[0]), { maxAliasCount: 100 }) ?? {}],
  indent: [2, 2, (a) => indent(a[0], a[1])],
  nindent: [2, 2, (a) => `\n${indent(a[0], a[1])}`],
};

function indexInto(value: unknown, keys: unknown[]): unknown {
  let cur = value;
  for (const k of keys) {
    if (Array.isArray(cur)) {
      const i = num(k, 'index');
      if (i < 0 || i >= cur.length)
        throw new AppSetError(`template: index ${i} out of range (length ${cur.length})`);
      cur = cur[i];
    } else if (isMap(cur)) cur = cur[str(k)];
    else if (cur === undefined || cur === null) return undefined;
    else throw new AppSetError(`template: can't index ${printValue(cur)}`);
  }
  return cur;
}

/** True when bosun implements the template function `name`. */
export function isFunction(name: string): boolean {
  return Object.hasOwn(funcs, name);
}

/** Calls a template function. Throws AppSetError for unknown functions or bad arguments. */
export function callFunction(name: string, args: unknown[]): unknown {
  const entry = funcs[name];
  if (!entry) throw new AppSetError(`template: function "${name}" is not supported by bosun`);
  const [min, max, fn] = entry;
  arity(name, args, min, max);
  return fn(args);
}
