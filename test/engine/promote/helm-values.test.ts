import { describe, expect, it } from 'vitest';
import {
  hasHelmValue,
  MissingValueKeyError,
  parseValueKey,
  readHelmValue,
  setHelmValue,
} from '../../../src/engine/promote/helm-values.js';

const values = `# values for prod
replicaCount: 3
image:
  repository: registry.local/platform/search   # mirror
  tag: 2.3.0 # released 2024-05-01
  pullPolicy: IfNotPresent
sidecars:
  - name: proxy
    image: { tag: '1.2' }
autoscaling: { enabled: true }
`;

describe('parseValueKey', () => {
  it('splits dots and indices, honouring escapes', () => {
    expect(parseValueKey('image.tag')).toEqual(['image', 'tag']);
    expect(parseValueKey('sidecars[0].image.tag')).toEqual(['sidecars', 0, 'image', 'tag']);
    expect(parseValueKey('annotations.app\\.kubernetes\\.io/version')).toEqual([
      'annotations',
      'app.kubernetes.io/version',
    ]);
    expect(() => parseValueKey('')).toThrow(/empty/);
    expect(() => parseValueKey('a[x]')).toThrow(/invalid index/);
  });
});

describe('helm values', () => {
  it('reads the default key image.tag and nested keys', () => {
    expect(readHelmValue(values)).toBe('2.3.0');
    expect(readHelmValue(values, { key: 'sidecars[0].image.tag' })).toBe('1.2');
    expect(readHelmValue(values, { key: 'image.digest' })).toBeUndefined();
    expect(hasHelmValue(values, { key: 'image.pullPolicy' })).toBe(true);
  });

  it('changes only the scalar (comments, order, quoting stay)', () => {
    expect(setHelmValue(values, { value: '2.3.1' })).toBe(values.replace('tag: 2.3.0 #', 'tag: 2.3.1 #'));
    expect(setHelmValue(values, { key: 'sidecars[0].image.tag', value: '1.3' })).toBe(
      values.replace("tag: '1.2'", "tag: '1.3'"),
    );
  });

  it('keeps a number-looking value a string', () => {
    const after = setHelmValue(values, { value: '2.10' });
    expect(after).toBe(values.replace('tag: 2.3.0 #', 'tag: "2.10" #'));
    expect(readHelmValue(after)).toBe('2.10');
  });

  it('fills an empty value', () => {
    expect(setHelmValue('image:\n  tag:\n  x: 1\n', { value: 'v1' })).toBe('image:\n  tag: v1\n  x: 1\n');
    expect(setHelmValue('image:\n  tag:  # c\n', { value: 'v1' })).toBe('image:\n  tag: v1  # c\n');
  });

  it('names file and key when the key is missing', () => {
    const file = 'environments/prod/search/values.yaml';
    let err: unknown;
    try {
      setHelmValue('replicaCount: 1\n', { value: 'v1', file });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(MissingValueKeyError);
    expect((err as Error).message).toBe(
      `${file} has no key image.tag; add it there, or set promote.helmValueKey in bosun.yaml`,
    );
    expect(() => setHelmValue(values, { key: 'image', value: 'x', file })).toThrow(
      /image is not a single value/,
    );
  });
});
