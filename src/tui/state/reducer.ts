import { keyString } from '../../engine/index.js';
import type { FleetState, Modal, ModalStage, UiAction, UiState, ViewEntry } from './types.js';

/** The UI state at start: the fleet on its own, nothing selected yet. */
export function initialUiState(
  opts: { status?: UiState['status']; fleet?: Partial<FleetState> } = {},
): UiState {
  return {
    stack: [{ name: 'fleet', id: 1 }],
    fleet: {
      mode: 'matrix',
      marked: [],
      row: 0,
      col: 0,
      filter: '',
      sort: 'name',
      group: 'none',
      ...opts.fleet,
    },
    showExplain: false,
    nextId: 2,
    quitting: false,
    ...(opts.status ? { status: opts.status } : {}),
  };
}

/** The entry on top of the navigation stack. */
export function topView(state: UiState): ViewEntry {
  return state.stack[state.stack.length - 1] ?? { name: 'fleet', id: 1 };
}

const stagesOf: Record<Modal['kind'], readonly ModalStage[]> = {
  sync: ['plan', 'confirm', 'running', 'done'],
  'sync-many': ['plan', 'confirm', 'running', 'done'],
  promote: ['pick', 'preview', 'confirm', 'applying', 'done'],
  revert: ['preview', 'confirm', 'applying', 'done'],
  action: ['pick', 'params', 'confirm', 'running', 'done'],
};

