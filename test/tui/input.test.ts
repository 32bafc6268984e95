import type { Key } from 'ink';
import { describe, expect, it } from 'vitest';
import { hintText } from '../../src/tui/components/footer.js';
import { completeCommandLine, lineCommand, parseCommandLine } from '../../src/tui/input/command-line.js';
import { defaultCommands, withKeymapOverrides } from '../../src/tui/input/commands.js';
import { isPrintable, keyIndex, keyName, matchCommand, noKey } from '../../src/tui/input/keys.js';
import { commandsFor, keyLabel, ViewName } from '../../src/tui/state/command-spec.js';
import { FakeEngine } from './fake-engine.js';

const key = (over: Partial<Key> = {}): Key => ({ ...noKey, ...over });

describe('keys', () => {
  it('names key presses', () => {
    expect(keyName('j', key())).toBe('j');
    expect(keyName('G', key({ shift: true }))).toBe('G');
    expect(keyName('', key({ return: true }))).toBe('enter');
    expect(keyName('', key({ escape: true, meta: true }))).toBe('escape');
    expect(keyName('', key({ upArrow: true }))).toBe('up');
    expect(keyName('c', key({ ctrl: true }))).toBe('ctrl+c');
    expect(keyName(' ', key())).toBe('space');
    expect(keyName('', key({ tab: true }))).toBe('tab');
    expect(keyName('', key({ delete: true }))).toBe('backspace');
    expect(keyLabel('escape')).toBe('esc');
    expect(keyLabel('ctrl+f')).toBe('^f');
  });

  it('knows printable input', () => {
    expect(isPrintable('a', key())).toBe(true);
    expect(isPrintable('order-service', key())).toBe(true);
    expect(isPrintable('c', key({ ctrl: true }))).toBe(false);
    expect(isPrintable('\x07', key())).toBe(false);
  });
});

