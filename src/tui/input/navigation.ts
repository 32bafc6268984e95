import { bodyHeight, mainHeight, scrollCount } from '../layout.js';
import { fleetModel, selectedFleetApp } from '../state/fleet-model.js';
import { offlineLines } from '../state/offline-models.js';
import { topView } from '../state/reducer.js';
import { activeView } from '../state/selection.js';
import { triageLines } from '../state/triage-models.js';
import type { FleetState } from '../state/types.js';
import { diffLines, gitPlanLines, helpLines, promoteLines, treeModel } from '../state/view-models.js';
import type { CommandContext } from './context.js';

/** Cursor range and page size of the active view or dialog. */
export function navigation(ctx: CommandContext): { count: number; page: number } {
  const { ui, snapshot } = ctx;
  const main = mainHeight(ctx.rows);
  const m = ui.modal;
  const dialog = bodyHeight.dialog(main);
  if (m) {
    if (m.kind === 'sync')
      return { count: m.plan.status === 'ready' ? m.plan.value.tasks.length : 0, page: dialog };
    if (m.kind === 'sync-many')
      return { count: m.plan.status === 'ready' ? m.plan.value.items.length : 0, page: dialog };
    if (m.kind === 'promote' && m.stage === 'pick') return { count: m.targets.length, page: dialog };
    if (m.kind === 'action')
      return { count: m.actions.status === 'ready' ? m.actions.value.length : 0, page: dialog };
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
    case 'events':
    case 'yaml':
    case 'why': {
      const lines = triageLines(top, Date.now()).length;
      return { count: scrollCount(lines, bodyHeight.text(main)), page: bodyHeight.text(main) };
    }
    case 'compare':
    case 'appset': {
      const lines = offlineLines(top).length;
      return { count: scrollCount(lines, bodyHeight.text(main)), page: bodyHeight.text(main) };
    }
    default:
      return { count: 0, page: 1 };
  }
}

/** Applies a fleet option change and keeps the cursor on the same app. */
export function relocate(ctx: CommandContext, patch: Partial<FleetState>): Partial<FleetState> {
  const before = selectedFleetApp(fleetModel(ctx.snapshot, ctx.ui.fleet), ctx.ui.fleet);
  const next = { ...ctx.ui.fleet, ...patch };
  const model = fleetModel(ctx.snapshot, next);
  if (!before) return { ...patch, row: 0 };
  if (next.mode === 'list') return { ...patch, row: Math.max(0, model.list.indexOf(before)) };
  const row = model.rows.findIndex((r) => r.cells.includes(before));
  const col = row >= 0 ? (model.rows[row]?.cells.indexOf(before) ?? 0) : ctx.ui.fleet.col;
  return { ...patch, row: Math.max(0, row), col: Math.max(0, col) };
}
