import { AppSetError } from '../types.js';
import { callFunction, isFunction, isMap, printValue, truth } from './template-funcs.js';

/** Options of Go-template rendering (`spec.goTemplateOptions`). */
export type GoTemplateOptions = { missingKeyError: boolean };

type Token =
  | { t: 'field'; path: string[] }
  | { t: 'var'; name: string; path: string[] }
  | { t: 'ident'; name: string }
  | { t: 'lit'; value: unknown }
  | { t: 'pipe' | 'lparen' | 'rparen' | 'declare' | 'comma' };

type Arg = { kind: 'tok'; tok: Token } | { kind: 'sub'; pipe: Pipeline };
type Pipeline = { decl: string[]; cmds: Arg[][] };
type Node =
  | { n: 'text'; text: string }
  | { n: 'action'; pipe: Pipeline }
  | { n: 'if' | 'with'; pipe: Pipeline; body: Node[]; alt: Node[] }
  | { n: 'range'; pipe: Pipeline; body: Node[]; alt: Node[] };

type Scope = { dot: unknown; root: unknown; vars: Map<string, unknown> };

const maxOutput = 1024 * 1024;
const compiled = new Map<string, Node[]>();
const unsupported = new Set(['define', 'template', 'block', 'break', 'continue']);

/** Renders a Go text/template string against `params`. Throws AppSetError (one line) on errors. */
export function renderGoTemplate(src: string, params: unknown, opts: GoTemplateOptions): string {
  if (!src.includes('{{')) return src;
  let nodes = compiled.get(src);
  if (!nodes) {
    nodes = parseTemplate(src);
    if (compiled.size > 2000) compiled.clear();
    compiled.set(src, nodes);
  }
  const out: string[] = [];
  const state = { size: 0, opts };
  execNodes(nodes, { dot: params, root: params, vars: new Map([['$', params]]) }, out, state);
  return out.join('');
}

// ---------- parsing ----------

function parseTemplate(src: string): Node[] {
  const pieces = splitActions(src);
  let i = 0;
  const parseList = (terminators: string[]): { nodes: Node[]; term: string; rest: string } => {
    const nodes: Node[] = [];
    while (i < pieces.length) {
      const p = pieces[i++] as Piece;
      if (p.kind === 'text') {
        if (p.text !== '') nodes.push({ n: 'text', text: p.text });
        continue;
      }
      const body = p.text.trim();
      if (body.startsWith('/*')) continue;
      const word = /^[A-Za-z]+/.exec(body)?.[0] ?? '';
      if (terminators.includes(word) && (word === 'end' || word === 'else')) {
        return { nodes, term: word, rest: body.slice(word.length).trim() };
      }
      if (word === 'end' || word === 'else') throw new AppSetError(`template: unexpected {{${word}}}`);
      if (unsupported.has(word)) throw new AppSetError(`template: {{${word}}} is not supported by bosun`);
      if (word === 'if' || word === 'with' || word === 'range') {
        nodes.push(parseControl(word, body.slice(word.length)));
        continue;
      }
      nodes.push({ n: 'action', pipe: parsePipeline(tokenize(body)) });
    }
    if (terminators.length > 0) throw new AppSetError('template: missing {{end}}');
    return { nodes, term: '', rest: '' };
  };
  const parseControl = (word: 'if' | 'with' | 'range', expr: string): Node => {
    const pipe = parsePipeline(tokenize(expr));
    const body = parseList(['end', 'else']);
    let alt: Node[] = [];
    if (body.term === 'else') {
      const elseWord = /^[A-Za-z]+/.exec(body.rest)?.[0];
      if (elseWord === 'if' || elseWord === 'with') {
        alt = [parseControl(elseWord, body.rest.slice(elseWord.length))];
      } else {
        if (body.rest !== '') throw new AppSetError(`template: unexpected "${body.rest}" after else`);
        alt = parseList(['end']).nodes;
      }
    }
    return { n: word, pipe, body: body.nodes, alt };
  };
  return parseList([]).nodes;
}

type Piece = { kind: 'text' | 'action'; text: string };

/** Splits text and `{{ … }}` actions, applying `{{-` / `-}}` whitespace trimming. */
function splitActions(src: string): Piece[] {
  const pieces: Piece[] = [];
  let pos = 0;
  while (pos < src.length) {
    const open = src.indexOf('{{', pos);
    if (open < 0) {
      pieces.push({ kind: 'text', text: src.slice(pos) });
      break;
    }
    pieces.push({ kind: 'text', text: src.slice(pos, open) });
    let start = open + 2;
    if (src.startsWith('- ', start) || src.startsWith('-\t', start) || src.startsWith('-\n', start)) {
      const last = pieces[pieces.length - 1] as Piece;
      last.text = last.text.replace(/\s+$/, '');
      start += 1;
    }
    const close = findClose(src, start);
    if (close < 0) throw new AppSetError('template: unclosed action "{{"');
    let end = close;
    let trimRight = false;
    if (src[close - 1] === '-' && /\s/.test(src[close - 2] ?? '')) {
      end = close - 1;
      trimRight = true;
    }
    pieces.push({ kind: 'action', text: src.slice(start, end) });
    pos = close + 2;
    if (trimRight) while (pos < src.length && /\s/.test(src[pos] as string)) pos++;
  }
  return pieces;
}

