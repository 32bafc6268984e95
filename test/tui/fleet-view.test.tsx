import { cleanup } from 'ink-testing-library';
import { afterEach, describe, expect, it } from 'vitest';
import { FakeEngine } from './fake-engine.js';
import { keys, renderTui } from './harness.js';

afterEach(() => cleanup());

const rowOf = (frame: string, text: string) => frame.split('\n').find((l) => l.includes(text)) ?? '';

describe('fleet view', () => {
  it('shows services × environments with sync/health glyphs, tags and hints', async () => {
    const t = renderTui();
    const f = await t.waitFor('payment-service');
    expect(f).toMatch(/SERVICE\s+DEV\s+STAGING\s+PROD/);
    expect(rowOf(f, 'order-service')).toMatch(
      /✓ ♥ latest\s+✓ ♥ v1\.47\.2\s+≠ ♥ v1\.47\.1\s+drift: spec\.replicas/,
    );
    expect(rowOf(f, 'payment-service')).toMatch(/✓ ✗ v1\.47\.1.*CrashLoopBackOff/);
    expect(rowOf(f, 'checkout-service')).toContain('← promotable');
    expect(f).toContain('4 services · 12 apps');
    expect(f).toContain('clusters dev ● staging ● production ●');
    expect(f).toMatch(/enter open\s+d diff\s+s sync\s+p promote\s+h history/);
  });

  it('moves the cursor with j/k/arrows and columns with ←/→; the header follows the selected cell', async () => {
    const t = renderTui();
    await t.waitFor('payment-service');
    expect(rowOf(t.frame(), 'api-gateway')).toMatch(/^▶/);
    expect(t.frame()).toContain('context kind-dev');
    await t.press('j', keys.down, keys.right, keys.right);
    const f = await t.waitFor('context prod-eu ⚠ PRODUCTION');
    expect(rowOf(f, 'order-service')).toMatch(/^▶/);
    expect(f).toContain('[prod-eu]');
    await t.press('k', keys.up, keys.left);
    expect(await t.waitFor('context kind-staging')).toMatch(/▶ api-gateway/);
    await t.press('G');
    expect(
      rowOf(await t.waitFor((x) => rowOf(x, 'payment-service').startsWith('▶')), 'payment-service'),
    ).toMatch(/^▶/);
    await t.press('g');
    await t.waitFor((x) => rowOf(x, 'api-gateway').startsWith('▶'));
  });

  it('handles keys that arrive together (a slow link coalesces them) one by one', async () => {
    const t = renderTui();
    await t.waitFor('payment-service');
    await t.press('jj');
    await t.waitFor((x) => rowOf(x, 'order-service').startsWith('▶'));
    // The second key must see the view the first one opened.
    await t.press('cj');
    expect(await t.waitFor('Fleet › Clusters')).toMatch(/▶ staging/);
  });

  it('filters with / (live), keeps the filter on enter and clears it on esc', async () => {
    const t = renderTui();
    await t.waitFor('payment-service');
    await t.press('/');
    await t.type('pay');
    let f = await t.waitFor((x) => !x.includes('order-service'));
    expect(f).toContain('payment-service');
    expect(f).toContain('/pay▏');
    await t.press(keys.backspace, keys.backspace, keys.backspace);
    await t.type('zzz');
    expect(await t.waitFor('no service matches "zzz"')).toBeTruthy();
    await t.press(keys.backspace, keys.backspace, keys.backspace);
    await t.type('order');
    await t.press(keys.enter);
    f = await t.waitFor((x) => !x.includes('/order'));
    expect(f).toContain('order-service');
    expect(f).not.toContain('payment-service');
    await t.press('/', keys.escape);
    await t.waitFor('payment-service');
  });

  it('sorts with o and groups with b, keeping the selection', async () => {
    const t = renderTui();
    await t.waitFor('payment-service');
    await t.press('j', 'j', keys.right, keys.right); // order-service-prod
    await t.press('o'); // health: payment-service first
    let f = await t.waitFor('sorted by health');
    const lines = f.split('\n');
    expect(lines.findIndex((l) => l.includes('payment-service'))).toBeLessThan(
      lines.findIndex((l) => l.includes('api-gateway')),
    );
    expect(rowOf(f, 'order-service')).toMatch(/^▶/);
    await t.press('b'); // project
    f = await t.waitFor('grouped by project');
    expect(f).toContain('─ payments');
    expect(f).toContain('─ shop');
    await t.press('b'); // cluster: columns are clusters
    f = await t.waitFor('grouped by cluster');
    expect(f).toMatch(/SERVICE\s+DEV\s+STAGING\s+PRODUCTION/);
    expect(f).toContain('context prod-eu');
  });

  it('tab switches to the app list (own table) and back', async () => {
    const t = renderTui({ columns: 120 });
    await t.waitFor('payment-service');
    await t.press('j', 'j', keys.right, keys.right, keys.tab);
    const f = await t.waitFor('NAME');
    expect(f).toMatch(/NAME\s+ENV\s+CONTEXT\s+SYNC\s+HEALTH\s+VERSION\s+MESSAGE/);
    expect(rowOf(f, 'order-service-prod')).toMatch(
      /^▶ order-service-prod\s+prod\s+prod-eu\s+OutOfSync\s+Healthy\s+v1\.47\.1/,
    );
    expect(rowOf(f, 'payment-service-staging')).toContain('CrashLoopBackOff');
    expect(f).toContain('─ Apps ');
    await t.press('j', keys.tab);
    expect(rowOf(await t.waitFor('SERVICE'), 'payment-service')).toMatch(/^▶/);
  });

  it("a refresh pending in Argo CD shows as refreshing until it is reconciled; the list names each app's ApplicationSet", async () => {
    const engine = new FakeEngine();
    const t = renderTui({ engine, columns: 140 });
    await t.waitFor('payment-service');
    const refreshing = (on: boolean) =>
      engine.update((s) => ({
        apps: s.apps.map(({ refreshing: _, ...a }) =>
          a.name === 'api-gateway-staging'
            ? {
                ...a,
                spec: { ...a.spec, origin: { applicationSet: 'gateways' } },
                ...(on ? { refreshing: 'hard' as const } : {}),
              }
            : a,
        ),
      }));
    refreshing(true);
    const row = rowOf(await t.waitFor((x) => rowOf(x, 'api-gateway').includes('refreshing')), 'api-gateway');
    expect(row).toMatch(
      /✓ ♥ latest\s+⟳ ♥ v1\.47\.1\s+✓ ♥ v1\.47\.1\s+hard refreshing api-gateway-staging \(Argo CD\)/,
    );
    await t.press(keys.tab);
    const list = await t.waitFor('NAME');
    expect(list).toMatch(/NAME\s+ENV\s+CONTEXT\s+APPSET\s+SYNC\s+HEALTH/);
    expect(rowOf(list, 'api-gateway-staging')).toMatch(
      /api-gateway-staging\s+staging\s+\S+\s+gateways\s+Refreshing +Healthy/,
    );
    expect(rowOf(list, 'api-gateway-prod')).toMatch(/api-gateway-prod\s+prod\s+\S+\s+-\s+Synced/);
    refreshing(false);
    expect(rowOf(await t.waitFor((x) => !x.includes('Refreshing')), 'api-gateway-staging')).toMatch(
      /gateways\s+Synced/,
    );
  });

  it('x opens the explain panel of the selected app, esc closes it', async () => {
    const t = renderTui();
    await t.waitFor('payment-service');
    await t.press('j', 'j', keys.right, keys.right, 'x');
    const f = await t.waitFor('explain order-service-prod');
    expect(f).toContain('spec.replicas is 5 live, 3 in Git');
    await t.press(keys.escape);
    await t.waitFor((x) => !x.includes('explain order-service-prod'));
  });

  it('follows engine changes (coalesced snapshots) without a key press', async () => {
    const engine = new FakeEngine();
    const t = renderTui({ engine });
    await t.waitFor('payment-service');
    engine.update((s) => ({
      apps: s.apps.map((a) =>
        a.name === 'api-gateway-prod'
          ? { ...a, sync: 'OutOfSync' as const, health: 'Progressing' as const }
          : a,
      ),
    }));
    expect(rowOf(await t.waitFor((x) => rowOf(x, 'api-gateway').includes('≠ ◐')), 'api-gateway')).toContain(
      '≠ ◐ v1.47.1',
    );
    engine.update((s) => ({
      clusters: s.clusters.map((c) => (c.name === 'staging' ? { ...c, status: 'Unreachable' as const } : c)),
    }));
    await t.waitFor('staging ✗');
  });

  it('fits 80×24 and re-lays out on resize; only visible rows are rendered', async () => {
    const t = renderTui({ engine: new FakeEngine({ apps: 300 }), columns: 80, rows: 24 });
    let f = await t.waitFor('svc-0000');
    let lines = f.split('\n');
    expect(lines.length).toBeLessThanOrEqual(23);
    expect(Math.max(...lines.map((l) => [...l].length))).toBeLessThanOrEqual(80);
    expect(f).not.toContain('svc-0050');
    await t.press('G');
    f = await t.waitFor('svc-0099');
    expect(f).not.toContain('svc-0000');
    t.resize(120, 40);
    f = await t.waitFor((x) => x.split('\n').length > 30);
    lines = f.split('\n');
    expect(lines.length).toBeLessThanOrEqual(39);
    expect(rowOf(f, 'svc-0099')).toMatch(/^▶/);
  });
});
