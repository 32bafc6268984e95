import type { AppState, GitChangePlan, ResourceKey, SyncOptions } from '../../engine/index.js';
import { parseKeyString } from '../../engine/index.js';
import { clusterOf, isProduction } from '../state/fleet-model.js';
import type { RevertModal, SyncModal } from '../state/types.js';
import { oneLine } from '../state/view-models.js';
import type { ActionContext } from './context.js';

/** Runs an engine call so that a synchronous throw becomes a rejection (handled like any other failure). */
export function call<T>(f: () => Promise<T>): Promise<T> {
  return new Promise<T>((resolve) => resolve(f()));
}

/** Shows an error from an engine call as one line in the status bar. */
export function fail(ctx: ActionContext, what: string, err: unknown): string {
  const text = `${what} failed: ${oneLine(err)}`;
  ctx.dispatch({ type: 'status', level: 'error', text });
  return text;
}

/** Refuses mutating actions on read-only targets; true when allowed. */
export function mayMutate(ctx: ActionContext, app: AppState, verb: string): boolean {
  const cluster = clusterOf(ctx.snapshot, app);
  const why =
    ctx.readOnlyFlag || ctx.snapshot.readOnly
      ? 'bosun runs read-only'
      : cluster?.readOnly
        ? `${cluster.name} is read-only`
        : '';
  if (!why) return true;
  ctx.dispatch({ type: 'status', level: 'error', text: `cannot ${verb} ${app.name}: ${why}` });
  return false;
}

/** Pushes the app view. */
export function openApp(ctx: ActionContext, app: AppState): void {
  ctx.dispatch({ type: 'push-view', view: { name: 'app', app: app.name, cursor: 0 }, id: ctx.nextId() });
}

/** Pushes the diff view and loads the diffs. */
export function openDiff(ctx: ActionContext, app: AppState, focus?: string): void {
  const id = ctx.nextId();
  ctx.dispatch({
    type: 'push-view',
    id,
    view: {
      name: 'diff',
      app: app.name,
      index: 0,
      scroll: 0,
      data: { status: 'loading' },
      ...(focus ? { focus } : {}),
    },
  });
  loadDiff(ctx, app.name, id);
}

/** (Re)loads the diffs of a diff view. */
export function loadDiff(ctx: ActionContext, app: string, id: number): void {
  call(() => ctx.engine.diff(app)).then(
    (value) => ctx.dispatch({ type: 'diff-data', id, data: { status: 'ready', value } }),
    (err) =>
      ctx.dispatch({
        type: 'diff-data',
        id,
        data: { status: 'error', message: fail(ctx, `diff of ${app}`, err) },
      }),
  );
}

/** Pushes the history view and loads the history. */
export function openHistory(ctx: ActionContext, app: AppState): void {
  const id = ctx.nextId();
  ctx.dispatch({
    type: 'push-view',
    id,
    view: { name: 'history', app: app.name, cursor: 0, data: { status: 'loading' } },
  });
  loadHistory(ctx, app.name, id);
}

/** (Re)loads the history of a history view. */
export function loadHistory(ctx: ActionContext, app: string, id: number): void {
  call(() => ctx.engine.history(app, { limit: 200 })).then(
    (value) => ctx.dispatch({ type: 'history-data', id, data: { status: 'ready', value } }),
    (err) =>
      ctx.dispatch({
        type: 'history-data',
        id,
        data: { status: 'error', message: fail(ctx, `history of ${app}`, err) },
      }),
  );
}

/** Opens the sync dialog and computes the plan. */
export function openSync(ctx: ActionContext, app: AppState): void {
  if (!mayMutate(ctx, app, 'sync')) return;
  const id = ctx.nextId();
  const modal: Omit<SyncModal, 'id'> = {
    kind: 'sync',
    app: app.name,
    production: isProduction(ctx.snapshot, app),
    stage: 'plan',
    plan: { status: 'loading' },
    prune: false,
    dryRun: false,
    selected: [],
    cursor: 0,
    typed: '',
    progress: {},
  };
  ctx.dispatch({ type: 'modal-open', id, modal });
  planSync(ctx, id, app.name, { prune: false, dryRun: false });
}

/** Recomputes the sync plan with the given options. */
export function planSync(ctx: ActionContext, id: number, app: string, opts: SyncOptions): void {
  ctx.dispatch({ type: 'sync-plan', id, plan: { status: 'loading' } });
  call(() => ctx.engine.planSync(app, opts)).then(
    (value) => ctx.dispatch({ type: 'sync-plan', id, plan: { status: 'ready', value } }),
    (err) =>
      ctx.dispatch({
        type: 'sync-plan',
        id,
        plan: { status: 'error', message: fail(ctx, `sync plan of ${app}`, err) },
      }),
  );
}

