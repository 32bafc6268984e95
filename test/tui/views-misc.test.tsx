import { cleanup } from 'ink-testing-library';
import { afterEach, describe, expect, it } from 'vitest';
import { FakeEngine } from './fake-engine.js';
import { keys, renderTui } from './harness.js';

afterEach(() => cleanup());

describe('clusters view', () => {
  it('lists contexts with reachability, version, kinds, objects, apps; enter shows the cluster apps', async () => {
    const engine = new FakeEngine();
    engine.update((s) => ({
      clusters: s.clusters.map((c) =>
        c.name === 'staging'
          ? { ...c, status: 'Unreachable' as const, message: 'dial tcp 127.0.0.1:6443: connection refused' }
          : c,
      ),
    }));
    const t = renderTui({ engine, columns: 120 });
    await t.waitFor('payment-service');
    await t.press('c');
    let f = await t.waitFor('CONTEXT');
    expect(f).toMatch(/NAME\s+CONTEXT\s+STATUS\s+VERSION\s+KINDS\s+OBJECTS\s+APPS\s+FLAGS\s+MESSAGE/);
    expect(f).toMatch(/▶ dev\s+kind-dev\s+Connected\s+v1\.31\.2\s+24\s+312\s+4/);
    expect(f).toMatch(/staging\s+kind-staging\s+Unreachable\s+v1\.31\.2.*dial tcp 127\.0\.0\.1:6443/);
    expect(f).toMatch(/production\s+prod-eu\s+Connected.*prod/);
    expect(f).toContain('Fleet › Clusters');
    await t.press('j', 'j');
    await t.waitFor('context prod-eu ⚠ PRODUCTION');
    await t.press(keys.enter);
    f = await t.waitFor((x) => x.includes('─ Apps ') && !x.includes('Clusters'));
    expect(f).toContain('order-service-prod');
    expect(f).not.toContain('order-service-dev');
  });
});

describe('help', () => {
  it('is generated from the command registry', async () => {
    const t = renderTui({ rows: 120 });
    await t.waitFor('payment-service');
    await t.press('?');
    const f = await t.waitFor('Command mode (:)');
    expect(f).toContain('Fleet › Help');
    expect(f).toMatch(/s {14}sync {2}\(mutating\)/);
    expect(f).toMatch(/Everywhere\n {2}: {14}command/);
    expect(f).toMatch(/\^c {13}quit \(anywhere\)/);
    expect(f).toMatch(/ {2}k ↑ +up/);
    expect(f.match(/k ↑ +up/g)).toHaveLength(1);
    expect(f).toMatch(/R {14}revert to here {2}\(mutating\)/);
    expect(f).toContain(':sync <app>');
    await t.press(keys.escape);
    await t.waitFor('SERVICE');
  });

  it('honours keymap overrides', async () => {
    const engine = new FakeEngine();
    const t = renderTui({ engine, keymapOverrides: { 'app.sync': ['S'] } });
    await t.waitFor('payment-service');
    expect(t.frame()).toContain('S sync');
    await t.press('s');
    expect(engine.callsOf('planSync')).toEqual([]);
    await t.press('S');
    await t.waitFor('Sync api-gateway-dev');
  });
});

describe('command mode', () => {
  it(':sync <app> opens the sync dialog; unknown apps and commands are one status line', async () => {
    const engine = new FakeEngine();
    const t = renderTui({ engine });
    await t.waitFor('payment-service');
    await t.press(':');
    await t.type('sync order-service-prod');
    await t.waitFor(':sync order-service-prod▏');
    await t.press(keys.enter);
    await t.waitFor('Sync order-service-prod → context prod-eu');
    await t.press(keys.escape, ':');
    await t.type('sync nope');
    await t.press(keys.enter);
    await t.waitFor(':sync: no app named "nope"');
    await t.press(':');
    await t.type('sync service-prod');
    await t.press(keys.enter);
    await t.waitFor(':sync: "service-prod" matches 3 apps');
    await t.press(':');
    await t.type('frobnicate');
    await t.press(keys.enter);
    await t.waitFor('unknown command :frobnicate (see ? for the list)');
  });

  it(':apps, :fleet, :clusters, :ctx, :theme, :diff, :history, :q', async () => {
    const engine = new FakeEngine();
    const t = renderTui({ engine });
    await t.waitFor('payment-service');
    const run = async (line: string) => {
      await t.press(':');
      await t.type(line);
      await t.press(keys.enter);
    };
    await run('apps');
    await t.waitFor('─ Apps ');
    await run('fleet');
    await t.waitFor('─ Fleet ');
    await run('clusters');
    await t.waitFor('Fleet › Clusters');
    await run('ctx prod-eu');
    let f = await t.waitFor((x) => x.includes('SERVICE') && !x.includes('Clusters'));
    expect(f).toMatch(/order-service\s+·\s+·\s+≠ ♥ v1\.47\.1/);
    await run('theme nope');
    await t.waitFor(':theme: unknown theme "nope"');
    await run('theme no-color');
    await t.waitFor('theme no-color');
    await run('diff order-service-prod');
    await t.waitFor('[1/2] Deployment/shop/order-service');
    await run('history order-service-prod');
    f = await t.waitFor('a1b2c3d');
    expect(f).toContain('Diff › History');
    await run('q');
    expect(t.quits()).toBe(1);
  });
});

describe('quitting', () => {
  it('q and ctrl-c quit', async () => {
    const a = renderTui();
    await a.waitFor('payment-service');
    await a.press('q');
    expect(a.quits()).toBe(1);
    const b = renderTui();
    await b.waitFor('payment-service');
    await b.press('/', keys.ctrlC);
    expect(b.quits()).toBe(1);
  });
});
