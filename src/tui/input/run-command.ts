import { keyString } from '../../engine/index.js';
import { bodyHeight, mainHeight, scrollCount } from '../layout.js';
import { fleetModel, selectedFleetApp } from '../state/fleet-model.js';
import { topView } from '../state/reducer.js';
import { activeView, currentTarget, findApp } from '../state/selection.js';
import type { FleetState, GroupKey, SortKey } from '../state/types.js';
import { diffLines, gitPlanLines, helpLines, promoteLines, treeModel } from '../state/view-models.js';
import {
  type ActionContext,
  applyRevert,
  needsTypedConfirm,
  openApp,
  openDiff,
  openHistory,
  openRevert,
  openSync,
  planSync,
  refresh,
  runSync,
} from './actions.js';
import type { Command } from './commands.js';
import { applyPromotion, choosePromoteTarget, openPromote, promoteBlocker } from './promote-actions.js';

/** The action context plus what navigation needs: terminal rows and the command registry. */
export type CommandContext = ActionContext & {
  rows: number;
  commands: readonly Command[];
  readOnly: boolean;
};

const sorts: SortKey[] = ['name', 'health', 'sync'];
const groups: GroupKey[] = ['none', 'project', 'cluster'];

/** Runs one command by id against the current state. */
export function runCommand(id: string, ctx: CommandContext) {
  const { ui, dispatch, snapshot } = ctx;
  const target = currentTarget(ui, snapshot);
  const app = target.app;
  const top = topView(ui);
  const nav = navigation(ctx);
  const needApp = (f: (a: NonNullable<typeof app>) => void) => {
    if (app) f(app);
    else dispatch({ type: 'status', level: 'warning', text: 'no app selected' });
  };
  switch (id) {
    case 'nav.up':
      return dispatch({ type: 'move', delta: -1, count: nav.count });
    case 'nav.down':
      return dispatch({ type: 'move', delta: 1, count: nav.count });
    case 'nav.pageUp':
      return dispatch({ type: 'move', delta: -nav.page, count: nav.count });
    case 'nav.pageDown':
      return dispatch({ type: 'move', delta: nav.page, count: nav.count });
    case 'nav.top':
      return dispatch({ type: 'move-to', index: 0, count: nav.count });
    case 'nav.bottom':
      return dispatch({ type: 'move-to', index: nav.count - 1, count: nav.count });
    case 'nav.left':
    case 'nav.right':
      return dispatch({
        type: 'move-col',
        delta: id === 'nav.left' ? -1 : 1,
        count: fleetModel(snapshot, ui.fleet).columns.length,
      });
    case 'app.quit':
    case 'app.forceQuit':
      return ctx.quit();
    case 'view.back':
      if (ui.showExplain) return dispatch({ type: 'toggle-explain' });
      return dispatch({ type: 'pop-view' });
    case 'view.open':
      if (top.name === 'clusters') {
        const c = snapshot.clusters[top.cursor];
        if (!c) return;
        dispatch({ type: 'reset-to-fleet' });
        return dispatch({ type: 'fleet', patch: { filter: c.context, mode: 'list', row: 0 } });
      }
      if (top.name === 'app') {
        const row = treeModel(ctx.engine, snapshot, top.app).rows[top.cursor];
        return needApp((a) => openDiff(ctx, a, row ? keyString(row.node.key) : undefined));
      }
      return needApp((a) => openApp(ctx, a));
    case 'app.diff':
      return needApp((a) => openDiff(ctx, a));
    case 'app.history':
      return needApp((a) => openHistory(ctx, a));
    case 'app.sync':
      return needApp((a) => openSync(ctx, a));
    case 'app.promote':
      return needApp((a) => openPromote(ctx, a));
    case 'app.revert': {
      if (top.name !== 'history' || top.data.status !== 'ready') return;
      const entry = top.data.value[top.cursor];
      const a = findApp(snapshot, top.app);
      if (entry && a) openRevert(ctx, a, entry.sha, entry.subject);
      return;
    }
    case 'app.explain':
      return dispatch({ type: 'toggle-explain' });
    case 'app.refresh':
      return refresh(ctx, top.name === 'fleet' || top.name === 'clusters' ? undefined : app?.name);
    case 'diff.next':
      return dispatch({ type: 'diff-step', delta: 1 });
    case 'diff.prev':
      return dispatch({ type: 'diff-step', delta: -1 });
    case 'fleet.mode':
      return dispatch({
        type: 'fleet',
        patch: relocate(ctx, { mode: ui.fleet.mode === 'matrix' ? 'list' : 'matrix' }),
      });
    case 'fleet.mark':
      return needApp((a) => dispatch({ type: 'fleet-mark', service: a.spec.service }));
    case 'fleet.sort': {
      const sort = sorts[(sorts.indexOf(ui.fleet.sort) + 1) % sorts.length] ?? 'name';
      dispatch({ type: 'status', level: 'info', text: `sorted by ${sort}` });
      return dispatch({ type: 'fleet', patch: relocate(ctx, { sort }) });
    }
    case 'fleet.group': {
      const group = groups[(groups.indexOf(ui.fleet.group) + 1) % groups.length] ?? 'none';
      dispatch({
        type: 'status',
        level: 'info',
        text: group === 'none' ? 'not grouped' : `grouped by ${group}`,
      });
      return dispatch({ type: 'fleet', patch: relocate(ctx, { group }) });
    }
    case 'view.clusters':
      return dispatch({ type: 'push-view', view: { name: 'clusters', cursor: 0 }, id: ctx.nextId() });
    case 'ui.help':
      return dispatch({ type: 'push-view', view: { name: 'help', scroll: 0 }, id: ctx.nextId() });
    case 'ui.filter':
      return dispatch({ type: 'prompt-open', kind: 'filter', text: ui.fleet.filter });
    case 'ui.command':
      return dispatch({ type: 'prompt-open', kind: 'command' });
    default:
      return runDialogCommand(id, ctx);
  }
}

