import { describe, expect, it } from 'vitest';
import {
  type AutomationInput,
  decideAutomation,
  selfHealDelay,
} from '../../../src/engine/sync/automation.js';
import { backoffDelay, formatDuration, parseDuration, retryPolicy } from '../../../src/engine/sync/retry.js';
import { app } from './fakes.js';

const auto = (automated: NonNullable<NonNullable<ReturnType<typeof app>['syncPolicy']>['automated']>) =>
  app('shop', { syncPolicy: { automated } });

function decide(over: Partial<AutomationInput>) {
  return decideAutomation({
    app: auto({ prune: true, selfHeal: true }),
    revision: 'bbbbbbbbbb',
    lastSyncedRevision: 'aaaaaaaaaa',
    outOfSync: true,
    attempts: 0,
    now: 1_000_000,
    desiredCount: 3,
    ...over,
  });
}

describe('decideAutomation', () => {
  it('never syncs when Argo CD is the backend', () => {
    const d = decide({ backend: 'argocd' });
    expect(d.action).toBe('none');
    expect(d.reason).toBe('backend is argocd: Argo CD syncs and self-heals, bosun never does');
    expect(decide({ backend: 'embedded' }).action).toBe('sync');
  });

  it('does nothing without automated sync', () => {
    expect(decide({ app: app() }).action).toBe('none');
    expect(decide({ app: auto({ enabled: false }) }).action).toBe('none');
  });

  it('syncs once per new revision, with prune only from automated.prune', () => {
    expect(decide({})).toMatchObject({ action: 'sync', reason: 'new revision bbbbbbb', prune: true });
    expect(decide({ app: auto({}) })).toMatchObject({ action: 'sync', prune: false });
    expect(decide({ outOfSync: false })).toMatchObject({ action: 'none', reason: 'already synced' });
  });

  it('does not repeat a failed automated sync of a revision without selfHeal', () => {
    const d = decide({
      app: auto({}),
      lastAttemptedRevision: 'bbbbbbbbbb',
      lastAttemptFailed: true,
      attempts: 1,
    });
    expect(d.action).toBe('none');
    expect(d.reason).toMatch(/failed; not retrying/);
  });

  it('leaves drift alone without selfHeal', () => {
    const d = decide({ app: auto({ prune: true }), lastSyncedRevision: 'bbbbbbbbbb' });
    expect(d).toMatchObject({ action: 'none', reason: 'drift at bbbbbbb is not corrected: selfHeal is off' });
  });

  it('self-heals at once, then backs off 2 s × 3 up to 5 min, and warns after repeated corrections', () => {
    const base = { lastSyncedRevision: 'bbbbbbbbbb', driftedResources: ['Deployment/shop/web'] };
    expect(decide({ ...base, attempts: 0, lastAttemptAt: 999_999 }).action).toBe('sync');
    expect(decide({ ...base, attempts: 1, lastAttemptAt: 1_000_000 })).toMatchObject({
      action: 'none',
      nextAttemptAt: 1_002_000,
    });
    expect(decide({ ...base, attempts: 1, lastAttemptAt: 998_000 }).action).toBe('sync');
    expect([1, 2, 3, 4, 5, 6, 7].map(selfHealDelay)).toEqual([
      2000, 6000, 18000, 54000, 162000, 300000, 300000,
    ]);
    const d = decide({ ...base, attempts: 3, lastAttemptAt: 900_000 });
    expect(d.action).toBe('sync');
    expect(d.warning).toBe('something keeps changing Deployment/shop/web: self-heal corrected it 3 times');
  });

  it('never syncs an empty desired set unless allowEmpty', () => {
    const d = decide({ desiredCount: 0 });
    expect(d.action).toBe('none');
    expect(d.warning).toMatch(/allowEmpty/);
    expect(decide({ desiredCount: 0, app: auto({ allowEmpty: true }) }).action).toBe('sync');
  });

  it('does nothing when the render failed', () => {
    expect(decide({ revision: undefined }).action).toBe('none');
  });
});

describe('retry', () => {
  it('parses and formats durations', () => {
    expect(parseDuration('5s')).toBe(5000);
    expect(parseDuration('2m')).toBe(120_000);
    expect(parseDuration('1h30m')).toBe(5_400_000);
    expect(parseDuration('250ms')).toBe(250);
    expect(parseDuration('10')).toBe(10_000);
    expect(parseDuration('soon')).toBeUndefined();
    expect(formatDuration(90_000)).toBe('1m30s');
  });

  it('computes backoff with Argo CD defaults and caps', () => {
    const p = retryPolicy({ limit: 5 });
    expect(p).toEqual({ limit: 5, durationMs: 5000, factor: 2, maxDurationMs: 180_000 });
    expect([1, 2, 3, 4, 5, 6].map((n) => backoffDelay(p, n))).toEqual([
      5000,
      10000,
      20000,
      40000,
      80000,
      undefined,
    ]);
    expect(backoffDelay(retryPolicy({ limit: -1, backoff: { maxDuration: '30s' } }), 50)).toBe(30_000);
    expect(backoffDelay(undefined, 1)).toBeUndefined();
  });
});
