import { cleanup } from 'ink-testing-library';
import { afterEach, describe, expect, it } from 'vitest';
import { contextBadge } from '../../src/tui/components/header.js';
import { loadThemes } from '../../src/tui/theme/loader.js';
import { FakeEngine } from './fake-engine.js';
import { keys, renderTui, themesDir } from './harness.js';

afterEach(() => cleanup());

describe('read-only', () => {
  it('--read-only removes s, p and R from footer, help and keys', async () => {
    const engine = new FakeEngine();
    const t = renderTui({ engine, readOnly: true, rows: 60 });
    let f = await t.waitFor('payment-service');
    expect(f).toContain('READ-ONLY');
    expect(f).not.toMatch(/s sync|p promote/);
    await t.press('s', 'p');
    expect(engine.callsOf('planSync')).toEqual([]);
    expect(t.frame()).not.toContain('Sync ');
    expect(t.frame()).not.toContain('Promote ');
    await t.press('h');
    f = await t.waitFor('a1b2c3d');
    expect(f).not.toContain('R revert');
    await t.press('R');
    expect(engine.callsOf('planRevert')).toEqual([]);
    await t.press(keys.escape, '?');
    f = await t.waitFor('read-only: sync, promote and revert are disabled');
    expect(f).not.toMatch(/^ {2}s +sync|^ {2}p +promote|revert to here|\(mutating\)|Sync dialog/m);
    expect(f).toMatch(/^ {2}d +diff/m);
    await t.press(keys.escape, ':');
    await t.type('sync order-service-prod');
    await t.press(keys.enter);
    await t.waitFor('cannot sync order-service-prod: bosun runs read-only');
    expect(engine.callsOf('planSync')).toEqual([]);
  });

  it('a read-only cluster removes mutating commands for its apps only', async () => {
    const engine = new FakeEngine({ readOnlyCluster: 'production' });
    const t = renderTui({ engine });
    let f = await t.waitFor('payment-service');
    expect(f).toContain('s sync');
    await t.press(keys.right, keys.right);
    f = await t.waitFor('context prod-eu');
    expect(f).toContain('READ-ONLY');
    expect(f).not.toContain('s sync');
    await t.press('s');
    expect(engine.callsOf('planSync')).toEqual([]);
    // Promoting into the read-only cluster is refused too.
    await t.press(keys.left, 'p');
    await t.waitFor('Promote api-gateway: staging → ?');
    await t.press(keys.enter);
    await t.waitFor('cannot promote to api-gateway-prod: production is read-only');
    expect(engine.callsOf('planPromote')).toEqual([]);
  });

  it('the engine read-only flag counts too', async () => {
    const engine = new FakeEngine();
    engine.update(() => ({ readOnly: true }));
    const t = renderTui({ engine });
    const f = await t.waitFor('payment-service');
    expect(f).not.toContain('s sync');
  });
});

describe('target context', () => {
  it('is always in the header and footer; production is marked in words and in the danger colour', async () => {
    const t = renderTui();
    let f = await t.waitFor('payment-service');
    expect(f.split('\n')[1]).toContain('context kind-dev');
    expect(f).toContain('[kind-dev]');
    await t.press(keys.right, keys.right);
    f = await t.waitFor('context prod-eu ⚠ PRODUCTION');
    expect(f.split('\n')[1]).toContain('context prod-eu ⚠ PRODUCTION');
    await t.press('d');
    f = await t.waitFor('no differences');
    expect(f.split('\n')[1]).toContain('context prod-eu ⚠ PRODUCTION');
  });

  it('colours the context with the context tokens (production in the danger colour)', () => {
    const theme = loadThemes([themesDir]).themes.get('default-dark')!;
    expect(contextBadge(theme, { context: 'prod-eu', production: true })).toEqual({
      text: 'context prod-eu ⚠ PRODUCTION',
      colour: theme.tokens.context.production,
      bold: true,
    });
    expect(theme.tokens.context.production).toBe(theme.tokens.status.error);
    expect(contextBadge(theme, { context: 'kind-dev', production: false })).toEqual({
      text: 'context kind-dev',
      colour: theme.tokens.context.default,
      bold: false,
    });
    // A batch (sync what the filter shows) names every context it reaches, not "no target".
    expect(contextBadge(theme, { contexts: ['dev', 'prod-eu'], production: true })).toEqual({
      text: 'contexts dev, prod-eu ⚠ PRODUCTION',
      colour: theme.tokens.context.production,
      bold: true,
    });
    expect(contextBadge(theme, { contexts: ['dev'], production: false }).text).toBe('context dev');
  });
});