function runDialogCommand(id: string, ctx: CommandContext) {
  const m = ctx.ui.modal;
  if (!m) return;
  const { dispatch } = ctx;
  switch (id) {
    case 'dialog.cancel':
      if (m.stage === 'confirm')
        return dispatch({ type: 'modal-stage', id: m.id, stage: m.kind === 'sync' ? 'plan' : 'preview' });
      if (m.kind === 'promote' && m.stage === 'preview')
        return dispatch({ type: 'modal-stage', id: m.id, stage: 'pick' });
      return dispatch({ type: 'modal-close' });
    case 'dialog.choose':
      if (m.kind === 'promote' && m.stage === 'pick') choosePromoteTarget(ctx, m);
      return;
    case 'dialog.confirm':
      return confirm(ctx);
    case 'sync.prune':
    case 'sync.dryRun': {
      if (m.kind !== 'sync' || m.stage !== 'plan') return;
      const option = id === 'sync.prune' ? 'prune' : 'dryRun';
      dispatch({ type: 'sync-toggle', option });
      if (option === 'prune') planSync(ctx, m.id, m.app, { prune: !m.prune, dryRun: m.dryRun });
      return;
    }
    case 'sync.select': {
      if (m.kind !== 'sync' || m.plan.status !== 'ready') return;
      const task = m.plan.value.tasks[m.cursor];
      if (task && task.action !== 'hook') dispatch({ type: 'sync-select', key: keyString(task.key) });
      return;
    }
    case 'sync.terminate':
      if (m.kind === 'sync' && m.stage === 'running') {
        try {
          ctx.engine.terminate(m.app);
          dispatch({ type: 'status', level: 'warning', text: `terminating the sync of ${m.app}…` });
        } catch (err) {
          dispatch({ type: 'status', level: 'error', text: `terminate failed: ${String(err)}` });
        }
      }
      return;
  }
}

