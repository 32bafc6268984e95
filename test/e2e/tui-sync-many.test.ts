/**
 * The console's "sync all that the filter shows" in a real terminal (tmux) against the real control plane:
 * the list filtered to three apps (one in production) of four, `S`, one typed phrase for the batch, and
 * exactly the three apps are applied to their clusters; the fourth stays untouched. With --read-only the
 * command is gone: no key, no footer hint, and `:sync-all` says why.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FixtureRepo } from '../fixtures/repos/index.js';
import { deleteNamespace, e2eEnv } from './helpers.js';
import { configMap, deleteBosunRecords, exists, field, syncRepo, wave } from './sync-fixtures.js';
import { TmuxSession } from './tmux.js';

const root = resolve(import.meta.dirname, '../..');
/** The apps the filter `sel` shows, with their clusters; `other-dev` is not shown. */
const shown = { 'sel-a-dev': 'dev', 'sel-b-dev': 'dev', 'sel-c-prod': 'production' } as const;
const hidden = { 'other-dev': 'dev' } as const;
const all = { ...shown, ...hidden };
const nsOf = (app: string) => `tui-many-${app}`;

/** The list row of an app (list mode), or ''. */
const row = (screen: string, app: string) => screen.split('\n').find((l) => l.includes(` ${app} `)) ?? '';

describe('the console syncs all that the filter shows', () => {
  let repo: FixtureRepo;
  let env: NodeJS.ProcessEnv;
  const sessions: TmuxSession[] = [];
  const start = async (name: string, extra = '') => {
    const s = await TmuxSession.start({ name, width: 160, height: 40, env });
    sessions.push(s);
    s.run(
      `${process.execPath} ${join(root, 'bin/bosun.js')} --repo ${repo.work}${extra}; echo "bosun exited with $?"`,
    );
    return s;
  };

  beforeAll(async () => {
    const apps: Parameters<typeof syncRepo>[1] = {};
    for (const [app, cluster] of Object.entries(all))
      apps[app] = {
        namespace: nsOf(app),
        cluster,
        files: {
          'objects.yaml': [configMap('w0', { wave: '0' }, wave(0)), configMap('w1', { wave: '1' }, wave(1))],
        },
      };
    repo = await syncRepo('tui-sync-many', apps);
    env = e2eEnv({ XDG_CONFIG_HOME: mkdtempSync(join(tmpdir(), 'bosun-e2e-config-')) });
  });

  afterAll(async () => {
    for (const s of sessions) s.kill();
    for (const [app, cluster] of Object.entries(all)) {
      await deleteNamespace(nsOf(app), [cluster]);
      deleteBosunRecords(cluster, [app]);
    }
    await repo?.cleanup();
  });

  it('S lists the shown apps, one typed phrase covers production, and exactly they are synced', {
    timeout: 240_000,
  }, async () => {
    for (const [app, cluster] of Object.entries(all))
      expect(exists(cluster, nsOf(app), 'configmap/w0')).toBe(false);
    const tui = await start('sync-many');
    tui.keys('Tab');
    await tui.waitFor(
      'list-out-of-sync',
      (s) => Object.keys(all).every((a) => /OutOfSync/.test(row(s, a))),
      120_000,
    );
    tui.keys('/');
    tui.type('sel');
    tui.keys('Enter');
    await tui.waitFor('filtered', (s) => row(s, 'sel-a-dev') !== '' && row(s, 'other-dev') === '', 10_000);
    tui.keys('S');
    let screen = await tui.waitFor('dialog', 'press y to sync 3 apps, then type "sync 3 apps"', 30_000);
    expect(screen).toContain('Sync the apps shown by filter "sel": 3 of 3');
    expect(screen).toMatch(/sel-c-prod\s+production\s+PRODUCTION\s+to sync/);
    expect(screen).toMatch(/sel-a-dev\s+dev\s+to sync/);
    expect(screen).not.toContain('other-dev');
    tui.keys('y');
    await tui.waitFor('confirm', 'type "sync 3 apps" to confirm', 10_000);
    tui.type('sync 3 apps');
    tui.keys('Enter');
    screen = await tui.waitFor('done', 'done: 3 Succeeded', 120_000);
    for (const app of Object.keys(shown)) expect(row(screen, app), app).toMatch(/\sSucceeded\s+\d+\.\ds/);

    // The clusters: the three shown apps are applied (both waves), the hidden one is untouched.
    for (const [app, cluster] of Object.entries(shown)) {
      expect(field(cluster, nsOf(app), 'configmap/w0', '{.data.wave}'), app).toBe('0');
      expect(field(cluster, nsOf(app), 'configmap/w1', '{.data.wave}'), app).toBe('1');
    }
    expect(exists('dev', nsOf('other-dev'), 'configmap/w0')).toBe(false);

    tui.keys('Escape');
    await tui.waitFor(
      'list-synced',
      (s) => Object.keys(shown).every((a) => /\bSynced\b/.test(row(s, a))) && !s.includes('Sync the apps'),
      60_000,
    );
    tui.keys('q');
    await tui.waitFor('quit', /^\s*bosun exited with 0$/m, 30_000);
  });

  it('--read-only hides the command: no footer hint, S does nothing, :sync-all says why', {
    timeout: 180_000,
  }, async () => {
    const tui = await start('sync-many-read-only', ' --read-only');
    tui.keys('Tab');
    const list = await tui.waitFor('list', (s) => /OutOfSync/.test(row(s, 'other-dev')), 120_000);
    expect(list).not.toContain('S sync all shown');
    // Keys are handled in order: once help is on screen, S has been handled (and opened nothing).
    tui.keys('S');
    tui.keys('?');
    const help = await tui.waitFor('help', 'read-only: sync, promote and revert are disabled', 10_000);
    expect(help).not.toContain('Sync the apps shown');
    expect(help).not.toContain('sync all shown');
    tui.keys('Escape');
    await tui.waitFor(
      'help-closed',
      (s) => !s.includes('read-only: sync') && row(s, 'other-dev') !== '',
      10_000,
    );
    tui.keys(':');
    tui.type('sync-all');
    tui.keys('Enter');
    await tui.waitFor('refused', 'cannot sync: bosun runs read-only', 10_000);
    expect(exists('dev', nsOf('other-dev'), 'configmap/w0')).toBe(false);
    tui.keys('q');
    await tui.waitFor('quit', /^\s*bosun exited with 0$/m, 30_000);
  });
});