describe('errors never crash the console', () => {
  it('refresh, history and explain failures become one status line', async () => {
    const engine = new FakeEngine();
    engine.failures.set('refresh', 'git fetch: could not resolve host\nfatal');
    const t = renderTui({ engine });
    await t.waitFor('payment-service');
    await t.press('r');
    let f = await t.waitFor('refresh failed: git fetch: could not resolve host');
    expect(f).not.toContain('fatal');
    engine.failures.set('history', 'git log timed out');
    await t.press('h');
    f = await t.waitFor('history of api-gateway-dev failed: git log timed out');
    await t.press(keys.escape);
    engine.failures.set('explain', 'boom');
    await t.press('x');
    f = await t.waitFor('explain unavailable: boom');
    expect(f).toContain('SERVICE');
  });

  it('an engine method that throws synchronously is handled like a rejection', async () => {
    const engine = new FakeEngine();
    engine.planSync = () => {
      throw new Error('not connected yet');
    };
    const t = renderTui({ engine });
    await t.waitFor('payment-service');
    await t.press('s');
    await t.waitFor('sync plan of api-gateway-dev failed: not connected yet');
  });

  it('an engine error log event is shown in the status bar', async () => {
    const engine = new FakeEngine();
    const t = renderTui({ engine });
    await t.waitFor('payment-service');
    engine.emit({
      type: 'log',
      level: 'error',
      message: 'watch of apps/v1 Deployment on prod-eu failed\ndetails',
      app: 'order-service-prod',
    });
    engine.emit({ type: 'log', level: 'info', message: 'noise' });
    const f = await t.waitFor('order-service-prod: watch of apps/v1 Deployment on prod-eu failed');
    expect(f).not.toContain('noise');
  });

  it('a view that throws while rendering shows one line and esc recovers', async () => {
    const engine = new FakeEngine();
    const t = renderTui({ engine });
    await t.waitFor('payment-service');
    engine.history = async () => [
      {
        sha: 'x',
        shortSha: 'x',
        author: 'a',
        date: 'd',
        subject: 's',
        runningIn: null as unknown as string[],
      },
    ];
    await t.press('h');
    await t.waitFor('this view failed to render');
    await t.press(keys.escape);
    await t.waitFor('SERVICE');
  });
});

describe('themes in the UI', () => {
  it('NO_COLOR wins over --theme in the UI', async () => {
    const t = renderTui({ env: { NO_COLOR: '1' }, themeName: 'ascii' });
    // The no-color theme keeps the Unicode glyphs: the ascii theme was not used.
    expect(await t.waitFor('payment-service')).toContain('✓ ♥ latest');
  });

  it('the ascii theme draws with plain ASCII', async () => {
    const t = renderTui({ themeName: 'ascii' });
    const f = await t.waitFor('payment-service');
    expect(f).toMatch(/order-service\s+= \+ latest\s+= \+ v1\.47\.2\s+! \+ v1\.47\.1/);
    expect(f).toMatch(/^> api-gateway/m);
  });

  it('a cluster theme applies while one of its apps is selected', async () => {
    const engine = new FakeEngine();
    engine.update((s) => ({
      clusters: s.clusters.map((c) => (c.production ? { ...c, theme: 'ascii' } : c)),
    }));
    const t = renderTui({ engine });
    await t.waitFor('payment-service');
    expect(t.frame()).toContain('✓ ♥ latest');
    await t.press(keys.right, keys.right);
    await t.waitFor('= + latest');
  });
});
