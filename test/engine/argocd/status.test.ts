import { describe, expect, it } from 'vitest';
import { type ArgoApplicationObject, argoAppStatus } from '../../../src/engine/argocd/status.js';

/** An Application CR as Argo CD v3 leaves it after one manual sync and a later drift. */
const synced: ArgoApplicationObject = {
  metadata: { name: 'guestbook', namespace: 'argocd', annotations: { 'argocd.argoproj.io/refresh': 'hard' } },
  spec: { project: 'default' },
  status: {
    sync: { status: 'OutOfSync', revision: 'c0ffee' },
    health: { status: 'Progressing' },
    reconciledAt: '2026-12-05T21:00:00Z',
    summary: { images: ['registry.local/guestbook:v2', 'registry.local/a:v1'] },
    conditions: [{ type: 'SyncError', message: 'one or more objects failed to apply' }],
    resources: [
      {
        group: 'apps',
        version: 'v1',
        kind: 'Deployment',
        namespace: 'shop',
        name: 'web',
        status: 'OutOfSync',
        health: { status: 'Progressing', message: 'Waiting for rollout' },
        syncWave: 1,
      },
      { version: 'v1', kind: 'ConfigMap', namespace: 'shop', name: 'cfg', status: 'Synced' },
      {
        version: 'v1',
        kind: 'Service',
        namespace: 'shop',
        name: 'new',
        status: 'OutOfSync',
        health: { status: 'Missing' },
      },
      {
        version: 'v1',
        kind: 'Secret',
        namespace: 'shop',
        name: 'old',
        status: 'OutOfSync',
        requiresPruning: true,
      },
      { version: 'v1', kind: 'Pod', namespace: 'shop', name: 'x', status: 'Unknown' },
    ],
    operationState: {
      operation: { sync: { revision: 'beef' }, initiatedBy: { username: 'ana@bastion' } },
      phase: 'Succeeded',
      message: 'successfully synced (all tasks run)',
      startedAt: '2026-12-05T20:00:00Z',
      finishedAt: '2026-12-05T20:00:05Z',
      syncResult: { revision: 'beef' },
    },
    history: [
      { id: 0, revision: 'aaa', deployedAt: '2026-12-05T19:00:00Z', initiatedBy: { automated: true } },
      {
        id: 1,
        revision: 'beef',
        deployedAt: '2026-12-05T20:00:05Z',
        deployStartedAt: '2026-12-05T20:00:00Z',
        initiatedBy: { username: 'ana@bastion' },
      },
    ],
  },
};

describe("Argo CD's view of an app", () => {
  it('maps sync, health, resources, conditions, operation and history', () => {
    const s = argoAppStatus(synced);
    expect(s.sync).toBe('OutOfSync');
    expect(s.revision).toBe('c0ffee');
    expect(s.health).toBe('Progressing');
    expect(s.reconciledAt).toBe('2026-12-05T21:00:00Z');
    expect(s.refreshPending).toBe('hard');
    expect(s.images).toEqual(['registry.local/a:v1', 'registry.local/guestbook:v2']);
    expect(s.conditions).toEqual([{ type: 'SyncError', message: 'one or more objects failed to apply' }]);
    expect(s.resources.map((r) => [r.key.kind, r.key.name, r.sync, r.health?.status])).toEqual([
      ['Deployment', 'web', 'OutOfSync', 'Progressing'],
      ['ConfigMap', 'cfg', 'Synced', undefined],
      ['Service', 'new', 'Missing', 'Missing'],
      ['Secret', 'old', 'Extra', undefined],
      ['Pod', 'x', 'OutOfSync', undefined],
    ]);
    expect(s.resources[0]).toMatchObject({
      key: { group: 'apps', kind: 'Deployment', namespace: 'shop', name: 'web' },
      version: 'v1',
      wave: 1,
      health: { status: 'Progressing', message: 'Waiting for rollout' },
    });
    expect(s.operation).toEqual({
      id: 'argocd:guestbook:2026-12-05T20:00:00Z',
      kind: 'sync',
      phase: 'Succeeded',
      message: 'successfully synced (all tasks run)',
      revision: 'beef',
      initiator: 'ana@bastion',
      startedAt: '2026-12-05T20:00:00Z',
      finishedAt: '2026-12-05T20:00:05Z',
    });
    expect(s.operationPending).toBe(false);
    expect(s.history).toEqual([
      {
        id: 1,
        revision: 'beef',
        deployedAt: '2026-12-05T20:00:05Z',
        deployStartedAt: '2026-12-05T20:00:00Z',
        initiator: 'ana@bastion',
        automated: false,
      },
      {
        id: 0,
        revision: 'aaa',
        deployedAt: '2026-12-05T19:00:00Z',
        initiator: 'argocd (automated)',
        automated: true,
      },
    ]);
  });

  it('an app Argo CD has not compared yet is Unknown, with nothing invented', () => {
    const s = argoAppStatus({ metadata: { name: 'new' } });
    expect(s).toEqual({
      sync: 'Unknown',
      health: 'Unknown',
      resources: [],
      conditions: [],
      operationPending: false,
      history: [],
      images: [],
    });
  });

  it('a requested sync not yet picked up shows as running, with its initiator', () => {
    const s = argoAppStatus({
      metadata: { name: 'new' },
      operation: { sync: { revision: 'main' }, initiatedBy: { username: 'ana@bastion' } },
    });
    expect(s.operationPending).toBe(true);
    expect(s.operation).toMatchObject({ phase: 'Running', revision: 'main', initiator: 'ana@bastion' });
  });

  it('a terminating operation is still running and says so; unknown values become Unknown', () => {
    const s = argoAppStatus({
      metadata: { name: 'a' },
      status: {
        sync: { status: 'Weird' },
        health: { status: 'Sick' },
        operationState: { phase: 'Terminating', message: 'waiting for hook', startedAt: 't0' },
      },
    });
    expect(s.sync).toBe('Unknown');
    expect(s.health).toBe('Unknown');
    expect(s.operation).toMatchObject({ phase: 'Running', message: 'terminating: waiting for hook' });
  });
});
