import { cleanup } from 'ink-testing-library';
import { afterEach, describe, expect, it } from 'vitest';
import { defaultOther, serviceEnvironments } from '../../src/tui/input/offline-commands.js';
import { FakeEngine } from './fake-engine.js';
import { keys, renderTui } from './harness.js';

/** The console's compare view (`=`), ApplicationSet preview (`A`, `:appset`) and start-up spinner (issue 17). */

afterEach(() => cleanup());

describe('compare view', () => {
  it('= compares the env under the cursor with the next one; tab picks another; esc goes back', async () => {
    const engine = new FakeEngine();
    const t = renderTui({ engine, columns: 120, rows: 40 });
    await t.waitFor('payment-service');
    await t.press('=');
    let f = await t.waitFor('SOURCE FILES');
    expect(f).toContain('compare api-gateway: dev → staging');
    expect(f).toContain('Fleet › Compare api-gateway');
    expect(engine.callsOf('compare')).toEqual([[{ service: 'api-gateway', envA: 'dev', envB: 'staging' }]]);
    expect(f).toMatch(/apps\/Deployment\/api-gateway +changed +\/spec\/replicas/);
    expect(f).toContain('1 resource(s) the same once names are folded');
    // Rendered manifests first, then the source files, then the rendered diff before the file diff.
    const at = (s: string) => f.indexOf(s);
    expect(at('RENDERED MANIFESTS')).toBeLessThan(at('SOURCE FILES'));
    expect(at('+replicas: 3')).toBeGreaterThan(at('SOURCE FILES'));
    expect(at('+replicas: 3')).toBeLessThan(at('+  newTag: v2'));
    await t.press(keys.tab);
    f = await t.waitFor('dev → prod');
    expect(engine.callsOf('compare').at(-1)).toEqual([{ service: 'api-gateway', envA: 'dev', envB: 'prod' }]);
    await t.press(keys.tab);
    await t.waitFor('dev → staging');
    await t.press(keys.escape);
    await t.waitFor((x) => x.includes('SERVICE') && !x.includes('Compare'));
  });

  it('on the last environment compares with the previous one; : compare names a service', async () => {
    const engine = new FakeEngine();
    const t = renderTui({ engine, columns: 120, rows: 40 });
    await t.waitFor('payment-service');
    await t.press(keys.right, keys.right, '=');
    await t.waitFor('compare api-gateway: prod → staging');
    await t.press(keys.escape);
    await t.press(':');
    await t.type('compare order-service staging');
    await t.press(keys.enter);
    await t.waitFor('compare order-service: staging → prod');
    expect(engine.callsOf('compare').at(-1)).toEqual([
      { service: 'order-service', envA: 'staging', envB: 'prod' },
    ]);
  });

  it('a failed comparison is one line in the view and the status bar', async () => {
    const engine = new FakeEngine();
    engine.failures.set('compare', 'rendering api-gateway-dev failed: kustomize exited 1');
    const t = renderTui({ engine, columns: 120, rows: 40 });
    await t.waitFor('payment-service');
    await t.press('=');
    await t.waitFor('compare api-gateway failed: rendering api-gateway-dev failed: kustomize exited 1');
  });

  it('environments in promotion order; the default other is the next, else the previous', () => {
    const s = new FakeEngine().snapshot;
    expect(serviceEnvironments(s, 'order-service')).toEqual(['dev', 'staging', 'prod']);
    expect(serviceEnvironments(s, 'nope')).toEqual([]);
    expect(defaultOther(['dev', 'staging', 'prod'], 'staging')).toBe('prod');
    expect(defaultOther(['dev', 'staging', 'prod'], 'prod')).toBe('staging');
    expect(defaultOther(['prod'], 'prod')).toBeUndefined();
  });
});

describe('ApplicationSet preview view', () => {
  it(':appset NAME REV shows the generated apps against HEAD and live', async () => {
    const engine = new FakeEngine();
    engine.update(() => ({ appSets: [{ name: 'platform', generated: ['catalog-dev', 'search-dev'] }] }));
    const t = renderTui({ engine, columns: 120, rows: 40 });
    await t.waitFor('payment-service');
    await t.press(':');
    await t.type('appset platform feature');
    await t.press(keys.enter);
    const f = await t.waitFor('ApplicationSet platform at feature');
    expect(engine.callsOf('previewAppSets')).toEqual([[{ name: 'platform', revision: 'feature' }]]);
    expect(f).toMatch(/search-dev +removed +deployed +dev/);
    expect(f).toMatch(/billing-dev +added +not-deployed +dev/);
    expect(f).toContain('live but no longer generated at feature: search-dev');
    expect(f).toContain('generated at feature but not deployed: billing-dev');
    expect(f).toContain('Fleet › AppSet platform');
  });

  it('an unknown set, or A on an app no set generates, says so', async () => {
    const engine = new FakeEngine();
    engine.update(() => ({ appSets: [{ name: 'platform', generated: [] }] }));
    const t = renderTui({ engine, columns: 140, rows: 40 });
    await t.waitFor('payment-service');
    await t.press(':');
    await t.type('appset nope');
    await t.press(keys.enter);
    await t.waitFor(':appset: no ApplicationSet "nope" (sets: platform)');
    await t.press('A');
    await t.waitFor('api-gateway-dev is not generated by an ApplicationSet');
    expect(engine.callsOf('previewAppSets')).toEqual([]);
  });

  it('A on an app generated by a set opens that set', async () => {
    const engine = new FakeEngine();
    engine.update((s) => ({
      appSets: [{ name: 'gateways', generated: ['api-gateway-dev'] }],
      apps: s.apps.map((a) =>
        a.name === 'api-gateway-dev'
          ? { ...a, spec: { ...a.spec, origin: { applicationSet: 'gateways' } } }
          : a,
      ),
    }));
    const t = renderTui({ engine, columns: 120, rows: 40 });
    await t.waitFor('payment-service');
    await t.press('A');
    await t.waitFor('ApplicationSet gateways at HEAD');
    expect(engine.callsOf('previewAppSets')).toEqual([[{ name: 'gateways' }]]);
  });
});

describe('start-up spinner', () => {
  it('the header shows what the first load is doing, and nothing once loaded', async () => {
    const engine = new FakeEngine();
    engine.update(() => ({ loading: true, progress: 'rendering 3/12 apps' }));
    const t = renderTui({ engine, columns: 140 });
    const f = await t.waitFor('rendering 3/12 apps');
    expect(f.split('\n')[0]).toMatch(/^ bosun \S rendering 3\/12 apps +repo shop@/);
    engine.update(() => ({ loading: false, progress: undefined }));
    await t.waitFor((x) => !x.includes('rendering 3/12') && x.includes('payment-service'));
  });
});
