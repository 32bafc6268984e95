import type { GitChangePlan } from '../../engine/index.js';
import type { ActionModal, Modal, PromoteItem, PromoteModal, SyncManyModal } from './types.js';

/** The name that must be typed to confirm a production action of a dialog. */
export function confirmName(m: Modal): string {
  if (m.kind === 'sync-many') return m.plan.status === 'ready' ? m.plan.value.phrase : '';
  if (m.kind !== 'promote') return m.app;
  // One service: its target app; several: the target environment.
  const only = m.items.length === 1 ? m.items[0] : undefined;
  return only ? (only.toApp ?? only.service) : (m.target?.env ?? '');
}

/** True when the dialog's action targets production (typed confirmation needed). */
export function needsTypedConfirm(m: Modal): boolean {
  return m.kind === 'promote' ? (m.target?.production ?? false) : m.production;
}

/** The previews that would push something (ready, not refused, not a no-op). */
export function actionable(m: PromoteModal): { item: PromoteItem; plan: GitChangePlan }[] {
  return m.items.flatMap((item) =>
    item.plan.status === 'ready' && item.plan.value.refusals.length === 0 && !item.plan.value.nothingToDo
      ? [{ item, plan: item.plan.value }]
      : [],
  );
}

/** Why the promotion cannot be confirmed yet, if anything stops it. */
export function promoteBlocker(m: PromoteModal): string | undefined {
  if (m.items.some((it) => it.plan.status === 'loading')) return 'previews are still loading';
  const refused = m.items.find((it) => it.plan.status === 'ready' && it.plan.value.refusals.length > 0);
  if (refused?.plan.status === 'ready')
    return `refused: ${refused.service}: ${refused.plan.value.refusals[0]}`;
  const failed = m.items.find((it) => it.plan.status === 'error');
  if (failed?.plan.status === 'error') return failed.plan.message;
  if (actionable(m).length === 0) return 'nothing to do: every target already runs the same version';
  return undefined;
}

/** The apps the dialog would sync: the OutOfSync ones it was opened on, or all of them. */
export function batchApps(m: Pick<SyncManyModal, 'shown' | 'all'>): string[] {
  return m.shown.filter((s) => m.all || s.outOfSync).map((s) => s.app);
}

/** The dialog's last line once it is done: how many apps ended how, and how long the batch took. */
export function batchSummary(m: SyncManyModal): string {
  const counts = new Map<string, number>();
  for (const p of Object.values(m.progress)) counts.set(p.phase, (counts.get(p.phase) ?? 0) + 1);
  const parts = [...counts].map(([phase, n]) => `${n} ${phase}`);
  const secs = m.startedAt && m.finishedAt ? ` in ${((m.finishedAt - m.startedAt) / 1000).toFixed(1)}s` : '';
  return `${parts.join(', ') || 'nothing ran'}${secs}`;
}

/** The parameter of the action menu's chosen action being asked for now (the first without a value). */
export function pendingParam(m: ActionModal): string | undefined {
  if (m.actions.status !== 'ready') return undefined;
  return m.actions.value[m.cursor]?.params?.find((p) => m.params?.[p] === undefined);
}
