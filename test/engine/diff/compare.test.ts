import { describe, expect, it } from 'vitest';
import { compareObjects, explainComparison } from '../../../src/engine/diff/index.js';
import type { IgnoreDifference, KubeObject } from '../../../src/engine/model/index.js';
import { desiredDeployment, liveDeployment, managedEntry, predictedFrom } from './fixtures.js';

const scaled = managedEntry('kubectl-scale', { 'f:spec': { 'f:replicas': {} } }, { subresource: 'scale' });

describe('compareObjects, full mode (SSA dry-run prediction)', () => {
  it('reports nothing for an unchanged object', () => {
    const live = liveDeployment();
    const r = compareObjects({
      desired: desiredDeployment(),
      live,
      predicted: predictedFrom(live, {}),
      mode: 'full',
    });
    expect(r.modified).toBe(false);
    expect(r.changedPaths).toEqual([]);
  });

  it('reports a replicas change and who last wrote it', () => {
    const live = liveDeployment({ replicas: 5, extraManagers: [scaled] });
    const r = compareObjects({
      desired: desiredDeployment({ replicas: 3 }),
      live,
      predicted: predictedFrom(live, { replicas: 3 }),
      mode: 'full',
    });
    expect(r.modified).toBe(true);
    expect(r.changedPaths).toEqual(['/spec/replicas']);
    expect(r.managers).toEqual([
      { path: '/spec/replicas', manager: 'kubectl-scale', operation: 'Update', time: '2025-01-11T10:00:00Z' },
    ]);
    expect(explainComparison(r)).toEqual([
      '/spec/replicas differs from Git; it was last written by kubectl-scale (Update).',
    ]);
  });

  it('reports an image change by its container index', () => {
    const live = liveDeployment();
    const r = compareObjects({
      desired: desiredDeployment({ image: 'registry.local/checkout:1.5.0' }),
      live,
      predicted: predictedFrom(live, { image: 'registry.local/checkout:1.5.0' }),
      mode: 'full',
    });
    expect(r.changedPaths).toEqual(['/spec/template/spec/containers/0/image']);
    expect(r.managers.map((m) => m.manager)).toEqual(['bosun']);
  });

  it('ignores status, managedFields and other server-owned metadata', () => {
    const live = liveDeployment();
    const predicted = predictedFrom(live, {}) as KubeObject & { status: Record<string, unknown> };
    predicted.status = { replicas: 1 };
    predicted.metadata.resourceVersion = '99999';
    predicted.metadata.managedFields = [];
    predicted.metadata.generation = 8;
    const r = compareObjects({ desired: desiredDeployment(), live, predicted, mode: 'full' });
    expect(r.modified).toBe(false);
    expect(r.normalizedLive.metadata.managedFields).toBeUndefined();
    expect(r.normalizedLive.metadata.resourceVersion).toBeUndefined();
    expect(r.normalizedLive.status).toBeUndefined();
    expect(r.normalizedLive.metadata.annotations).toEqual({
      'bosun.dev/tracking-id': 'checkout-dev:apps/Deployment:shop/checkout',
    });
  });

  it('compares status when the kind’s status is desired', () => {
    const live = liveDeployment();
    const predicted = predictedFrom(live, {}) as KubeObject & { status: Record<string, unknown> };
    predicted.status = { replicas: 1 };
    const r = compareObjects({
      desired: desiredDeployment(),
      live,
      predicted,
      mode: 'full',
      keepStatus: true,
    });
    expect(r.changedPaths).toContain('/status/replicas');
  });

  it('treats {} and absent alike', () => {
    const live = liveDeployment();
    const predicted = predictedFrom(live, {});
    (predicted.spec as Record<string, unknown>).strategy = {
      type: 'RollingUpdate',
      rollingUpdate: { maxSurge: '25%', maxUnavailable: '25%' },
      extra: {},
    };
    predicted.metadata.labels = { app: 'checkout' };
    (predicted.metadata as Record<string, unknown>).finalizers = [];
    const r = compareObjects({ desired: desiredDeployment(), live, predicted, mode: 'full' });
    expect(r.modified).toBe(false);
  });

  it('flags reordered containers and removed env entries by name', () => {
    const live = liveDeployment();
    const predicted = predictedFrom(live, {});
    const c = (predicted.spec as { template: { spec: { containers: { env: unknown[] }[] } } }).template.spec
      .containers[0] as { env: unknown[] };
    c.env = [{ name: 'LOG_LEVEL', value: 'info' }];
    const r = compareObjects({ desired: desiredDeployment(), live, predicted, mode: 'full' });
    expect(r.changedPaths).toEqual(['/spec/template/spec/containers/0/env/0']);
  });

  it('does not modify its inputs', () => {
    const live = liveDeployment({ replicas: 5 });
    const desired = desiredDeployment();
    const before = JSON.stringify([live, desired]);
    compareObjects({ desired, live, mode: 'desired-fields' });
    compareObjects({ desired, live, predicted: predictedFrom(live, { replicas: 3 }), mode: 'full' });
    expect(JSON.stringify([live, desired])).toBe(before);
  });
});

