import {
  type Document,
  isMap,
  isPair,
  isScalar,
  isSeq,
  type Node,
  type Pair,
  parseAllDocuments,
  Scalar,
  stringify,
  type YAMLMap,
  type YAMLSeq,
} from 'yaml';

/**
 * Surgical YAML text edits: each change splices the source text at a node's range, so every other
 * byte (comments, order, quoting, indentation, line endings) stays as it was. Pure.
 */

/** A path into a YAML document: map keys and sequence indices. */
export type YamlPath = (string | number)[];

/** Parses every document of a YAML text; throws one line naming the file on a syntax error. */
export function parseYamlDocs(text: string, file: string): Document.Parsed[] {
  const docs = parseAllDocuments(text, { keepSourceTokens: true, uniqueKeys: false });
  if (!Array.isArray(docs)) return [];
  for (const d of docs) {
    const err = d.errors[0];
    if (err) throw new Error(`${file} is not valid YAML: ${err.message.split('\n')[0]}`);
  }
  return docs;
}

/** The node at `path` below `root`, undefined when any step is missing. */
export function nodeAt(root: unknown, path: YamlPath): Node | undefined {
  let cur: unknown = root;
  for (const step of path) {
    if (typeof step === 'number') {
      if (!isSeq(cur)) return undefined;
      cur = cur.items[step];
    } else {
      if (!isMap(cur)) return undefined;
      cur = pairOf(cur, step)?.value;
    }
    if (cur === undefined || cur === null) return undefined;
  }
  return cur as Node;
}

/** The pair with a scalar key `key` in a map (the last one, as YAML loaders keep). */
export function pairOf(map: YAMLMap, key: string): Pair | undefined {
  let found: Pair | undefined;
  for (const p of map.items) {
    if (isPair(p) && isScalar(p.key) && String(p.key.value) === key) found = p as Pair;
  }
  return found;
}

/** The string value of a scalar node (numbers and booleans as written); undefined otherwise. */
export function scalarText(node: unknown): string | undefined {
  if (!isScalar(node)) return undefined;
  if (node.value === null || node.value === undefined) return undefined;
  if (typeof node.value === 'object') return undefined;
  if (node.type === Scalar.PLAIN && typeof node.source === 'string' && typeof node.value !== 'string') {
    return node.source;
  }
  return String(node.value);
}

/**
 * The source text for a string scalar holding `value`, in the quoting style of `original` where that
 * keeps it a string: a plain `v1.2` stays plain, a tag like `1.10` gets double quotes (plain, it
 * would be the number 1.1).
 */
export function formatScalar(value: string, original?: Scalar): string {
  const oneLine = !/[\n\r]/.test(value);
  if (original?.type === Scalar.QUOTE_DOUBLE || !oneLine) return JSON.stringify(value);
  if (original?.type === Scalar.QUOTE_SINGLE) return `'${value.replace(/'/g, "''")}'`;
  const plain = stringify(value, { lineWidth: 0 }).replace(/\n$/, '');
  return plain.includes('\n') ? JSON.stringify(value) : plain;
}

/** Replaces a scalar's text with `value` (anchors, tags and trailing comments stay). */
export function spliceScalar(text: string, node: Scalar, value: string): string {
  const [start, end] = rangeOf(node);
  if (start === end) {
    // An empty (null) value: write it right after the key's colon.
    const colon = text.slice(0, start).search(/:[ \t]*$/);
    if (colon < 0) throw new Error('cannot place a value here');
    return `${text.slice(0, colon + 1)} ${formatScalar(value)}${text.slice(colon + 1)}`;
  }
  const source = isBlockScalar(node) ? JSON.stringify(value) : formatScalar(value, node);
  // A block scalar's range ends after its last line break: keep one.
  const tail = isBlockScalar(node) && /\r?\n$/.test(text.slice(start, end)) ? eol(text) : '';
  return text.slice(0, start) + source + tail + text.slice(end);
}

/** Adds `key: value` as the last pair of a map (block or flow), indented like its siblings. */
export function insertPair(text: string, map: YAMLMap, key: string, value: string): string {
  const entry = `${formatScalar(key)}: ${formatScalar(value)}`;
  const [start, end] = rangeOf(map);
  if (map.flow) {
    const close = text.lastIndexOf('}', end);
    if (close < start) throw new Error('cannot find the end of a flow mapping');
    let p = close;
    while (p > start + 1 && /\s/.test(text[p - 1] ?? '')) p--;
    if (p === start + 1) return text.slice(0, p) + entry + text.slice(close);
    const sep = text[p - 1] === ',' ? ' ' : ', ';
    return text.slice(0, p) + sep + entry + text.slice(p);
  }
  const first = map.items[0];
  const last = map.items[map.items.length - 1];
  if (!isPair(first) || !isPair(last) || !isScalar(first.key)) {
    throw new Error('cannot add a key to an empty block mapping');
  }
  const indent = ' '.repeat(columnOf(text, rangeOf(first.key as Node)[0]));
  const lastEnd = isNode(last.value) ? rangeOf(last.value)[1] : rangeOf(last.key as Node)[1];
  const lineEnd = endOfLine(text, lastEnd > 0 && /\n/.test(text[lastEnd - 1] ?? '') ? lastEnd - 1 : lastEnd);
  const nl = eol(text);
  if (lineEnd >= text.length) return `${text}${nl}${indent}${entry}`;
  return `${text.slice(0, lineEnd)}${nl}${indent}${entry}${text.slice(lineEnd)}`;
}

