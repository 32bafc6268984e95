import { describe, expect, it } from 'vitest';
import { isKeyChunk, keyName, splitChunk } from '../../src/tui/input/keys.js';

const names = (raw: string) => splitChunk(raw).map((k) => keyName(k.input, k.key));

describe('keys arriving in one read are split', () => {
  it('splits typed text followed by Enter, and repeated backspaces', () => {
    expect(names('name\r')).toEqual(['n', 'a', 'm', 'e', 'enter']);
    expect(names('\x7f\x7f\x7f')).toEqual(['backspace', 'backspace', 'backspace']);
  });

  it('splits escape sequences, Escape and Ctrl keys', () => {
    expect(names('\x1b[B\x1b[Bj\x1b')).toEqual(['down', 'down', 'j', 'escape']);
    expect(names('\x1b\x1b')).toEqual(['escape', 'escape']);
    expect(names('\x1b[5~\x1b[Z\x03')).toEqual(['pageup', 'shift+tab', 'ctrl+c']);
  });

  it('knows a chunk from a single key', () => {
    const plain = splitChunk('j')[0]!;
    expect(isKeyChunk('j', plain.key)).toBe(false);
    expect(isKeyChunk('ab\r', plain.key)).toBe(true);
    expect(isKeyChunk('jj', plain.key)).toBe(false);
  });
});