describe('compareObjects, desired-fields mode (dry-run refused)', () => {
  it('ignores fields live has and Git does not set (defaults)', () => {
    const r = compareObjects({
      desired: desiredDeployment(),
      live: liveDeployment(),
      mode: 'desired-fields',
    });
    expect(r.changedPaths).toEqual([]);
    expect(r.modified).toBe(false);
  });

  it('treats null, {} and [] in Git like absent fields', () => {
    const desired = desiredDeployment();
    desired.metadata.annotations = { ...desired.metadata.annotations, empty: null as unknown as string };
    Object.assign(desired.spec as object, {
      strategy: {},
      minReadySeconds: null,
      template: { ...(desired.spec as { template: object }).template },
    });
    (desired.metadata as Record<string, unknown>).finalizers = [];
    const r = compareObjects({ desired, live: liveDeployment(), mode: 'desired-fields' });
    expect(r.changedPaths).toEqual([]);
  });

  it('compares quantities by value (cpu: 1 vs "1000m")', () => {
    const live = liveDeployment();
    const c = (live.spec as { template: { spec: { containers: { resources: { limits: object } }[] } } })
      .template.spec.containers[0];
    if (c) c.resources.limits = { cpu: '1000m', memory: '0.25Gi' };
    const r = compareObjects({ desired: desiredDeployment(), live, mode: 'desired-fields' });
    expect(r.modified).toBe(false);
  });

  it('reports replicas and image changes', () => {
    const r = compareObjects({
      desired: desiredDeployment({ replicas: 5, image: 'registry.local/checkout:2.0.0' }),
      live: liveDeployment({ extraManagers: [scaled] }),
      mode: 'desired-fields',
    });
    expect(r.changedPaths).toEqual(['/spec/replicas', '/spec/template/spec/containers/0/image']);
    expect(r.managers).toEqual([
      { path: '/spec/replicas', manager: 'kubectl-scale', operation: 'Update', time: '2025-01-11T10:00:00Z' },
      {
        path: '/spec/template/spec/containers/0/image',
        manager: 'bosun',
        operation: 'Apply',
        time: '2025-01-10T09:00:00Z',
      },
    ]);
  });

  it('matches named list entries by name, not position', () => {
    const desired = desiredDeployment();
    const c = (desired.spec as { template: { spec: { containers: { env: unknown[] }[] } } }).template.spec
      .containers[0] as { env: unknown[] };
    c.env = [
      { name: 'LOG_LEVEL', value: 'debug' },
      { name: 'MODE', value: 'prod' },
      { name: 'NEW', value: '1' },
    ];
    const r = compareObjects({ desired, live: liveDeployment(), mode: 'desired-fields' });
    expect(r.changedPaths).toEqual([
      '/spec/template/spec/containers/0/env/1/value',
      '/spec/template/spec/containers/0/env/2',
    ]);
  });

  it('keeps a sidecar another manager added, and reports a label Git dropped', () => {
    const live = liveDeployment({
      extraManagers: [
        managedEntry('mesh-injector', {
          'f:metadata': { 'f:labels': { 'f:mesh': {} } },
          'f:spec': {
            'f:template': {
              'f:spec': { 'f:containers': { 'k:{"name":"proxy"}': { '.': {}, 'f:image': {} } } },
            },
          },
        }),
      ],
    });
    live.metadata.labels = { app: 'checkout', mesh: 'on' };
    const spec = (live.spec as { template: { spec: { containers: unknown[] } } }).template.spec;
    spec.containers.push({ name: 'proxy', image: 'mesh/proxy:1' });
    const r1 = compareObjects({ desired: desiredDeployment(), live, mode: 'desired-fields' });
    expect(r1.modified).toBe(false);

    const desired = desiredDeployment();
    desired.metadata.labels = {};
    const r2 = compareObjects({ desired, live, mode: 'desired-fields' });
    expect(r2.changedPaths).toEqual(['/metadata/labels/app']);
  });
});