/** The single UI reducer: navigation stack, cursors, fleet options, prompt, dialogs and status line. */
export function uiReducer(state: UiState, action: UiAction): UiState {
  switch (action.type) {
    case 'push-view': {
      const top = topView(state);
      if (top.name === action.view.name && appOf(top) === appOf(action.view)) return state;
      const id = action.id ?? state.nextId;
      const view = { ...action.view, id } as ViewEntry;
      return {
        ...state,
        stack: [...state.stack, view],
        nextId: Math.max(state.nextId, id) + 1,
        showExplain: false,
      };
    }
    case 'pop-view':
      return state.stack.length > 1
        ? { ...state, stack: state.stack.slice(0, -1), showExplain: false }
        : state;
    case 'reset-to-fleet':
      return { ...state, stack: state.stack.slice(0, 1), modal: undefined, showExplain: false };
    case 'move':
      return moveCursor(state, (cur) => cur + action.delta, action.count);
    case 'move-to':
      return moveCursor(state, () => action.index, action.count);
    case 'move-col':
      return {
        ...state,
        fleet: { ...state.fleet, col: clamp(state.fleet.col + action.delta, action.count) },
      };
    case 'diff-step':
      return updateTop(state, (v) => {
        if (v.name !== 'diff' || v.data.status !== 'ready') return v;
        return { ...v, index: clamp(v.index + action.delta, v.data.value.length), scroll: 0 };
      });
    case 'diff-data':
      return updateById(state, action.id, (v) => {
        if (v.name !== 'diff') return v;
        let index = v.index;
        if (v.focus && action.data.status === 'ready') {
          const i = action.data.value.findIndex((d) => keyString(d.key) === v.focus);
          if (i >= 0) index = i;
        }
        return { ...v, data: action.data, index };
      });
    case 'history-data':
      return updateById(state, action.id, (v) => (v.name === 'history' ? { ...v, data: action.data } : v));
    case 'fleet':
      return { ...state, fleet: { ...state.fleet, ...action.patch } };
    case 'prompt-open':
      return { ...state, prompt: { kind: action.kind, text: action.text ?? '' } };
    case 'prompt-edit': {
      if (!state.prompt) return state;
      const next = { ...state, prompt: { ...state.prompt, text: action.text } };
      if (state.prompt.kind === 'logs')
        return updateTop(next, (v) =>
          v.name === 'logs' ? { ...v, log: { ...v.log, filter: action.text, fromEnd: 0 } } : v,
        );
      return state.prompt.kind === 'filter'
        ? { ...next, fleet: { ...state.fleet, filter: action.text, row: 0 } }
        : next;
    }
    case 'prompt-close':
      return { ...state, prompt: undefined };
    case 'status':
      return { ...state, status: { level: action.level, text: action.text } };
    case 'status-clear':
      return state.status ? { ...state, status: undefined } : state;
    case 'toggle-explain':
      return { ...state, showExplain: !state.showExplain };
    case 'modal-open': {
      const id = action.id ?? state.nextId;
      return { ...state, modal: { ...action.modal, id } as Modal, nextId: Math.max(state.nextId, id) + 1 };
    }
    case 'modal-close':
      return state.modal ? { ...state, modal: undefined } : state;
    case 'modal-stage':
      return updateModal(state, action.id, (m) =>
        stagesOf[m.kind].includes(action.stage)
          ? ({
              ...m,
              stage: action.stage,
              typed: '',
              // Back in the action list, the parameters typed for the last choice are forgotten.
              ...(m.kind === 'action' && action.stage === 'pick' ? { params: {} } : {}),
            } as Modal)
          : m,
      );
    case 'modal-typed':
      return state.modal ? { ...state, modal: { ...state.modal, typed: action.text } } : state;
    case 'sync-plan':
      return updateModal(state, action.id, (m) => (m.kind === 'sync' ? { ...m, plan: action.plan } : m));
    case 'sync-toggle':
      return updateModal(state, state.modal?.id, (m) =>
        m.kind === 'sync' && m.stage === 'plan' ? { ...m, [action.option]: !m[action.option] } : m,
      );
    case 'sync-select':
      return updateModal(state, state.modal?.id, (m) => {
        if (m.kind !== 'sync' || m.stage !== 'plan') return m;
        const on = m.selected.includes(action.key);
        return {
          ...m,
          selected: on ? m.selected.filter((k) => k !== action.key) : [...m.selected, action.key],
        };
      });
    case 'sync-progress':
      return updateModal(state, action.id, (m) => {
        // Once the result is in, it is the final word; late events are stale.
        if (m.kind !== 'sync' || m.stage === 'done') return m;
        const progress = { ...m.progress };
        let { phase, message } = m;
        for (const e of action.events) {
          if (e.type === 'task' && e.app === m.app)
            progress[keyString(e.key)] = { status: e.status, ...(e.message ? { message: e.message } : {}) };
          if (e.type === 'operation' && e.app === m.app) {
            phase = e.phase;
            message = e.message;
          }
        }
        return { ...m, progress, phase, message };
      });
    case 'sync-finished':
      return updateModal(state, action.id, (m) => {
        if (m.kind !== 'sync') return m;
        if (action.error !== undefined) return { ...m, stage: 'plan', error: action.error };
        // The result is the final word on every task (events may still be in flight).
        const progress = { ...m.progress };
        for (const t of action.result?.tasks ?? [])
          if (t.status)
            progress[keyString(t.key)] = { status: t.status, ...(t.message ? { message: t.message } : {}) };
        const phase = action.result?.phase ?? m.phase;
        return { ...m, stage: 'done', result: action.result, progress, phase, error: undefined };
      });
    case 'sync-many-plan':
      return updateModal(state, action.id, (m) =>
        m.kind === 'sync-many'
          ? {
              ...m,
              plan: action.plan,
              production: action.plan.status === 'ready' && action.plan.value.production.length > 0,
              cursor: 0,
            }
          : m,
      );
    case 'sync-many-toggle':
      return updateModal(state, action.id, (m) =>
        m.kind === 'sync-many' && m.stage === 'plan'
          ? { ...m, all: !m.all, plan: { status: 'loading' }, production: false, cursor: 0, error: undefined }
          : m,
      );
    case 'sync-many-started':
      return updateModal(state, action.id, (m) =>
        m.kind === 'sync-many'
          ? { ...m, stage: 'running', typed: '', progress: {}, startedAt: action.at, error: undefined }
          : m,
      );
    case 'sync-many-progress':
      return updateModal(state, action.id, (m) => {
        if (m.kind !== 'sync-many' || m.stage !== 'running') return m;
        const e = action.event;
        const entry =
          e.type === 'started'
            ? { phase: 'Running' as const }
            : { phase: e.item.phase, message: e.item.message, ms: e.item.ms };
        return { ...m, progress: { ...m.progress, [e.type === 'started' ? e.app : e.item.app]: entry } };
      });
    case 'sync-many-finished':
      return updateModal(state, action.id, (m) => {
        if (m.kind !== 'sync-many') return m;
        // Refused as a whole (e.g. the confirmation): back to the list with the reason, nothing ran.
        if (action.error !== undefined) return { ...m, stage: 'plan', typed: '', error: action.error };
        // The results are the final word on every app (a late progress event changes nothing).
        const progress = { ...m.progress };
        for (const it of action.items ?? [])
          progress[it.app] = { phase: it.phase, message: it.message, ms: it.ms };
        return { ...m, stage: 'done', progress, finishedAt: action.at };
      });
    case 'fleet-mark': {
      const on = state.fleet.marked.includes(action.service);
      const marked = on
        ? state.fleet.marked.filter((x) => x !== action.service)
        : [...state.fleet.marked, action.service];
      return { ...state, fleet: { ...state.fleet, marked } };
    }
    case 'promote-target':
      return updateModal(state, action.id, (m) =>
        m.kind === 'promote'
          ? {
              ...m,
              target: action.target,
              items: action.items,
              stage: 'preview',
              cursor: 0,
              error: undefined,
            }
          : m,
      );
    case 'promote-plan':
      return updateModal(state, action.id, (m) =>
        m.kind === 'promote'
          ? {
              ...m,
              items: m.items.map((it) => (it.service === action.service ? { ...it, plan: action.plan } : it)),
            }
          : m,
      );
    case 'promote-finished':
      return updateModal(state, action.id, (m) => {
        if (m.kind !== 'promote') return m;
        const failed = action.items.find((it) => it.error);
        const pushed = action.items.some((it) => it.result);
        // Nothing pushed: back to the preview with the reason; otherwise show the outcome per service.
        if (!pushed) return { ...m, items: action.items, stage: 'preview', typed: '', error: failed?.error };
        return { ...m, items: action.items, stage: 'done', error: failed?.error };
      });
    case 'git-plan':
      return updateModal(state, action.id, (m) => (m.kind === 'revert' ? { ...m, plan: action.plan } : m));
    case 'git-finished':
      return updateModal(state, action.id, (m) => {
        if (m.kind !== 'revert') return m;
        if (action.error !== undefined) return { ...m, stage: 'preview', error: action.error, typed: '' };
        return { ...m, stage: 'done', result: action.result, error: undefined };
      });
    case 'logs-view':
      return updateById(state, action.id, (v) => (v.name === 'logs' ? { ...v, ...action.patch } : v));
    case 'events-data':
      return updateById(state, action.id, (v) => (v.name === 'events' ? { ...v, data: action.data } : v));
    case 'yaml-data':
      return updateById(state, action.id, (v) => (v.name === 'yaml' ? { ...v, data: action.data } : v));
    case 'yaml-toggle':
      return updateTop(state, (v) => (v.name === 'yaml' ? { ...v, desired: !v.desired, scroll: 0 } : v));
    case 'why-data':
      return updateById(state, action.id, (v) => (v.name === 'why' ? { ...v, data: action.data } : v));
    case 'compare-data':
      // A late answer for an environment no longer shown is dropped.
      return updateById(state, action.id, (v) =>
        v.name === 'compare' && v.envB === action.envB ? { ...v, data: action.data } : v,
      );
    case 'compare-env':
      return updateById(state, action.id, (v) =>
        v.name === 'compare' ? { ...v, envB: action.envB, scroll: 0, data: { status: 'loading' } } : v,
      );
    case 'appset-data':
      return updateById(state, action.id, (v) => (v.name === 'appset' ? { ...v, data: action.data } : v));
    case 'action-list':
      return updateModal(state, action.id, (m) =>
        m.kind === 'action' ? { ...m, actions: action.actions, cursor: 0 } : m,
      );
    case 'action-param':
      return updateModal(state, action.id, (m) =>
        m.kind === 'action' ? { ...m, params: { ...m.params, [action.name]: action.value }, typed: '' } : m,
      );
    case 'action-finished':
      return updateModal(state, action.id, (m) => {
        if (m.kind !== 'action') return m;
        if (action.error !== undefined) return { ...m, stage: 'pick', error: action.error, typed: '' };
        return { ...m, stage: 'done', result: action.result, error: undefined };
      });
    case 'theme':
      return { ...state, themeName: action.name };
    case 'quit':
      return { ...state, quitting: true };
  }
}

