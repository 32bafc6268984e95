import { batchApps } from '../state/dialogs.js';
import { fleetModel, shownApps } from '../state/fleet-model.js';
import type { SyncManyModal } from '../state/types.js';
import { call, fail } from './actions.js';
import type { ActionContext } from './context.js';

/** Opens the batch sync dialog on every app the fleet shows now, and plans the OutOfSync ones. */
export function openSyncMany(ctx: ActionContext) {
  const say = (level: 'error' | 'warning', text: string) => ctx.dispatch({ type: 'status', level, text });
  if (ctx.readOnlyFlag || ctx.snapshot.readOnly) return say('error', 'cannot sync: bosun runs read-only');
  const shown = shownApps(fleetModel(ctx.snapshot, ctx.ui.fleet), ctx.ui.fleet);
  if (shown.length === 0) return say('warning', 'no app is shown: nothing to sync');
  const id = ctx.nextId();
  const modal: Omit<SyncManyModal, 'id'> = {
    kind: 'sync-many',
    filter: ctx.ui.fleet.filter,
    shown: shown.map((a) => ({ app: a.name, outOfSync: a.sync === 'OutOfSync' })),
    all: false,
    production: false,
    stage: 'plan',
    plan: { status: 'loading' },
    cursor: 0,
    typed: '',
    progress: {},
  };
  ctx.dispatch({ type: 'modal-open', id, modal });
  planBatch(ctx, id, batchApps(modal));
}

/** (Re)plans the batch: the engine says which apps it refuses and why, and which are production. */
export function planBatch(ctx: ActionContext, id: number, apps: string[]): void {
  ctx.dispatch({ type: 'sync-many-plan', id, plan: { status: 'loading' } });
  call(() => ctx.engine.planSyncMany(apps)).then(
    (value) => ctx.dispatch({ type: 'sync-many-plan', id, plan: { status: 'ready', value } }),
    (err) =>
      ctx.dispatch({
        type: 'sync-many-plan',
        id,
        plan: { status: 'error', message: fail(ctx, 'sync plan of the shown apps', err) },
      }),
  );
}

/** `a` in the dialog: include the shown apps that are already Synced, or leave them out again. */
export function toggleAll(ctx: ActionContext, m: SyncManyModal): void {
  if (m.stage !== 'plan') return;
  ctx.dispatch({ type: 'sync-many-toggle', id: m.id });
  planBatch(ctx, m.id, batchApps({ ...m, all: !m.all }));
}

/** Runs the batch (the engine bounds it per cluster); a line per app follows its progress. */
export function runSyncMany(ctx: ActionContext, m: SyncManyModal): void {
  if (m.plan.status !== 'ready') return;
  const plan = m.plan.value;
  ctx.dispatch({ type: 'sync-many-started', id: m.id, at: Date.now() });
  call(() =>
    ctx.engine.syncMany(plan.runnable, {
      ...(m.production ? { confirm: m.typed } : {}),
      onProgress: (event) => ctx.dispatch({ type: 'sync-many-progress', id: m.id, event }),
    }),
  ).then(
    (items) => {
      ctx.dispatch({ type: 'sync-many-finished', id: m.id, at: Date.now(), items });
      const ok = items.filter((i) => i.phase === 'Succeeded').length;
      const bad = items.length - ok;
      ctx.dispatch({
        type: 'status',
        level: bad === 0 ? 'success' : 'error',
        text: `sync of ${items.length} apps: ${ok} succeeded${
          bad
            ? `, ${bad} did not (${items
                .filter((i) => i.phase !== 'Succeeded')
                .map((i) => `${i.app}: ${i.phase}`)
                .join(', ')})`
            : ''
        }`,
      });
    },
    (err) =>
      ctx.dispatch({
        type: 'sync-many-finished',
        id: m.id,
        at: Date.now(),
        error: fail(ctx, 'sync of the shown apps', err),
      }),
  );
}
