import { describe, expect, it } from 'vitest';
import {
  changedPaths,
  compileJqPath,
  evaluateJqPath,
  lastWriterOf,
  type ManagedFieldsEntry,
  ownsPath,
  parsePointer,
  parseQuantity,
  toPointer,
} from '../../../src/engine/diff/index.js';

const doc = {
  metadata: {
    annotations: { 'kubectl.kubernetes.io/restartedAt': 'now', plain: 'x' },
    finalizers: ['a', 'b'],
  },
  spec: {
    replicas: 3,
    containers: [
      { name: 'app', image: 'app:1', env: [{ name: 'A', value: '1' }] },
      { name: 'proxy', image: 'proxy:1' },
    ],
    webhooks: [{ clientConfig: { caBundle: 'abc' } }, { clientConfig: {} }],
  },
};

function paths(expr: string, target: unknown = doc): string[] {
  const c = compileJqPath(expr);
  if (!c.ok) throw new Error(c.reason);
  return evaluateJqPath(c.path, target).map(toPointer);
}

describe('JSON pointers', () => {
  it('escapes and unescapes ~ and /', () => {
    expect(toPointer(['metadata', 'annotations', 'a/b~c', 0])).toBe('/metadata/annotations/a~1b~0c/0');
    expect(parsePointer('/metadata/annotations/a~1b~0c/0')).toEqual([
      'metadata',
      'annotations',
      'a/b~c',
      '0',
    ]);
    expect(parsePointer('spec')).toBeUndefined();
  });

  it('reports keys present on one side only, once, at their top', () => {
    expect(changedPaths({ a: { b: 1 }, c: 1 }, { c: 2, d: { e: 1 } })).toEqual(['/a', '/c', '/d']);
    expect(changedPaths([1, 2, 3], [1, 3])).toEqual(['/1', '/2']);
  });
});

describe('jq path subset', () => {
  it('evaluates paths, brackets, iteration and select', () => {
    expect(paths('.spec.replicas')).toEqual(['/spec/replicas']);
    expect(paths('.metadata.annotations."kubectl.kubernetes.io/restartedAt"')).toEqual([
      '/metadata/annotations/kubectl.kubernetes.io~1restartedAt',
    ]);
    expect(paths('.metadata.annotations["plain"]')).toEqual(['/metadata/annotations/plain']);
    expect(paths('.spec.containers[1].image')).toEqual(['/spec/containers/1/image']);
    expect(paths('.spec.containers[] | select(.name == "proxy")')).toEqual(['/spec/containers/1']);
    expect(
      paths(
        '.spec.containers[] | select(.name != "proxy") | .env[] | select(.name == "A" and .value == "1")',
      ),
    ).toEqual(['/spec/containers/0/env/0']);
    expect(paths('.spec.webhooks[]?.clientConfig.caBundle')).toEqual([
      '/spec/webhooks/0/clientConfig/caBundle',
    ]);
    expect(paths('.spec.containers[] | select(.env) | .name')).toEqual(['/spec/containers/0/name']);
    expect(paths('.spec.missing.deeper')).toEqual([]);
  });

  it('refuses everything else with a reason', () => {
    for (const expr of [
      '.spec | keys',
      'del(.spec)',
      '.a + 1',
      '.spec[-1]',
      '"x"',
      '.a | select(.b | test("x"))',
      '.a.b-c',
    ]) {
      const c = compileJqPath(expr);
      expect(c.ok, expr).toBe(false);
    }
    expect(compileJqPath(`.${'a'.repeat(2000)}`).ok).toBe(false);
  });
});

describe('managedFields', () => {
  const entries: ManagedFieldsEntry[] = [
    {
      manager: 'bosun',
      operation: 'Apply',
      time: '2025-01-01T00:00:00Z',
      fields: {
        'f:spec': {
          'f:replicas': {},
          'f:containers': { 'k:{"name":"app"}': { '.': {}, 'f:image': {}, 'f:env': {} } },
        },
        'f:metadata': { 'f:finalizers': { 'v:"a"': {} } },
      },
    },
    {
      manager: 'kubectl-edit',
      operation: 'Update',
      time: '2025-02-01T00:00:00Z',
      fields: { 'f:spec': { 'f:containers': { 'k:{"name":"proxy"}': { 'f:image': {} } }, 'f:replicas': {} } },
    },
  ];

  it('walks f:, k:, v: keys and atomic leaves', () => {
    const bosun = entries[0]?.fields ?? {};
    expect(ownsPath(bosun, doc, ['spec', 'replicas'])).toBe(true);
    expect(ownsPath(bosun, doc, ['spec', 'containers', 0, 'image'])).toBe(true);
    expect(ownsPath(bosun, doc, ['spec', 'containers', 0, 'env', 0, 'value'])).toBe(true);
    expect(ownsPath(bosun, doc, ['spec', 'containers', 1, 'image'])).toBe(false);
    expect(ownsPath(bosun, doc, ['metadata', 'finalizers', 0])).toBe(true);
    expect(ownsPath(bosun, doc, ['metadata', 'finalizers', 1])).toBe(false);
    expect(ownsPath({}, doc, ['spec'])).toBe(false);
  });

  it('picks the most recent writer', () => {
    expect(lastWriterOf(entries, doc, ['spec', 'replicas'])?.manager).toBe('kubectl-edit');
    expect(lastWriterOf(entries, doc, ['spec', 'containers', 0, 'image'])?.manager).toBe('bosun');
    expect(lastWriterOf(entries, doc, ['spec', 'webhooks'])).toBeUndefined();
  });
});

describe('parseQuantity', () => {
  it('understands decimal and binary suffixes', () => {
    expect(parseQuantity('500m')).toBeCloseTo(0.5);
    expect(parseQuantity('1Gi')).toBe(2 ** 30);
    expect(parseQuantity('1e3')).toBe(1000);
    expect(parseQuantity(2)).toBe(2);
    expect(parseQuantity('abc')).toBeUndefined();
  });
});
