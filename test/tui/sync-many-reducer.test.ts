import { describe, expect, it } from 'vitest';
import type { SyncManyItem, SyncManyPlan } from '../../src/engine/index.js';
import { batchApps, batchSummary } from '../../src/tui/state/dialogs.js';
import { fleetModel, shownApps } from '../../src/tui/state/fleet-model.js';
import { initialUiState, uiReducer } from '../../src/tui/state/reducer.js';
import type { SyncManyModal, UiAction, UiState } from '../../src/tui/state/types.js';
import { FakeEngine } from './fake-engine.js';

const run = (state: UiState, ...actions: UiAction[]) => actions.reduce(uiReducer, state);

const modal: Omit<SyncManyModal, 'id'> = {
  kind: 'sync-many',
  filter: 'order',
  shown: [
    { app: 'a-dev', outOfSync: true },
    { app: 'a-staging', outOfSync: false },
    { app: 'a-prod', outOfSync: true },
  ],
  all: false,
  production: false,
  stage: 'plan',
  plan: { status: 'loading' },
  cursor: 0,
  typed: '',
  progress: {},
};

const plan: SyncManyPlan = {
  items: [
    { app: 'a-dev', context: 'dev', production: false, warnings: [] },
    { app: 'a-prod', context: 'prod', production: true, warnings: [] },
  ],
  runnable: ['a-dev', 'a-prod'],
  production: ['a-prod'],
  phrase: 'sync 2 apps',
};

const item = (app: string, phase: SyncManyItem['phase'], ms: number): SyncManyItem => ({
  app,
  context: 'dev',
  phase,
  message: phase === 'Succeeded' ? 'synced' : 'the apply failed',
  ms,
});

const open = () => run(initialUiState(), { type: 'modal-open', id: 7, modal });
const get = (s: UiState) => s.modal as SyncManyModal;

describe('the batch sync dialog state', () => {
  it('syncs the OutOfSync apps shown by default, all of them after the toggle', () => {
    expect(batchApps(modal)).toEqual(['a-dev', 'a-prod']);
    expect(batchApps({ ...modal, all: true })).toEqual(['a-dev', 'a-staging', 'a-prod']);
    const s = run(open(), { type: 'sync-many-toggle', id: 7 });
    expect(get(s)).toMatchObject({ all: true, plan: { status: 'loading' } });
    // Only in the plan stage.
    const running = run(
      open(),
      { type: 'sync-many-started', id: 7, at: 1 },
      { type: 'sync-many-toggle', id: 7 },
    );
    expect(get(running).all).toBe(false);
  });

  it('a plan with a production app makes the dialog production; the phrase is what must be typed', () => {
    const s = run(open(), { type: 'sync-many-plan', id: 7, plan: { status: 'ready', value: plan } });
    expect(get(s).production).toBe(true);
    const other = run(s, { type: 'sync-many-plan', id: 8, plan: { status: 'loading' } });
    expect(other).toBe(s); // another dialog's answer is ignored
  });

  it('follows each app from running to its end; the results are the final word', () => {
    let s = run(
      open(),
      { type: 'sync-many-plan', id: 7, plan: { status: 'ready', value: plan } },
      { type: 'modal-stage', id: 7, stage: 'confirm' },
      { type: 'modal-typed', text: 'sync 2 apps' },
      { type: 'sync-many-started', id: 7, at: 1000 },
    );
    expect(get(s)).toMatchObject({ stage: 'running', typed: '', progress: {} });
    s = run(
      s,
      { type: 'sync-many-progress', id: 7, event: { type: 'started', app: 'a-dev', context: 'dev' } },
      { type: 'sync-many-progress', id: 7, event: { type: 'started', app: 'a-prod', context: 'prod' } },
      {
        type: 'sync-many-progress',
        id: 7,
        event: { type: 'finished', item: item('a-dev', 'Succeeded', 1200) },
      },
    );
    expect(get(s).progress).toEqual({
      'a-dev': { phase: 'Succeeded', message: 'synced', ms: 1200 },
      'a-prod': { phase: 'Running' },
    });
    s = run(s, {
      type: 'sync-many-finished',
      id: 7,
      at: 4500,
      items: [item('a-dev', 'Succeeded', 1200), item('a-prod', 'Failed', 3000)],
    });
    expect(get(s).stage).toBe('done');
    expect(get(s).progress['a-prod']).toEqual({ phase: 'Failed', message: 'the apply failed', ms: 3000 });
    expect(batchSummary(get(s))).toBe('1 Succeeded, 1 Failed in 3.5s');
    // A late event after the end changes nothing.
    const late = run(s, {
      type: 'sync-many-progress',
      id: 7,
      event: { type: 'started', app: 'a-prod', context: 'prod' },
    });
    expect(late).toBe(s);
  });

  it('a batch refused as a whole goes back to the list with the reason', () => {
    const s = run(
      open(),
      { type: 'sync-many-plan', id: 7, plan: { status: 'ready', value: plan } },
      { type: 'sync-many-started', id: 7, at: 1 },
      { type: 'sync-many-finished', id: 7, at: 2, error: 'refused: confirm the batch' },
    );
    expect(get(s)).toMatchObject({ stage: 'plan', error: 'refused: confirm the batch' });
  });
});

describe('shownApps', () => {
  it('is what the filter leaves on screen, in list and matrix mode alike', () => {
    const snap = new FakeEngine().getSnapshot();
    const fleet = { ...initialUiState().fleet, filter: 'order' };
    const names = (mode: 'list' | 'matrix') =>
      shownApps(fleetModel(snap, { ...fleet, mode }), { ...fleet, mode })
        .map((a) => a.name)
        .sort();
    expect(names('matrix')).toEqual(['order-service-dev', 'order-service-prod', 'order-service-staging']);
    expect(names('list')).toEqual(names('matrix'));
  });
});