/** Runs the sync of the dialog; progress arrives through engine events. */
export function runSync(ctx: ActionContext, m: SyncModal): void {
  const resources = m.selected.map(parseKeyString).filter((k): k is ResourceKey => k !== undefined);
  const opts: SyncOptions = {
    prune: m.prune,
    dryRun: m.dryRun,
    ...(resources.length > 0 ? { resources } : {}),
    ...(m.production ? { confirm: m.typed } : {}),
  };
  ctx.dispatch({ type: 'modal-stage', id: m.id, stage: 'running' });
  call(() => ctx.engine.sync(m.app, opts)).then(
    (result) => {
      ctx.dispatch({ type: 'sync-finished', id: m.id, result });
      const ok = result.phase === 'Succeeded';
      ctx.dispatch({
        type: 'status',
        level: ok ? 'success' : 'error',
        text: `sync of ${m.app}${m.dryRun ? ' (dry run)' : ''}: ${result.phase}${result.message ? ` — ${oneLine(result.message)}` : ''}`,
      });
    },
    (err) => ctx.dispatch({ type: 'sync-finished', id: m.id, error: fail(ctx, `sync of ${m.app}`, err) }),
  );
}

/** Opens the revert dialog for a commit of the app and loads the preview. */
export function openRevert(ctx: ActionContext, app: AppState, commit: string, subject: string): void {
  if (!mayMutate(ctx, app, 'revert')) return;
  const id = ctx.nextId();
  const modal: Omit<RevertModal, 'id'> = {
    kind: 'revert',
    app: app.name,
    commit,
    subject,
    production: isProduction(ctx.snapshot, app),
    stage: 'preview',
    plan: { status: 'loading' },
    cursor: 0,
    typed: '',
  };
  ctx.dispatch({ type: 'modal-open', id, modal });
  call(() => ctx.engine.planRevert({ app: app.name, commit })).then(
    (value) => ctx.dispatch({ type: 'git-plan', id, plan: { status: 'ready', value } }),
    (err) =>
      ctx.dispatch({
        type: 'git-plan',
        id,
        plan: { status: 'error', message: fail(ctx, `revert preview of ${commit.slice(0, 7)}`, err) },
      }),
  );
}

/** Commits and pushes a previewed revert. */
export function applyRevert(ctx: ActionContext, m: RevertModal, plan: GitChangePlan): void {
  ctx.dispatch({ type: 'modal-stage', id: m.id, stage: 'applying' });
  call(() => ctx.engine.applyGitChange(plan, m.production ? { confirm: m.typed } : undefined)).then(
    (result) => {
      ctx.dispatch({ type: 'git-finished', id: m.id, result });
      const next = result.nextStep ? ` — ${oneLine(result.nextStep)}` : '';
      ctx.dispatch({
        type: 'status',
        level: 'success',
        text: `revert pushed: ${result.commit.slice(0, 7)} to ${result.pushedTo}${next}`,
      });
    },
    (err) => ctx.dispatch({ type: 'git-finished', id: m.id, error: fail(ctx, plan.title, err) }),
  );
}

/** Refreshes the app of the current view (or everything on the fleet) and reloads the view's data. */
export function refresh(ctx: ActionContext, app: string | undefined, opts: { hard?: boolean } = {}): void {
  const hard = opts.hard ? 'hard ' : '';
  ctx.dispatch({
    type: 'status',
    level: 'info',
    text: app ? `${hard}refreshing ${app}…` : `${hard}refreshing all apps…`,
  });
  const top = ctx.ui.stack[ctx.ui.stack.length - 1];
  call(() =>
    ctx.engine.refresh({ ...(app ? { app } : {}), fetch: true, ...(opts.hard ? { hard: true } : {}) }),
  ).then(
    () => {
      // With the argocd backend, the row says "refreshing" until Argo CD has reconciled the app.
      const argo = ctx.snapshot.backend?.type === 'argocd' && app;
      ctx.dispatch({
        type: 'status',
        level: 'success',
        text: argo
          ? `${hard}refresh of ${app} requested from Argo CD`
          : app
            ? `${app} refreshed`
            : 'all apps refreshed',
      });
      if (top?.name === 'diff') loadDiff(ctx, top.app, top.id);
      if (top?.name === 'history') loadHistory(ctx, top.app, top.id);
    },
    (err) => fail(ctx, app ? `refresh of ${app}` : 'refresh', err),
  );
}
