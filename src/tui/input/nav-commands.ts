import type { ViewName } from '../state/command-spec.js';
import { fleetModel } from '../state/fleet-model.js';
import type { Command, CommandContext, RunInput } from './context.js';
import { navigation } from './navigation.js';

/** The views one browses (not dialogs). */
export const browse: ViewName[] = [
  'fleet',
  'app',
  'diff',
  'history',
  'clusters',
  'help',
  'logs',
  'events',
  'yaml',
  'why',
  'compare',
  'appset',
];
const lists: ViewName[] = [
  ...browse.filter((v) => v !== 'logs'),
  'sync',
  'sync-many',
  'promote',
  'revert',
  'action',
];

const move =
  (delta: (page: number) => number): Command['run'] =>
  (ctx) => {
    const nav = navigation(ctx);
    ctx.dispatch({ type: 'move', delta: delta(nav.page), count: nav.count });
  };

const moveTo =
  (index: (count: number) => number): Command['run'] =>
  (ctx) => {
    const nav = navigation(ctx);
    ctx.dispatch({ type: 'move-to', index: index(nav.count), count: nav.count });
  };

const moveCol =
  (delta: number): Command['run'] =>
  (ctx) =>
    ctx.dispatch({ type: 'move-col', delta, count: fleetModel(ctx.snapshot, ctx.ui.fleet).columns.length });

const quit: Command['run'] = (ctx) => ctx.quit();

/** Resets the stack to the fleet, then applies a fleet patch. */
export const toFleet = (
  ctx: CommandContext,
  patch: Parameters<CommandContext['dispatch']>[0] & { type: 'fleet' },
) => {
  ctx.dispatch({ type: 'reset-to-fleet' });
  ctx.dispatch(patch);
};

const arg = (input: RunInput) => (input.via === 'line' ? input.arg : '');

function theme(ctx: CommandContext, input: RunInput) {
  const name = arg(input);
  const say = (level: 'info' | 'error', text: string) => ctx.dispatch({ type: 'status', level, text });
  if (!name) return say('info', `themes: ${ctx.themeNames.join(', ')}`);
  if (!ctx.themeNames.includes(name))
    return say('error', `:theme: unknown theme "${name}" (${ctx.themeNames.join(', ')})`);
  ctx.dispatch({ type: 'theme', name });
  say('info', `theme ${name}`);
}

/** Cursor movement in lists, text views and dialogs. */
export const navCommands: readonly Command[] = [
  {
    id: 'nav.up',
    description: 'up',
    keys: ['k', 'up'],
    dangerous: false,
    views: lists,
    footer: false,
    run: move(() => -1),
  },
  {
    id: 'nav.down',
    description: 'down',
    keys: ['j', 'down'],
    dangerous: false,
    views: lists,
    footer: false,
    run: move(() => 1),
  },
  {
    id: 'nav.left',
    description: 'previous column',
    keys: ['left'],
    dangerous: false,
    views: ['fleet'],
    footer: false,
    run: moveCol(-1),
  },
  {
    id: 'nav.right',
    description: 'next column',
    keys: ['right'],
    dangerous: false,
    views: ['fleet'],
    footer: false,
    run: moveCol(1),
  },
  {
    id: 'nav.pageUp',
    description: 'page up',
    keys: ['pageup', 'ctrl+b'],
    dangerous: false,
    views: lists,
    footer: false,
    run: move((p) => -p),
  },
  {
    id: 'nav.pageDown',
    description: 'page down',
    keys: ['pagedown', 'ctrl+f'],
    dangerous: false,
    views: lists,
    footer: false,
    run: move((p) => p),
  },
  {
    id: 'nav.top',
    description: 'top',
    keys: ['g', 'home'],
    dangerous: false,
    views: lists,
    footer: false,
    run: moveTo(() => 0),
  },
  {
    id: 'nav.bottom',
    description: 'bottom',
    keys: ['G', 'end'],
    dangerous: false,
    views: lists,
    footer: false,
    run: moveTo((n) => n - 1),
  },
  {
    id: 'app.forceQuit',
    description: 'quit (anywhere)',
    keys: ['ctrl+c'],
    dangerous: false,
    views: lists,
    footer: false,
    run: quit,
  },
];

/** Commands of the `:` line only (no key). */
export const lineOnlyCommands: readonly Command[] = [
  {
    id: 'view.fleet',
    description: 'the fleet matrix',
    keys: [],
    dangerous: false,
    views: [],
    names: ['fleet', 'home'],
    run: (ctx) => toFleet(ctx, { type: 'fleet', patch: { mode: 'matrix' } }),
  },
  {
    id: 'view.apps',
    description: 'the app list',
    keys: [],
    dangerous: false,
    views: [],
    names: ['apps', 'list'],
    run: (ctx) => toFleet(ctx, { type: 'fleet', patch: { mode: 'list' } }),
  },
  {
    id: 'ui.theme',
    description: 'switch theme',
    keys: [],
    dangerous: false,
    views: [],
    names: ['theme'],
    arg: 'text',
    argHint: '<name>',
    run: theme,
  },
];
