import type { Key } from 'ink';
import { type CommandSpec, commandsFor, type ViewName } from '../state/command-spec.js';

/** The canonical name of a key press: `j`, `G`, `enter`, `escape`, `up`, `ctrl+c`, `space`, `tab`… */
export function keyName(input: string, key: Key): string {
  if (key.upArrow) return 'up';
  if (key.downArrow) return 'down';
  if (key.leftArrow) return 'left';
  if (key.rightArrow) return 'right';
  if (key.pageUp) return 'pageup';
  if (key.pageDown) return 'pagedown';
  if (key.home) return 'home';
  if (key.end) return 'end';
  if (key.return) return 'enter';
  if (key.tab) return key.shift ? 'shift+tab' : 'tab';
  if (key.backspace || key.delete) return 'backspace';
  if (key.escape) return 'escape';
  if (key.ctrl && input) return `ctrl+${input.toLowerCase()}`;
  if (input === ' ') return 'space';
  return input;
}

/** True for a key that types text into a prompt (one printable character, or a paste). */
export function isPrintable(input: string, key: Key): boolean {
  if (key.ctrl || key.meta || key.return || key.escape || key.tab || key.backspace || key.delete)
    return false;
  return input.length > 0 && !/[\x00-\x1f\x7f]/.test(input);
}

/** An index from key name to command for one view, honouring read-only. */
export type KeyIndex<C extends CommandSpec = CommandSpec> = Map<string, C>;

/** Builds the key index of a view (the first command that claims a key wins). */
export function keyIndex<C extends CommandSpec>(
  commands: readonly C[],
  view: ViewName,
  readOnly: boolean,
): KeyIndex<C> {
  const index: KeyIndex<C> = new Map();
  for (const c of commandsFor(commands, view, readOnly))
    for (const k of c.keys) if (!index.has(k)) index.set(k, c);
  return index;
}

/** The command bound to a key in a view, if any. */
export function matchCommand<C extends CommandSpec>(
  commands: readonly C[],
  view: ViewName,
  key: string,
  readOnly: boolean,
): C | undefined {
  return keyIndex(commands, view, readOnly).get(key);
}

/** A Key with every flag off (a plain character). */
export const noKey: Key = {
  upArrow: false,
  downArrow: false,
  leftArrow: false,
  rightArrow: false,
  pageDown: false,
  pageUp: false,
  home: false,
  end: false,
  return: false,
  escape: false,
  ctrl: false,
  shift: false,
  tab: false,
  backspace: false,
  delete: false,
  meta: false,
  super: false,
  hyper: false,
  capsLock: false,
  numLock: false,
};

const sequences: Record<string, Partial<Key>> = {
  '\x1b[A': { upArrow: true },
  '\x1b[B': { downArrow: true },
  '\x1b[C': { rightArrow: true },
  '\x1b[D': { leftArrow: true },
  '\x1bOA': { upArrow: true },
  '\x1bOB': { downArrow: true },
  '\x1bOC': { rightArrow: true },
  '\x1bOD': { leftArrow: true },
  '\x1b[5~': { pageUp: true },
  '\x1b[6~': { pageDown: true },
  '\x1b[H': { home: true },
  '\x1b[1~': { home: true },
  '\x1b[F': { end: true },
  '\x1b[4~': { end: true },
  '\x1b[Z': { tab: true, shift: true },
};

/**
 * Splits a chunk that holds several keys (a slow link or a paste delivers them in one read, and Ink
 * then reports them as one input) into single keys: escape sequences, Enter, Tab, Backspace, Escape,
 * Ctrl-letters and printable characters, in order.
 */
export function splitChunk(raw: string): { input: string; key: Key }[] {
  const out: { input: string; key: Key }[] = [];
  const re = /\x1b\[[0-9;]*[A-Za-z~]|\x1bO[A-Za-z]|[\s\S]/gu;
  for (const m of raw.matchAll(re)) {
    const t = m[0];
    const seq = sequences[t];
    if (seq) out.push({ input: '', key: { ...noKey, ...seq } });
    else if (t === '\r' || t === '\n') out.push({ input: '', key: { ...noKey, return: true } });
    else if (t === '\t') out.push({ input: '', key: { ...noKey, tab: true } });
    else if (t === '\x7f' || t === '\b') out.push({ input: '', key: { ...noKey, backspace: true } });
    else if (t === '\x1b') out.push({ input: '', key: { ...noKey, escape: true } });
    else if (t.length === 1 && t < ' ') {
      out.push({ input: String.fromCharCode(t.charCodeAt(0) + 96), key: { ...noKey, ctrl: true } });
    } else out.push({ input: t, key: { ...noKey, shift: /[A-Z]/.test(t) } });
  }
  return out;
}

/** True when an input holds more than one key that Ink did not split (control characters inside). */
export function isKeyChunk(input: string, _key?: Key): boolean {
  return [...input].length > 1 && /[\x00-\x1f\x7f]/.test(input);
}
