import { cleanup } from 'ink-testing-library';
import { afterEach, describe, expect, it } from 'vitest';
import { FakeEngine } from './fake-engine.js';
import { keys, renderTui } from './harness.js';

afterEach(() => cleanup());

/** Opens the fleet on order-service-prod (row 2, column prod). */
async function onOrderProd(engine = new FakeEngine(), opts: { readOnly?: boolean } = {}) {
  const t = renderTui({ engine, ...opts });
  await t.waitFor('payment-service');
  await t.press('j', 'j', keys.right, keys.right);
  await t.waitFor('context prod-eu');
  return t;
}

describe('app view', () => {
  it('enter drills into the app: summary, resource tree with sync/health, explain; esc goes back', async () => {
    const t = await onOrderProd();
    await t.press(keys.enter);
    const f = await t.waitFor('Deployment/order-service');
    expect(f).toContain('Fleet › order-service-prod');
    expect(f).toContain('≠ OutOfSync');
    expect(f).toMatch(/▶ ├─ Deployment\/order-service\s+≠ ♥ OutOfSync/);
    expect(f).toMatch(/│ └─ ReplicaSet\/order-service-7d9f8/);
    expect(f).toMatch(/│ {3}├─ Pod\/order-service-7d9f8-x0\s+♥ Running/);
    expect(f).toMatch(/└─ Service\/order-service\s+✓ ♥/);
    expect(f).toContain('» Deployment/order-service: spec.replicas is 5 live, 3 in Git');
    await t.press(keys.escape);
    await t.waitFor((x) => x.includes('SERVICE') && !x.includes('› order-service-prod'));
  });

  it('shows conditions, the selected node health message and its events', async () => {
    const engine = new FakeEngine();
    engine.update((s) => ({
      apps: s.apps.map((a) =>
        a.name === 'payment-service-staging'
          ? { ...a, conditions: [{ type: 'ComparisonError', message: 'render failed: helm exited 1' }] }
          : a,
      ),
    }));
    const t = renderTui({ engine });
    await t.waitFor('payment-service');
    await t.press('G', keys.right, keys.enter);
    let f = await t.waitFor('Deployment/payment-service');
    expect(f).toContain('! ComparisonError: render failed: helm exited 1');
    expect(f).toContain('Deployment has 0 of 2 available replicas');
    await t.press('j', 'j');
    f = await t.waitFor('Warning BackOff: Back-off restarting failed container (×12)');
    expect(f).toMatch(/▶ │ {3}├─ Pod\/payment-service-7d9f8-x0\s+✗ CrashLoopBackOff/);
  });

  it('enter on a resource opens its diff', async () => {
    const t = await onOrderProd();
    await t.press(keys.enter);
    await t.waitFor('Deployment/order-service');
    await t.press(keys.enter);
    const f = await t.waitFor('[1/2] Deployment/shop/order-service');
    expect(f).toContain('› Diff');
  });

  it('a failing tree is one line, not a crash', async () => {
    const engine = new FakeEngine();
    engine.tree = () => {
      throw new Error('cluster prod-eu unreachable\nstack…');
    };
    const t = await onOrderProd(engine);
    await t.press(keys.enter);
    expect(
      await t.waitFor('resource tree of order-service-prod unavailable: cluster prod-eu unreachable'),
    ).not.toContain('stack…');
  });
});

