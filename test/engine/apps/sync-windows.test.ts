import { describe, expect, it } from 'vitest';
import { nextFire, parseCron } from '../../../src/engine/apps/cron.js';
import {
  canSyncNow,
  matchingWindows,
  parseGoDuration,
  type SyncWindow,
  windowState,
  zoneOffset,
} from '../../../src/engine/apps/sync-windows.js';

const t = (s: string) => Date.parse(s);
const win = (w: Partial<SyncWindow>): SyncWindow => ({
  kind: 'allow',
  schedule: '0 22 * * *',
  duration: '1h',
  applications: ['*'],
  namespaces: [],
  clusters: [],
  manualSync: false,
  ...w,
});

describe('cron', () => {
  it('fires strictly after the given minute, with ranges, steps, lists and names', () => {
    expect(new Date(nextFire(parseCron('0 22 * * *'), t('2026-12-05T22:00:00Z'))!).toISOString()).toBe(
      '2026-12-06T22:00:00.000Z',
    );
    expect(
      new Date(nextFire(parseCron('*/15 9-17 * * mon-fri'), t('2026-12-05T10:00:00Z'))!).toISOString(),
    ).toBe(
      '2026-12-07T09:00:00.000Z', // 5 Dec 2026 is a Saturday
    );
    expect(new Date(nextFire(parseCron('30 1 1,15 * *'), t('2026-12-02T00:00:00Z'))!).toISOString()).toBe(
      '2026-12-15T01:30:00.000Z',
    );
    expect(new Date(nextFire(parseCron('0 0 * jan 7'), t('2026-12-02T00:00:00Z'))!).toISOString()).toBe(
      '2027-01-03T00:00:00.000Z',
    );
  });

  it('day of month and weekday: either matches unless one is *', () => {
    const s = parseCron('0 12 13 * 5');
    expect(new Date(nextFire(s, t('2026-12-01T00:00:00Z'))!).toISOString()).toBe('2026-12-04T12:00:00.000Z');
  });

  it('bad expressions are one-line errors', () => {
    expect(() => parseCron('0 22 * *')).toThrow('must have 5 fields');
    expect(() => parseCron('61 * * * *')).toThrow('minute: "61" is out of range 0-59');
    expect(() => parseCron('x * * * *')).toThrow('minute: "x" is not a number');
  });
});

