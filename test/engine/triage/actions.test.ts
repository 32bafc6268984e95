import { describe, expect, it } from 'vitest';
import {
  actionParamProblem,
  builtinActions,
  builtinSteps,
  RESTARTED_AT,
  revertWarning,
} from '../../../src/engine/actions/builtin.js';
import type { KubeObject } from '../../../src/engine/model/index.js';

const now = new Date('2026-12-05T21:30:00.123Z');
const obj = (apiVersion: string, kind: string, extra: Record<string, unknown> = {}): KubeObject => ({
  apiVersion,
  kind,
  metadata: { name: 'web', namespace: 'shop' },
  ...extra,
});

describe('built-in actions', () => {
  it('restart sets the restartedAt pod-template annotation on Deployments, StatefulSets and DaemonSets', () => {
    for (const kind of ['Deployment', 'StatefulSet', 'DaemonSet']) {
      const steps = builtinSteps('restart', { obj: obj('apps/v1', kind), now });
      expect(steps).toEqual([
        {
          op: 'patch',
          patchType: 'strategic',
          patch: {
            spec: { template: { metadata: { annotations: { [RESTARTED_AT]: '2026-12-05T21:30:00Z' } } } },
          },
        },
      ]);
    }
  });

  it('lists the actions per kind, and none for kinds without any', () => {
    expect(builtinActions(obj('apps/v1', 'Deployment')).map((a) => a.name)).toEqual(['restart', 'scale']);
    expect(builtinActions(obj('v1', 'Pod')).map((a) => a.name)).toEqual(['delete']);
    expect(builtinActions(obj('v1', 'ConfigMap'))).toEqual([]);
    expect(
      builtinActions(obj('argoproj.io/v1alpha1', 'Rollout'))
        .map((a) => a.name)
        .sort(),
    ).toEqual(['abort', 'pause', 'promote', 'promote-full', 'restart', 'resume', 'retry', 'scale'].sort());
  });

  it('scale needs a whole replica count', () => {
    const d = obj('apps/v1', 'Deployment');
    expect(builtinSteps('scale', { obj: d, now, params: { replicas: '3' } })).toEqual([
      { op: 'patch', patchType: 'merge', patch: { spec: { replicas: 3 } } },
    ]);
    expect(() => builtinSteps('scale', { obj: d, now })).toThrow(/replicas=N/);
    expect(() => builtinSteps('scale', { obj: d, now, params: { replicas: '-1' } })).toThrow(/whole number/);
  });

  it('suspend/resume of a CronJob are disabled when they would change nothing', () => {
    const running = obj('batch/v1', 'CronJob', { spec: { suspend: false } });
    const suspended = obj('batch/v1', 'CronJob', { spec: { suspend: true } });
    expect(builtinActions(running).find((a) => a.name === 'resume')?.disabled).toMatch(/not suspended/);
    expect(builtinSteps('suspend', { obj: running, now })).toEqual([
      { op: 'patch', patchType: 'merge', patch: { spec: { suspend: true } } },
    ]);
    expect(() => builtinSteps('suspend', { obj: suspended, now })).toThrow(/already suspended/);
    expect(builtinSteps('resume', { obj: suspended, now })?.[0]).toMatchObject({
      patch: { spec: { suspend: false } },
    });
  });

  it('Rollout: abort and promote-full write the status; retry clears abort; promote resumes the pause', () => {
    const paused = obj('argoproj.io/v1alpha1', 'Rollout', {
      spec: { strategy: { canary: { steps: [{ setWeight: 20 }, { pause: {} }, { setWeight: 100 }] } } },
      status: { currentStepIndex: 1, pauseConditions: [{ reason: 'CanaryPauseStep' }] },
    });
    expect(builtinSteps('abort', { obj: paused, now })).toEqual([
      { op: 'patch', patchType: 'merge', subresource: 'status', patch: { status: { abort: true } } },
    ]);
    expect(builtinSteps('promote-full', { obj: paused, now })?.[0]).toMatchObject({
      subresource: 'status',
      patch: { status: { promoteFull: true } },
    });
    expect(builtinSteps('promote', { obj: paused, now })).toEqual([
      {
        op: 'patch',
        patchType: 'merge',
        subresource: 'status',
        patch: { status: { pauseConditions: null, controllerPause: false } },
      },
    ]);
    const aborted = { ...paused, status: { abort: true } };
    expect(() => builtinSteps('promote', { obj: aborted, now })).toThrow(/retry it first/);
    expect(builtinSteps('retry', { obj: aborted, now })?.[0]).toMatchObject({
      patch: { status: { abort: false } },
    });
    const between = { ...paused, status: { currentStepIndex: 0 } };
    expect(builtinSteps('promote', { obj: between, now })?.[0]).toMatchObject({
      patch: { status: { currentStepIndex: 1 } },
    });
  });

  it('unknown action: undefined (the caller says which exist)', () => {
    expect(builtinSteps('explode', { obj: obj('apps/v1', 'Deployment'), now })).toBeUndefined();
  });

  it('warns when Git will revert a scale', () => {
    const desired = obj('apps/v1', 'Deployment', { spec: { replicas: 2 } });
    expect(revertWarning({ action: 'scale', desired, params: { replicas: '5' }, selfHeal: true })).toMatch(
      /self-heal will revert/,
    );
    expect(revertWarning({ action: 'scale', desired, params: { replicas: '5' }, selfHeal: false })).toMatch(
      /next sync will revert/,
    );
    expect(
      revertWarning({ action: 'scale', desired, params: { replicas: '2' }, selfHeal: true }),
    ).toBeUndefined();
    const noReplicas = obj('apps/v1', 'Deployment', { spec: {} });
    expect(
      revertWarning({ action: 'scale', desired: noReplicas, params: { replicas: '5' }, selfHeal: true }),
    ).toBeUndefined();
  });

  it('checks a parameter as it is typed: replicas a whole number ≥ 0, any parameter not empty', () => {
    const p = (param: string, value: string) => actionParamProblem({ action: 'scale', param, value });
    expect(p('replicas', '3')).toBeUndefined();
    expect(p('replicas', ' 0 ')).toBeUndefined();
    for (const bad of ['-1', '1.5', 'two', '1e3', '0x10'])
      expect(p('replicas', bad), bad).toBe(`scale: replicas must be a whole number ≥ 0, not "${bad}"`);
    expect(p('replicas', '  ')).toBe('scale needs a value for replicas');
    expect(p('image', 'web:2')).toBeUndefined();
    expect(() =>
      builtinSteps('scale', { obj: obj('apps/v1', 'Deployment'), now, params: { replicas: '1e3' } }),
    ).toThrow(/whole number/);
  });
});
