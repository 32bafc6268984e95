import type { AppState } from '../../engine/index.js';
import { type LogKeyAction, logScreenReducer } from '../state/log-view-model.js';
import { topView } from '../state/reducer.js';
import { currentTarget } from '../state/selection.js';
import type { LogsEntry } from '../state/types.js';
import type { Command, CommandContext, RunInput } from './context.js';
import {
  openActionMenu,
  openEvents,
  openLogs,
  openWhy,
  openYaml,
  saveLogs,
  selectedResource,
} from './triage-actions.js';

const selectedApp = (ctx: CommandContext, input: RunInput): AppState | undefined => {
  const app = input.via === 'line' ? input.app : currentTarget(ctx.ui, ctx.snapshot).app;
  if (!app) ctx.dispatch({ type: 'status', level: 'warning', text: 'no app selected' });
  return app;
};

function onResource(f: (ctx: CommandContext, app: AppState, resource: string) => void): Command['run'] {
  return (ctx, input) => {
    const app = selectedApp(ctx, input);
    if (!app) return;
    const resource = input.via === 'line' && input.arg.includes('/') ? undefined : selectedResource(ctx);
    if (resource) return f(ctx, app, resource);
    ctx.dispatch({
      type: 'status',
      level: 'warning',
      text: 'choose a resource first: enter opens the app, then move to the resource',
    });
  };
}

/** Applies a key action of the log screen to the logs view on top. */
function logKey(a: LogKeyAction | ((v: LogsEntry, ctx: CommandContext) => LogKeyAction)): Command['run'] {
  return (ctx) => {
    const v = topView(ctx.ui);
    if (v.name !== 'logs') return;
    const action = typeof a === 'function' ? a(v, ctx) : a;
    const { typing: _, ...log } = logScreenReducer({ ...v.log, typing: false }, action);
    ctx.dispatch({ type: 'logs-view', id: v.id, patch: { log } });
  };
}

/** Next container of the pods the logs view reads (all → first → … → all). */
function cycleContainer(ctx: CommandContext) {
  const v = topView(ctx.ui);
  if (v.name !== 'logs') return;
  const session = ctx.logSession(v.id);
  const names = [...new Set(session ? containersSeen(session.lines) : [])].sort();
  if (names.length === 0 && !v.container)
    return ctx.dispatch({ type: 'status', level: 'info', text: 'no containers seen yet' });
  const i = v.container ? names.indexOf(v.container) : -1;
  const next = i + 1 < names.length ? names[i + 1] : undefined;
  const { container: _, ...rest } = v;
  ctx.dispatch({
    type: 'logs-view',
    id: v.id,
    patch: next ? { container: next } : { ...rest, container: undefined },
  });
  ctx.dispatch({ type: 'status', level: 'info', text: next ? `container ${next}` : 'all containers' });
}

function containersSeen(lines: { size: number; at(i: number): { container: string } | undefined }): string[] {
  const out = new Set<string>();
  for (let i = 0; i < lines.size; i++) {
    const l = lines.at(i);
    if (l) out.add(l.container);
  }
  return [...out];
}

const page = (ctx: CommandContext) => Math.max(1, ctx.rows - 8);

