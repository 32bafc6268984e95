import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { git, type KustomizeShop, makeKustomizeShop } from '../fixtures/repos/index.js';
import { deleteNamespace, e2eEnv, eventually, kubectl } from './helpers.js';

const root = resolve(import.meta.dirname, '../..');

describe('bosun watch: headless auto-sync and self-heal', () => {
  let shop: KustomizeShop;
  let child: ChildProcess;
  const lines: Record<string, unknown>[] = [];
  let stderr = '';
  const image = () =>
    kubectl('dev', [
      '-n',
      'shop',
      'get',
      'deploy',
      'order-service',
      '-o',
      'jsonpath={.spec.template.spec.containers[0].image}',
    ]);
  const has = (pred: (l: Record<string, unknown>) => boolean) => lines.some(pred);

  beforeAll(async () => {
    shop = await makeKustomizeShop({ services: ['order-service'] });
    child = spawn(
      process.execPath,
      [join(root, 'bin/bosun.js'), 'watch', '--repo', shop.work, '--context', 'dev', '--interval', '1'],
      {
        env: e2eEnv(),
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let buf = '';
    child.stdout?.on('data', (d: Buffer) => {
      buf += d.toString();
      for (let i = buf.indexOf('\n'); i >= 0; i = buf.indexOf('\n')) {
        const line = buf.slice(0, i);
        buf = buf.slice(i + 1);
        lines.push(JSON.parse(line) as Record<string, unknown>);
      }
    });
    child.stderr?.on('data', (d: Buffer) => {
      stderr += d.toString();
    });
  });

  afterAll(async () => {
    if (child && child.exitCode === null) child.kill('SIGKILL');
    await deleteNamespace('shop', ['dev']);
    await shop?.cleanup();
  });

  it('auto-syncs the automated app at start', async () => {
    await eventually(
      'initial auto-sync',
      () => has((l) => l.event === 'log' && String(l.message).includes('sync order-service-dev: Succeeded')),
      90_000,
    );
    expect(image()).toBe('registry.local/shop/order-service:v1.48.0-rc.1');
    const started = lines.find((l) => l.event === 'started');
    expect(started).toBeDefined();
  });

  it('heals an out-of-band change (self-heal) and logs it', async () => {
    kubectl('dev', [
      '-n',
      'shop',
      'set',
      'image',
      'deploy/order-service',
      'order-service=registry.local/shop/order-service:hacked',
    ]);
    const healLogged = () => has((l) => l.event === 'log' && String(l.message).includes('self-heal'));
    // The image is restored before the line is logged: wait for both, the very things asserted.
    await eventually(
      'self-heal restores the image and logs it',
      () => healLogged() && image() === 'registry.local/shop/order-service:v1.48.0-rc.1',
      30_000,
    );
    expect(image()).toBe('registry.local/shop/order-service:v1.48.0-rc.1');
    expect(healLogged()).toBe(true);
  });

  it('syncs a new commit pushed to origin by someone else', async () => {
    const other = mkdtempSync(join(tmpdir(), 'bosun-e2e-clone-'));
    git(other, ['clone', '--quiet', shop.origin, 'c']);
    const clone = join(other, 'c');
    git(clone, ['config', 'user.email', 'alice@example.invalid']);
    git(clone, ['config', 'user.name', 'alice']);
    const file = join(clone, 'apps/order-service/overlays/dev/kustomization.yaml');
    writeFileSync(file, readFileSync(file, 'utf8').replace('v1.48.0-rc.1', 'v1.48.0-rc.2'));
    git(clone, ['commit', '--quiet', '-am', 'order-service dev: v1.48.0-rc.2']);
    git(clone, ['push', '--quiet', 'origin', 'HEAD:main']);
    const sha = git(clone, ['rev-parse', 'HEAD']).trim();
    const revisionLogged = () =>
      has((l) => l.event === 'log' && String(l.message).includes(`new revision ${sha.slice(0, 7)}`));
    await eventually(
      'new commit synced and logged',
      () => revisionLogged() && image() === 'registry.local/shop/order-service:v1.48.0-rc.2',
      60_000,
    );
    expect(revisionLogged()).toBe(true);
  });

  it('exits cleanly on SIGTERM', async () => {
    const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    expect(has((l) => l.event === 'stopping')).toBe(true);
    expect(stderr).toBe('');
  });
});
