import { cleanup } from 'ink-testing-library';
import { afterEach, describe, expect, it } from 'vitest';
import type { AppState } from '../../src/engine/index.js';
import { hintText } from '../../src/tui/components/footer.js';
import { defaultCommands } from '../../src/tui/input/commands.js';
import { commandsFor } from '../../src/tui/state/command-spec.js';
import { FakeEngine } from './fake-engine.js';
import { keys, renderTui } from './harness.js';

afterEach(() => cleanup());

/** A fake fleet where the named apps are OutOfSync. */
function engineWith(outOfSync: string[]): FakeEngine {
  const engine = new FakeEngine();
  engine.update((s) => ({
    apps: s.apps.map((a): AppState => (outOfSync.includes(a.name) ? { ...a, sync: 'OutOfSync' } : a)),
  }));
  return engine;
}

const synced = (engine: FakeEngine) => engine.callsOf('sync').map((c) => c[0]);

describe('sync all that the filter shows', () => {
  it('lists the shown apps, asks one typed phrase for production, then syncs exactly them', async () => {
    const engine = engineWith(['order-service-dev', 'order-service-staging']);
    const t = renderTui({ engine, columns: 140, rows: 40 });
    await t.waitFor('payment-service');
    await t.press('/');
    await t.type('order');
    await t.press(keys.enter, 'S');
    let f = await t.waitFor('press y to sync 3 apps, then type "sync 3 apps"');
    expect(f).toContain('Sync the apps shown by filter "order": 3 of 3');
    expect(f).toContain('⚠ PRODUCTION');
    expect(f).toMatch(/order-service-prod\s+prod-eu\s+PRODUCTION\s+to sync/);
    expect(f).toMatch(/order-service-dev\s+kind-dev\s+to sync/);
    expect(f).not.toContain('payment-service-dev');
    await t.press('y');
    await t.waitFor('type "sync 3 apps" to confirm');
    await t.type('sync 3');
    await t.press(keys.enter);
    await t.waitFor('typed name does not match: type sync 3 apps exactly');
    expect(synced(engine)).toEqual([]);
    await t.type(' apps');
    await t.press(keys.enter);
    f = await t.waitFor('done: 3 Succeeded');
    expect([...synced(engine)].sort()).toEqual([
      'order-service-dev',
      'order-service-prod',
      'order-service-staging',
    ]);
    const confirmOf = (app: string) =>
      (engine.callsOf('sync').find((c) => c[0] === app)?.[1] as { confirm?: string } | undefined)?.confirm;
    expect(confirmOf('order-service-prod')).toBe('order-service-prod');
    expect(confirmOf('order-service-dev')).toBeUndefined();
    expect(f).toMatch(/order-service-staging\s+kind-staging\s+Succeeded\s+\d+\.\ds/);
    expect(f).toContain('sync of 3 apps: 3 succeeded');
    await t.press(keys.escape);
    await t.waitFor((x) => x.includes('SERVICE') && !x.includes('Sync the apps'));
  });

  it('takes only the OutOfSync apps shown unless a includes the others; no production: y is enough', async () => {
    const engine = engineWith(['api-gateway-dev']);
    const t = renderTui({ engine, columns: 140, rows: 40 });
    await t.waitFor('payment-service');
    await t.press('/');
    await t.type('dev');
    await t.press(keys.enter, 'S');
    let f = await t.waitFor('press y to sync 1 app');
    expect(f).toContain('the 1 OutOfSync of 4 shown');
    expect(f).not.toContain('checkout-service-dev');
    await t.press('a');
    f = await t.waitFor('press y to sync 4 apps');
    expect(f).toContain('every shown app');
    expect(f).toContain('checkout-service-dev');
    expect(f).not.toContain('PRODUCTION');
    await t.press('a');
    await t.waitFor('press y to sync 1 app');
    await t.press('y');
    await t.waitFor('done: 1 Succeeded');
    expect(synced(engine)).toEqual(['api-gateway-dev']);
  });

  it('with nothing OutOfSync shown, says so and runs nothing on y', async () => {
    const engine = new FakeEngine();
    const t = renderTui({ engine, columns: 140, rows: 40 });
    await t.waitFor('payment-service');
    await t.press('/');
    await t.type('staging');
    await t.press(keys.enter, 'S');
    await t.waitFor('nothing to sync: none of the 4 shown apps is OutOfSync (a: include them)');
    await t.press('y');
    await t.waitFor('nothing to sync: no app of the list can be synced');
    expect(engine.callsOf('syncMany')).toEqual([]);
  });

  it('read-only hides it: no S in the footer, S does nothing, :sync-all says why', async () => {
    const engine = engineWith(['order-service-dev']);
    const t = renderTui({ engine, readOnly: true, columns: 160, rows: 40 });
    const f = await t.waitFor('payment-service');
    expect(f).not.toContain('S sync all shown');
    await t.press('S');
    expect(engine.callsOf('planSyncMany')).toEqual([]);
    await t.press(':');
    await t.type('sync-all');
    await t.press(keys.enter);
    await t.waitFor('cannot sync: bosun runs read-only');
    expect(engine.callsOf('planSyncMany')).toEqual([]);
  });

  it('the command record is in the fleet hints unless read-only', () => {
    expect(hintText(commandsFor(defaultCommands, 'fleet', false))).toContain('S sync all shown');
    expect(hintText(commandsFor(defaultCommands, 'fleet', true))).not.toContain('sync all shown');
  });
});
