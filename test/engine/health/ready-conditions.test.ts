import { describe, expect, it } from 'vitest';
import { assessHealth, healthSource } from '../../../src/engine/health/index.js';
import type { KubeObject } from '../../../src/engine/model/index.js';

const cond = (type: string, status: string, reason?: string, message?: string) => ({
  type,
  status,
  ...(reason ? { reason } : {}),
  ...(message ? { message } : {}),
});

const flux = (status: Record<string, unknown>, spec: Record<string, unknown> = {}): KubeObject => ({
  apiVersion: 'kustomize.toolkit.fluxcd.io/v1',
  kind: 'Kustomization',
  metadata: { name: 'apps', namespace: 'flux-system', generation: 2 },
  spec,
  status: { observedGeneration: 2, ...status },
});

const xp = (kind: string, conditions: unknown[] | undefined, apiVersion = 's3.aws.upbound.io/v1beta1') => ({
  apiVersion,
  kind,
  metadata: { name: 'b' },
  ...(conditions ? { status: { conditions } } : {}),
});

describe('Flux health (Ready/Reconciling/Stalled, suspend)', () => {
  it('maps the conditions as Flux sets them', () => {
    expect(
      assessHealth(flux({ conditions: [cond('Ready', 'True', 'ReconciliationSucceeded')] })),
    ).toMatchObject({
      status: 'Healthy',
      check: 'flux.ready',
    });
    expect(
      assessHealth(flux({ conditions: [cond('Ready', 'False', 'BuildFailed', 'kustomize build failed')] })),
    ).toMatchObject({
      status: 'Degraded',
      message: 'Kustomization "apps" is not ready: BuildFailed: kustomize build failed.',
    });
    expect(
      assessHealth(
        flux({
          conditions: [cond('Reconciling', 'True', 'Progressing'), cond('Ready', 'Unknown', 'Progressing')],
        }),
      ),
    ).toMatchObject({ status: 'Progressing', check: 'flux.reconciling' });
    expect(
      assessHealth(
        flux({ conditions: [cond('Ready', 'False', 'X'), cond('Stalled', 'True', 'InvalidPath')] }),
      ),
    ).toMatchObject({ status: 'Degraded', check: 'flux.stalled' });
    expect(assessHealth(flux({ conditions: [cond('Ready', 'True')] }, { suspend: true }))).toMatchObject({
      status: 'Suspended',
    });
    expect(assessHealth(flux({ observedGeneration: 1, conditions: [cond('Ready', 'True')] }))).toMatchObject({
      status: 'Progressing',
      check: 'flux.generation',
    });
  });
});

describe('Crossplane health (Synced/Ready, LastAsyncOperation)', () => {
  it('Synced False is Degraded with its message, Ready True Healthy, anything else Progressing', () => {
    expect(
      assessHealth(
        xp('Bucket', [
          cond('Synced', 'False', 'ReconcileError', 'cannot create bucket'),
          cond('Ready', 'True'),
        ]),
      ),
    ).toMatchObject({
      status: 'Degraded',
      message: 'Bucket "b" is not synced: ReconcileError: cannot create bucket.',
    });
    expect(
      assessHealth(xp('Bucket', [cond('Synced', 'True'), cond('Ready', 'True', 'Available')])),
    ).toMatchObject({
      status: 'Healthy',
      check: 'crossplane.ready',
    });
    expect(
      assessHealth(xp('Bucket', [cond('Synced', 'True'), cond('Ready', 'False', 'Creating')])),
    ).toMatchObject({
      status: 'Progressing',
    });
    expect(assessHealth(xp('Bucket', [cond('LastAsyncOperation', 'False', 'ApplyFailure')]))).toMatchObject({
      status: 'Degraded',
      check: 'crossplane.async',
    });
    expect(assessHealth(xp('Bucket', undefined))).toMatchObject({ status: 'Progressing' });
    expect(assessHealth(xp('ProviderConfig', undefined, 'aws.upbound.io/v1beta1'))).toMatchObject({
      status: 'Healthy',
    });
    expect(
      assessHealth(
        xp('Provider', [cond('Installed', 'True'), cond('Healthy', 'True')], 'pkg.crossplane.io/v1'),
      ),
    ).toMatchObject({ status: 'Healthy' });
  });
});

describe('healthSource (explain says where a verdict came from)', () => {
  it('names the script, the built-in check or the generic conditions', () => {
    const key = { group: 'argoproj.io', kind: 'Rollout' };
    expect(healthSource({ status: 'Degraded', check: 'health.lua from argocd-cm in production' }, key)).toBe(
      'health.lua from argocd-cm in production',
    );
    expect(healthSource({ status: 'Healthy', check: 'rollout.phase' }, key)).toBe('built-in Rollout health');
    expect(healthSource({ status: 'Healthy', check: 'conditions.ready' }, key)).toBe('generic conditions');
    const bucket = xp('Bucket', [cond('Synced', 'False')]);
    const h = assessHealth(bucket);
    expect(h && healthSource(h, { group: 's3.aws.upbound.io', kind: 'Bucket' })).toBe(
      'built-in Crossplane health',
    );
  });
});
