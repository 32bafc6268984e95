import { type AppState, actionParamProblem, type ResourceKey } from '../../engine/index.js';
import { pendingParam } from '../state/dialogs.js';
import { linesToSave } from '../state/log-view-model.js';
import { topView } from '../state/reducer.js';
import type { ActionModal, LogsEntry } from '../state/types.js';
import { oneLine, treeModel } from '../state/view-models.js';
import { call, fail, mayMutate } from './actions.js';
import type { ActionContext, CommandContext } from './context.js';

/** How triage names a resource: `Kind/namespace/name`. */
export function resourceRef(key: ResourceKey): string {
  return `${key.kind}/${key.namespace ?? ''}/${key.name}`;
}

/** The resource under the cursor of the app view, if that is where we are. */
export function selectedResource(ctx: ActionContext): string | undefined {
  const top = topView(ctx.ui);
  if (top.name === 'yaml') return top.resource;
  if (top.name !== 'app') return undefined;
  const row = treeModel(ctx.engine, ctx.snapshot, top.app).rows[top.cursor];
  return row ? resourceRef(row.node.key) : undefined;
}

/** Opens the merged logs of an app, or of the selected resource (the controller runs the session). */
export function openLogs(ctx: ActionContext, app: AppState, resource?: string): void {
  ctx.dispatch({
    type: 'push-view',
    id: ctx.nextId(),
    view: {
      name: 'logs',
      app: app.name,
      ...(resource ? { resource } : {}),
      previous: false,
      log: { filter: '', wrap: false, fromEnd: 0 },
    },
  });
}

/** Opens the app's events timeline (the controller keeps it live). */
export function openEvents(ctx: ActionContext, app: AppState): void {
  const id = ctx.nextId();
  ctx.dispatch({
    type: 'push-view',
    id,
    view: { name: 'events', app: app.name, scroll: 0, data: { status: 'loading' } },
  });
  loadEvents(ctx, app.name, id);
}

/** (Re)loads the events of an events view; a failure keeps the last good list when there is one. */
export function loadEvents(ctx: ActionContext, app: string, id: number, o: { quiet?: boolean } = {}): void {
  call(() => ctx.engine.events(app)).then(
    (value) => ctx.dispatch({ type: 'events-data', id, data: { status: 'ready', value } }),
    (err) => {
      if (o.quiet) return;
      ctx.dispatch({
        type: 'events-data',
        id,
        data: { status: 'error', message: fail(ctx, `events of ${app}`, err) },
      });
    },
  );
}

/** Opens the live YAML of a resource (tab switches to the desired YAML). */
export function openYaml(ctx: ActionContext, app: AppState, resource: string): void {
  const id = ctx.nextId();
  ctx.dispatch({
    type: 'push-view',
    id,
    view: { name: 'yaml', app: app.name, resource, desired: false, scroll: 0, data: { status: 'loading' } },
  });
  call(() => ctx.engine.resourceYaml(app.name, resource)).then(
    (value) => ctx.dispatch({ type: 'yaml-data', id, data: { status: 'ready', value } }),
    (err) =>
      ctx.dispatch({
        type: 'yaml-data',
        id,
        data: { status: 'error', message: fail(ctx, `YAML of ${resource}`, err) },
      }),
  );
}

/** Opens "why": the first unhealthy resource with its message, warnings and last log lines. */
export function openWhy(ctx: ActionContext, app: AppState): void {
  const id = ctx.nextId();
  ctx.dispatch({
    type: 'push-view',
    id,
    view: { name: 'why', app: app.name, scroll: 0, data: { status: 'loading' } },
  });
  call(() => ctx.engine.why(app.name)).then(
    (value) => ctx.dispatch({ type: 'why-data', id, data: { status: 'ready', value } }),
    (err) =>
      ctx.dispatch({
        type: 'why-data',
        id,
        data: { status: 'error', message: fail(ctx, `why of ${app.name}`, err) },
      }),
  );
}