/** What a view is about: its app, ApplicationSet or service (the same view of the same subject is not pushed twice). */
function appOf(v: { name: string } & { app?: string; set?: string; service?: string }): string | undefined {
  return 'app' in v ? v.app : 'set' in v ? v.set : 'service' in v ? v.service : undefined;
}

function clamp(n: number, count: number): number {
  if (count <= 0) return 0;
  return Math.max(0, Math.min(count - 1, n));
}

function moveCursor(state: UiState, f: (cur: number) => number, count: number): UiState {
  if (state.modal) {
    const m = state.modal;
    const cursor = clamp(f(m.cursor), count);
    return cursor === m.cursor ? state : { ...state, modal: { ...m, cursor } };
  }
  const top = topView(state);
  if (top.name === 'fleet') {
    const row = clamp(f(state.fleet.row), count);
    return row === state.fleet.row ? state : { ...state, fleet: { ...state.fleet, row } };
  }
  return updateTop(state, (v) => {
    switch (v.name) {
      case 'app':
      case 'history':
      case 'clusters':
        return { ...v, cursor: clamp(f(v.cursor), count) };
      case 'diff':
      case 'help':
      case 'events':
      case 'yaml':
      case 'why':
      case 'compare':
      case 'appset':
        return { ...v, scroll: clamp(f(v.scroll), count) };
      default:
        return v;
    }
  });
}

function updateTop(state: UiState, f: (v: ViewEntry) => ViewEntry): UiState {
  const top = topView(state);
  const next = f(top);
  return next === top ? state : { ...state, stack: [...state.stack.slice(0, -1), next] };
}

function updateById(state: UiState, id: number, f: (v: ViewEntry) => ViewEntry): UiState {
  let changed = false;
  const stack = state.stack.map((v) => {
    if (v.id !== id) return v;
    const n = f(v);
    changed ||= n !== v;
    return n;
  });
  return changed ? { ...state, stack } : state;
}

function updateModal(state: UiState, id: number | undefined, f: (m: Modal) => Modal): UiState {
  if (!state.modal || state.modal.id !== id) return state;
  const next = f(state.modal);
  return next === state.modal ? state : { ...state, modal: next };
}
