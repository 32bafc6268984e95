import { describe, expect, it } from 'vitest';
import { FakeEngine } from './fake-engine.js';
import { keys, renderTui } from './harness.js';

/** Console triage on the fake engine: why, events, YAML, the action menu and its policy. */
describe('console triage', () => {
  const open = async (engine: FakeEngine, app: string, opts: { readOnly?: boolean } = {}) => {
    const t = renderTui({ engine, rows: 40, ...opts });
    await t.waitFor('payment-service');
    await t.press(':');
    await t.type(`app ${app}`);
    await t.press(keys.enter);
    await t.waitFor('Deployment/');
    return t;
  };

  it('w opens why; e the events, warnings first; y the YAML with the kubectl command, tab the desired', async () => {
    const engine = new FakeEngine();
    engine.triage.why = {
      resource: 'Deployment/shop/payment-service',
      health: 'Degraded',
      message: 'Deployment has 0 of 2 available replicas',
      warnings: [],
      logs: { pod: 'payment-service-x0', container: 'app', previous: true, lines: ['panic: db down'] },
    };
    engine.triage.yaml = {
      resource: 'Deployment/shop/payment-service',
      live: 'kind: Deployment\nspec:\n  replicas: 2\n',
      desired: 'kind: Deployment\nspec:\n  replicas: 3\n',
      command: 'kubectl --context kind-staging get deployment payment-service -n shop -o yaml',
    };
    const t = await open(engine, 'payment-service-staging');
    await t.press('w');
    let f = await t.waitFor('panic: db down');
    expect(f).toContain('Deployment/shop/payment-service: Degraded');
    expect(f).toContain('(previous instance)');
    await t.press(keys.escape, 'e');
    await t.waitFor('no events for this app');
    await t.press(keys.escape, 'y');
    f = await t.waitFor('replicas: 2');
    expect(f).toContain('$ kubectl --context kind-staging get deployment payment-service');
    expect(engine.callsOf('resourceYaml')[0]?.[1]).toBe('Deployment/shop/payment-service');
    await t.press(keys.tab);
    await t.waitFor('replicas: 3');
  });

  it('a opens the action menu; production asks for the typed app name before running', async () => {
    const engine = new FakeEngine();
    engine.triage.actions = [{ name: 'restart', source: 'builtin' }];
    const t = await open(engine, 'order-service-prod');
    await t.press('a');
    await t.waitFor('Actions of Deployment/shop/order-service');
    await t.press(keys.enter);
    await t.waitFor('type order-service-prod to confirm');
    expect(engine.callsOf('runAction')).toEqual([]);
    await t.type('order-service-prod');
    await t.press(keys.enter);
    await t.waitFor('restart: Succeeded');
    expect(engine.callsOf('runAction')[0]?.[0]).toMatchObject({
      app: 'order-service-prod',
      resource: 'Deployment/shop/order-service',
      action: 'restart',
      confirm: 'order-service-prod',
    });
  });

  it('an action with parameters asks for each, refuses a bad replicas value and warns that Git will revert', async () => {
    const engine = new FakeEngine();
    engine.triage.actions = [
      {
        name: 'scale',
        source: 'builtin',
        params: ['replicas'],
        warning: 'Git sets Deployment/order-service spec.replicas to 3: the next sync will revert this scale',
      },
    ];
    const t = await open(engine, 'order-service-dev');
    await t.press('a');
    let f = await t.waitFor('Actions of Deployment/shop/order-service');
    expect(f).toContain('the next sync will revert this scale');
    await t.press(keys.enter);
    await t.waitFor('replicas for scale (enter sets it, esc goes back)');
    await t.type('two');
    await t.press(keys.enter);
    f = await t.waitFor('replicas must be a whole number');
    expect(f).toContain('scale: replicas must be a whole number ≥ 0, not "two"');
    expect(engine.callsOf('runAction')).toEqual([]);
    await t.press(keys.backspace, keys.backspace, keys.backspace);
    await t.type('5');
    await t.press(keys.enter);
    await t.waitFor('scale: Succeeded');
    expect(engine.callsOf('runAction')).toEqual([
      [
        {
          app: 'order-service-dev',
          resource: 'Deployment/shop/order-service',
          action: 'scale',
          params: { replicas: '5' },
        },
      ],
    ]);
  });

  it('read-only: a is not offered and does nothing', async () => {
    const engine = new FakeEngine();
    engine.triage.actions = [{ name: 'restart', source: 'builtin' }];
    const t = await open(engine, 'order-service-dev', { readOnly: true });
    expect(t.frame()).not.toMatch(/\ba actions\b/);
    await t.press('a');
    await new Promise((r) => setTimeout(r, 300));
    expect(t.frame()).not.toContain('Actions of');
    expect(engine.callsOf('actions')).toEqual([]);
  });
});
