import { deepEqual, isMap, type Segment } from './json-path.js';

/**
 * A safe, bounded subset of jq path expressions for `ignoreDifferences.jqPathExpressions`:
 * `.a.b`, `."a/b"`, `.a["b"]`, `.a[0]`, `.a[]`, `?`, pipes, and `select(...)` with `==`, `!=`,
 * `and`, `or` between a path and a literal (or a bare path as a truthiness test).
 * Anything else is refused at compile time, never evaluated.
 */

type Step = { t: 'key'; key: string } | { t: 'index'; i: number } | { t: 'iter' };
type Cond =
  | { t: 'cmp'; path: Step[]; op: '==' | '!='; value: unknown }
  | { t: 'truthy'; path: Step[] }
  | { t: 'and' | 'or'; a: Cond; b: Cond };
type Term = { t: 'path'; path: Step[] } | { t: 'select'; cond: Cond };

/** A compiled expression. */
export type JqPath = { source: string; terms: Term[] };

/** The outcome of compiling: the program, or why it is not supported. */
export type JqCompileResult = { ok: true; path: JqPath } | { ok: false; reason: string };

const MAX_SOURCE = 1000;
const MAX_RESULTS = 10_000;

type Token = { k: 'punct' | 'ident' | 'string' | 'number'; v: string };

function tokenize(src: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  while (i < src.length) {
    const c = src[i] as string;
    if (/\s/.test(c)) {
      i++;
    } else if (src.startsWith('==', i) || src.startsWith('!=', i)) {
      out.push({ k: 'punct', v: src.slice(i, i + 2) });
      i += 2;
    } else if ('.[]()|?'.includes(c)) {
      out.push({ k: 'punct', v: c });
      i++;
    } else if (c === '"') {
      let j = i + 1;
      while (j < src.length && src[j] !== '"') j += src[j] === '\\' ? 2 : 1;
      if (j >= src.length) throw new Error('unterminated string');
      out.push({ k: 'string', v: JSON.parse(src.slice(i, j + 1)) as string });
      i = j + 1;
    } else {
      const m = /^(-?\d+(?:\.\d+)?|[A-Za-z_][A-Za-z0-9_]*)/.exec(src.slice(i));
      if (!m) throw new Error(`unexpected "${c}"`);
      const v = m[1] as string;
      out.push({ k: /^-?\d/.test(v) ? 'number' : 'ident', v });
      i += v.length;
    }
  }
  return out;
}

class Parser {
  private pos = 0;
  constructor(private readonly toks: Token[]) {}

  private peek(): Token | undefined {
    return this.toks[this.pos];
  }
  private isPunct(v: string): boolean {
    const t = this.peek();
    return t?.k === 'punct' && t.v === v;
  }
  private expect(v: string): void {
    if (!this.isPunct(v)) throw new Error(`expected "${v}"`);
    this.pos++;
  }

  program(): Term[] {
    const terms = [this.term()];
    while (this.isPunct('|')) {
      this.pos++;
      terms.push(this.term());
    }
    if (this.peek()) throw new Error(`unexpected "${this.peek()?.v}"`);
    return terms;
  }

  private term(): Term {
    const t = this.peek();
    if (t?.k === 'ident' && t.v === 'select') {
      this.pos++;
      this.expect('(');
      const cond = this.or();
      this.expect(')');
      return { t: 'select', cond };
    }
    return { t: 'path', path: this.path() };
  }

  private path(): Step[] {
    if (!this.isPunct('.')) throw new Error('a path must start with "."');
    const steps: Step[] = [];
    while (this.isPunct('.') || this.isPunct('[')) {
      if (this.isPunct('.')) {
        this.pos++;
        const t = this.peek();
        if (t?.k === 'ident' || t?.k === 'string') {
          steps.push({ t: 'key', key: t.v });
          this.pos++;
        } else if (!this.isPunct('[')) {
          continue; // identity
        }
      }
      if (this.isPunct('[')) steps.push(this.bracket());
      while (this.isPunct('?')) this.pos++;
    }
    return steps;
  }

  private bracket(): Step {
    this.expect('[');
    const t = this.peek();
    let step: Step;
    if (t?.k === 'punct' && t.v === ']') step = { t: 'iter' };
    else if (t?.k === 'string') step = { t: 'key', key: t.v };
    else if (t?.k === 'number' && /^\d+$/.test(t.v)) step = { t: 'index', i: Number(t.v) };
    else throw new Error('only [], ["key"] and [number] are supported inside brackets');
    if (step.t !== 'iter') this.pos++;
    this.expect(']');
    return step;
  }

