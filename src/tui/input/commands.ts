import { type AppState, keyString } from '../../engine/index.js';
import type { CommandSpec } from '../state/command-spec.js';
import { topView } from '../state/reducer.js';
import { currentTarget, findApp } from '../state/selection.js';
import type { GroupKey, SortKey } from '../state/types.js';
import { treeModel } from '../state/view-models.js';
import { openApp, openDiff, openHistory, openRevert, openSync, refresh } from './actions.js';
import type { Command, CommandContext, RunInput } from './context.js';
import { dialogCommands } from './dialog-commands.js';
import { browse, lineOnlyCommands, navCommands, toFleet } from './nav-commands.js';
import { relocate } from './navigation.js';
import { offlineCommands } from './offline-commands.js';
import { openPromote } from './promote-actions.js';
import { openSyncMany } from './sync-many-actions.js';
import { triageCommands } from './triage-commands.js';

const sorts: SortKey[] = ['name', 'health', 'sync'];
const groups: GroupKey[] = ['none', 'project', 'cluster'];

type AppHandler = (ctx: CommandContext, app: AppState) => void;

/** A handler on one app: the `:` argument's, else the current selection's. */
function onApp(f: AppHandler): Command['run'] {
  return (ctx, input) => {
    const app = input.via === 'line' ? input.app : currentTarget(ctx.ui, ctx.snapshot).app;
    if (app) f(ctx, app);
    else ctx.dispatch({ type: 'status', level: 'warning', text: 'no app selected' });
  };
}

const arg = (input: RunInput) => (input.via === 'line' ? input.arg : '');

function openSelected(ctx: CommandContext) {
  const top = topView(ctx.ui);
  if (top.name === 'clusters') {
    const c = ctx.snapshot.clusters[top.cursor];
    if (c) toFleet(ctx, { type: 'fleet', patch: { filter: c.context, mode: 'list', row: 0 } });
    return;
  }
  if (top.name === 'app') {
    const row = treeModel(ctx.engine, ctx.snapshot, top.app).rows[top.cursor];
    return onApp((c, a) => openDiff(c, a, row ? keyString(row.node.key) : undefined))(ctx, { via: 'key' });
  }
  onApp(openApp)(ctx, { via: 'key' });
}

function sortBy(ctx: CommandContext, input: RunInput) {
  const say = (level: 'info' | 'error', text: string) => ctx.dispatch({ type: 'status', level, text });
  if (input.via === 'line') {
    if (!sorts.includes(input.arg as SortKey)) return say('error', ':sort takes name, health or sync');
    return ctx.dispatch({ type: 'fleet', patch: { sort: input.arg as SortKey, row: 0 } });
  }
  const sort = sorts[(sorts.indexOf(ctx.ui.fleet.sort) + 1) % sorts.length] ?? 'name';
  say('info', `sorted by ${sort}`);
  ctx.dispatch({ type: 'fleet', patch: relocate(ctx, { sort }) });
}

function groupBy(ctx: CommandContext, input: RunInput) {
  const say = (level: 'info' | 'error', text: string) => ctx.dispatch({ type: 'status', level, text });
  if (input.via === 'line') {
    if (!groups.includes(input.arg as GroupKey)) return say('error', ':group takes none, project or cluster');
    return ctx.dispatch({ type: 'fleet', patch: { group: input.arg as GroupKey, row: 0, col: 0 } });
  }
  const group = groups[(groups.indexOf(ctx.ui.fleet.group) + 1) % groups.length] ?? 'none';
  say('info', group === 'none' ? 'not grouped' : `grouped by ${group}`);
  ctx.dispatch({ type: 'fleet', patch: relocate(ctx, { group }) });
}

