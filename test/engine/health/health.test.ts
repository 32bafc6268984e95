import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import {
  aggregateHealth,
  assessHealth,
  assessObjects,
  getConditionsHealth,
  healthCheckFor,
  healthOfApplication,
} from '../../../src/engine/health/index.js';
import type { Health, KubeObject } from '../../../src/engine/model/index.js';
import { HealthStatus } from '../../../src/engine/model/index.js';

const fixtures = join(dirname(fileURLToPath(import.meta.url)), '../../fixtures/health');

/** One row of `cases.yaml`. */
type Case = {
  file: string;
  status: HealthStatus | 'none';
  messageContains?: string;
  check?: string;
  waitingOn?: string;
  now?: string;
};

function loadFixture(file: string): KubeObject {
  return parse(readFileSync(join(fixtures, file), 'utf8')) as KubeObject;
}

const cases = parse(readFileSync(join(fixtures, 'cases.yaml'), 'utf8')) as Case[];

/** A small object for tests that do not need a fixture file. */
function obj(apiVersion: string, kind: string, rest: Record<string, unknown> = {}): KubeObject {
  return { apiVersion, kind, metadata: { name: 'x', namespace: 'ns' }, ...rest };
}

describe('health fixtures (cases.yaml)', () => {
  it.each(cases.map((c) => [c.file, c] as const))('%s', (_file, c) => {
    const opts = c.now ? { now: new Date(c.now) } : {};
    const health = assessHealth(loadFixture(c.file), opts);
    if (c.status === 'none') {
      expect(health).toBeUndefined();
      return;
    }
    expect(health?.status).toBe(c.status);
    expect(health?.message ?? '').toContain(c.messageContains ?? '');
    if (c.check) expect(health?.check).toBe(c.check);
    if (c.waitingOn) expect(health?.waitingOn ?? '').toContain(c.waitingOn);
  });

  it('lists every fixture exactly once, and has at least 35', () => {
    const files = readdirSync(fixtures)
      .filter((f) => f.endsWith('.yaml') && f !== 'cases.yaml')
      .sort();
    const listed = cases.map((c) => c.file).sort();
    expect(listed).toEqual(files);
    expect(new Set(listed).size).toBe(listed.length);
    expect(files.length).toBeGreaterThanOrEqual(35);
  });

  it('covers every kind with a check', () => {
    const kinds = new Set(cases.map((c) => loadFixture(c.file).kind));
    for (const kind of [
      'Deployment',
      'StatefulSet',
      'DaemonSet',
      'ReplicaSet',
      'Pod',
      'Job',
      'CronJob',
      'Service',
      'Ingress',
      'PersistentVolumeClaim',
      'HorizontalPodAutoscaler',
      'Namespace',
      'APIService',
      'Application',
    ]) {
      expect(kinds, kind).toContain(kind);
    }
  });

  it('explains every result: a sentence, and check plus waitingOn when Progressing or Degraded', () => {
    for (const c of cases) {
      const health = assessHealth(loadFixture(c.file));
      if (!health) continue;
      expect(health.message, c.file).toMatch(/^\S.*\S$/);
      if (health.status === HealthStatus.Progressing || health.status === HealthStatus.Degraded) {
        expect(health.check, c.file).toBeTruthy();
        expect(health.waitingOn, c.file).toBeTruthy();
      }
    }
  });
});

describe('assessHealth', () => {
  it('reports pending deletion before the kind check, without a clock when none is given', () => {
    const health = assessHealth(
      obj('apps/v1', 'Deployment', {
        metadata: { name: 'web', deletionTimestamp: '2025-03-01T10:00:00Z' },
        status: { availableReplicas: 1 },
      }),
    );
    expect(health).toMatchObject({ status: 'Progressing', check: 'deletion' });
    expect(health?.message).toContain('Pending deletion since 2025-03-01T10:00:00Z;');
    expect(health?.waitingOn).toBe('metadata.deletionTimestamp');
  });

  it('dispatches by group as well as kind', () => {
    expect(healthCheckFor('apps', 'Deployment')).toBeDefined();
    expect(healthCheckFor('extensions', 'Ingress')).toBeDefined();
    expect(healthCheckFor('networking.k8s.io', 'Ingress')).toBeDefined();
    expect(healthCheckFor('example.com', 'Deployment')).toBeUndefined();
    expect(healthCheckFor('', 'ConfigMap')).toBeUndefined();
    // A custom kind named like a built-in falls back to the generic conditions check.
    const custom = obj('example.com/v1', 'Deployment', {
      status: { conditions: [{ type: 'Ready', status: 'True' }] },
    });
    expect(assessHealth(custom)?.check).toBe('conditions.ready');
  });

  it('defaults a Pod restartPolicy to Always and a Service type to ClusterIP', () => {
    const pod = obj('v1', 'Pod', {
      status: {
        phase: 'Running',
        containerStatuses: [{ name: 'c', ready: false, state: { waiting: { reason: 'CrashLoopBackOff' } } }],
      },
    });
    expect(assessHealth(pod)?.status).toBe('Degraded');
    expect(assessHealth(obj('v1', 'Service'))?.status).toBe('Healthy');
  });

  it('tolerates objects without status', () => {
    for (const [apiVersion, kind] of [
      ['apps/v1', 'Deployment'],
      ['apps/v1', 'StatefulSet'],
      ['apps/v1', 'DaemonSet'],
      ['apps/v1', 'ReplicaSet'],
      ['v1', 'Pod'],
      ['batch/v1', 'Job'],
      ['batch/v1', 'CronJob'],
      ['v1', 'PersistentVolumeClaim'],
      ['autoscaling/v2', 'HorizontalPodAutoscaler'],
      ['apiregistration.k8s.io/v1', 'APIService'],
    ] as const) {
      expect(() => assessHealth(obj(apiVersion, kind)), kind).not.toThrow();
    }
    expect(assessHealth(obj('v1', 'Namespace'))).toBeUndefined();
  });

  it('ignores an autoscaling/v1 conditions annotation that is not JSON', () => {
    const hpa = obj('autoscaling/v1', 'HorizontalPodAutoscaler', {
      metadata: { name: 'x', annotations: { 'autoscaling.alpha.kubernetes.io/conditions': '{not json' } },
    });
    expect(assessHealth(hpa)).toMatchObject({ status: 'Progressing', check: 'hpa.conditions' });
  });
});