  private or(): Cond {
    let a = this.and();
    while (this.peek()?.k === 'ident' && this.peek()?.v === 'or') {
      this.pos++;
      a = { t: 'or', a, b: this.and() };
    }
    return a;
  }
  private and(): Cond {
    let a = this.cmp();
    while (this.peek()?.k === 'ident' && this.peek()?.v === 'and') {
      this.pos++;
      a = { t: 'and', a, b: this.cmp() };
    }
    return a;
  }
  private cmp(): Cond {
    if (this.isPunct('(')) {
      this.pos++;
      const c = this.or();
      this.expect(')');
      return c;
    }
    if (this.isPunct('.')) {
      const path = this.path();
      const op = this.peek();
      if (op?.k === 'punct' && (op.v === '==' || op.v === '!=')) {
        this.pos++;
        return { t: 'cmp', path, op: op.v, value: this.literal() };
      }
      return { t: 'truthy', path };
    }
    const value = this.literal();
    const op = this.peek();
    if (op?.k !== 'punct' || (op.v !== '==' && op.v !== '!=')) throw new Error('expected == or !=');
    this.pos++;
    return { t: 'cmp', path: this.path(), op: op.v, value };
  }
  private literal(): unknown {
    const t = this.peek();
    this.pos++;
    if (t?.k === 'string') return t.v;
    if (t?.k === 'number') return Number(t.v);
    if (t?.k === 'ident' && t.v === 'true') return true;
    if (t?.k === 'ident' && t.v === 'false') return false;
    if (t?.k === 'ident' && t.v === 'null') return null;
    throw new Error(`unsupported operand "${t?.v ?? 'end'}"`);
  }
}

/** Compiles an expression of the supported subset; unsupported ones come back with a reason. */
export function compileJqPath(source: string): JqCompileResult {
  if (source.length > MAX_SOURCE) return { ok: false, reason: `longer than ${MAX_SOURCE} characters` };
  try {
    return { ok: true, path: { source, terms: new Parser(tokenize(source)).program() } };
  } catch (err) {
    return { ok: false, reason: err instanceof Error ? err.message : String(err) };
  }
}

type Ctx = { segs: Segment[]; value: unknown };

function step(ctxs: Ctx[], s: Step): Ctx[] {
  const out: Ctx[] = [];
  for (const c of ctxs) {
    const v = c.value;
    if (s.t === 'key') {
      if (isMap(v) && Object.hasOwn(v, s.key)) out.push({ segs: [...c.segs, s.key], value: v[s.key] });
    } else if (s.t === 'index') {
      if (Array.isArray(v) && s.i < v.length) out.push({ segs: [...c.segs, s.i], value: v[s.i] });
    } else if (Array.isArray(v)) {
      for (let i = 0; i < v.length; i++) out.push({ segs: [...c.segs, i], value: v[i] });
    } else if (isMap(v)) {
      for (const k in v) out.push({ segs: [...c.segs, k], value: v[k] });
    }
    if (out.length > MAX_RESULTS) throw new Error(`more than ${MAX_RESULTS} results`);
  }
  return out;
}

function values(path: Step[], v: unknown): unknown[] {
  let ctxs: Ctx[] = [{ segs: [], value: v }];
  for (const s of path) ctxs = step(ctxs, s);
  return ctxs.length ? ctxs.map((c) => c.value) : [null];
}

function test(cond: Cond, v: unknown): boolean {
  switch (cond.t) {
    case 'and':
      return test(cond.a, v) && test(cond.b, v);
    case 'or':
      return test(cond.a, v) || test(cond.b, v);
    case 'truthy':
      return values(cond.path, v).some((x) => x !== null && x !== false && x !== undefined);
    case 'cmp': {
      const eq = (x: unknown) => deepEqual(x, cond.value);
      return values(cond.path, v).some((x) => (cond.op === '==' ? eq(x) : !eq(x)));
    }
  }
}

/** The paths of `doc` an expression selects (what jq's `path(expr)` would output). */
export function evaluateJqPath(expr: JqPath, doc: unknown): Segment[][] {
  let ctxs: Ctx[] = [{ segs: [], value: doc }];
  for (const term of expr.terms) {
    if (term.t === 'path') for (const s of term.path) ctxs = step(ctxs, s);
    else ctxs = ctxs.filter((c) => test(term.cond, c.value));
  }
  return ctxs.map((c) => c.segs).filter((s) => s.length > 0);
}
