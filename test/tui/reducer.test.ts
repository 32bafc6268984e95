import { describe, expect, it } from 'vitest';
import type { ResourceDiff } from '../../src/engine/index.js';
import { initialUiState, topView, uiReducer } from '../../src/tui/state/reducer.js';
import type { SyncModal, UiAction, UiState } from '../../src/tui/state/types.js';

const run = (state: UiState, ...actions: UiAction[]) => actions.reduce(uiReducer, state);

const syncModal: Omit<SyncModal, 'id'> = {
  kind: 'sync',
  app: 'order-service-prod',
  production: true,
  stage: 'plan',
  plan: { status: 'loading' },
  prune: false,
  dryRun: false,
  selected: [],
  cursor: 0,
  typed: '',
  progress: {},
};

describe('uiReducer', () => {
  it('starts on the fleet', () => {
    const s = initialUiState();
    expect(topView(s)).toEqual({ name: 'fleet', id: 1 });
    expect(s.fleet).toMatchObject({
      mode: 'matrix',
      row: 0,
      col: 0,
      filter: '',
      sort: 'name',
      group: 'none',
    });
  });

  it('pushes and pops views; never pops the fleet; ignores pushing the same view twice', () => {
    let s = run(initialUiState(), { type: 'push-view', view: { name: 'app', app: 'a', cursor: 0 } });
    expect(s.stack.map((v) => v.name)).toEqual(['fleet', 'app']);
    expect(run(s, { type: 'push-view', view: { name: 'app', app: 'a', cursor: 0 } })).toBe(s);
    s = run(s, { type: 'push-view', view: { name: 'help', scroll: 0 }, id: 42 });
    expect(topView(s).id).toBe(42);
    expect(s.nextId).toBe(43);
    s = run(s, { type: 'pop-view' }, { type: 'pop-view' }, { type: 'pop-view' });
    expect(s.stack.map((v) => v.name)).toEqual(['fleet']);
  });

  it('moves the fleet cursor within bounds and the column separately', () => {
    const s = run(initialUiState(), { type: 'move', delta: 5, count: 3 });
    expect(s.fleet.row).toBe(2);
    expect(run(s, { type: 'move', delta: -10, count: 3 }).fleet.row).toBe(0);
    expect(run(s, { type: 'move-to', index: 1, count: 3 }).fleet.row).toBe(1);
    expect(
      run(s, { type: 'move-col', delta: 1, count: 3 }, { type: 'move-col', delta: 9, count: 3 }).fleet.col,
    ).toBe(2);
  });

  it('moves the cursor of the view on top, or of the open dialog', () => {
    let s = run(
      initialUiState(),
      { type: 'push-view', view: { name: 'clusters', cursor: 0 } },
      { type: 'move', delta: 1, count: 3 },
    );
    expect(topView(s)).toMatchObject({ name: 'clusters', cursor: 1 });
    s = run(s, { type: 'modal-open', modal: syncModal }, { type: 'move', delta: 1, count: 2 });
    expect(s.modal?.cursor).toBe(1);
    expect(topView(s)).toMatchObject({ cursor: 1 });
  });

  it('stores diff data for its view only and focuses the requested resource', () => {
    let s = run(initialUiState(), {
      type: 'push-view',
      id: 7,
      view: {
        name: 'diff',
        app: 'a',
        index: 0,
        scroll: 0,
        focus: '/Secret/ns/s',
        data: { status: 'loading' },
      },
    });
    const diffs: ResourceDiff[] = [
      {
        key: { group: 'apps', kind: 'Deployment', namespace: 'ns', name: 'd' },
        sync: 'OutOfSync',
        changedPaths: [],
        text: '',
        explain: [],
      },
      {
        key: { group: '', kind: 'Secret', namespace: 'ns', name: 's' },
        sync: 'OutOfSync',
        changedPaths: [],
        text: '',
        explain: [],
      },
    ];
    expect(run(s, { type: 'diff-data', id: 99, data: { status: 'ready', value: [...diffs] } })).toBe(s);
    s = run(s, { type: 'diff-data', id: 7, data: { status: 'ready', value: [...diffs] } });
    expect(topView(s)).toMatchObject({ index: 1 });
    s = run(s, { type: 'diff-step', delta: -1 }, { type: 'diff-step', delta: -1 });
    expect(topView(s)).toMatchObject({ index: 0, scroll: 0 });
  });

  it('edits the filter live and resets the row; closes the prompt', () => {
    let s = run(
      initialUiState(),
      { type: 'move', delta: 2, count: 5 },
      { type: 'prompt-open', kind: 'filter' },
    );
    s = run(s, { type: 'prompt-edit', text: 'ord' });
    expect(s.fleet.filter).toBe('ord');
    expect(s.fleet.row).toBe(0);
    s = run(s, { type: 'prompt-close' });
    expect(s.prompt).toBeUndefined();
    const c = run(
      initialUiState(),
      { type: 'prompt-open', kind: 'command' },
      { type: 'prompt-edit', text: 'q' },
    );
    expect(c.fleet.filter).toBe('');
  });

  it('runs the sync dialog through its stages', () => {
    let s = run(initialUiState(), { type: 'modal-open', id: 5, modal: syncModal });
    const plan = {
      app: 'x',
      context: 'c',
      revision: 'r',
      tasks: [],
      refusals: [],
      warnings: [],
      options: {},
    };
    s = run(s, { type: 'sync-plan', id: 5, plan: { status: 'ready', value: plan } });
    s = run(
      s,
      { type: 'sync-toggle', option: 'prune' },
      { type: 'sync-select', key: 'apps/Deployment/ns/d' },
    );
    expect(s.modal).toMatchObject({ prune: true, selected: ['apps/Deployment/ns/d'] });
    s = run(s, { type: 'sync-select', key: 'apps/Deployment/ns/d' });
    expect(s.modal).toMatchObject({ selected: [] });
    s = run(s, { type: 'modal-stage', id: 5, stage: 'confirm' }, { type: 'modal-typed', text: 'order' });
    expect(s.modal).toMatchObject({ stage: 'confirm', typed: 'order' });
    s = run(s, { type: 'modal-stage', id: 5, stage: 'running' });
    expect(s.modal).toMatchObject({ stage: 'running', typed: '' });
    // Toggles are ignored once it runs; a stage of another dialog is ignored.
    expect(run(s, { type: 'sync-toggle', option: 'dryRun' })).toBe(s);
    expect(run(s, { type: 'modal-stage', id: 5, stage: 'pick' })).toBe(s);
    s = run(s, {
      type: 'sync-progress',
      id: 5,
      events: [
        {
          type: 'task',
          app: 'order-service-prod',
          key: { group: 'apps', kind: 'Deployment', namespace: 'ns', name: 'd' },
          status: 'Running',
        },
        {
          type: 'task',
          app: 'other-app',
          key: { group: '', kind: 'Service', namespace: 'ns', name: 's' },
          status: 'Failed',
        },
        { type: 'operation', app: 'order-service-prod', phase: 'Running', message: 'wave 1' },
      ],
    });
    expect(s.modal).toMatchObject({
      progress: { 'apps/Deployment/ns/d': { status: 'Running' } },
      phase: 'Running',
      message: 'wave 1',
    });
    expect(Object.keys((s.modal as SyncModal).progress)).toHaveLength(1);
    const done = run(s, {
      type: 'sync-finished',
      id: 5,
      result: { id: 'op', phase: 'Succeeded', message: 'ok', tasks: [], startedAt: 't' },
    });
    expect(done.modal).toMatchObject({ stage: 'done', phase: 'Succeeded' });
    const failed = run(s, { type: 'sync-finished', id: 5, error: 'boom' });
    expect(failed.modal).toMatchObject({ stage: 'plan', error: 'boom' });
    expect(run(done, { type: 'modal-close' }).modal).toBeUndefined();
  });

  it('drives the promote dialog: marked services, target, plans, results', () => {
    let s = run(initialUiState(), { type: 'fleet-mark', service: 'a' }, { type: 'fleet-mark', service: 'b' });
    expect(s.fleet.marked).toEqual(['a', 'b']);
    s = run(s, { type: 'fleet-mark', service: 'a' });
    expect(s.fleet.marked).toEqual(['b']);
    s = run(s, {
      type: 'modal-open',
      id: 3,
      modal: {
        kind: 'promote',
        from: 'staging',
        sources: [{ service: 's', fromApp: 's-staging' }],
        targets: [{ env: 'prod', app: 's-prod', production: true }],
        stage: 'pick',
        items: [],
        cursor: 0,
        typed: '',
      },
    });
    const item = {
      service: 's',
      fromApp: 's-staging',
      toApp: 's-prod',
      plan: { status: 'loading' as const },
    };
    s = run(s, {
      type: 'promote-target',
      id: 3,
      target: { env: 'prod', app: 's-prod', production: true },
      items: [item],
    });
    expect(s.modal).toMatchObject({ stage: 'preview', items: [{ plan: { status: 'loading' } }] });
    const plan = {
      kind: 'promote' as const,
      title: 't',
      fileDiff: '',
      files: [],
      renderedDiff: [],
      commitMessage: 'm',
      targetBranch: 'main',
      refusals: [],
      id: 'p',
    };
    s = run(s, { type: 'promote-plan', id: 3, service: 's', plan: { status: 'ready', value: plan } });
    expect(s.modal).toMatchObject({ items: [{ plan: { status: 'ready' } }] });
    const failed = run(s, { type: 'promote-finished', id: 3, items: [{ ...item, error: 'push rejected' }] });
    expect(failed.modal).toMatchObject({ stage: 'preview', error: 'push rejected' });
    const done = run(s, {
      type: 'promote-finished',
      id: 3,
      items: [{ ...item, result: { commit: 'c', pushedTo: 'origin/main', branch: 'main', retries: 0 } }],
    });
    expect(done.modal).toMatchObject({ stage: 'done', items: [{ result: { commit: 'c' } }] });
  });

  it('keeps a status line, a theme override, the explain toggle and the quit flag', () => {
    let s = run(initialUiState(), { type: 'status', level: 'error', text: 'diff failed' });
    expect(s.status).toEqual({ level: 'error', text: 'diff failed' });
    s = run(
      s,
      { type: 'status-clear' },
      { type: 'theme', name: 'no-color' },
      { type: 'toggle-explain' },
      { type: 'quit' },
    );
    expect(s).toMatchObject({ status: undefined, themeName: 'no-color', showExplain: true, quitting: true });
    expect(run(s, { type: 'status-clear' })).toBe(s);
  });

  it('resets to the fleet and closes any dialog', () => {
    const s = run(
      initialUiState(),
      { type: 'push-view', view: { name: 'clusters', cursor: 0 } },
      { type: 'modal-open', modal: syncModal },
      { type: 'reset-to-fleet' },
    );
    expect(s.stack).toHaveLength(1);
    expect(s.modal).toBeUndefined();
  });
});
