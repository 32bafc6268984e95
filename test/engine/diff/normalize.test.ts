import { describe, expect, it } from 'vitest';
import { normalizeObject, pruneEmpty } from '../../../src/engine/diff/index.js';
import type { KubeObject } from '../../../src/engine/model/index.js';
import { liveDeployment } from './fixtures.js';

describe('normalizeObject', () => {
  it('strips server-owned metadata, tool annotations and status', () => {
    const live = liveDeployment();
    live.metadata.selfLink = '/apis/apps/v1/namespaces/shop/deployments/checkout';
    live.metadata.annotations = {
      ...live.metadata.annotations,
      'kubectl.kubernetes.io/last-applied-configuration': '{}',
    };
    const n = normalizeObject(live);
    expect(Object.keys(n.metadata).sort()).toEqual(['annotations', 'labels', 'name', 'namespace']);
    expect(n.metadata.annotations).toEqual({
      'bosun.dev/tracking-id': 'checkout-dev:apps/Deployment:shop/checkout',
    });
    expect(n.status).toBeUndefined();
    expect(normalizeObject(live, { keepStatus: true }).status).toEqual(live.status);
  });

  it('returns a deep copy and leaves the input alone', () => {
    const live = liveDeployment();
    const before = JSON.stringify(live);
    const n = normalizeObject(live);
    (n.spec as { replicas: number }).replicas = 99;
    expect(JSON.stringify(live)).toBe(before);
  });

  it('drops empty maps, empty arrays and nulls among map members, keeps array elements', () => {
    const obj: KubeObject = {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'c', labels: {}, annotations: { 'deployment.kubernetes.io/revision': '1' } },
      data: { a: '' },
      spec: { list: [], map: { inner: {} }, n: null, items: [{}, null, { x: [] }] },
    };
    expect(normalizeObject(obj)).toEqual({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'c' },
      data: { a: '' },
      spec: { items: [{}, null, {}] },
    });
    expect(pruneEmpty({ a: { b: { c: [] } } })).toBeUndefined();
    expect(pruneEmpty(0)).toBe(0);
    expect(pruneEmpty(false)).toBe(false);
  });

  it('folds Secret stringData into base64 data', () => {
    const s: KubeObject = {
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: 's' },
      data: { a: 'eA==' },
      stringData: { b: 'y' },
    };
    expect(normalizeObject(s)).toEqual({
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: 's' },
      data: { a: 'eA==', b: 'eQ==' },
    });
  });
});
