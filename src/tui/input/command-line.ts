import type { AppState, EngineSnapshot } from '../../engine/index.js';
import type { GroupKey, SortKey } from '../state/types.js';
import { openApp, openDiff, openHistory, openSync, refresh } from './actions.js';
import { openPromote } from './promote-actions.js';
import type { CommandContext } from './run-command.js';

/** A parsed `:` command line. */
export type CommandLine = { name: string; arg: string };

/** Splits `:sync order-service-prod` into a name and the rest. */
export function parseCommandLine(text: string): CommandLine {
  const t = text.trim().replace(/^:/, '');
  const i = t.search(/\s/);
  return i < 0
    ? { name: t.toLowerCase(), arg: '' }
    : { name: t.slice(0, i).toLowerCase(), arg: t.slice(i + 1).trim() };
}

/** Finds an app by exact name, else by a unique prefix or substring; reports why not otherwise. */
export function resolveApp(snapshot: EngineSnapshot, query: string): { app?: AppState; error?: string } {
  if (!query) return { error: 'name an app, e.g. :sync order-service-prod' };
  const exact = snapshot.apps.find((a) => a.name === query);
  if (exact) return { app: exact };
  const q = query.toLowerCase();
  for (const test of [(n: string) => n.startsWith(q), (n: string) => n.includes(q)]) {
    const found = snapshot.apps.filter((a) => test(a.name.toLowerCase()));
    if (found.length === 1) return { app: found[0] };
    if (found.length > 1)
      return {
        error: `"${query}" matches ${found.length} apps (${found
          .slice(0, 3)
          .map((a) => a.name)
          .join(', ')}…)`,
      };
  }
  return { error: `no app named "${query}"` };
}

const appCommands: Record<string, (ctx: CommandContext, app: AppState) => void> = {
  sync: openSync,
  diff: openDiff,
  history: openHistory,
  app: openApp,
  open: openApp,
  promote: openPromote,
};

/** Executes a `:` command line; problems go to the status bar. */
export function runCommandLine(text: string, ctx: CommandContext) {
  const { name, arg } = parseCommandLine(text);
  const { dispatch } = ctx;
  const say = (level: 'error' | 'info', t: string) => dispatch({ type: 'status', level, text: t });
  const appCommand = appCommands[name];
  if (appCommand) {
    const r = resolveApp(ctx.snapshot, arg);
    if (!r.app) return say('error', `:${name}: ${r.error}`);
    // Mutating commands check read-only themselves (global and per cluster).
    return appCommand(ctx, r.app);
  }
  switch (name) {
    case '':
      return;
    case 'q':
    case 'q!':
    case 'quit':
    case 'exit':
      return ctx.quit();
    case 'fleet':
    case 'home':
      dispatch({ type: 'reset-to-fleet' });
      return dispatch({ type: 'fleet', patch: { mode: 'matrix' } });
    case 'apps':
    case 'list':
      dispatch({ type: 'reset-to-fleet' });
      return dispatch({ type: 'fleet', patch: { mode: 'list' } });
    case 'clusters':
    case 'ctx':
    case 'context':
    case 'contexts':
      if (arg) {
        dispatch({ type: 'reset-to-fleet' });
        return dispatch({ type: 'fleet', patch: { filter: arg, row: 0 } });
      }
      return dispatch({ type: 'push-view', view: { name: 'clusters', cursor: 0 }, id: ctx.nextId() });
    case 'help':
      return dispatch({ type: 'push-view', view: { name: 'help', scroll: 0 }, id: ctx.nextId() });
    case 'theme':
      if (!arg) return say('info', `themes: ${ctx.themeNames.join(', ')}`);
      if (!ctx.themeNames.includes(arg))
        return say('error', `:theme: unknown theme "${arg}" (${ctx.themeNames.join(', ')})`);
      dispatch({ type: 'theme', name: arg });
      return say('info', `theme ${arg}`);
    case 'filter':
      dispatch({ type: 'reset-to-fleet' });
      return dispatch({ type: 'fleet', patch: { filter: arg, row: 0 } });
    case 'sort':
      if (!['name', 'health', 'sync'].includes(arg)) return say('error', ':sort takes name, health or sync');
      return dispatch({ type: 'fleet', patch: { sort: arg as SortKey, row: 0 } });
    case 'group':
      if (!['none', 'project', 'cluster'].includes(arg))
        return say('error', ':group takes none, project or cluster');
      return dispatch({ type: 'fleet', patch: { group: arg as GroupKey, row: 0, col: 0 } });
    case 'refresh':
      return refresh(ctx, arg || undefined);
    default:
      return say('error', `unknown command :${name} (see ? for the list)`);
  }
}