describe('sync windows (Argo CD semantics)', () => {
  it('Go durations', () => {
    expect(parseGoDuration('1h30m')).toBe(5_400_000);
    expect(parseGoDuration('1.5h')).toBe(5_400_000);
    expect(() => parseGoDuration('1 hour')).toThrow('not a Go duration');
  });

  it('a window is active for `duration` after the schedule fires, and says when it closes or opens', () => {
    const w = win({});
    expect(windowState(w, t('2026-12-05T22:30:00Z'))).toMatchObject({
      active: true,
      closesAt: t('2026-12-05T23:00:00Z'),
    });
    expect(windowState(w, t('2026-12-05T23:00:00Z'))).toMatchObject({
      active: false,
      opensAt: t('2026-12-06T22:00:00Z'),
    });
    expect(windowState(w, t('2026-12-05T21:59:00Z'))).toMatchObject({
      active: false,
      opensAt: t('2026-12-05T22:00:00Z'),
    });
  });

  it('the schedule runs on the time zone wall clock', () => {
    const w = win({ timeZone: 'Europe/Berlin' }); // 22:00 in Berlin is 21:00 UTC in December
    expect(zoneOffset('Europe/Berlin', t('2026-12-05T12:00:00Z'))).toBe(3_600_000);
    expect(windowState(w, t('2026-12-05T21:30:00Z')).active).toBe(true);
    expect(windowState(w, t('2026-12-05T22:30:00Z')).active).toBe(false);
    expect(zoneOffset('Not/AZone', 0)).toBe(0);
  });

  it('matching: application, namespace or cluster globs', () => {
    const ws = [
      win({ applications: ['checkout-*'] }),
      win({ applications: [], namespaces: ['shop'] }),
      win({ applications: [], clusters: ['prod*'] }),
    ];
    expect(matchingWindows(ws, { name: 'checkout-prod', namespace: 'other' })).toEqual([ws[0]]);
    expect(matchingWindows(ws, { name: 'cart', namespace: 'shop' })).toEqual([ws[1]]);
    expect(matchingWindows(ws, { name: 'cart', destinationName: 'production' })).toEqual([ws[2]]);
    expect(matchingWindows(ws, { name: 'cart', destinationServer: 'https://x' })).toEqual([]);
  });

  const now = t('2026-12-05T22:30:00Z'); // inside 22:00+1h
  const later = t('2026-12-05T12:00:00Z'); // outside

  it('no windows: always allowed; an active allow window allows', () => {
    expect(canSyncNow([], { now, manual: false }).allowed).toBe(true);
    expect(canSyncNow([win({})], { now, manual: false }).allowed).toBe(true);
  });

  it('allow windows exist but none is active: blocked, manual only with manualSync on all of them', () => {
    const v = canSyncNow([win({})], { now: later, manual: false });
    expect(v).toMatchObject({ allowed: false, code: 'sync-window-outside-allow' });
    expect(v.reason).toBe('outside every allow sync window; the next opens at 2026-12-05 22:00 UTC');
    expect(canSyncNow([win({})], { now: later, manual: true }).allowed).toBe(false);
    expect(canSyncNow([win({ manualSync: true })], { now: later, manual: true }).allowed).toBe(true);
    expect(
      canSyncNow([win({ manualSync: true }), win({ schedule: '0 3 * * *' })], { now: later, manual: true })
        .allowed,
    ).toBe(false);
  });

  it('deny wins over allow; manual passes only when every active deny window has manualSync', () => {
    const deny = win({ kind: 'deny', schedule: '0 22 * * *', duration: '2h' });
    const v = canSyncNow([win({}), deny], { now, manual: false });
    expect(v).toMatchObject({ allowed: false, code: 'sync-window-deny' });
    expect(v.reason).toBe('a deny sync window (0 22 * * * for 2h) is active until 2026-12-06 00:00 UTC');
    expect(canSyncNow([deny], { now, manual: true }).allowed).toBe(false);
    expect(canSyncNow([{ ...deny, manualSync: true }], { now, manual: true }).allowed).toBe(true);
    expect(canSyncNow([{ ...deny, manualSync: true }, deny], { now, manual: true }).allowed).toBe(false);
    // An inactive deny window changes nothing.
    expect(canSyncNow([deny], { now: later, manual: false }).allowed).toBe(true);
  });

  it('an unreadable window refuses with its reason', () => {
    expect(canSyncNow([win({ schedule: 'soon' })], { now, manual: true })).toMatchObject({
      allowed: false,
      code: 'sync-window-invalid',
    });
  });
});

describe('AppProject spec.syncWindows', () => {
  it('is parsed with its defaults; a bad kind is a one-line error', async () => {
    const { parseAppProject } = await import('../../../src/engine/apps/parse.js');
    const p = parseAppProject({
      apiVersion: 'argoproj.io/v1alpha1',
      kind: 'AppProject',
      metadata: { name: 'shop' },
      spec: {
        syncWindows: [
          {
            kind: 'deny',
            schedule: '0 22 * * *',
            duration: '8h',
            clusters: ['production'],
            timeZone: 'Europe/Berlin',
          },
        ],
      },
    });
    expect(p.syncWindows).toEqual([
      {
        kind: 'deny',
        schedule: '0 22 * * *',
        duration: '8h',
        applications: [],
        namespaces: [],
        clusters: ['production'],
        manualSync: false,
        timeZone: 'Europe/Berlin',
      },
    ]);
    expect(() =>
      parseAppProject({
        kind: 'AppProject',
        metadata: { name: 'x' },
        spec: { syncWindows: [{ kind: 'maybe', schedule: '* * * * *', duration: '1h' }] },
      }),
    ).toThrow('spec.syncWindows[0].kind must be allow or deny, not "maybe"');
  });
});
