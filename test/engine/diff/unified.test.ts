import { describe, expect, it } from 'vitest';
import { compareObjects, diffStats, toYaml, unifiedDiff } from '../../../src/engine/diff/index.js';
import { desiredDeployment, liveDeployment } from './fixtures.js';

describe('unifiedDiff', () => {
  it('shows a replicas change as YAML lines', () => {
    const r = compareObjects({
      desired: desiredDeployment({ replicas: 5 }),
      live: liveDeployment({ replicas: 3 }),
      mode: 'desired-fields',
    });
    const text = unifiedDiff({
      key: { group: 'apps', kind: 'Deployment', namespace: 'shop', name: 'checkout' },
      live: r.normalizedLive,
      target: r.normalizedTarget,
    });
    expect(text).toContain('--- live/Deployment/shop/checkout');
    expect(text).toContain('+++ target/Deployment/shop/checkout');
    expect(text).toContain('\n-  replicas: 3\n');
    expect(text).toContain('\n+  replicas: 5\n');
    expect(diffStats(text)).toEqual({ added: 1, removed: 1 });
  });

  it('is empty for identical objects and shows whole files for a missing side', () => {
    const d = desiredDeployment();
    expect(unifiedDiff({ label: 'x', live: d, target: d })).toBe('');
    const created = unifiedDiff({ label: 'x', target: d });
    expect(diffStats(created).removed).toBe(0);
    expect(diffStats(created).added).toBe(toYaml(d).trimEnd().split('\n').length);
    expect(diffStats(unifiedDiff({ label: 'x', live: d })).added).toBe(0);
  });

  it('sorts keys so that key order never shows as a change', () => {
    const a = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' }, data: { b: '2', a: '1' } };
    const b = { kind: 'ConfigMap', apiVersion: 'v1', data: { a: '1', b: '2' }, metadata: { name: 'c' } };
    expect(unifiedDiff({ label: 'c', live: a, target: b })).toBe('');
    expect(toYaml(a).indexOf('a: "1"')).toBeLessThan(toYaml(a).indexOf('b: "2"'));
  });

  it('counts lines of concatenated diffs without their headers', () => {
    const one = unifiedDiff({
      label: 'a',
      live: desiredDeployment({ replicas: 1 }),
      target: desiredDeployment({ replicas: 2 }),
    });
    expect(diffStats(one + one)).toEqual({ added: 2, removed: 2 });
  });
});