describe('command registry', () => {
  it('has the k9s-like default keys', () => {
    const byKey = (view: ViewName, k: string) => matchCommand(defaultCommands, view, k, false)?.id;
    expect(byKey('fleet', 'enter')).toBe('view.open');
    expect(byKey('app', 'escape')).toBe('view.back');
    expect(byKey('fleet', 'd')).toBe('app.diff');
    expect(byKey('fleet', 's')).toBe('app.sync');
    expect(byKey('fleet', 'p')).toBe('app.promote');
    expect(byKey('fleet', 'h')).toBe('app.history');
    expect(byKey('fleet', 'r')).toBe('app.refresh');
    expect(byKey('fleet', '/')).toBe('ui.filter');
    expect(byKey('fleet', ':')).toBe('ui.command');
    expect(byKey('fleet', '?')).toBe('ui.help');
    expect(byKey('fleet', 'q')).toBe('app.quit');
    expect(byKey('fleet', 'j')).toBe('nav.down');
    expect(byKey('fleet', 'up')).toBe('nav.up');
    expect(byKey('fleet', 'g')).toBe('nav.top');
    expect(byKey('fleet', 'G')).toBe('nav.bottom');
    expect(byKey('fleet', 'tab')).toBe('fleet.mode');
    expect(byKey('fleet', 'c')).toBe('view.clusters');
    expect(byKey('fleet', 'x')).toBe('app.explain');
    expect(byKey('diff', 'n')).toBe('diff.next');
    expect(byKey('diff', 'N')).toBe('diff.prev');
    expect(byKey('history', 'R')).toBe('app.revert');
    // In the sync dialog the same letters mean something else.
    expect(byKey('sync', 'p')).toBe('sync.prune');
    expect(byKey('sync', 'y')).toBe('dialog.confirm');
  });

  it('has unique ids and no key claimed twice in one view', () => {
    const ids = defaultCommands.map((c) => c.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const view of Object.values(ViewName)) {
      const keys = commandsFor(defaultCommands, view, false).flatMap((c) => c.keys);
      expect(new Set(keys).size, view).toBe(keys.length);
    }
  });

  it('read-only removes every dangerous command from keys and footer', () => {
    const dangerous = defaultCommands.filter((c) => c.dangerous).map((c) => c.id);
    expect(dangerous).toEqual(expect.arrayContaining(['app.sync', 'app.promote', 'app.revert']));
    for (const view of Object.values(ViewName)) {
      expect(commandsFor(defaultCommands, view, true).some((c) => c.dangerous)).toBe(false);
      const index = keyIndex(defaultCommands, view, true);
      for (const c of index.values()) expect(c.dangerous).toBe(false);
    }
    expect(matchCommand(defaultCommands, 'fleet', 's', true)).toBeUndefined();
    expect(hintText(commandsFor(defaultCommands, 'fleet', true))).not.toMatch(/\bs sync|p promote/);
    expect(hintText(commandsFor(defaultCommands, 'fleet', false))).toMatch(
      /^enter open {2}d diff {2}s sync {2}p promote/,
    );
  });

  it('footer offers only what applies to the dialog stage', () => {
    const sync = commandsFor(defaultCommands, 'sync', false);
    expect(hintText(sync, 'plan')).toContain('y confirm');
    expect(hintText(sync, 'running')).not.toContain('y confirm');
    expect(hintText(sync, 'running')).toContain('T terminate');
  });

  it('applies keymap overrides and reports unknown ids', () => {
    const r = withKeymapOverrides(defaultCommands, {
      'app.sync': ['S'],
      'app.nope': ['z'],
      'app.diff': [''],
    });
    expect(r.warnings).toEqual([
      'keymap: unknown command app.nope',
      'keymap: keys of app.diff must be a list of key names',
    ]);
    expect(matchCommand(r.commands, 'fleet', 'S', false)?.id).toBe('app.sync');
    expect(matchCommand(r.commands, 'fleet', 's', false)).toBeUndefined();
    expect(matchCommand(r.commands, 'fleet', 'd', false)?.id).toBe('app.diff');
  });

  it('parses command lines', () => {
    expect(parseCommandLine(':sync order-service-prod')).toEqual({ name: 'sync', arg: 'order-service-prod' });
    expect(parseCommandLine('Q')).toEqual({ name: 'q', arg: '' });
    expect(parseCommandLine('  theme   high-contrast ')).toEqual({ name: 'theme', arg: 'high-contrast' });
  });
});

describe('records carry their handlers', () => {
  it('every record runs itself; every `:` name is unique', () => {
    for (const c of defaultCommands) expect(typeof c.run, c.id).toBe('function');
    const names = defaultCommands.flatMap((c) => c.names ?? []);
    expect(new Set(names).size).toBe(names.length);
    expect(lineCommand(defaultCommands, 'sync')?.id).toBe('app.sync');
    expect(lineCommand(defaultCommands, 'ctx')?.id).toBe('view.clusters');
    expect(lineCommand(defaultCommands, 'apps')?.id).toBe('view.apps');
  });

  it('tab completes `:` names and app names from the registry and the snapshot', () => {
    const engine = new FakeEngine();
    const ctx = { commands: defaultCommands, readOnly: false, snapshot: engine.getSnapshot() } as never;
    // :sync and :sync-all share a prefix: the common part, then the rest once it is unique.
    expect(completeCommandLine('sy', ctx)).toBe('sync');
    expect(completeCommandLine('sync-', ctx)).toBe('sync-all ');
    expect(completeCommandLine('th', ctx)).toBe('theme ');
    expect(completeCommandLine('h', ctx)).toBe('h');
    expect(completeCommandLine('hi', ctx)).toBe('history ');
    expect(completeCommandLine('sync order-service-p', ctx)).toBe('sync order-service-prod');
    expect(completeCommandLine('sync order', ctx)).toBe('sync order-service-');
    expect(completeCommandLine('theme x', ctx)).toBe('theme x');
    const readOnly = { ...(ctx as object), readOnly: true } as never;
    expect(completeCommandLine('sy', readOnly)).toBe('sy');
  });
});
