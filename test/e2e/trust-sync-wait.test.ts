/**
 * `bosun sync` returns when the operation has applied, with the exit code of its phase; `--wait` also waits
 * for the app to be Synced and Healthy, bounded by `--timeout`.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FixtureRepo } from '../fixtures/repos/index.js';
import { bosun, deleteNamespace, e2eEnv, kubectl } from './helpers.js';
import { deleteBosunRecords, deployment, field, syncRepo } from './sync-fixtures.js';

const sync = (repo: FixtureRepo, app: string, extra: string[] = []) =>
  bosun(['sync', app, '--repo', repo.work, '--yes', ...extra], { env: e2eEnv(), timeoutMs: 170_000 });

describe('bosun sync [--wait [--timeout]]', () => {
  let repo: FixtureRepo;
  const ns = { stuck: 'e2e-wait-stuck', ok: 'e2e-wait-ok' };
  beforeAll(async () => {
    repo = await syncRepo('wait', {
      'wait-stuck': {
        namespace: ns.stuck,
        // No node matches: the Deployment stays Progressing (no deadline), so the app never gets Healthy.
        files: { 'deploy.yaml': deployment('stuck', { nodeSelector: { 'bosun.dev/e2e': 'no-such-node' } }) },
      },
      'wait-ok': { namespace: ns.ok, files: { 'deploy.yaml': deployment('web', { replicas: 3 }) } },
    });
  });
  afterAll(async () => {
    await deleteNamespace(ns.stuck, ['dev']);
    await deleteNamespace(ns.ok, ['dev']);
    deleteBosunRecords('dev', ['wait-stuck', 'wait-ok']);
    await repo?.cleanup();
  });

  it('without --wait returns once applied, exit code 0 for a Succeeded operation, though the app is not Healthy', async () => {
    const r = await sync(repo, 'wait-stuck', ['-o', 'json']);
    expect(r.code, r.stderr).toBe(0);
    expect((JSON.parse(r.stdout) as { phase: string }).phase).toBe('Succeeded');
    expect(field('dev', ns.stuck, 'deploy/stuck', '{.status.availableReplicas}')).toBe('');
  });

  it('with --wait --timeout gives up at the timeout, exit code 1, naming the health', async () => {
    const r = await sync(repo, 'wait-stuck', ['--wait', '--timeout', '5s']);
    expect(r.code, r.stderr).toBe(1);
    expect(r.stderr).toMatch(/wait-stuck synced but not Healthy after 5s \(.*Progressing/);
  });

  it('with --wait returns only when the app is Healthy', async () => {
    const r = await sync(repo, 'wait-ok', ['--wait', '--timeout', '2m']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/wait-ok: Synced and Healthy/);
    // Healthy when the command returned: all replicas available right now, no polling.
    expect(
      kubectl('dev', ['-n', ns.ok, 'get', 'deploy', 'web', '-o', 'jsonpath={.status.availableReplicas}']),
    ).toBe('3');
  });

  it('refuses a malformed --timeout as a usage error', async () => {
    const r = await sync(repo, 'wait-ok', ['--wait', '--timeout', 'soon']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--timeout must be a duration/);
  });
});
