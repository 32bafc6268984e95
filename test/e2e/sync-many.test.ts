/**
 * Many apps in one command, against the real control plane: `bosun sync --all-out-of-sync --cluster C`
 * syncs exactly the OutOfSync apps of that cluster, concurrently, each app's waves still in order; a batch
 * with production apps asks one typed confirmation listing the apps (in a real terminal), a wrong answer
 * changes nothing. No timing is asserted: concurrency shows in the order of creation times.
 */
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OperationResult } from '../../src/engine/index.js';
import type { FixtureRepo } from '../fixtures/repos/index.js';
import { bosun, deleteNamespace, e2eEnv, kubectl } from './helpers.js';
import { configMap, deleteBosunRecords, field, syncRepo, wave } from './sync-fixtures.js';
import { TmuxSession } from './tmux.js';

const root = resolve(import.meta.dirname, '../..');
const devApps = ['many-a-dev', 'many-b-dev', 'many-c-dev'];
const prodApps = ['many-d-prod', 'many-e-prod'];
const nsOf = (app: string) => `sync-${app}`;
const seconds = (iso: string) => Date.parse(iso) / 1000;

/** Three waves of ConfigMaps: each wave changes objects, so the run pauses between them. */
const waves = () => ({
  'objects.yaml': [
    configMap('w0', { wave: '0' }, wave(0)),
    configMap('w1', { wave: '1' }, wave(1)),
    configMap('w2', { wave: '2' }, wave(2)),
  ],
});

describe('bosun sync of many apps', () => {
  let repo: FixtureRepo;
  beforeAll(async () => {
    const apps: Parameters<typeof syncRepo>[1] = {};
    for (const a of devApps) apps[a] = { namespace: nsOf(a), files: waves() };
    for (const a of prodApps) apps[a] = { namespace: nsOf(a), cluster: 'production', files: waves() };
    repo = await syncRepo('sync-many', apps);
  });
  afterAll(async () => {
    for (const a of devApps) await deleteNamespace(nsOf(a), ['dev']);
    for (const a of prodApps) await deleteNamespace(nsOf(a), ['production']);
    deleteBosunRecords('dev', devApps);
    deleteBosunRecords('production', prodApps);
    await repo?.cleanup();
  });

  it('--all-out-of-sync --cluster dev syncs exactly the dev apps, concurrently, waves in order within each', async () => {
    const r = await bosun([
      'sync',
      '--all-out-of-sync',
      '--cluster',
      'dev',
      '--repo',
      repo.work,
      '--yes',
      '-o',
      'json',
    ]);
    expect(r.code, r.stderr).toBe(0);
    const { results } = JSON.parse(r.stdout) as { results: (OperationResult & { app: string })[] };
    expect(results.map((x) => x.app)).toEqual(devApps);
    for (const x of results) {
      expect(x.phase, x.message).toBe('Succeeded');
      expect(
        x.tasks.filter((t) => t.key.kind === 'ConfigMap').map((t) => `${t.wave} ${t.key.name} ${t.status}`),
      ).toEqual(['0 w0 Succeeded', '1 w1 Succeeded', '2 w2 Succeeded']);
    }
    const created = (app: string, name: string) =>
      seconds(field('dev', nsOf(app), `configmap/${name}`, '{.metadata.creationTimestamp}'));
    for (const a of devApps) {
      // Within an app: wave 0 < wave 1 < wave 2 (waves are ≥ 2 s apart, timestamps have 1 s resolution).
      expect(created(a, 'w1'), a).toBeGreaterThan(created(a, 'w0'));
      expect(created(a, 'w2'), a).toBeGreaterThan(created(a, 'w1'));
    }
    // Concurrently: every app's first wave exists before any app's last wave (one after another, an
    // app's first wave would come after the previous app's last).
    const firstWaves = devApps.map((a) => created(a, 'w0'));
    const lastWaves = devApps.map((a) => created(a, 'w2'));
    expect(Math.max(...firstWaves)).toBeLessThan(Math.min(...lastWaves));
    // The production apps were not part of the batch.
    for (const a of prodApps)
      expect(
        kubectl('production', ['get', 'namespace', nsOf(a), '--ignore-not-found', '-o', 'name']).trim(),
      ).toBe('');
  });

  it('a batch with production apps asks once, listing them; a wrong answer changes nothing, the typed phrase syncs all', async () => {
    const tmux = await TmuxSession.start({ name: 'sync-many', width: 120, height: 40, env: e2eEnv() });
    try {
      const cmd = `node ${join(root, 'bin/bosun.js')} sync ${prodApps.join(' ')} --repo ${repo.work}`;
      tmux.run(cmd);
      let screen = await tmux.waitFor('prompt', 'Type "sync 2 apps" to continue:');
      expect(screen).toContain('sync 2 apps:');
      for (const a of prodApps) expect(screen).toMatch(new RegExp(`${a} → production +PRODUCTION`));
      tmux.type('sync 2');
      tmux.keys('Enter');
      screen = await tmux.waitFor('aborted', 'aborted: the typed text did not match');
      for (const a of prodApps)
        expect(
          kubectl('production', ['get', 'namespace', nsOf(a), '--ignore-not-found', '-o', 'name']).trim(),
        ).toBe('');

      tmux.run('clear');
      tmux.run(cmd);
      await tmux.waitFor('prompt again', 'Type "sync 2 apps" to continue:');
      tmux.type('sync 2 apps');
      tmux.keys('Enter');
      screen = await tmux.waitFor(
        'done',
        (s) => prodApps.every((a) => s.includes(`✓ ${a} (production) Succeeded`)) && /^\$ ?$/m.test(s),
        120_000,
      );
      // One question for the whole batch.
      expect(screen.split('Type "sync 2 apps"').length - 1).toBe(1);
      expect(screen).not.toContain('[y/N]');
      for (const a of prodApps)
        expect(field('production', nsOf(a), 'configmap/w2', '{.data.wave}')).toBe('2');
    } finally {
      tmux.kill();
    }
  });
});
