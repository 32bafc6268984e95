import { cleanup } from 'ink-testing-library';
import { afterEach, describe, expect, it } from 'vitest';
import { FakeEngine } from './fake-engine.js';
import { keys, renderTui } from './harness.js';

afterEach(() => cleanup());

async function at(engine: FakeEngine, ...moves: string[]) {
  const t = renderTui({ engine, columns: 110 });
  await t.waitFor('payment-service');
  await t.press(...moves);
  return t;
}

describe('sync dialog', () => {
  it('shows the plan (waves, hooks, prune list) before anything runs; a non-production sync needs y', async () => {
    const engine = new FakeEngine();
    const t = await at(engine, keys.right, 's'); // api-gateway-staging
    let f = await t.waitFor('Sync api-gateway-staging → context kind-staging at 4c7cf25');
    expect(f).not.toContain('PRODUCTION');
    expect(f).toMatch(/PHASE\s+WAVE\s+ACTION\s+RESOURCE\s+STATUS/);
    expect(f).toMatch(/PreSync\s+0\s+hook\s+Job\/shop\/api-gateway-migrate/);
    expect(f).toMatch(/Sync\s+1\s+apply\s+Deployment\/shop\/api-gateway/);
    expect(f).toContain('[ ] prune  [ ] dry-run');
    expect(f).toContain('4 tasks · 3 waves · 1 hooks · 0 to prune');
    expect(engine.callsOf('sync')).toEqual([]);
    await t.press('p');
    f = await t.waitFor('1 to prune');
    expect(f).toMatch(/Sync\s+1\s+prune\s+ConfigMap\/shop\/api-gateway-old/);
    expect(engine.callsOf('planSync').at(-1)).toEqual([
      'api-gateway-staging',
      { prune: true, dryRun: false },
    ]);
    await t.press('d');
    await t.waitFor('[x] prune  [x] dry-run');
    await t.press('y');
    f = await t.waitFor('Succeeded — successfully synced');
    expect(engine.callsOf('sync')).toEqual([['api-gateway-staging', { prune: true, dryRun: true }]]);
    expect(f).toContain('sync of api-gateway-staging (dry run): Succeeded');
    await t.press(keys.escape);
    await t.waitFor((x) => x.includes('SERVICE') && !x.includes('Sync api-gateway'));
  });

  it('selective sync: space chooses resources (hooks cannot be chosen)', async () => {
    const engine = new FakeEngine();
    const t = await at(engine, keys.right, 's');
    await t.waitFor('Job/shop/api-gateway-migrate');
    await t.press(' '); // on the hook: ignored
    await t.press('j', 'j', 'j', ' ');
    const f = await t.waitFor('1 selected (no hooks)');
    expect(f).toMatch(/\[x\] Sync\s+1\s+apply\s+Deployment\/shop\/api-gateway/);
    await t.press('y');
    await t.waitFor('Succeeded');
    expect(engine.callsOf('sync')[0]?.[1]).toEqual({
      prune: false,
      dryRun: false,
      resources: [{ group: 'apps', kind: 'Deployment', namespace: 'shop', name: 'api-gateway' }],
    });
  });

  it('a production sync requires typing the app name; progress arrives live', async () => {
    const engine = new FakeEngine();
    let release = () => {};
    engine.syncGate = new Promise<void>((r) => {
      release = r;
    });
    const t = await at(engine, 'j', 'j', keys.right, keys.right, 's');
    let f = await t.waitFor('Sync order-service-prod → context prod-eu');
    expect(f).toContain('⚠ PRODUCTION');
    expect(f).toContain('press y to sync, then type the app name');
    await t.press('y');
    await t.waitFor('type order-service-prod to confirm (esc to go back): ▏');
    await t.type('order');
    await t.press(keys.enter);
    await t.waitFor('typed name does not match');
    expect(engine.callsOf('sync')).toEqual([]);
    await t.press(keys.escape);
    await t.waitFor('press y to sync');
    await t.press('y');
    await t.type('order-service-prod');
    await t.waitFor('confirm (esc to go back): order-service-prod');
    await t.press(keys.enter);
    f = await t.waitFor(
      (x) => x.includes('syncing… Running — wave 0') && /Deployment\/shop\/order-service\s+Running/.test(x),
    );
    expect(f).toContain('T terminate');
    expect(engine.callsOf('sync')[0]?.[1]).toEqual({
      prune: false,
      dryRun: false,
      confirm: 'order-service-prod',
    });
    await t.press('T');
    await t.waitFor('terminating the sync of order-service-prod');
    expect(engine.callsOf('terminate')).toEqual([['order-service-prod']]);
    release();
    f = await t.waitFor('Succeeded — successfully synced (esc to close)');
    expect(f).toMatch(/Deployment\/shop\/order-service\s+Succeeded/);
  });

  it('a failing plan or sync is one line in the dialog and the status bar', async () => {
    const engine = new FakeEngine();
    engine.failures.set('planSync', 'AppProject shop does not allow namespace kube-system');
    const t = await at(engine, 's');
    await t.waitFor(
      'sync plan of api-gateway-dev failed: AppProject shop does not allow namespace kube-system',
    );
    await t.press(keys.escape);
    engine.failures.delete('planSync');
    engine.failures.set('sync', 'lease bosun-sync-api-gateway-dev is held by alice@bastion');
    await t.press('s');
    await t.waitFor('press y to sync');
    await t.press('y');
    const f = await t.waitFor(
      'sync of api-gateway-dev failed: lease bosun-sync-api-gateway-dev is held by alice@bastion',
    );
    expect(f).toContain('Sync api-gateway-dev');
  });
});

