import type { Key } from 'ink';
import { type Command, commandsFor, type ViewName } from './commands.js';

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
export type KeyIndex = Map<string, Command>;

/** Builds the key index of a view (the first command that claims a key wins). */
export function keyIndex(commands: readonly Command[], view: ViewName, readOnly: boolean): KeyIndex {
  const index: KeyIndex = new Map();
  for (const c of commandsFor(commands, view, readOnly))
    for (const k of c.keys) if (!index.has(k)) index.set(k, c);
  return index;
}

/** The command bound to a key in a view, if any. */
export function matchCommand(
  commands: readonly Command[],
  view: ViewName,
  key: string,
  readOnly: boolean,
): Command | undefined {
  return keyIndex(commands, view, readOnly).get(key);
}

/** A short label for a key in the footer and help (`enter`, `esc`, `↑`, `^c`). */
export function keyLabel(key: string): string {
  const labels: Record<string, string> = {
    escape: 'esc',
    up: '↑',
    down: '↓',
    left: '←',
    right: '→',
    pageup: 'pgup',
    pagedown: 'pgdn',
  };
  if (labels[key]) return labels[key];
  if (key.startsWith('ctrl+')) return `^${key.slice(5)}`;
  return key;
}
