import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { commitFiles, type KustomizeShop, makeKustomizeShop } from '../fixtures/repos/index.js';
import { bosun, e2eEnv } from './helpers.js';
import { TmuxSession } from './tmux.js';

/**
 * Nothing in the repository is silently dropped: on a real git repo (bare origin) with a good app, a
 * broken Application that names itself and a file that is not even YAML, `bosun apps -o json` lists
 * the named one as an app in error and the other as a repository problem; the console header says so.
 */

const root = resolve(import.meta.dirname, '../..');

describe('broken Argo CD manifests are shown, not dropped (CLI and console)', () => {
  let shop: KustomizeShop;
  let env: NodeJS.ProcessEnv;
  let tui: TmuxSession | undefined;

  beforeAll(async () => {
    shop = await makeKustomizeShop({ services: ['order-service'], envs: ['dev'] });
    await commitFiles(
      shop,
      {
        'argocd/broken-named.yaml':
          'apiVersion: argoproj.io/v1alpha1\nkind: Application\nmetadata: { name: broken-app }\nspec: [not, a, map]\n',
        'argocd/broken-syntax.yaml':
          'apiVersion: argoproj.io/v1alpha1\nkind: Application\nmetadata: { name: lost }\nspec: [not a map\n',
      },
      'Add two broken Application manifests',
    );
    env = e2eEnv({ XDG_CONFIG_HOME: mkdtempSync(join(tmpdir(), 'bosun-e2e-config-')) });
  });

  afterAll(async () => {
    tui?.kill();
    await shop?.cleanup();
  });

  it('apps -o json: the named broken app is a row in error, the unreadable file a problem', {
    timeout: 120_000,
  }, async () => {
    const r = await bosun(['apps', '-o', 'json', '--repo', shop.work, '--context', 'dev'], { env });
    expect(r.stderr).toBe('');
    const j = JSON.parse(r.stdout) as {
      apps: { name: string; conditions: { type: string; message: string }[] }[];
      problems: { file: string; message: string }[];
    };
    const names = j.apps.map((a) => a.name);
    expect(names).toContain('order-service-dev');
    expect(names).not.toContain('lost');
    const broken = j.apps.find((a) => a.name === 'broken-app');
    expect(broken?.conditions).toEqual([
      {
        type: 'InvalidSpec',
        message: 'argocd/broken-named.yaml: Application broken-app: spec must be a mapping',
      },
    ]);
    expect(j.problems).toHaveLength(1);
    expect(j.problems[0]?.file).toBe('argocd/broken-syntax.yaml');
    expect(j.problems[0]?.message).toMatch(/^argocd\/broken-syntax\.yaml: invalid YAML at line \d+/);
    const table = await bosun(['apps', '--repo', shop.work, '--context', 'dev'], { env });
    expect(table.stderr).toMatch(/^bosun: repository problem: argocd\/broken-syntax\.yaml: invalid YAML/m);
    expect(table.stdout).toMatch(/^broken-app .*spec must be a mapping/m);
  });

  it('the console header carries a one-line banner for the repository problem', {
    timeout: 180_000,
  }, async () => {
    tui = await TmuxSession.start({ name: 'trust-problems', width: 160, height: 30, env });
    tui.run(
      `${process.execPath} ${join(root, 'bin/bosun.js')} --repo ${shop.work} --context dev --no-automation; echo "bosun exited with $?"`,
    );
    const screen = await tui.waitFor(
      'banner',
      (s) => /1 repo problem: argocd\/broken-syntax\.yaml/.test(s.split('\n')[0] ?? ''),
      120_000,
    );
    expect(screen.split('\n')[0]).toContain('1 repo problem: argocd/broken-syntax.yaml');
    tui.keys('q');
    expect(await tui.waitFor('after-quit', /^bosun exited with \d+$/m, 30_000)).toMatch(
      /^bosun exited with 0$/m,
    );
  });
});