describe('promote dialog', () => {
  it('picks the target, previews file and rendered diff, asks for the production name, pushes', async () => {
    const engine = new FakeEngine();
    const t = await at(engine, 'j', keys.right, 'p'); // checkout-service-staging
    let f = await t.waitFor('Promote checkout-service: staging → ?');
    expect(f).toMatch(/▶ prod\s+checkout-service-prod\s+production/);
    expect(f).toContain('⚠ PRODUCTION');
    await t.press(keys.enter);
    f = await t.waitFor('file diff');
    expect(engine.callsOf('planPromote')).toEqual([
      [{ service: 'checkout-service', from: 'staging', to: 'prod' }],
    ]);
    expect(f).toContain('Promote checkout-service: staging → prod');
    expect(f).toMatch(/\+\s+newTag: v1\.47\.2/);
    expect(f).toContain('rendered diff of checkout-service-prod against live');
    expect(f).toContain('Promoted-by: tester@bastion');
    await t.press('y');
    await t.waitFor('type checkout-service-prod to confirm');
    await t.type('checkout-service-prod');
    await t.press(keys.enter);
    f = await t.waitFor('pushed f00dfee to origin/main');
    expect(engine.callsOf('applyGitChange')[0]?.[1]).toEqual({ confirm: 'checkout-service-prod' });
    expect(f).toContain('promotion pushed: f00dfee to origin/main');
  });

  it('dev → staging needs only y; esc steps back from preview to pick; last environment says so', async () => {
    const engine = new FakeEngine();
    const t = await at(engine, 'p'); // api-gateway-dev
    await t.waitFor('Promote api-gateway: dev → ?');
    await t.press(keys.enter);
    await t.waitFor('press y to commit and push to main · j/k scroll');
    await t.press(keys.escape);
    await t.waitFor('choose the target environment');
    await t.press(keys.enter);
    await t.waitFor('press y to commit');
    await t.press('y');
    await t.waitFor('pushed f00dfee');
    expect(engine.callsOf('applyGitChange')[0]?.[1]).toBeUndefined();
    await t.press(keys.escape, keys.right, keys.right, 'p');
    await t.waitFor('prod is the last environment; nothing to promote to');
  });

  it('promotes several marked services at once; production asks for the environment name', async () => {
    const engine = new FakeEngine();
    const t = await at(engine, keys.right, ' ', 'j', ' ', 'j', 'j', ' ');
    let f = await t.waitFor('3 marked (p promotes them)');
    expect(f).toMatch(/▶◆payment-service/);
    expect(f).toMatch(/ ◆api-gateway/);
    await t.press('k', 'k', ' ');
    f = await t.waitFor('2 marked');
    await t.press('p');
    f = await t.waitFor('Promote 2 services: staging → ?');
    expect(f).toContain('from api-gateway-staging, payment-service-staging');
    expect(f).toMatch(/▶ prod\s+2 services\s+production/);
    await t.press(keys.enter);
    f = await t.waitFor('payment-service: payment-service-staging → payment-service-prod');
    expect(f).toContain('api-gateway: api-gateway-staging → api-gateway-prod');
    expect(engine.callsOf('planPromote')).toEqual([
      [{ service: 'api-gateway', from: 'staging', to: 'prod' }],
      [{ service: 'payment-service', from: 'staging', to: 'prod' }],
    ]);
    expect(f).toContain('press y to commit and push to main, then type prod');
    await t.press('y');
    await t.type('prod');
    await t.press(keys.enter);
    f = await t.waitFor('pushed 2 of 2');
    expect(f).toContain('promoted 2 of 2 services to prod');
    expect(engine.callsOf('applyGitChange').map((c) => c[1])).toEqual([
      { confirm: 'api-gateway-prod' },
      { confirm: 'payment-service-prod' },
    ]);
  });

  it('a refused plan cannot be confirmed', async () => {
    const engine = new FakeEngine();
    const plan = engine.planPromote.bind(engine);
    engine.planPromote = async (o) => ({
      ...(await plan(o)),
      refusals: ['values file leaves the repository'],
    });
    const t = await at(engine, 'p');
    await t.press(keys.enter);
    await t.waitFor('refused: values file leaves the repository');
    await t.press('y');
    await t.waitFor('refused: values file leaves the repository');
    expect(engine.callsOf('applyGitChange')).toEqual([]);
  });
});
