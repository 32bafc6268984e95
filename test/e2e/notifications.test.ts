import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  commitFiles,
  git,
  type KustomizeShop,
  makeKustomizeShop,
  yamlDocs,
} from '../fixtures/repos/index.js';
import { deleteNamespace, e2eEnv, eventually, kubectl } from './helpers.js';

const root = resolve(import.meta.dirname, '../..');

type Post = { path: string; headers: IncomingHttpHeaders; body: string; status: number };
type Line = Record<string, unknown>;

/** A headless `bosun watch` whose JSON lines are collected. */
function startWatch(work: string): { child: ChildProcess; lines: Line[] } {
  const lines: Line[] = [];
  const child = spawn(
    process.execPath,
    [join(root, 'bin/bosun.js'), 'watch', '--repo', work, '--context', 'dev', '--interval', '1'],
    { env: e2eEnv({ BOSUN_E2E_HOOK_TOKEN: 's3cret' }), stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let buf = '';
  child.stdout?.on('data', (d: Buffer) => {
    buf += d.toString();
    for (let i = buf.indexOf('\n'); i >= 0; i = buf.indexOf('\n')) {
      lines.push(JSON.parse(buf.slice(0, i)) as Line);
      buf = buf.slice(i + 1);
    }
  });
  return { child, lines };
}

const logged = (lines: Line[], text: string) =>
  lines.some((l) => l.event === 'log' && String(l.message).includes(text));

/**
 * Notifications against a local HTTP receiver on loopback: `bosun watch` POSTs one message per event
 * (sync succeeded, sync failed, drift), with the Slack-compatible default body and a header from the
 * environment; a second watcher does not send again (the claim is in the app's history ConfigMap);
 * a receiver that answers 500 twice gets the message on the third attempt.
 */
describe('notifications', () => {
  let shop: KustomizeShop;
  let server: Server;
  const posts: Post[] = [];
  let flakyFailures = 2;
  const watchers: ChildProcess[] = [];
  let a: { child: ChildProcess; lines: Line[] };
  let b: { child: ChildProcess; lines: Line[] };
  const chat = (trigger: string) =>
    posts.filter((p) => p.path === '/chat' && String(JSON.parse(p.body).text).includes(trigger));
  const said = (lines: Line[]) => lines.map((l) => JSON.stringify(l)).join('\n');

  beforeAll(async () => {
    server = createServer((req, res) => {
      let body = '';
      req.on('data', (d: Buffer) => {
        body += d.toString();
      });
      req.on('end', () => {
        let status = 200;
        if (req.url === '/flaky' && flakyFailures > 0) {
          flakyFailures--;
          status = 500;
        }
        posts.push({ path: req.url ?? '', headers: req.headers, body, status });
        res.writeHead(status).end();
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const port = (server.address() as AddressInfo).port;
    shop = await makeKustomizeShop({ services: ['checkout-service'], envs: ['dev'], selfHeal: false });
    await commitFiles(
      shop,
      {
        'bosun.yaml': yamlDocs({
          notifications: {
            targets: [
              {
                name: 'chat',
                url: `http://127.0.0.1:${port}/chat`,
                // biome-ignore lint/suspicious/noTemplateCurlyInString: bosun.yaml's own ${NAME} syntax
                headers: { Authorization: 'Bearer ${BOSUN_E2E_HOOK_TOKEN}' },
              },
              {
                name: 'flaky',
                url: `http://127.0.0.1:${port}/flaky`,
                body: '{"app": "{{app}}", "event": "{{trigger}}", "revision": "{{revision}}"}',
              },
            ],
            subscriptions: [
              { triggers: ['on-sync-succeeded', 'on-sync-failed', 'on-drift-detected'], targets: ['chat'] },
              { triggers: ['on-sync-succeeded'], apps: ['checkout-*'], targets: ['flaky'] },
            ],
          },
        }),
      },
      'bosun.yaml: notifications',
    );
  });

  afterAll(async () => {
    for (const c of watchers) if (c.exitCode === null) c.kill('SIGKILL');
    await new Promise((r) => server?.close(r));
    await deleteNamespace('shop', ['dev']);
    await shop?.cleanup();
  });

  it('a sync that succeeds: one POST with the Slack-compatible body and the header from the environment', async () => {
    a = startWatch(shop.work);
    watchers.push(a.child);
    const sent = 'notification on-sync-succeeded of checkout-service-dev to chat sent';
    await eventually('the sync-succeeded POST', () => logged(a.lines, sent), 120_000).catch((err: Error) => {
      throw new Error(`${err.message}; watch said: ${said(a.lines)}`);
    });
    const [post, ...more] = chat('sync succeeded');
    expect(more).toEqual([]);
    expect(post?.headers.authorization).toBe('Bearer s3cret');
    expect(post?.headers['content-type']).toBe('application/json');
    const head = git(shop.work, ['rev-parse', 'HEAD']).trim();
    expect(JSON.parse(post?.body ?? '{}')).toEqual({
      text: expect.stringMatching(
        new RegExp(
          `^bosun: checkout-service-dev \\(dev on dev\\) sync succeeded at ${head.slice(0, 7)}: sync \\S+ by e2e@test succeeded`,
        ),
      ),
    });
  });

  it('a receiver that answers 500 twice gets the message by retry', async () => {
    await eventually(
      'the flaky receiver served',
      () =>
        logged(
          a.lines,
          'notification on-sync-succeeded of checkout-service-dev to flaky sent (HTTP 200, attempt 3)',
        ),
      60_000,
    );
    const flaky = posts.filter((p) => p.path === '/flaky');
    expect(flaky.map((p) => p.status)).toEqual([500, 500, 200]);
    const head = git(shop.work, ['rev-parse', 'HEAD']).trim();
    for (const p of flaky)
      expect(JSON.parse(p.body)).toEqual({
        app: 'checkout-service-dev',
        event: 'on-sync-succeeded',
        revision: head,
      });
  });

  it('two watchers see the same drift: one POST, the other watcher skips it', async () => {
    b = startWatch(shop.work);
    watchers.push(b.child);
    await eventually('the second watcher started', () => b.lines.some((l) => l.event === 'started'), 120_000);
    kubectl('dev', [
      '-n',
      'shop',
      'set',
      'image',
      'deploy/checkout-service',
      'checkout-service=registry.local/shop/checkout-service:hotfix',
    ]);
    const sent = 'notification on-drift-detected of checkout-service-dev to chat sent';
    const skipped = 'notification on-drift-detected of checkout-service-dev to chat skipped';
    await eventually(
      'one watcher sent the drift, the other skipped it',
      () =>
        (logged(a.lines, sent) && logged(b.lines, skipped)) ||
        (logged(b.lines, sent) && logged(a.lines, skipped)),
      60_000,
    ).catch((err: Error) => {
      const apps = kubectl('dev', ['-n', 'shop', 'get', 'deploy', '-o', 'wide']);
      throw new Error(
        `${err.message}; first watcher said: ${said(a.lines)}\nsecond: ${said(b.lines)}\n${apps}`,
      );
    });
    expect(chat('drift detected')).toHaveLength(1);
  });

  it('a sync that fails: one POST', async () => {
    const exited = new Promise((r) => b.child.once('exit', r));
    b.child.kill('SIGTERM');
    await exited;
    const overlay = 'apps/checkout-service/overlays/dev';
    await commitFiles(
      shop,
      {
        // The API server refuses this name: the sync fails.
        [`${overlay}/bad.yaml`]: yamlDocs({
          apiVersion: 'v1',
          kind: 'ConfigMap',
          metadata: { name: 'Bad_Name' },
          data: { a: 'b' },
        }),
        [`${overlay}/kustomization.yaml`]: readFileSync(
          join(shop.work, overlay, 'kustomization.yaml'),
          'utf8',
        ).replace('  - ../../base\n', '  - ../../base\n  - bad.yaml\n'),
      },
      'checkout-service dev: a ConfigMap the API server refuses',
    );
    const sent = 'notification on-sync-failed of checkout-service-dev to chat sent';
    await eventually('the sync-failed POST', () => logged(a.lines, sent), 120_000).catch((err: Error) => {
      throw new Error(`${err.message}; watch said: ${said(a.lines)}`);
    });
    const [post, ...more] = chat('sync failed');
    expect(more).toEqual([]);
    expect(String(JSON.parse(post?.body ?? '{}').text)).toMatch(
      /^bosun: checkout-service-dev \(dev on dev\) sync failed at [0-9a-f]{7}: sync \S+ by e2e@test failed/,
    );
    expect(chat('sync succeeded')).toHaveLength(1);
  });
});
