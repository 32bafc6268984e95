import { keyString } from '../../engine/index.js';
import type { ViewName } from '../state/command-spec.js';
import { planSync } from './actions.js';
import type { Command, CommandContext } from './context.js';
import { confirm } from './dialog.js';
import { choosePromoteTarget } from './promote-actions.js';
import { toggleAll } from './sync-many-actions.js';
import { chooseAction } from './triage-actions.js';

const dialogs: ViewName[] = ['sync', 'sync-many', 'promote', 'revert', 'action'];

function cancel(ctx: CommandContext) {
  const m = ctx.ui.modal;
  if (!m) return;
  if (m.stage === 'confirm' || m.stage === 'params') {
    const back =
      m.kind === 'sync' || m.kind === 'sync-many' ? 'plan' : m.kind === 'action' ? 'pick' : 'preview';
    return ctx.dispatch({ type: 'modal-stage', id: m.id, stage: back });
  }
  if (m.kind === 'promote' && m.stage === 'preview')
    return ctx.dispatch({ type: 'modal-stage', id: m.id, stage: 'pick' });
  ctx.dispatch({ type: 'modal-close' });
}

function toggle(option: 'prune' | 'dryRun'): Command['run'] {
  return (ctx) => {
    const m = ctx.ui.modal;
    if (m?.kind !== 'sync' || m.stage !== 'plan') return;
    ctx.dispatch({ type: 'sync-toggle', option });
    if (option === 'prune') planSync(ctx, m.id, m.app, { prune: !m.prune, dryRun: m.dryRun });
  };
}

/** The commands of the sync, promote and revert dialogs. */
export const dialogCommands: readonly Command[] = [
  {
    id: 'dialog.confirm',
    description: 'confirm',
    keys: ['y'],
    dangerous: false,
    views: dialogs,
    stages: ['plan', 'preview'],
    run: confirm,
  },
  {
    id: 'dialog.choose',
    description: 'choose',
    keys: ['enter'],
    dangerous: false,
    views: ['promote', 'action'],
    stages: ['pick'],
    run: (ctx) => {
      const m = ctx.ui.modal;
      if (m?.kind === 'promote' && m.stage === 'pick') choosePromoteTarget(ctx, m);
      if (m?.kind === 'action') chooseAction(ctx, m);
    },
  },
  {
    id: 'sync.prune',
    description: 'prune',
    keys: ['p'],
    dangerous: false,
    views: ['sync'],
    stages: ['plan'],
    run: toggle('prune'),
  },
  {
    id: 'sync.dryRun',
    description: 'dry-run',
    keys: ['d'],
    dangerous: false,
    views: ['sync'],
    stages: ['plan'],
    run: toggle('dryRun'),
  },
  {
    id: 'sync.select',
    description: 'select',
    keys: ['space'],
    dangerous: false,
    views: ['sync'],
    stages: ['plan'],
    run: (ctx) => {
      const m = ctx.ui.modal;
      if (m?.kind !== 'sync' || m.plan.status !== 'ready') return;
      const task = m.plan.value.tasks[m.cursor];
      if (task && task.action !== 'hook') ctx.dispatch({ type: 'sync-select', key: keyString(task.key) });
    },
  },
  {
    id: 'syncMany.all',
    description: 'include synced apps',
    keys: ['a'],
    dangerous: false,
    views: ['sync-many'],
    stages: ['plan'],
    run: (ctx) => {
      const m = ctx.ui.modal;
      if (m?.kind === 'sync-many') toggleAll(ctx, m);
    },
  },
  {
    id: 'sync.terminate',
    description: 'terminate',
    keys: ['T'],
    dangerous: true,
    views: ['sync'],
    stages: ['running'],
    run: (ctx) => {
      const m = ctx.ui.modal;
      if (m?.kind !== 'sync' || m.stage !== 'running') return;
      try {
        ctx.engine.terminate(m.app);
        ctx.dispatch({ type: 'status', level: 'warning', text: `terminating the sync of ${m.app}…` });
      } catch (err) {
        ctx.dispatch({ type: 'status', level: 'error', text: `terminate failed: ${String(err)}` });
      }
    },
  },
  {
    id: 'dialog.cancel',
    description: 'close',
    keys: ['escape'],
    dangerous: false,
    views: dialogs,
    run: cancel,
  },
];
