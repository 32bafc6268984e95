import { type ChildProcess, spawn } from 'node:child_process';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { commitFiles, type KustomizeShop, makeKustomizeShop, yamlDocs } from '../fixtures/repos/index.js';
import { bosun, deleteNamespace, e2eEnv, eventually, kubectl } from './helpers.js';

const root = resolve(import.meta.dirname, '../..');

/**
 * AppProject sync windows enforced against the real control plane: an active deny window refuses
 * `bosun sync` (exit 3, reason named) and holds `bosun watch` self-heal; `manualSync: true` lets a
 * manual sync through; an allow window that is not open holds automation.
 */
describe('sync windows', () => {
  let shop: KustomizeShop;
  let child: ChildProcess | undefined;
  const lines: Record<string, unknown>[] = [];
  const image = (svc: string) =>
    kubectl('dev', [
      '-n',
      'shop',
      'get',
      'deploy',
      svc,
      '--ignore-not-found',
      '-o',
      'jsonpath={.spec.template.spec.containers[0].image}',
    ]);
  const run = (args: string[]) => bosun([...args, '--repo', shop.work, '--context', 'dev']);
  // An allow window that opens twelve hours from now (UTC), so it is closed for the whole test.
  const closedHour = (new Date().getUTCHours() + 12) % 24;

  beforeAll(async () => {
    shop = await makeKustomizeShop({
      services: ['api-gateway', 'order-service', 'payment-service'],
      envs: ['dev'],
    });
    await commitFiles(
      shop,
      {
        'argocd/projects/default.yaml': yamlDocs({
          apiVersion: 'argoproj.io/v1alpha1',
          kind: 'AppProject',
          metadata: { name: 'default', namespace: 'argocd' },
          spec: {
            sourceRepos: ['*'],
            destinations: [{ server: '*', name: '*', namespace: '*' }],
            clusterResourceWhitelist: [{ group: '*', kind: '*' }],
            syncWindows: [
              // Always active (fires every minute, lasts an hour); no manual override.
              { kind: 'deny', schedule: '* * * * *', duration: '1h', applications: ['api-gateway-*'] },
              // Always active, but a manual sync may pass.
              {
                kind: 'deny',
                schedule: '* * * * *',
                duration: '1h',
                applications: ['order-service-*'],
                manualSync: true,
              },
              {
                kind: 'allow',
                schedule: `0 ${closedHour} * * *`,
                duration: '1h',
                timeZone: 'UTC',
                applications: ['payment-service-*'],
              },
            ],
          },
        }),
      },
      'default project: sync windows',
    );
  });

  afterAll(async () => {
    if (child && child.exitCode === null) child.kill('SIGKILL');
    await deleteNamespace('shop', ['dev']);
    await shop?.cleanup();
  });

  it('an active deny window refuses bosun sync with exit 3 and names the window', async () => {
    const r = await run(['sync', 'api-gateway-dev', '--yes']);
    expect(r.code, r.stderr).toBe(3);
    expect(r.stderr.trim().split('\n'), r.stderr).toHaveLength(1);
    expect(r.stderr).toMatch(
      /^bosun: refused to sync api-gateway-dev: AppProject default: a deny sync window \(\* \* \* \* \* for 1h\) is active until .* UTC \(manualSync is off\)$/m,
    );
    expect(image('api-gateway')).toBe('');
  });

  it('apps -o json shows each app its window', async () => {
    const r = await run(['apps', '-o', 'json']);
    expect(r.code, r.stderr).toBe(0);
    const apps = (JSON.parse(r.stdout) as { apps: { name: string; syncWindow: unknown }[] }).apps;
    const of = (n: string) => apps.find((a) => a.name === n)?.syncWindow;
    expect(of('api-gateway-dev')).toMatchObject({
      active: true,
      kind: 'deny',
      automated: false,
      manual: false,
    });
    expect(of('order-service-dev')).toMatchObject({
      active: true,
      kind: 'deny',
      automated: false,
      manual: true,
    });
    expect(of('payment-service-dev')).toMatchObject({
      active: false,
      kind: 'allow',
      automated: false,
      manual: false,
      window: `allow "0 ${closedHour} * * *" for 1h (UTC)`,
    });
    const next = (of('payment-service-dev') as { nextChange: string }).nextChange;
    expect(new Date(next).getUTCHours()).toBe(closedHour);
    expect(of('shop-root')).toBeNull();
  });

  it('manualSync: true lets a manual sync through the deny window', async () => {
    const r = await run(['sync', 'order-service-dev', '--yes']);
    expect(r.code, r.stderr).toBe(0);
    expect(image('order-service')).toBe('registry.local/shop/order-service:v1.48.0-rc.1');
  });

  it('bosun watch holds self-heal under the deny window and auto-sync outside the allow window', async () => {
    child = spawn(
      process.execPath,
      [join(root, 'bin/bosun.js'), 'watch', '--repo', shop.work, '--context', 'dev', '--interval', '1'],
      { env: e2eEnv(), stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let buf = '';
    child.stdout?.on('data', (d: Buffer) => {
      buf += d.toString();
      for (let i = buf.indexOf('\n'); i >= 0; i = buf.indexOf('\n')) {
        lines.push(JSON.parse(buf.slice(0, i)) as Record<string, unknown>);
        buf = buf.slice(i + 1);
      }
    });
    // On a timeout, say what watch logged.
    const waitFor = (what: string, check: () => boolean, ms: number) =>
      eventually(what, check, ms).catch((err: Error) => {
        throw new Error(`${err.message}; watch said: ${lines.map((l) => JSON.stringify(l)).join('\n')}`);
      });
    const held = (app: string) =>
      lines.find(
        (l) => l.event === 'log' && String(l.message).startsWith(`auto-sync ${app} held by a sync window`),
      );
    // payment-service-dev was never synced: automation wants it, the closed allow window holds it.
    await waitFor(
      'payment-service-dev held by its allow window',
      () => held('payment-service-dev') !== undefined,
      90_000,
    );
    expect(String(held('payment-service-dev')?.message)).toContain(
      'AppProject default: outside every allow sync window; the next opens at',
    );
    expect(image('payment-service')).toBe('');
    // order-service-dev is synced; change it out of band: self-heal wants it back, the deny window holds it.
    await eventually('watch started', () => lines.some((l) => l.event === 'started'), 60_000);
    kubectl('dev', [
      '-n',
      'shop',
      'set',
      'image',
      'deploy/order-service',
      'order-service=registry.local/shop/order-service:hacked',
    ]);
    await waitFor('self-heal held by the deny window', () => held('order-service-dev') !== undefined, 60_000);
    expect(String(held('order-service-dev')?.message)).toMatch(
      /^auto-sync order-service-dev held by a sync window \(self-heal.*\): AppProject default: a deny sync window/,
    );
    expect(image('order-service')).toBe('registry.local/shop/order-service:hacked');
    expect(
      lines.some((l) => l.event === 'log' && String(l.message).includes('sync order-service-dev started')),
    ).toBe(false);
  });
});
