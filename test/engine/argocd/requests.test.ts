import { describe, expect, it } from 'vitest';
import { refreshPatch, syncOperationPatch, terminatePatch } from '../../../src/engine/argocd/requests.js';
import type { ArgoApplicationObject } from '../../../src/engine/argocd/status.js';

const app = (extra: Partial<ArgoApplicationObject> = {}): ArgoApplicationObject => ({
  metadata: { name: 'checkout-prod', namespace: 'argocd' },
  spec: { syncPolicy: { retry: { limit: 2 } } },
  ...extra,
});

describe('Argo CD requests', () => {
  it('a sync sets operation.sync with the options and the operator as initiator', () => {
    const r = syncOperationPatch(app(), {
      initiator: 'ana@bastion',
      revision: 'abc123',
      prune: true,
      dryRun: true,
      syncOptions: ['CreateNamespace=true'],
      resources: [
        { group: 'apps', kind: 'Deployment', namespace: 'shop', name: 'checkout' },
        { group: '', kind: 'Namespace', namespace: '', name: 'shop' },
      ],
    });
    expect(r).toEqual({
      ok: true,
      patch: {
        operation: {
          sync: {
            revision: 'abc123',
            prune: true,
            dryRun: true,
            syncOptions: ['CreateNamespace=true'],
            resources: [
              { group: 'apps', kind: 'Deployment', namespace: 'shop', name: 'checkout' },
              { group: '', kind: 'Namespace', name: 'shop' },
            ],
          },
          initiatedBy: { username: 'ana@bastion' },
          retry: { limit: 2 },
        },
      },
    });
  });

  it("a sync without options of its own uses the app's syncPolicy.syncOptions, as Argo CD's API does", () => {
    const r = syncOperationPatch(app({ spec: { syncPolicy: { syncOptions: ['CreateNamespace=true'] } } }), {
      initiator: 'ana@bastion',
    });
    expect(r).toEqual({
      ok: true,
      patch: {
        operation: {
          sync: { syncOptions: ['CreateNamespace=true'] },
          initiatedBy: { username: 'ana@bastion' },
        },
      },
    });
  });

  it('a plain sync sends no options it was not given', () => {
    const r = syncOperationPatch(app({ spec: {} }), { initiator: 'ana@bastion' });
    expect(r).toEqual({
      ok: true,
      patch: { operation: { sync: {}, initiatedBy: { username: 'ana@bastion' } } },
    });
  });

  it('refuses a sync while another operation is requested or running, or without an identity', () => {
    expect(syncOperationPatch(app({ operation: { sync: {} } }), { initiator: 'a@b' })).toEqual({
      ok: false,
      reason: 'checkout-prod already has a requested operation; wait for it or terminate it',
    });
    expect(
      syncOperationPatch(app({ status: { operationState: { phase: 'Running' } } }), { initiator: 'a@b' }),
    ).toEqual({ ok: false, reason: 'another operation is running on checkout-prod' });
    expect(syncOperationPatch(app(), { initiator: '' }).ok).toBe(false);
    expect(
      syncOperationPatch(app({ status: { operationState: { phase: 'Succeeded' } } }), { initiator: 'a@b' })
        .ok,
    ).toBe(true);
  });

  it('refresh and hard refresh set the refresh annotation', () => {
    expect(refreshPatch({ hard: false })).toEqual({
      metadata: { annotations: { 'argocd.argoproj.io/refresh': 'normal' } },
    });
    expect(refreshPatch({ hard: true })).toEqual({
      metadata: { annotations: { 'argocd.argoproj.io/refresh': 'hard' } },
    });
  });

  it('terminate marks a running operation Terminating and refuses otherwise', () => {
    expect(terminatePatch(app({ status: { operationState: { phase: 'Running' } } }))).toEqual({
      ok: true,
      patch: { status: { operationState: { phase: 'Terminating' } } },
    });
    expect(terminatePatch(app({ status: { operationState: { phase: 'Succeeded' } } }))).toEqual({
      ok: false,
      reason: 'no operation is running on checkout-prod',
    });
    expect(terminatePatch(app({ status: { operationState: { phase: 'Terminating' } } })).ok).toBe(false);
  });
});
