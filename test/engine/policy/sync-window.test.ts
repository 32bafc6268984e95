import { describe, expect, it } from 'vitest';
import type { SyncWindow } from '../../../src/engine/apps/sync-windows.js';
import { appWindows, decideSyncWindow, syncWindowStatus } from '../../../src/engine/policy/index.js';

const t = (s: string) => Date.parse(s);
const win = (w: Partial<SyncWindow>): SyncWindow => ({
  kind: 'deny',
  schedule: '0 22 * * *',
  duration: '2h',
  applications: ['*'],
  namespaces: [],
  clusters: [],
  manualSync: false,
  ...w,
});

describe('sync windows in the policy', () => {
  it('an active deny window holds automation and a manual sync, naming the project and the window', () => {
    const windows = [win({})];
    const now = t('2026-12-05T22:30:00Z');
    const manual = decideSyncWindow({ project: 'shop', windows, now, manual: true });
    expect(manual).toEqual({
      allowed: false,
      reason:
        'AppProject shop: a deny sync window (0 22 * * * for 2h) is active until 2026-12-06 00:00 UTC (manualSync is off)',
    });
    expect(syncWindowStatus({ project: 'shop', windows, now })).toEqual({
      active: true,
      kind: 'deny',
      nextChange: '2026-12-06T00:00:00.000Z',
      automated: false,
      manual: false,
      reason: 'AppProject shop: a deny sync window (0 22 * * * for 2h) is active until 2026-12-06 00:00 UTC',
      window: 'deny "0 22 * * *" for 2h',
    });
  });

  it('a window that fires again while open closes a duration after its last firing', () => {
    const windows = [win({ schedule: '* * * * *', duration: '1h' })];
    expect(syncWindowStatus({ project: 'p', windows, now: t('2026-12-05T22:30:20Z') })).toMatchObject({
      active: true,
      nextChange: '2026-12-05T23:30:00.000Z',
    });
  });

  it('manualSync lets a manual sync through a deny window, never automation', () => {
    const windows = [win({ manualSync: true })];
    const now = t('2026-12-05T23:00:00Z');
    expect(decideSyncWindow({ project: 'shop', windows, now, manual: true })).toEqual({ allowed: true });
    expect(decideSyncWindow({ project: 'shop', windows, now, manual: false }).allowed).toBe(false);
    expect(syncWindowStatus({ project: 'shop', windows, now })).toMatchObject({
      automated: false,
      manual: true,
    });
  });

  it('an inactive allow window holds automation until it opens; its time zone counts', () => {
    const windows = [win({ kind: 'allow', schedule: '0 9 * * *', duration: '1h', timeZone: 'Europe/Paris' })];
    const now = t('2026-12-05T12:00:00Z');
    expect(syncWindowStatus({ project: 'shop', windows, now })).toMatchObject({
      active: false,
      kind: 'allow',
      automated: false,
      manual: false,
      nextChange: '2026-12-06T08:00:00.000Z',
      window: 'allow "0 9 * * *" for 1h (Europe/Paris)',
    });
    // Inside it, syncs pass.
    expect(
      decideSyncWindow({ project: 'shop', windows, now: t('2026-12-06T08:30:00Z'), manual: false }),
    ).toEqual({
      allowed: true,
    });
  });

  it('deny wins over an active allow; no matching window means no status', () => {
    const windows = [win({ kind: 'allow', schedule: '0 * * * *', duration: '1h' }), win({})];
    expect(syncWindowStatus({ project: 'p', windows, now: t('2026-12-05T22:10:00Z') })).toMatchObject({
      active: true,
      kind: 'deny',
      automated: false,
    });
    expect(syncWindowStatus({ project: 'p', windows: [], now: 0 })).toBeUndefined();
    expect(
      appWindows([win({ applications: ['checkout-*'] }), win({ applications: [], clusters: ['prod*'] })], {
        name: 'order-service-dev',
        destinationName: 'dev',
      }),
    ).toEqual([]);
  });
});