describe('compareObjects with ignoreDifferences', () => {
  const replicasRule: IgnoreDifference = {
    group: 'apps',
    kind: 'Deployment',
    jsonPointers: ['/spec/replicas'],
  };

  it('hides /spec/replicas with jsonPointers and says which rule did', () => {
    const live = liveDeployment({ replicas: 5 });
    const r = compareObjects({
      desired: desiredDeployment(),
      live,
      predicted: predictedFrom(live, { replicas: 3 }),
      ignore: [replicasRule],
      mode: 'full',
    });
    expect(r.modified).toBe(false);
    expect(r.ignoredPaths).toEqual([{ path: '/spec/replicas', rule: 'jsonPointers /spec/replicas' }]);
    expect(explainComparison(r)).toEqual([
      '/spec/replicas differs but is ignored by ignoreDifferences jsonPointers /spec/replicas.',
    ]);
  });

  it('applies only rules matching group, kind, name and namespace', () => {
    const live = liveDeployment({ replicas: 5 });
    const base = { desired: desiredDeployment(), live, mode: 'desired-fields' as const };
    for (const rule of [
      { ...replicasRule, group: undefined },
      { ...replicasRule, name: 'other' },
      { ...replicasRule, namespace: 'other' },
      { ...replicasRule, kind: 'StatefulSet' },
    ]) {
      expect(compareObjects({ ...base, ignore: [rule] }).modified).toBe(true);
    }
    expect(
      compareObjects({ ...base, ignore: [{ ...replicasRule, name: 'check*', namespace: 'shop' }] }).modified,
    ).toBe(false);
    expect(
      compareObjects({ ...base, ignore: [{ group: '*', kind: '*', jsonPointers: ['/spec/replicas'] }] })
        .modified,
    ).toBe(false);
  });

  it('copies fields owned by managedFieldsManagers from live', () => {
    const hpa = managedEntry('kube-controller-manager', { 'f:spec': { 'f:replicas': {} } });
    const live = liveDeployment({ replicas: 7, extraManagers: [hpa] });
    const r = compareObjects({
      desired: desiredDeployment({ replicas: 3 }),
      live,
      predicted: predictedFrom(live, { replicas: 3 }),
      ignore: [{ group: 'apps', kind: 'Deployment', managedFieldsManagers: ['kube-controller-manager'] }],
      mode: 'full',
    });
    expect(r.modified).toBe(false);
    expect(r.ignoredPaths).toEqual([
      { path: '/spec/replicas', rule: 'managedFieldsManagers kube-controller-manager' },
    ]);
    expect((r.normalizedTarget.spec as { replicas: number }).replicas).toBe(7);
  });

  it('copies a keyed list element owned by a listed manager', () => {
    const live = liveDeployment({
      extraManagers: [
        managedEntry('mesh-injector', {
          'f:spec': {
            'f:template': {
              'f:spec': {
                'f:containers': { 'k:{"name":"proxy"}': { '.': {}, 'f:name': {}, 'f:image': {} } },
              },
            },
          },
        }),
      ],
    });
    const spec = (live.spec as { template: { spec: { containers: unknown[] } } }).template.spec;
    spec.containers.push({ name: 'proxy', image: 'mesh/proxy:1' });
    const rule: IgnoreDifference = {
      group: 'apps',
      kind: 'Deployment',
      managedFieldsManagers: ['mesh-injector'],
    };
    const predicted = predictedFrom(liveDeployment(), {});
    const without = compareObjects({ desired: desiredDeployment(), live, predicted, mode: 'full' });
    expect(without.changedPaths).toEqual(['/spec/template/spec/containers/1']);
    const r = compareObjects({ desired: desiredDeployment(), live, predicted, ignore: [rule], mode: 'full' });
    expect(r.modified).toBe(false);
    expect(r.ignoredPaths).toEqual([
      { path: '/spec/template/spec/containers/1', rule: 'managedFieldsManagers mesh-injector' },
    ]);
  });

  it('applies supported jqPathExpressions', () => {
    const live = liveDeployment({ image: 'registry.local/checkout:patched' });
    const r = compareObjects({
      desired: desiredDeployment(),
      live,
      predicted: predictedFrom(live, { image: 'registry.local/checkout:1.4.2' }),
      ignore: [
        {
          group: 'apps',
          kind: 'Deployment',
          jqPathExpressions: ['.spec.template.spec.containers[] | select(.name == "app") | .image'],
        },
      ],
      mode: 'full',
    });
    expect(r.modified).toBe(false);
    expect(r.ignoredPaths).toEqual([
      {
        path: '/spec/template/spec/containers/0/image',
        rule: 'jqPathExpressions .spec.template.spec.containers[] | select(.name == "app") | .image',
      },
    ]);
  });

  it('reports unsupported jqPathExpressions as a note and still compares', () => {
    const r = compareObjects({
      desired: desiredDeployment({ replicas: 2 }),
      live: liveDeployment(),
      ignore: [{ group: 'apps', kind: 'Deployment', jqPathExpressions: ['.spec | keys', 'del(.spec)'] }],
      mode: 'desired-fields',
    });
    expect(r.modified).toBe(true);
    expect(r.notes).toHaveLength(2);
    expect(r.notes[0]).toContain('".spec | keys" was not applied');
    expect(explainComparison(r)).toContain(r.notes[1]);
  });
});

describe('ignore rule globs', () => {
  it('match * anywhere in a field', () => {
    const base = {
      desired: desiredDeployment({ replicas: 1 }),
      live: liveDeployment(),
      mode: 'desired-fields' as const,
    };
    const hidden = (name: string) =>
      !compareObjects({
        ...base,
        ignore: [{ group: 'apps', kind: 'Deploy*', name, jsonPointers: ['/spec/replicas'] }],
      }).modified;
    expect(['*', 'check*', '*out', 'c*k*t', 'checkout', '*e*']).toEqual(
      ['*', 'check*', '*out', 'c*k*t', 'checkout', '*e*'].filter(hidden),
    );
    expect(['check', '*x*', 'checkout?', 'c*z', 'checkoutcheckout*'].filter(hidden)).toEqual([]);
  });
});