describe('diff view', () => {
  it('shows a per-resource unified diff; n/N move between resources; Secret values are masked', async () => {
    const engine = new FakeEngine();
    const t = await onOrderProd(engine);
    await t.press('d');
    let f = await t.waitFor('[1/2] Deployment/shop/order-service');
    expect(f).toContain('OutOfSync');
    expect(f).toContain('changed: /spec/replicas · spec.replicas was changed by kubectl-scale');
    expect(f).toMatch(/^- {2}replicas: 5$/m);
    expect(f).toMatch(/^\+ {2}replicas: 3$/m);
    expect(engine.callsOf('diff')).toEqual([['order-service-prod']]);
    await t.press('n');
    f = await t.waitFor('[2/2] Secret/shop/order-db');
    expect(f).toContain('password: ******** (changed)');
    await t.press('n');
    await t.waitFor('[2/2]');
    await t.press('N');
    await t.waitFor('[1/2]');
  });

  it('scrolls long diffs with j/k and g/G', async () => {
    const engine = new FakeEngine();
    const long = ['--- live', '+++ desired', ...Array.from({ length: 80 }, (_, i) => `+line ${i}`)].join(
      '\n',
    );
    engine.diff = async () => [
      {
        key: { group: '', kind: 'ConfigMap', namespace: 'shop', name: 'big' },
        sync: 'OutOfSync',
        changedPaths: [],
        text: long,
        explain: [],
      },
    ];
    const t = await onOrderProd(engine);
    await t.press('d');
    await t.waitFor('+line 0');
    await t.press('j', 'j', 'j');
    let f = await t.waitFor((x) => !x.includes('--- live'));
    expect(f).toContain('+line 1');
    await t.press('G');
    f = await t.waitFor('+line 79');
    expect(f).not.toContain('+line 40');
    await t.press('g');
    await t.waitFor('--- live');
  });

  it('says so when the app matches Git, and shows engine errors as one status line', async () => {
    const engine = new FakeEngine();
    const t = renderTui({ engine });
    await t.waitFor('payment-service');
    await t.press('d');
    await t.waitFor('no differences: api-gateway-dev matches Git');
    await t.press(keys.escape);
    engine.failures.set('diff', 'dry-run refused by the API server\nat line 2');
    await t.press('d');
    const f = await t.waitFor('diff of api-gateway-dev failed: dry-run refused by the API server');
    expect(f).not.toContain('at line 2');
  });
});

describe('history view and revert', () => {
  it('lists commits with where they run; R opens the revert preview; production asks for the name', async () => {
    const engine = new FakeEngine();
    const t = await onOrderProd(engine);
    await t.press('h');
    let f = await t.waitFor('a1b2c3d');
    expect(f).toMatch(/COMMIT\s+DATE\s+AUTHOR\s+RUNNING IN · SUBJECT/);
    expect(f).toMatch(
      /▶ a1b2c3d\s+2025-01-03 10:00 alice\s+\[kind-staging\] order-service: bump to v1\.47\.2/,
    );
    expect(f).toMatch(/b2c3d4e .*\[prod-eu\] order-service: raise memory limit/);
    await t.press('j', 'R');
    f = await t.waitFor('Revert b2c3d4e for order-service-prod');
    expect(f).toContain('⚠ PRODUCTION');
    expect(f).toMatch(/-\s+newTag: v1\.47\.1/);
    expect(f).toContain('press y to commit and push to main, then type order-service-prod');
    expect(engine.callsOf('planRevert')).toEqual([[{ app: 'order-service-prod', commit: 'b2c3d4e5f6a1' }]]);
    await t.press('y');
    await t.waitFor('type order-service-prod to confirm');
    await t.type('order-service-pro');
    await t.press(keys.enter);
    await t.waitFor('typed name does not match: type order-service-prod exactly');
    expect(engine.callsOf('applyGitChange')).toEqual([]);
    await t.type('d');
    await t.press(keys.enter);
    f = await t.waitFor('pushed f00dfee to origin/main');
    expect(engine.callsOf('applyGitChange')[0]?.[1]).toEqual({ confirm: 'order-service-prod' });
    expect(f).toContain('revert pushed: f00dfee to origin/main');
  });

  it('a non-production revert needs only y', async () => {
    const engine = new FakeEngine();
    const t = renderTui({ engine });
    await t.waitFor('payment-service');
    await t.press(keys.right, 'h');
    await t.waitFor('a1b2c3d');
    await t.press('R');
    const f = await t.waitFor('press y to commit and push to main');
    expect(f).not.toContain('PRODUCTION');
    await t.press('y');
    await t.waitFor('pushed f00dfee');
    expect(engine.callsOf('applyGitChange')[0]?.[1]).toBeUndefined();
  });
});
