import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type KustomizeShop, makeKustomizeShop } from '../fixtures/repos/index.js';
import { deleteNamespace, e2eEnv, eventually, kubectl } from './helpers.js';
import { TmuxSession } from './tmux.js';

/**
 * The console's automation switch in a real terminal against the real control plane: a one-service
 * shop whose apps auto-sync with selfHeal. With automation (the default) the header says so and an
 * out-of-band change is put back; with `--no-automation` (or `automation: false` in bosun.yaml) the
 * header says it is off and the same change stays.
 */

const root = resolve(import.meta.dirname, '../..');
const svc = 'order-service';
const image = (tag: string) => `registry.local/shop/${svc}:${tag}`;

/** The fleet row of the service (`▶`/space, mark/space, then the name), or undefined. */
function fleetRow(screen: string): string | undefined {
  return screen.split('\n').find((l) => /^[▶ ][◆ ]/.test(l) && l.slice(2).startsWith(`${svc} `));
}

/** The dev cell of the service row: sync glyph and health glyph. */
function devCell(screen: string): string {
  const m = /([✓≠?⟳]) ([♥◐✗‖∅?]) \S+/u.exec(fleetRow(screen) ?? '');
  return m ? `${m[1]} ${m[2]}` : '';
}

const devImage = () =>
  kubectl('dev', [
    '-n',
    'shop',
    'get',
    'deploy',
    svc,
    '-o',
    'jsonpath={.spec.template.spec.containers[0].image}',
  ]);

const setImage = (tag: string) =>
  kubectl('dev', ['-n', 'shop', 'set', 'image', `deploy/${svc}`, `${svc}=${image(tag)}`]);

describe('the console automation switch (tmux, real control plane)', () => {
  let shop: KustomizeShop;
  let env: NodeJS.ProcessEnv;
  let syncedImage = '';
  const sessions: TmuxSession[] = [];
  const bosunLine = (extra = '') =>
    `${process.execPath} ${join(root, 'bin/bosun.js')} --repo ${shop.work} --context dev${extra}; echo "bosun exited with $?"`;
  const open = async (name: string) => {
    const s = await TmuxSession.start({ name, width: 160, height: 30, env });
    sessions.push(s);
    return s;
  };
  const quit = async (tui: TmuxSession) => {
    tui.keys('q');
    expect(await tui.waitFor('after-quit', /^bosun exited with \d+$/m, 30_000)).toMatch(
      /^bosun exited with 0$/m,
    );
  };

  beforeAll(async () => {
    await deleteNamespace('shop', ['dev']);
    shop = await makeKustomizeShop({ services: [svc], envs: ['dev'], selfHeal: true });
    env = e2eEnv({
      XDG_CONFIG_HOME: mkdtempSync(join(tmpdir(), 'bosun-e2e-config-')),
      NODE_ENV: 'production',
    });
  });

  // A console left running by a failed test would keep automating and decide the next test's outcome.
  afterEach(() => {
    for (const s of sessions) s.kill();
  });

  afterAll(async () => {
    for (const s of sessions) s.kill();
    await deleteNamespace('shop', ['dev']);
    await shop?.cleanup();
  });

  it('by default the header says the console automates, and self-heal puts an out-of-band change back', {
    timeout: 300_000,
  }, async () => {
    const tui = await open('automation-on');
    tui.run(bosunLine());
    const synced = await tui.waitFor('auto-synced', (s) => devCell(s) === '✓ ♥', 240_000);
    expect(synced.split('\n')[0]).toMatch(/ auto on, \d+ leases? /);
    syncedImage = devImage();
    setImage('hotfix');
    await eventually('self-heal restores the image', () => devImage() === syncedImage, 120_000);
    await tui.waitFor('healed', (s) => devCell(s) === '✓ ♥' && / auto on, 0 leases /.test(s), 60_000);
    await quit(tui);
  });

  it('with --no-automation the header says auto OFF and the same change stays', {
    timeout: 300_000,
  }, async () => {
    const tui = await open('automation-off-flag');
    tui.run(bosunLine(' --no-automation'));
    const first = await tui.waitFor('fleet', (s) => devCell(s) === '✓ ♥', 120_000);
    expect(first.split('\n')[0]).toContain(' auto OFF ');
    setImage('hotfix');
    await tui.waitFor('drift-shown', (s) => devCell(s) === '≠ ♥', 90_000);
    // A refresh compares again; an automating console would start self-heal before it reports back.
    tui.keys('r');
    const after = await tui.waitFor('refreshed', 'all apps refreshed', 60_000);
    expect(devCell(after)).toBe('≠ ♥');
    expect(after.split('\n')[0]).toContain(' auto OFF ');
    expect(devImage()).toBe(image('hotfix'));
    await quit(tui);
    expect(devImage()).toBe(image('hotfix'));
  });

  it('automation: false in bosun.yaml switches it off too', { timeout: 300_000 }, async () => {
    const config = join(mkdtempSync(join(tmpdir(), 'bosun-e2e-yaml-')), 'bosun.yaml');
    writeFileSync(config, 'automation: false\n');
    const tui = await open('automation-off-config');
    tui.run(bosunLine(` --config ${config}`));
    const first = await tui.waitFor('fleet', (s) => devCell(s) === '≠ ♥', 120_000);
    // The header is right from the first frame that shows the app (the config is read before discovery).
    expect(first.split('\n')[0]).toContain(' auto OFF ');
    tui.keys('r');
    const after = await tui.waitFor('refreshed', 'all apps refreshed', 60_000);
    expect(devCell(after)).toBe('≠ ♥');
    expect(devImage()).toBe(image('hotfix'));
    await quit(tui);
  });
});
