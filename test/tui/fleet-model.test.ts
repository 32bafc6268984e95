import { describe, expect, it } from 'vitest';
import {
  appTag,
  environmentOrder,
  fleetModel,
  isProduction,
  promotionTargets,
  selectedFleetApp,
} from '../../src/tui/state/fleet-model.js';
import { initialUiState } from '../../src/tui/state/reducer.js';
import type { FleetState } from '../../src/tui/state/types.js';
import { FakeEngine } from './fake-engine.js';

const fleet = (over: Partial<FleetState> = {}): FleetState => ({ ...initialUiState().fleet, ...over });

describe('fleet model', () => {
  const snap = new FakeEngine().snapshot;

  it('builds services × environments in chain order, with hints', () => {
    const m = fleetModel(snap, fleet());
    expect(m.columns.map((c) => c.name)).toEqual(['dev', 'staging', 'prod']);
    expect(m.columns.map((c) => c.production)).toEqual([false, false, true]);
    expect(m.rows.map((r) => r.service)).toEqual([
      'api-gateway',
      'checkout-service',
      'order-service',
      'payment-service',
    ]);
    const hint = (s: string) => m.rows.find((r) => r.service === s)?.hint;
    expect(hint('api-gateway')).toBeUndefined();
    expect(hint('checkout-service')).toEqual({ kind: 'promotable', text: 'promotable' });
    expect(hint('order-service')).toEqual({ kind: 'drift', text: 'drift: spec.replicas' });
    expect(hint('payment-service')?.kind).toBe('degraded');
    expect(m.services).toBe(4);
    expect(m.apps).toBe(12);
  });

  it('memoizes on its inputs', () => {
    expect(fleetModel(snap, fleet())).toBe(fleetModel(snap, fleet()));
  });

  it('filters on every word across name, environment, context, sync and health', () => {
    expect(fleetModel(snap, fleet({ filter: 'degraded' })).rows.map((r) => r.service)).toEqual([
      'payment-service',
    ]);
    expect(fleetModel(snap, fleet({ filter: 'outofsync prod' })).list.map((a) => a.name)).toEqual([
      'order-service-prod',
    ]);
    expect(fleetModel(snap, fleet({ filter: 'zzz' })).rows).toEqual([]);
  });

  it('sorts by health or sync, worst first', () => {
    expect(fleetModel(snap, fleet({ sort: 'health' })).rows[0]?.service).toBe('payment-service');
    expect(fleetModel(snap, fleet({ sort: 'sync' })).rows[0]?.service).toBe('order-service');
    expect(fleetModel(snap, fleet({ sort: 'health', mode: 'list' })).list[0]?.name).toBe(
      'payment-service-staging',
    );
  });

  it('groups by project (sections) or by cluster (the columns become clusters)', () => {
    const byProject = fleetModel(snap, fleet({ group: 'project' }));
    expect(byProject.rows.map((r) => r.group)).toEqual(['payments', 'shop', 'shop', 'shop']);
    const byCluster = fleetModel(snap, fleet({ group: 'cluster' }));
    expect(byCluster.columns.map((c) => c.name)).toEqual(['dev', 'staging', 'production']);
    expect(byCluster.rows[0]?.cells[2]?.name).toBe('api-gateway-prod');
    expect(fleetModel(snap, fleet({ group: 'cluster', mode: 'list' })).listGroups[0]).toBe('kind-dev');
  });

  it('selects the cell under the cursor, clamped', () => {
    const m = fleetModel(snap, fleet());
    expect(selectedFleetApp(m, fleet({ row: 2, col: 2 }))?.name).toBe('order-service-prod');
    expect(selectedFleetApp(m, fleet({ row: 99, col: 99 }))?.name).toBe('payment-service-prod');
    expect(selectedFleetApp(m, fleet({ mode: 'list', row: 0 }))?.name).toBe('api-gateway-dev');
  });

  it('knows production, tags and promotion targets', () => {
    const app = (n: string) => snap.apps.find((a) => a.name === n)!;
    expect(isProduction(snap, app('order-service-prod'))).toBe(true);
    expect(isProduction(snap, app('order-service-staging'))).toBe(false);
    expect(appTag(app('order-service-prod'))).toBe('v1.47.1');
    expect(appTag({ ...app('order-service-prod'), images: ['reg/x@sha256:abcdef0123456'] })).toBe('@abcdef0');
    expect(appTag({ ...app('order-service-prod'), images: [], revision: '4c7cf25e1d' })).toBe('4c7cf25');
    expect(promotionTargets(snap, app('checkout-service-staging'))).toEqual([
      { env: 'prod', app: 'checkout-service-prod', production: true },
    ]);
    expect(promotionTargets(snap, app('checkout-service-prod'))).toEqual([]);
    expect(environmentOrder({ ...snap, environments: [] })).toEqual(['dev', 'staging', 'prod']);
  });
});
