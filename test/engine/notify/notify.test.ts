import { describe, expect, it } from 'vitest';
import { type Delivery, type DeliveryOutcome, NotificationQueue } from '../../../src/engine/notify/queue.js';
import {
  expandEnv,
  type NotificationEvent,
  renderBody,
  targetsFor,
} from '../../../src/engine/notify/template.js';
import { detectEvents, type TriggerView } from '../../../src/engine/notify/triggers.js';

const app = (over: Partial<TriggerView> = {}): TriggerView => ({
  name: 'checkout-prod',
  sync: 'Synced',
  health: 'Healthy',
  revision: 'abcdef1234',
  context: 'production',
  spec: { project: 'shop', environment: 'prod' },
  ...over,
});
const op = (phase: 'Running' | 'Succeeded' | 'Failed', finished = phase !== 'Running') => ({
  id: 'op1',
  kind: 'sync' as const,
  phase,
  initiator: 'ann@bastion',
  startedAt: '2026-12-06T00:00:00Z',
  revision: 'abcdef1234',
  ...(finished ? { finishedAt: '2026-12-06T00:00:05Z' } : {}),
});

describe('notification triggers', () => {
  it('a sync that ends is one event, keyed by its operation; a view seen again is none', () => {
    const running = app({ operation: op('Running'), sync: 'OutOfSync' });
    const done = app({ operation: op('Failed'), sync: 'OutOfSync', health: 'Progressing' });
    const events = detectEvents(running, done);
    expect(events.map((e) => [e.trigger, e.key])).toEqual([['on-sync-failed', 'on-sync-failed:op1']]);
    expect(detectEvents(done, done)).toEqual([]);
    expect(detectEvents(undefined, done)).toEqual([]);
  });

  it('a succeeded sync on a Healthy app is also deployed; degraded and drift are transitions', () => {
    const ok = app({ operation: op('Succeeded') });
    expect(detectEvents(app({ operation: op('Running') }), ok).map((e) => e.trigger)).toEqual([
      'on-sync-succeeded',
      'on-deployed',
    ]);
    const degraded = detectEvents(ok, { ...ok, health: 'Degraded', healthMessage: 'CrashLoopBackOff' });
    expect(degraded.map((e) => [e.trigger, e.key])).toEqual([
      ['on-health-degraded', 'on-health-degraded:abcdef1234'],
    ]);
    const drift = detectEvents(ok, { ...ok, sync: 'OutOfSync' });
    expect(drift.map((e) => [e.trigger, e.key])).toEqual([
      ['on-drift-detected', 'on-drift-detected:abcdef1234'],
    ]);
    // A new revision is not drift.
    expect(detectEvents(ok, { ...ok, sync: 'OutOfSync', revision: 'fedcba9876' })).toEqual([]);
  });
});

describe('notification bodies and subscriptions', () => {
  const e: NotificationEvent = {
    trigger: 'on-sync-failed',
    app: 'checkout-prod',
    project: 'shop',
    environment: 'prod',
    context: 'production',
    revision: 'abcdef1234',
    message: 'image "x" not "found"',
    key: 'k',
  };

  it('the default body is Slack-compatible JSON, values escaped', () => {
    expect(JSON.parse(renderBody(undefined, e))).toEqual({
      text: 'bosun: checkout-prod (prod on production) sync failed at abcdef1: image "x" not "found"',
    });
    expect(JSON.parse(renderBody('{"a": "{{app}}", "m": "{{ message }}", "n": "{{nope}}"}', e))).toEqual({
      a: 'checkout-prod',
      m: 'image "x" not "found"',
      n: '',
    });
  });

  it('headers take dollar-brace names from the environment and say which are missing', () => {
    // biome-ignore lint/suspicious/noTemplateCurlyInString: the config's own ${NAME} syntax
    expect(expandEnv('Bearer ${TOKEN}', { TOKEN: 't' })).toEqual({ value: 'Bearer t', missing: [] });
    // biome-ignore lint/suspicious/noTemplateCurlyInString: the config's own ${NAME} syntax
    expect(expandEnv('${A}-${B}', {})).toEqual({ value: '-', missing: ['A', 'B'] });
  });

  it('subscriptions match triggers, app and project globs', () => {
    const subs = [
      { triggers: ['on-sync-failed' as const], targets: ['chat'], apps: ['*-prod'], projects: [] },
      { triggers: ['on-sync-failed' as const], targets: ['pager'], apps: [], projects: ['other'] },
      { triggers: ['on-deployed' as const], targets: ['log'], apps: [], projects: [] },
    ];
    expect(targetsFor(subs, e)).toEqual(['chat']);
  });
});

describe('notification queue', () => {
  const delivery = (claim = true): Delivery => ({
    label: 'x',
    request: { url: 'http://127.0.0.1:1/', headers: {}, body: '{}', timeoutMs: 100 },
    claim: async () => claim,
  });

  it('retries with backoff until a 2xx, without the caller waiting', async () => {
    const statuses = [500, 502, 200];
    const sleeps: number[] = [];
    const outcomes: DeliveryOutcome[] = [];
    const q = new NotificationQueue(
      async () => statuses.shift() ?? 0,
      (o) => outcomes.push(o),
      { attempts: 5, initialMs: 1000, factor: 2, maxMs: 30_000 },
      async (ms) => {
        sleeps.push(ms);
      },
    );
    q.push(delivery());
    expect(outcomes).toEqual([]);
    await q.idle();
    expect(sleeps).toEqual([1000, 2000]);
    expect(outcomes).toEqual([{ label: 'x', result: 'sent', status: 200, attempts: 3 }]);
  });

  it('a delivery another operator claimed is skipped, never sent; a dead receiver is given up', async () => {
    let sent = 0;
    const outcomes: DeliveryOutcome[] = [];
    const q = new NotificationQueue(
      async () => {
        sent++;
        throw new Error('connect ECONNREFUSED');
      },
      (o) => outcomes.push(o),
      { attempts: 2, initialMs: 1, factor: 1, maxMs: 1 },
      async () => {},
    );
    q.push(delivery(false));
    q.push(delivery(true));
    await q.idle();
    expect(sent).toBe(2);
    expect(outcomes).toEqual([
      { label: 'x', result: 'skipped', reason: 'another operator sent it' },
      { label: 'x', result: 'gave-up', reason: 'connect ECONNREFUSED', attempts: 2 },
    ]);
  });
});