function findClose(src: string, from: number): number {
  let quote: string | undefined;
  for (let i = from; i < src.length; i++) {
    const ch = src[i];
    if (quote) {
      if (ch === '\\' && quote === '"') i++;
      else if (ch === quote) quote = undefined;
    } else if (ch === '"' || ch === '`' || ch === "'") quote = ch;
    else if (ch === '}' && src[i + 1] === '}') return i;
  }
  return -1;
}

const singleTokens: Record<string, 'pipe' | 'lparen' | 'rparen' | 'comma'> = {
  '|': 'pipe',
  '(': 'lparen',
  ')': 'rparen',
  ',': 'comma',
};

function tokenize(s: string): Token[] {
  const toks: Token[] = [];
  let i = 0;
  const fieldPath = (): string[] => {
    const path: string[] = [];
    while (s[i] === '.' && /[A-Za-z0-9_]/.test(s[i + 1] ?? '')) {
      i++;
      const m = /^[A-Za-z0-9_]+/.exec(s.slice(i)) as RegExpExecArray;
      path.push(m[0]);
      i += m[0].length;
    }
    return path;
  };
  while (i < s.length) {
    const ch = s[i] as string;
    const single = singleTokens[ch];
    if (/\s/.test(ch)) i++;
    else if (single) {
      toks.push({ t: single });
      i++;
    } else if (s.startsWith(':=', i)) {
      toks.push({ t: 'declare' });
      i += 2;
    } else if (ch === '=')
      throw new AppSetError('template: assigning variables with "=" is not supported by bosun');
    else if (ch === '.') {
      const path = fieldPath();
      if (path.length === 0) i++;
      toks.push({ t: 'field', path });
    } else if (ch === '$') {
      const m = /^\$[A-Za-z0-9_]*/.exec(s.slice(i)) as RegExpExecArray;
      i += m[0].length;
      toks.push({ t: 'var', name: m[0], path: fieldPath() });
    } else if (ch === '"') {
      const m = /^"(?:[^"\\]|\\.)*"/.exec(s.slice(i));
      if (!m) throw new AppSetError('template: unterminated string');
      toks.push({ t: 'lit', value: JSON.parse(m[0]) });
      i += m[0].length;
    } else if (ch === '`') {
      const end = s.indexOf('`', i + 1);
      if (end < 0) throw new AppSetError('template: unterminated raw string');
      toks.push({ t: 'lit', value: s.slice(i + 1, end) });
      i = end + 1;
    } else if (ch === "'") {
      const m = /^'(\\.|[^'\\])'/.exec(s.slice(i));
      if (!m) throw new AppSetError('template: bad character constant');
      toks.push({ t: 'lit', value: (JSON.parse(`"${m[1]}"`) as string).charCodeAt(0) });
      i += m[0].length;
    } else if (/[-+0-9]/.test(ch)) {
      const m = /^[-+]?(0x[0-9a-fA-F]+|\d+(\.\d+)?([eE][-+]?\d+)?)/.exec(s.slice(i));
      if (!m) throw new AppSetError(`template: unexpected "${ch}"`);
      toks.push({ t: 'lit', value: Number(m[0]) });
      i += m[0].length;
    } else if (/[A-Za-z_]/.test(ch)) {
      const m = /^[A-Za-z_][A-Za-z0-9_]*/.exec(s.slice(i)) as RegExpExecArray;
      i += m[0].length;
      if (m[0] === 'true' || m[0] === 'false') toks.push({ t: 'lit', value: m[0] === 'true' });
      else if (m[0] === 'nil') toks.push({ t: 'lit', value: null });
      else toks.push({ t: 'ident', name: m[0] });
    } else throw new AppSetError(`template: unexpected "${ch}" in action`);
  }
  return toks;
}

function parsePipeline(toks: Token[]): Pipeline {
  let pos = 0;
  const decl: string[] = [];
  const declAt = toks.findIndex((t) => t.t === 'declare');
  if (declAt >= 0) {
    for (const t of toks.slice(0, declAt)) {
      if (t.t === 'var' && t.path.length === 0) decl.push(t.name);
      else if (t.t !== 'comma') throw new AppSetError('template: bad variable declaration');
    }
    pos = declAt + 1;
  }
  const parse = (inParen: boolean): Arg[][] => {
    const cmds: Arg[][] = [[]];
    while (pos < toks.length) {
      const t = toks[pos++] as Token;
      if (t.t === 'pipe') cmds.push([]);
      else if (t.t === 'rparen') {
        if (!inParen) throw new AppSetError('template: unexpected ")"');
        return cmds;
      } else if (t.t === 'lparen')
        (cmds[cmds.length - 1] as Arg[]).push({ kind: 'sub', pipe: { decl: [], cmds: parse(true) } });
      else if (t.t === 'comma' || t.t === 'declare')
        throw new AppSetError('template: unexpected "," or ":="');
      else (cmds[cmds.length - 1] as Arg[]).push({ kind: 'tok', tok: t });
    }
    if (inParen) throw new AppSetError('template: missing ")"');
    return cmds;
  };
  const cmds = parse(false);
  if (cmds.some((c) => c.length === 0)) throw new AppSetError('template: empty command in pipeline');
  for (const cmd of cmds) {
    const head = cmd[0] as Arg;
    if (head.kind === 'tok' && head.tok.t === 'ident' && !isFunction(head.tok.name)) {
      throw new AppSetError(`template: function "${head.tok.name}" is not supported by bosun`);
    }
  }
  return { decl, cmds };
}