/** Removes the pair `key` from a block map (its whole line or lines); throws when that is not clean. */
export function removePair(text: string, map: YAMLMap, key: string): string {
  const pair = pairOf(map, key);
  if (!pair) return text;
  if (map.flow) throw new Error(`cannot remove "${key}" from a flow mapping`);
  const keyStart = rangeOf(pair.key as Node)[0];
  const lineStart = text.lastIndexOf('\n', keyStart - 1) + 1;
  if (text.slice(lineStart, keyStart).trim() !== '') {
    throw new Error(`cannot remove "${key}": it shares its line with other content`);
  }
  const valueEnd = isNode(pair.value) ? rangeOf(pair.value)[1] : rangeOf(pair.key as Node)[1];
  const endsWithNl = valueEnd > 0 && text[valueEnd - 1] === '\n';
  const lineEnd = endsWithNl ? valueEnd : endOfLine(text, valueEnd);
  const next = endsWithNl ? lineEnd : Math.min(text.length, lineEnd + 1);
  return text.slice(0, lineStart) + text.slice(next);
}

/** Appends a map item (`- k: v` lines) to a block sequence, indented like its first item. */
export function appendSeqMap(text: string, seq: YAMLSeq, entries: [string, string][]): string {
  const first = seq.items[0];
  const last = seq.items[seq.items.length - 1];
  if (seq.flow || !isNode(first) || !isNode(last)) throw new Error('cannot append to this sequence');
  const itemStart = rangeOf(first)[0];
  const dash = text.lastIndexOf('-', itemStart);
  const dashCol = columnOf(text, dash);
  const pad = ' '.repeat(Math.max(1, itemStart - dash - 1));
  const nl = eol(text);
  const lines = entries.map(
    ([k, v], i) =>
      `${i === 0 ? `${' '.repeat(dashCol)}-${pad}` : ' '.repeat(dashCol + 1 + pad.length)}${formatScalar(k)}: ${formatScalar(v)}`,
  );
  const lastEnd = rangeOf(last)[1];
  const lineEnd = endOfLine(text, lastEnd > 0 && text[lastEnd - 1] === '\n' ? lastEnd - 1 : lastEnd);
  if (lineEnd >= text.length) return `${text}${nl}${lines.join(nl)}`;
  return `${text.slice(0, lineEnd)}${nl}${lines.join(nl)}${text.slice(lineEnd)}`;
}

/** The line ending a text uses (`\r\n` or `\n`). */
export function eol(text: string): string {
  return /\r\n/.test(text) ? '\r\n' : '\n';
}

/** One intended change, for `verifyEdit`: the value at `path` of document `doc`. */
export type IntendedChange = {
  doc: number;
  path: YamlPath;
  /** The scalar's new text; `null` when removed; undefined to skip the value check (new entries). */
  value?: string | null;
};

const MARK = '\u0000bosun-changed\u0000';

/**
 * Throws unless `after` parses to exactly what `before` parses to, except at the intended paths, and
 * each intended path holds its new value. Guards every text edit against collateral changes.
 */
export function verifyEdit(opts: {
  before: string;
  after: string;
  file: string;
  changes: IntendedChange[];
}): void {
  const beforeDocs = parseYamlDocs(opts.before, opts.file);
  const afterDocs = parseYamlDocs(opts.after, opts.file);
  for (const c of opts.changes) {
    const node = nodeAt(afterDocs[c.doc]?.contents, c.path);
    const ok =
      c.value === undefined || (c.value === null ? node === undefined : scalarText(node) === c.value);
    if (!ok)
      throw new Error(`editing ${opts.file} did not set ${c.path.join('.')} as intended; edit it by hand`);
  }
  const js = (docs: Document.Parsed[]) => docs.map((d) => d.toJS({ maxAliasCount: -1 }) as unknown);
  const a = js(beforeDocs);
  const b = js(afterDocs);
  for (const c of opts.changes) {
    mark(a, [c.doc, ...c.path]);
    mark(b, [c.doc, ...c.path]);
  }
  if (JSON.stringify(a) !== JSON.stringify(b)) {
    throw new Error(`editing ${opts.file} would change more than intended; edit it by hand`);
  }
}

function mark(root: unknown[], path: YamlPath): void {
  let cur: Record<string | number, unknown> = root as unknown as Record<number, unknown>;
  for (let i = 0; i < path.length - 1; i++) {
    const step = path[i] as string | number;
    let next = cur[step];
    if (next === null || typeof next !== 'object') {
      next = typeof path[i + 1] === 'number' ? [] : {};
      cur[step] = next;
    }
    cur = next as Record<string | number, unknown>;
  }
  const lastStep = path[path.length - 1];
  if (lastStep !== undefined) cur[lastStep] = MARK;
}

function isNode(n: unknown): n is Node {
  return isScalar(n) || isMap(n) || isSeq(n);
}

function isBlockScalar(n: Scalar): boolean {
  return n.type === Scalar.BLOCK_FOLDED || n.type === Scalar.BLOCK_LITERAL;
}

function rangeOf(node: Node): [number, number] {
  const r = node.range;
  if (!r) throw new Error('YAML node without a source range');
  return [r[0], r[1]];
}

function columnOf(text: string, offset: number): number {
  return offset - (text.lastIndexOf('\n', offset - 1) + 1);
}

function endOfLine(text: string, offset: number): number {
  const nl = text.indexOf('\n', offset);
  if (nl < 0) return text.length;
  return text[nl - 1] === '\r' ? nl - 1 : nl;
}
