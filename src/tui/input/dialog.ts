import { confirmName, needsTypedConfirm, promoteBlocker } from '../state/dialogs.js';
import { applyRevert, runSync } from './actions.js';
import type { CommandContext } from './context.js';
import { applyPromotion } from './promote-actions.js';
import { runSyncMany } from './sync-many-actions.js';
import { chooseAction, runResourceAction } from './triage-actions.js';

/** `y` in a dialog: production asks for the typed name, anything else runs at once. */
export function confirm(ctx: CommandContext) {
  const m = ctx.ui.modal;
  if (!m) return;
  const say = (level: 'error' | 'warning', text: string) => ctx.dispatch({ type: 'status', level, text });
  if (m.kind === 'action') return chooseAction(ctx, m);
  if (m.kind === 'sync-many') {
    if (m.stage !== 'plan' || m.plan.status !== 'ready') return;
    if (m.plan.value.runnable.length === 0)
      return say('warning', 'nothing to sync: no app of the list can be synced');
  } else if (m.kind === 'promote') {
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
  if (m?.kind === 'action') return runResourceAction(ctx, m);
  if (m?.kind === 'sync-many') return runSyncMany(ctx, m);
  if (m?.plan.status !== 'ready') return;
  if (m.kind === 'sync') runSync(ctx, m);
  else applyRevert(ctx, m, m.plan.value);
}

/** Enter in the typed-confirmation stage: runs when the name matches, says what to type otherwise. */
export function submitTyped(ctx: CommandContext) {
  const m = ctx.ui.modal;
  if (!m) return;
  const expected = confirmName(m);
  if (m.typed === expected) return execute(ctx);
  ctx.dispatch({
    type: 'status',
    level: 'error',
    text: `typed name does not match: type ${expected} exactly`,
  });
}