/** Opens the action menu of a resource (built-in and Lua actions); refused on read-only targets. */
export function openActionMenu(ctx: ActionContext, app: AppState, resource: string): void {
  if (!mayMutate(ctx, app, 'run actions on')) return;
  const id = ctx.nextId();
  const modal: Omit<ActionModal, 'id'> = {
    kind: 'action',
    app: app.name,
    resource,
    production: app.policy.production,
    stage: 'pick',
    actions: { status: 'loading' },
    cursor: 0,
    typed: '',
  };
  ctx.dispatch({ type: 'modal-open', id, modal });
  call(() => ctx.engine.actions(app.name, resource)).then(
    (value) => ctx.dispatch({ type: 'action-list', id, actions: { status: 'ready', value } }),
    (err) =>
      ctx.dispatch({
        type: 'action-list',
        id,
        actions: { status: 'error', message: fail(ctx, `actions of ${resource}`, err) },
      }),
  );
}

/**
 * Enter in the action menu: an action with parameters asks for each in turn; then production asks for
 * the typed app name, anything else runs at once.
 */
export function chooseAction(ctx: ActionContext, m: ActionModal) {
  if (m.stage !== 'pick' || m.actions.status !== 'ready') return;
  const a = m.actions.value[m.cursor];
  if (!a) return;
  const say = (text: string) => ctx.dispatch({ type: 'status', level: 'error', text });
  if (a.disabled) return say(`${a.name}: ${a.disabled}`);
  if (a.params?.length) return ctx.dispatch({ type: 'modal-stage', id: m.id, stage: 'params' });
  if (m.production) return ctx.dispatch({ type: 'modal-stage', id: m.id, stage: 'confirm' });
  runResourceAction(ctx, m);
}

/** Enter while typing a parameter: a bad value is said and kept for editing; the last one goes on. */
export function submitActionParam(ctx: ActionContext) {
  const m = ctx.ui.modal;
  if (m?.kind !== 'action' || m.stage !== 'params' || m.actions.status !== 'ready') return;
  const a = m.actions.value[m.cursor];
  const param = pendingParam(m);
  if (!a || !param) return;
  const problem = actionParamProblem({ action: a.name, param, value: m.typed });
  if (problem) return ctx.dispatch({ type: 'status', level: 'error', text: problem });
  const value = m.typed.trim();
  ctx.dispatch({ type: 'action-param', id: m.id, name: param, value });
  const next: ActionModal = { ...m, params: { ...m.params, [param]: value }, typed: '' };
  if (pendingParam(next)) return;
  if (m.production) return ctx.dispatch({ type: 'modal-stage', id: m.id, stage: 'confirm' });
  runResourceAction(ctx, next);
}

/** Runs the chosen action (after Enter, or after the typed name matched). */
export function runResourceAction(ctx: ActionContext, m: ActionModal): void {
  if (m.actions.status !== 'ready') return;
  const a = m.actions.value[m.cursor];
  if (!a) return;
  ctx.dispatch({ type: 'modal-stage', id: m.id, stage: 'running' });
  call(() =>
    ctx.engine.runAction({
      app: m.app,
      resource: m.resource,
      action: a.name,
      ...(m.params && Object.keys(m.params).length > 0 ? { params: m.params } : {}),
      ...(m.production ? { confirm: m.typed } : {}),
    }),
  ).then(
    (result) => {
      ctx.dispatch({ type: 'action-finished', id: m.id, result });
      const ok = result.phase === 'Succeeded';
      ctx.dispatch({
        type: 'status',
        level: ok ? (result.warnings.length > 0 ? 'warning' : 'success') : 'error',
        text: `${a.name} of ${result.resource}: ${result.phase}${result.message ? ` — ${oneLine(result.message)}` : ''}${result.warnings.map((w) => ` · ${oneLine(w)}`).join('')}`,
      });
    },
    (err) =>
      ctx.dispatch({
        type: 'action-finished',
        id: m.id,
        error: fail(ctx, `${a.name} of ${m.resource}`, err),
      }),
  );
}

/** Saves what the log view shows (its filter applied) to a file; says where. */
export function saveLogs(ctx: CommandContext, v: LogsEntry): void {
  const session = ctx.logSession(v.id);
  if (!session) return;
  const lines = linesToSave(session.lines, v.log.filter);
  try {
    const path = ctx.saveLines(`${v.app}${v.resource ? `-${v.resource.split('/').pop()}` : ''}`, lines);
    ctx.dispatch({ type: 'status', level: 'success', text: `saved ${lines.length} lines to ${path}` });
  } catch (err) {
    fail(ctx, 'saving the logs', err);
  }
}