/** The default command registry (k9s-like keys): each record carries its keys, scope and handler. */
export const defaultCommands: readonly Command[] = [
  {
    id: 'view.open',
    description: 'open',
    keys: ['enter'],
    dangerous: false,
    views: ['fleet', 'app', 'clusters'],
    names: ['app', 'open'],
    arg: 'app',
    argHint: '<app>',
    run: (ctx, input) => (input.via === 'line' ? onApp(openApp)(ctx, input) : openSelected(ctx)),
  },
  {
    id: 'app.diff',
    description: 'diff',
    keys: ['d'],
    dangerous: false,
    views: ['fleet', 'app', 'history'],
    names: ['diff'],
    arg: 'app',
    argHint: '<app>',
    run: onApp((ctx, a) => openDiff(ctx, a)),
  },
  {
    id: 'app.sync',
    description: 'sync',
    keys: ['s'],
    dangerous: true,
    views: ['fleet', 'app', 'diff'],
    names: ['sync'],
    arg: 'app',
    argHint: '<app>',
    run: onApp(openSync),
  },
  {
    id: 'app.promote',
    description: 'promote',
    keys: ['p'],
    dangerous: true,
    views: ['fleet', 'app'],
    names: ['promote'],
    arg: 'app',
    argHint: '<app>',
    run: onApp(openPromote),
  },
  {
    id: 'app.history',
    description: 'history',
    keys: ['h'],
    dangerous: false,
    views: ['fleet', 'app', 'diff'],
    names: ['history'],
    arg: 'app',
    argHint: '<app>',
    run: onApp(openHistory),
  },
  {
    id: 'app.revert',
    description: 'revert to here',
    keys: ['R'],
    dangerous: true,
    views: ['history'],
    run: (ctx) => {
      const top = topView(ctx.ui);
      if (top.name !== 'history' || top.data.status !== 'ready') return;
      const entry = top.data.value[top.cursor];
      const a = findApp(ctx.snapshot, top.app);
      if (entry && a) openRevert(ctx, a, entry.sha, entry.subject);
    },
  },
  {
    id: 'ui.filter',
    description: 'filter',
    keys: ['/'],
    dangerous: false,
    views: ['fleet'],
    names: ['filter'],
    arg: 'text',
    argHint: '<text>',
    run: (ctx, input) =>
      input.via === 'line'
        ? toFleet(ctx, { type: 'fleet', patch: { filter: input.arg, row: 0 } })
        : ctx.dispatch({ type: 'prompt-open', kind: 'filter', text: ctx.ui.fleet.filter }),
  },
  {
    id: 'ui.command',
    description: 'command',
    keys: [':'],
    dangerous: false,
    views: browse,
    run: (ctx) => ctx.dispatch({ type: 'prompt-open', kind: 'command' }),
  },
  {
    id: 'ui.help',
    description: 'help',
    keys: ['?'],
    dangerous: false,
    views: browse,
    names: ['help'],
    run: (ctx) => ctx.dispatch({ type: 'push-view', view: { name: 'help', scroll: 0 }, id: ctx.nextId() }),
  },
  {
    id: 'app.quit',
    description: 'quit',
    keys: ['q'],
    dangerous: false,
    views: browse,
    names: ['q', 'q!', 'quit', 'exit'],
    run: (ctx) => ctx.quit(),
  },
  {
    id: 'view.back',
    description: 'back',
    keys: ['escape'],
    dangerous: false,
    views: browse,
    run: (ctx) => ctx.dispatch({ type: ctx.ui.showExplain ? 'toggle-explain' : 'pop-view' }),
  },
  {
    id: 'app.explain',
    description: 'explain',
    keys: ['x'],
    dangerous: false,
    views: ['fleet', 'app'],
    run: (ctx) => ctx.dispatch({ type: 'toggle-explain' }),
  },
  {
    id: 'app.refresh',
    description: 'refresh',
    keys: ['r'],
    dangerous: false,
    views: browse,
    names: ['refresh'],
    arg: 'text',
    argHint: '[app]',
    run: (ctx, input) => {
      if (input.via === 'line') return refresh(ctx, input.arg || undefined);
      const top = topView(ctx.ui);
      const all = top.name === 'fleet' || top.name === 'clusters';
      refresh(ctx, all ? undefined : currentTarget(ctx.ui, ctx.snapshot).app?.name);
    },
  },
  {
    // With backend: argocd, Argo CD regenerates the app's manifests (its repo-server cache is bypassed).
    id: 'app.hard-refresh',
    description: 'hard refresh (Argo CD regenerates manifests)',
    keys: ['ctrl+r'],
    dangerous: false,
    footer: false,
    views: browse,
    names: ['hard-refresh'],
    arg: 'text',
    argHint: '[app]',
    run: (ctx, input) =>
      refresh(
        ctx,
        input.via === 'line' ? input.arg || undefined : currentTarget(ctx.ui, ctx.snapshot).app?.name,
        { hard: true },
      ),
  },
  ...triageCommands,
  ...offlineCommands,
  {
    id: 'view.clusters',
    description: 'clusters',
    keys: ['c'],
    dangerous: false,
    views: browse.filter((v) => v !== 'logs'),
    names: ['clusters', 'ctx', 'context', 'contexts'],
    arg: 'text',
    argHint: '[name]',
    run: (ctx, input) =>
      arg(input)
        ? toFleet(ctx, { type: 'fleet', patch: { filter: arg(input), row: 0 } })
        : ctx.dispatch({ type: 'push-view', view: { name: 'clusters', cursor: 0 }, id: ctx.nextId() }),
  },
  {
    id: 'fleet.mode',
    description: 'fleet/list',
    keys: ['tab'],
    dangerous: false,
    views: ['fleet'],
    run: (ctx) =>
      ctx.dispatch({
        type: 'fleet',
        patch: relocate(ctx, { mode: ctx.ui.fleet.mode === 'matrix' ? 'list' : 'matrix' }),
      }),
  },
  {
    id: 'fleet.mark',
    description: 'mark for promotion',
    keys: ['space'],
    dangerous: false,
    views: ['fleet'],
    footer: false,
    run: onApp((ctx, a) => ctx.dispatch({ type: 'fleet-mark', service: a.spec.service })),
  },
  {
    id: 'fleet.sort',
    description: 'sort',
    keys: ['o'],
    dangerous: false,
    views: ['fleet'],
    names: ['sort'],
    arg: 'text',
    argHint: 'name|health|sync',
    run: sortBy,
  },
  {
    id: 'fleet.group',
    description: 'group',
    keys: ['b'],
    dangerous: false,
    views: ['fleet'],
    names: ['group'],
    arg: 'text',
    argHint: 'none|project|cluster',
    run: groupBy,
  },
  {
    id: 'fleet.syncAll',
    description: 'sync all shown',
    keys: ['S'],
    dangerous: true,
    views: ['fleet'],
    names: ['sync-all'],
    run: (ctx) => {
      // From another view, `:sync-all` acts on the fleet as its filter leaves it.
      if (topView(ctx.ui).name !== 'fleet') ctx.dispatch({ type: 'reset-to-fleet' });
      openSyncMany(ctx);
    },
  },
  {
    id: 'diff.next',
    description: 'next resource',
    keys: ['n'],
    dangerous: false,
    views: ['diff'],
    run: (ctx) => ctx.dispatch({ type: 'diff-step', delta: 1 }),
  },
  {
    id: 'diff.prev',
    description: 'previous resource',
    keys: ['N'],
    dangerous: false,
    views: ['diff'],
    run: (ctx) => ctx.dispatch({ type: 'diff-step', delta: -1 }),
  },
  ...dialogCommands,
  ...navCommands,
  ...lineOnlyCommands,
];

/** Applies keymap overrides (command id → keys) to a registry; unknown ids become warnings. */
export function withKeymapOverrides<C extends CommandSpec>(
  commands: readonly C[],
  overrides: Record<string, string[]> | undefined,
): { commands: C[]; warnings: string[] } {
  const warnings: string[] = [];
  const byId = new Map(commands.map((c) => [c.id, c]));
  for (const [id, keys] of Object.entries(overrides ?? {})) {
    if (!byId.has(id)) warnings.push(`keymap: unknown command ${id}`);
    else if (!Array.isArray(keys) || keys.some((k) => typeof k !== 'string' || k.length === 0))
      warnings.push(`keymap: keys of ${id} must be a list of key names`);
  }
  const out = commands.map((c) => {
    const keys = overrides?.[c.id];
    return Array.isArray(keys) && keys.every((k) => typeof k === 'string' && k)
      ? { ...c, keys: [...keys] }
      : c;
  });
  return { commands: out, warnings };
}

/** Runs a command of the registry by id (no-op for an unknown id). */
export function runById(ctx: CommandContext, id: string, input: RunInput = { via: 'key' }): void {
  ctx.commands.find((c) => c.id === id)?.run(ctx, input);
}