/** `y` in a dialog: production asks for the typed name, anything else runs at once. */
export function confirm(ctx: CommandContext) {
  const m = ctx.ui.modal;
  if (!m) return;
  const say = (level: 'error' | 'warning', text: string) => ctx.dispatch({ type: 'status', level, text });
  if (m.kind === 'promote') {
    if (m.stage !== 'preview') return;
    const blocker = promoteBlocker(m);
    if (blocker) return say(blocker.startsWith('nothing') ? 'warning' : 'error', blocker);
  } else {
    const ready = m.kind === 'sync' ? m.stage === 'plan' : m.stage === 'preview';
    if (!ready || m.plan.status !== 'ready') return;
    const plan = m.plan.value;
    if (plan.refusals.length > 0) return say('error', `refused: ${plan.refusals[0]}`);
    if ('nothingToDo' in plan && plan.nothingToDo)
      return say('warning', `nothing to do: ${plan.nothingToDo}`);
  }
  if (needsTypedConfirm(m)) return ctx.dispatch({ type: 'modal-stage', id: m.id, stage: 'confirm' });
  execute(ctx);
}

/** Runs the dialog's action (after `y`, or after the typed name matched). */
export function execute(ctx: CommandContext) {
  const m = ctx.ui.modal;
  if (m?.kind === 'promote') return void applyPromotion(ctx, m);
  if (m?.plan.status !== 'ready') return;
  if (m.kind === 'sync') runSync(ctx, m);
  else applyRevert(ctx, m, m.plan.value);
}

/** Cursor range and page size of the active view or dialog. */
export function navigation(ctx: CommandContext): { count: number; page: number } {
  const { ui, snapshot } = ctx;
  const main = mainHeight(ctx.rows);
  const m = ui.modal;
  const dialog = bodyHeight.dialog(main);
  if (m) {
    if (m.kind === 'sync')
      return { count: m.plan.status === 'ready' ? m.plan.value.tasks.length : 0, page: dialog };
    if (m.kind === 'promote' && m.stage === 'pick') return { count: m.targets.length, page: dialog };
    const lines =
      m.kind === 'promote'
        ? promoteLines(m.items).length
        : m.plan.status === 'ready'
          ? gitPlanLines(m.plan.value).length
          : 0;
    return { count: scrollCount(lines, dialog), page: dialog };
  }
  const top = topView(ui);
  switch (activeView(ui)) {
    case 'fleet': {
      const model = fleetModel(snapshot, ui.fleet);
      const count = ui.fleet.mode === 'list' ? model.list.length : model.rows.length;
      return { count, page: bodyHeight.fleet(main, ui.showExplain) };
    }
    case 'app':
      return top.name === 'app'
        ? { count: treeModel(ctx.engine, snapshot, top.app).rows.length, page: bodyHeight.app(main) }
        : { count: 0, page: 1 };
    case 'diff': {
      if (top.name !== 'diff' || top.data.status !== 'ready') return { count: 0, page: 1 };
      const lines = diffLines(top.data.value[top.index]?.text ?? '').length;
      return { count: scrollCount(lines, bodyHeight.diff(main)), page: bodyHeight.diff(main) };
    }
    case 'history':
      return top.name === 'history' && top.data.status === 'ready'
        ? { count: top.data.value.length, page: bodyHeight.history(main) }
        : { count: 0, page: 1 };
    case 'clusters':
      return { count: snapshot.clusters.length, page: bodyHeight.clusters(main) };
    case 'help': {
      const lines = helpLines(ctx.commands, ctx.readOnly).length;
      return { count: scrollCount(lines, bodyHeight.help(main)), page: bodyHeight.help(main) };
    }
    default:
      return { count: 0, page: 1 };
  }
}

/** Applies a fleet option change and keeps the cursor on the same app. */
function relocate(ctx: CommandContext, patch: Partial<FleetState>): Partial<FleetState> {
  const before = selectedFleetApp(fleetModel(ctx.snapshot, ctx.ui.fleet), ctx.ui.fleet);
  const next = { ...ctx.ui.fleet, ...patch };
  const model = fleetModel(ctx.snapshot, next);
  if (!before) return { ...patch, row: 0 };
  if (next.mode === 'list') return { ...patch, row: Math.max(0, model.list.indexOf(before)) };
  const row = model.rows.findIndex((r) => r.cells.includes(before));
  const col = row >= 0 ? (model.rows[row]?.cells.indexOf(before) ?? 0) : ctx.ui.fleet.col;
  return { ...patch, row: Math.max(0, row), col: Math.max(0, col) };
}