describe('generic conditions fallback', () => {
  it('is undefined without a Ready or Available condition', () => {
    expect(getConditionsHealth(obj('example.com/v1', 'Widget'))).toBeUndefined();
    const other = obj('example.com/v1', 'Widget', {
      status: { conditions: [{ type: 'Synced', status: 'False' }] },
    });
    expect(getConditionsHealth(other)).toBeUndefined();
  });

  it('prefers Ready over Available', () => {
    const both = obj('example.com/v1', 'Widget', {
      status: {
        conditions: [
          { type: 'Available', status: 'True' },
          { type: 'Ready', status: 'False', reason: 'Broken', message: 'the widget is broken' },
        ],
      },
    });
    expect(getConditionsHealth(both)).toMatchObject({
      status: 'Degraded',
      check: 'conditions.ready',
      waitingOn: 'status.conditions[Ready] (False, Broken)',
    });
    expect(getConditionsHealth(both)?.message).toContain('the widget is broken');
  });

  it('maps Available=False to Degraded with its message', () => {
    const down = obj('example.com/v1', 'Widget', {
      status: { conditions: [{ type: 'Available', status: 'False', message: 'no replicas' }] },
    });
    expect(getConditionsHealth(down)).toMatchObject({ status: 'Degraded', check: 'conditions.available' });
    expect(getConditionsHealth(down)?.message).toContain('no replicas');
  });
});

describe('aggregateHealth', () => {
  const healthy: Health = { status: 'Healthy', message: 'fine.' };
  const progressing: Health = { status: 'Progressing', message: 'rolling.', check: 'a', waitingOn: 'b' };
  const degraded: Health = { status: 'Degraded', message: 'broken.', check: 'c', waitingOn: 'd' };
  const suspended: Health = { status: 'Suspended', message: 'paused.', check: 'e' };

  it('keeps the worst result with its message and explanation', () => {
    expect(aggregateHealth([healthy, progressing, degraded, suspended])).toEqual(degraded);
    expect(aggregateHealth([healthy, suspended, progressing])).toEqual(progressing);
    expect(aggregateHealth([healthy, suspended])).toEqual(suspended);
  });

  it('keeps the first of equally bad results', () => {
    const other: Health = { status: 'Degraded', message: 'also broken.' };
    expect(aggregateHealth([degraded, other]).message).toBe('broken.');
  });

  it('orders Missing and Unknown between Degraded and Progressing', () => {
    const missing: Health = { status: 'Missing', message: 'gone.' };
    const unknown: Health = { status: 'Unknown', message: 'no idea.' };
    expect(aggregateHealth([progressing, unknown, missing]).status).toBe('Missing');
    expect(aggregateHealth([progressing, unknown]).status).toBe('Unknown');
    expect(aggregateHealth([missing, degraded]).status).toBe('Degraded');
  });

  it('skips objects without an opinion and is Healthy for none', () => {
    expect(aggregateHealth([undefined, progressing, undefined])).toEqual(progressing);
    expect(aggregateHealth([])).toMatchObject({ status: 'Healthy' });
    expect(aggregateHealth([undefined])).toMatchObject({ status: 'Healthy' });
    expect(aggregateHealth([healthy, healthy, undefined])).toEqual({
      status: 'Healthy',
      message: 'All 2 resources are healthy.',
    });
  });
});

describe('assessObjects and healthOfApplication', () => {
  it('returns each object with its key', () => {
    const results = assessObjects([
      loadFixture('pod-crashloop.yaml'),
      loadFixture('generic-no-conditions.yaml'),
    ]);
    expect(results).toHaveLength(2);
    expect(results[0]?.key).toEqual({
      group: '',
      kind: 'Pod',
      namespace: 'shop',
      name: 'api-5b6c7d8e9-fghij',
    });
    expect(results[0]?.health?.status).toBe('Degraded');
    expect(results[1]?.key.kind).toBe('ConfigMap');
    expect(results[1]?.health).toBeUndefined();
  });

  it('reads an Application status.health and ignores unknown values', () => {
    const app = (health: unknown) => obj('argoproj.io/v1alpha1', 'Application', { status: { health } });
    expect(healthOfApplication(app({ status: 'Progressing' }))).toMatchObject({
      status: 'Progressing',
      check: 'application.health',
      waitingOn: 'status.health.status (Progressing)',
    });
    expect(healthOfApplication(app({ status: 'Bogus' }))).toBeUndefined();
    expect(healthOfApplication(app(undefined))).toBeUndefined();
  });
});