// ---------- execution ----------

type ExecState = { size: number; opts: GoTemplateOptions };

function execNodes(nodes: Node[], scope: Scope, out: string[], st: ExecState): void {
  for (const node of nodes) {
    if (node.n === 'text') emit(node.text, out, st);
    else if (node.n === 'action') {
      const v = evalPipeline(node.pipe, scope, st);
      if (node.pipe.decl.length === 0) emit(printValue(v), out, st);
    } else if (node.n === 'if') {
      execNodes(truth(evalPipeline(node.pipe, scope, st)) ? node.body : node.alt, scope, out, st);
    } else if (node.n === 'with') {
      const v = evalPipeline(node.pipe, scope, st);
      if (truth(v)) execNodes(node.body, { ...scope, dot: v }, out, st);
      else execNodes(node.alt, scope, out, st);
    } else {
      const v = evalPipeline({ decl: [], cmds: node.pipe.cmds }, scope, st);
      const entries: [unknown, unknown][] = Array.isArray(v)
        ? v.map((x, i) => [i, x])
        : isMap(v)
          ? Object.keys(v)
              .sort()
              .map((k) => [k, v[k]])
          : [];
      if (v !== null && v !== undefined && !Array.isArray(v) && !isMap(v) && typeof v !== 'number') {
        throw new AppSetError(`template: range can't iterate over ${printValue(v)}`);
      }
      if (typeof v === 'number') for (let i = 0; i < v; i++) entries.push([i, i]);
      if (entries.length === 0) execNodes(node.alt, scope, out, st);
      for (const [k, x] of entries) {
        const vars = new Map(scope.vars);
        const d = node.pipe.decl;
        if (d.length === 1) vars.set(d[0] as string, x);
        if (d.length === 2) {
          vars.set(d[0] as string, k);
          vars.set(d[1] as string, x);
        }
        execNodes(node.body, { ...scope, dot: x, vars }, out, st);
      }
    }
  }
}

function emit(s: string, out: string[], st: ExecState): void {
  st.size += s.length;
  if (st.size > maxOutput) throw new AppSetError('template: output larger than 1 MiB');
  out.push(s);
}

function evalPipeline(pipe: Pipeline, scope: Scope, st: ExecState): unknown {
  let value: unknown;
  let first = true;
  for (const cmd of pipe.cmds) {
    value = evalCommand(cmd, scope, st, first ? undefined : { value });
    first = false;
  }
  for (const name of pipe.decl) scope.vars.set(name, value);
  return value;
}

function evalCommand(cmd: Arg[], scope: Scope, st: ExecState, piped?: { value: unknown }): unknown {
  const head = cmd[0] as Arg;
  if (head.kind === 'tok' && head.tok.t === 'ident') {
    const args = cmd.slice(1).map((a) => evalArg(a, scope, st));
    if (piped) args.push(piped.value);
    try {
      return callFunction(head.tok.name, args);
    } catch (err) {
      if (err instanceof AppSetError) throw err;
      throw new AppSetError(`template: ${head.tok.name}: ${(err as Error).message}`, { cause: err });
    }
  }
  if (cmd.length > 1 || piped) throw new AppSetError('template: can only pass arguments to a function');
  return evalArg(head, scope, st);
}

function evalArg(arg: Arg, scope: Scope, st: ExecState): unknown {
  if (arg.kind === 'sub') return evalPipeline(arg.pipe, scope, st);
  const t = arg.tok;
  if (t.t === 'lit') return t.value;
  if (t.t === 'field') return walk(scope.dot, t.path, st);
  if (t.t === 'var') {
    if (!scope.vars.has(t.name)) throw new AppSetError(`template: undefined variable ${t.name}`);
    return walk(scope.vars.get(t.name), t.path, st);
  }
  if (t.t === 'ident') return callFunction(t.name, []);
  throw new AppSetError('template: unexpected token');
}

function walk(value: unknown, path: string[], st: ExecState): unknown {
  let cur = value;
  for (const key of path) {
    if (isMap(cur) && Object.hasOwn(cur, key)) cur = cur[key];
    else if (isMap(cur) || cur === undefined || cur === null) {
      if (st.opts.missingKeyError) throw new AppSetError(`template: map has no entry for key "${key}"`);
      return undefined;
    } else throw new AppSetError(`template: can't evaluate field ${key} in ${printValue(cur)}`);
  }
  return cur;
}
