import { describe, expect, it } from 'vitest';
import { type AppRuntime, appStateOf } from '../../../src/engine/core/app-runtime.js';
import type { ResourceCompare } from '../../../src/engine/core/compare-app.js';
import type { KubeObject } from '../../../src/engine/model/resource-key.js';
import { app } from '../sync/fakes.js';

const policy = { production: false, confirm: [], confirmName: 'shop' };
const deployment: KubeObject = {
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'web', namespace: 'shop' },
};

/** A rendered app on context dev whose live state has not been compared yet. */
function rendered(over: Partial<AppRuntime> = {}): AppRuntime {
  return {
    spec: app('shop'),
    context: 'dev',
    errors: [],
    render: { ok: true, objects: [deployment] } as AppRuntime['render'],
    desired: [deployment],
    compares: [],
    automation: { attempts: 0 },
    ...over,
  };
}

const synced: ResourceCompare = {
  key: { group: 'apps', kind: 'Deployment', namespace: 'shop', name: 'web' },
  version: 'v1',
  sync: 'Synced',
  health: { status: 'Healthy' },
  explain: [],
} as ResourceCompare;

describe('an app that has not been compared with its cluster yet', () => {
  it('is Unknown, not Synced and Healthy, while the live objects are still being listed', () => {
    const s = appStateOf(rendered(), { clusterReachable: true, policy });
    expect(s.sync).toBe('Unknown');
    expect(s.health).toBe('Unknown');
    expect(s.healthMessage).toBe('not compared yet: waiting for the live state of dev');
  });

  it('takes its status from the comparison once there is one', () => {
    const s = appStateOf(rendered({ compares: [synced], reconciledAt: '2026-12-06T07:00:00Z' }), {
      clusterReachable: true,
      policy,
    });
    expect(s.sync).toBe('Synced');
    expect(s.health).toBe('Healthy');
  });

  it('an app that renders nothing is Synced and Healthy once compared (nothing to differ)', () => {
    const s = appStateOf(rendered({ desired: [], reconciledAt: '2026-12-06T07:00:00Z' }), {
      clusterReachable: true,
      policy,
    });
    expect(s.sync).toBe('Synced');
  });
});
