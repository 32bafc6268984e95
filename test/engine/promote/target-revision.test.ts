import { describe, expect, it } from 'vitest';
import { readTargetRevision, setTargetRevision } from '../../../src/engine/promote/target-revision.js';

const single = `apiVersion: argoproj.io/v1alpha1
kind: Application
metadata:
  name: billing-prod   # prod
spec:
  project: default
  source:
    repoURL: https://git.example/manifests.git
    targetRevision: v2.0.0   # release tag
    path: billing
  destination: { name: production, namespace: billing }
`;

const multi = `apiVersion: argoproj.io/v1alpha1
kind: Application
metadata: {name: a-staging}
spec:
  sources:
    - repoURL: https://charts.example
      chart: a
      targetRevision: "1.2.0"
    - repoURL: https://git.example/values.git
      ref: values
---
apiVersion: argoproj.io/v1alpha1
kind: Application
metadata: {name: a-prod}
spec:
  sources:
    - repoURL: https://charts.example
      chart: a
    - repoURL: https://git.example/values.git
      ref: values
`;

describe('targetRevision', () => {
  it('reads and sets spec.source.targetRevision, changing only that scalar', () => {
    expect(readTargetRevision(single)).toBe('v2.0.0');
    expect(setTargetRevision(single, { value: 'v2.1.0' })).toBe(single.replace('v2.0.0', 'v2.1.0'));
  });

  it('picks the Application by name in a multi-document file and uses sources[i]', () => {
    expect(readTargetRevision(multi, { app: 'a-staging', sourceIndex: 0 })).toBe('1.2.0');
    expect(readTargetRevision(multi, { app: 'a-prod', sourceIndex: 0 })).toBeUndefined();
    const after = setTargetRevision(multi, { app: 'a-prod', sourceIndex: 0, value: '1.2.0' });
    expect(after).toBe(
      multi.replace(
        'chart: a\n    - repoURL: https://git.example/values.git\n      ref: values\n',
        'chart: a\n      targetRevision: 1.2.0\n    - repoURL: https://git.example/values.git\n      ref: values\n',
      ),
    );
    const staging = setTargetRevision(multi, { app: 'a-staging', sourceIndex: 0, value: '1.3.0' });
    expect(staging).toBe(multi.replace('"1.2.0"', '"1.3.0"'));
  });

  it('fails with one line naming the file when the Application or source is missing', () => {
    expect(() => setTargetRevision(multi, { file: 'apps.yaml', value: 'x' })).toThrow(
      'apps.yaml holds several Applications; say which one',
    );
    expect(() => setTargetRevision(multi, { app: 'nope', file: 'apps.yaml', value: 'x' })).toThrow(
      'apps.yaml has no Application named nope',
    );
    expect(() => setTargetRevision(multi, { app: 'a-prod', file: 'apps.yaml', value: 'x' })).toThrow(
      'apps.yaml: Application has no spec.source',
    );
  });
});