/** The triage commands: logs, events, live YAML, the action menu and "why", and the keys of the logs view. */
export const triageCommands: readonly Command[] = [
  {
    id: 'triage.logs',
    description: 'logs',
    keys: ['l'],
    dangerous: false,
    views: ['fleet', 'app', 'why'],
    names: ['logs'],
    arg: 'app',
    argHint: '<app>',
    run: (ctx, input) => {
      const app = selectedApp(ctx, input);
      if (app) openLogs(ctx, app, input.via === 'key' ? selectedResource(ctx) : undefined);
    },
  },
  {
    id: 'triage.events',
    description: 'events',
    keys: ['e'],
    dangerous: false,
    views: ['fleet', 'app', 'why'],
    names: ['events'],
    arg: 'app',
    argHint: '<app>',
    run: (ctx, input) => {
      const app = selectedApp(ctx, input);
      if (app) openEvents(ctx, app);
    },
  },
  {
    id: 'triage.why',
    description: 'why',
    keys: ['w'],
    dangerous: false,
    views: ['fleet', 'app'],
    names: ['why'],
    arg: 'app',
    argHint: '<app>',
    run: (ctx, input) => {
      const app = selectedApp(ctx, input);
      if (app) openWhy(ctx, app);
    },
  },
  {
    id: 'triage.yaml',
    description: 'yaml',
    keys: ['y'],
    dangerous: false,
    views: ['app'],
    run: onResource(openYaml),
  },
  {
    id: 'triage.actions',
    description: 'actions',
    keys: ['a'],
    dangerous: true,
    views: ['app'],
    run: onResource(openActionMenu),
  },
  {
    id: 'yaml.toggle',
    description: 'live/desired',
    keys: ['tab'],
    dangerous: false,
    views: ['yaml'],
    run: (ctx) => ctx.dispatch({ type: 'yaml-toggle' }),
  },
  {
    id: 'logs.filter',
    description: 'filter',
    keys: ['/'],
    dangerous: false,
    views: ['logs'],
    run: (ctx) => {
      const v = topView(ctx.ui);
      if (v.name === 'logs') ctx.dispatch({ type: 'prompt-open', kind: 'logs', text: v.log.filter });
    },
  },
  {
    id: 'logs.pause',
    description: 'pause/resume',
    keys: ['space'],
    dangerous: false,
    views: ['logs'],
    run: logKey((v, ctx) => ({ type: 'pause', total: ctx.logSession(v.id)?.lines.total ?? 0 })),
  },
  {
    id: 'logs.wrap',
    description: 'wrap',
    keys: ['w'],
    dangerous: false,
    views: ['logs'],
    run: logKey({ type: 'wrap' }),
  },
  {
    id: 'logs.end',
    description: 'end',
    keys: ['G', 'end'],
    dangerous: false,
    views: ['logs'],
    run: logKey({ type: 'end' }),
  },
  {
    id: 'logs.container',
    description: 'container',
    keys: ['c'],
    dangerous: false,
    views: ['logs'],
    run: cycleContainer,
  },
  {
    id: 'logs.previous',
    description: 'previous',
    keys: ['P'],
    dangerous: false,
    views: ['logs'],
    run: (ctx) => {
      const v = topView(ctx.ui);
      if (v.name !== 'logs') return;
      ctx.dispatch({
        type: 'logs-view',
        id: v.id,
        patch: { previous: !v.previous, log: { ...v.log, fromEnd: 0 } },
      });
    },
  },
  {
    id: 'logs.save',
    description: 'save',
    keys: ['S'],
    dangerous: false,
    views: ['logs'],
    run: (ctx) => {
      const v = topView(ctx.ui);
      if (v.name === 'logs') saveLogs(ctx, v);
    },
  },
  {
    id: 'logs.up',
    description: 'scroll up',
    keys: ['k', 'up'],
    dangerous: false,
    views: ['logs'],
    footer: false,
    run: logKey({ type: 'scroll', by: 1 }),
  },
  {
    id: 'logs.down',
    description: 'scroll down',
    keys: ['j', 'down'],
    dangerous: false,
    views: ['logs'],
    footer: false,
    run: logKey({ type: 'scroll', by: -1 }),
  },
  {
    id: 'logs.pageUp',
    description: 'page up',
    keys: ['pageup', 'ctrl+b'],
    dangerous: false,
    views: ['logs'],
    footer: false,
    run: (ctx, input) => logKey({ type: 'scroll', by: page(ctx) })(ctx, input),
  },
  {
    id: 'logs.pageDown',
    description: 'page down',
    keys: ['pagedown', 'ctrl+f'],
    dangerous: false,
    views: ['logs'],
    footer: false,
    run: (ctx, input) => logKey({ type: 'scroll', by: -page(ctx) })(ctx, input),
  },
];
