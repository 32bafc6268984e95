import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { git, type KustomizeShop, makeKustomizeShop } from '../fixtures/repos/index.js';
import { deleteNamespace, e2eEnv, eventually, kubectl } from './helpers.js';
import { TmuxSession } from './tmux.js';

/**
 * The full-screen console in a real terminal (tmux) against the real control plane: a two-service
 * Kustomize shop whose apps auto-sync without selfHeal, so the console's automation brings every app
 * up by itself, while out-of-band drift stays visible until someone syncs it from the console.
 * Every screen looked at is saved under test-artifacts/tui/.
 */

const root = resolve(import.meta.dirname, '../..');
const contexts = ['dev', 'staging', 'production'];
const services = ['checkout-service', 'order-service'];
const image = (svc: string, tag: string) => `registry.local/shop/${svc}:${tag}`;

/** One fleet cell as printed: sync glyph, health glyph, tag (clipped with … when long). */
type Cell = { sync: string; health: string; tag: string };

/** The matrix row of a service (`▶`/space, mark/space, then the name), or undefined. */
function fleetRow(screen: string, service: string): string | undefined {
  return screen.split('\n').find((l) => /^[▶ ][◆ ]/.test(l) && l.slice(2).startsWith(`${service} `));
}

/** The non-empty cells of a service row, left to right (dev, staging, prod for the shop). */
function cells(screen: string, service: string): Cell[] {
  const row = fleetRow(screen, service);
  if (!row) return [];
  return [...row.matchAll(/([✓≠?⟳]) ([♥◐✗‖∅?]) (\S+)/gu)].map((m) => ({
    sync: m[1] ?? '',
    health: m[2] ?? '',
    tag: m[3] ?? '',
  }));
}

const cellIs = (c: Cell | undefined, sync: string, health: string, tag?: string) =>
  c !== undefined && c.sync === sync && c.health === health && (tag === undefined || c.tag === tag);

/** The key-hint line of the footer (last non-empty line of the frame). */
function footerHints(screen: string): string {
  return (
    screen
      .split('\n')
      .filter((l) => l.trim() !== '')
      .at(-1) ?? ''
  );
}

function deployImage(context: string, svc: string): string {
  return kubectl(context, [
    '-n',
    'shop',
    'get',
    'deploy',
    svc,
    '-o',
    'jsonpath={.spec.template.spec.containers[0].image}',
  ]);
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('the console in tmux against the real control plane', () => {
  let shop: KustomizeShop;
  let env: NodeJS.ProcessEnv;
  const sessions: TmuxSession[] = [];
  const bosunLine = (extra = '') =>
    `${process.execPath} ${join(root, 'bin/bosun.js')} --repo ${shop.work}${extra}; echo "bosun exited with $?"`;
  const open = async (name: string, width: number, height: number) => {
    const s = await TmuxSession.start({ name, width, height, env });
    sessions.push(s);
    return s;
  };
  const originHead = () => git(shop.origin, ['rev-parse', 'main']);

  beforeAll(async () => {
    await deleteNamespace('shop', contexts);
    shop = await makeKustomizeShop({ services, selfHeal: false });
    env = e2eEnv({
      // No user config or themes; the console as shipped (vitest sets NODE_ENV=test).
      XDG_CONFIG_HOME: mkdtempSync(join(tmpdir(), 'bosun-e2e-config-')),
      NODE_ENV: 'production',
    });
  });

  afterAll(async () => {
    for (const s of sessions) s.kill();
    await deleteNamespace('shop', contexts);
    await shop?.cleanup();
  });

  describe('at 120×40: fleet, drift, diff, sync, promote, revert, quit', () => {
    let tui: TmuxSession;

    it('starts on the fleet; automation brings every app to Synced/Healthy', {
      timeout: 300_000,
    }, async () => {
      for (const c of contexts)
        expect(kubectl(c, ['get', 'namespace', 'shop', '--ignore-not-found', '-o', 'name']).trim()).toBe('');
      tui = await open('fleet-120x40', 120, 40);
      tui.run(bosunLine());
      const first = await tui.waitFor(
        'fleet-rendered',
        // Rows appear as soon as apps are discovered; the header's spinner runs until the first full snapshot.
        (s) => fleetRow(s, 'order-service') !== undefined && /^ bosun {2}repo /.test(s.split('\n')[0] ?? ''),
        60_000,
      );
      expect(tui.display('#{alternate_on}')).toBe('1');
      expect(first.split('\n')[0]).toMatch(/^ bosun {2}repo work@[0-9a-f]{7} /);
      expect(first).toMatch(/^ {2}SERVICE +DEV +STAGING +PROD\b/m);

      const screen = await tui.waitFor(
        'fleet-all-synced-healthy',
        (s) =>
          services.every((svc) => {
            const [dev, staging, prod] = cells(s, svc);
            return (
              cellIs(dev, '✓', '♥') &&
              cellIs(staging, '✓', '♥', 'v1.47.2') &&
              // The prod HPA has no metrics API on this control plane: Argo CD (and bosun) read
              // ScalingActive/FailedGetResourceMetric as Degraded, so prod is ✓ ✗ (the sync itself completes).
              cellIs(prod, '✓', '✗', 'v1.47.1')
            );
          }),
        240_000,
      );
      for (const svc of services) {
        expect(cells(screen, svc)[0]?.tag).toMatch(/^v1\.48\.0-rc/);
        // The console's own automation synced them: the objects carry bosun's tracking id.
        expect(
          kubectl('dev', [
            '-n',
            'shop',
            'get',
            'deploy',
            svc,
            '-o',
            'jsonpath={.metadata.annotations.bosun\\.dev/tracking-id}',
          ]),
        ).toBe(`${svc}-dev:apps/Deployment:shop/${svc}`);
        expect(deployImage('production', svc)).toBe(image(svc, 'v1.47.1'));
      }
      // Mutating keys are offered when not read-only (the read-only test checks they disappear).
      const hints = footerHints(screen);
      expect(hints).toContain('s sync');
      expect(hints).toContain('p promote');
      expect(hints).toMatch(/\[dev\]$/);
    });

    it('kubectl set image out of band → OutOfSync; the diff shows the line; s syncs it back', {
      timeout: 240_000,
    }, async () => {
      kubectl('dev', [
        '-n',
        'shop',
        'set',
        'image',
        'deploy/order-service',
        `order-service=${image('order-service', 'hotfix')}`,
      ]);
      const drifted = await tui.waitFor(
        'drift-out-of-sync',
        // The row's note shows its most severe problem (here prod's Degraded HPA), so the drift is read
        // from the cell; the diff view below shows the changed line.
        (s) => cellIs(cells(s, 'order-service')[0], '≠', '♥'),
        90_000,
      );
      // Only that app drifted; selfHeal is off, so nothing puts it back by itself.
      expect(cellIs(cells(drifted, 'checkout-service')[0], '✓', '♥')).toBe(true);
      expect(cellIs(cells(drifted, 'order-service')[1], '✓', '♥')).toBe(true);

      tui.keys('j');
      await tui.waitFor(
        'cursor-on-order-service',
        (s) => fleetRow(s, 'order-service')?.startsWith('▶') === true,
        10_000,
      );
      tui.keys('d');
      const diff = await tui.waitFor(
        'diff-view',
        /^-\s+image: registry\.local\/shop\/order-service:hotfix$/m,
        60_000,
      );
      expect(diff).toContain('─ Fleet › Diff ');
      expect(diff).toMatch(/\[1\/1\] Deployment\/shop\/order-service {2}OutOfSync/);
      expect(diff).toMatch(/^\+\s+image: registry\.local\/shop\/order-service:v1\.48\.0-rc\.1$/m);
      expect(diff).toContain('changed: /spec/template/spec/containers/0/image');
      // replicas are ignored by ignoreDifferences: not part of the diff.
      expect(diff).not.toMatch(/^[-+]\s+replicas:/m);
      expect(deployImage('dev', 'order-service')).toBe(image('order-service', 'hotfix'));

      tui.keys('s');
      const plan = await tui.waitFor('sync-plan', 'press y to sync', 60_000);
      expect(plan).toMatch(/Sync order-service-dev → context dev at [0-9a-f]{7}/);
      expect(plan).toMatch(/apply +Deployment\/shop\/order-service +Pending/);
      expect(plan).not.toContain('PRODUCTION');
      tui.keys('y');
      const done = await tui.waitFor('sync-succeeded', /Succeeded — .*\(esc to close\)/, 120_000);
      expect(done).toMatch(/apply +Deployment\/shop\/order-service +Succeeded/);
      expect(deployImage('dev', 'order-service')).toBe(image('order-service', 'v1.48.0-rc.1'));

      tui.keys('Escape');
      await tui.waitFor(
        'sync-closed',
        // The dialog (its border) is gone and the diff view is on top again.
        (s) => /^─ Fleet › Diff ─/m.test(s) && !s.includes('╭'),
        10_000,
      );
      tui.keys('Escape');
      await tui.waitFor(
        'drift-healed',
        (s) =>
          cellIs(cells(s, 'order-service')[0], '✓', '♥') &&
          !(fleetRow(s, 'order-service') ?? '').includes('drift'),
        60_000,
      );
    });

    it('promotes order-service staging → prod with the typed name; prod runs the new tag', {
      timeout: 300_000,
    }, async () => {
      const before = originHead();
      tui.keys('Right');
      await tui.waitFor(
        'cursor-on-staging',
        (s) => s.split('\n')[1]?.includes(' context staging ') === true,
        10_000,
      );
      tui.keys('p');
      const pick = await tui.waitFor('promote-pick', 'choose the target environment', 30_000);
      expect(pick).toContain('Promote order-service: staging → ?');
      expect(pick).toMatch(/▶ prod +order-service-prod {2}production/);
      tui.keys('Enter');
      const preview = await tui.waitFor(
        'promote-preview',
        'press y to commit and push to main, then type order-service-prod',
        90_000,
      );
      expect(preview).toContain('Promote order-service: staging → prod  ⚠ PRODUCTION');
      expect(preview).toContain('promote order-service v1.47.1 → v1.47.2 to prod (from staging)');
      expect(preview).toMatch(/^│ -\s+newTag: v1\.47\.1\s+│$/m);
      expect(preview).toMatch(/^│ \+\s+newTag: v1\.47\.2\s+│$/m);
      expect(preview).toContain('rendered diff of order-service-prod against live');
      expect(preview).toMatch(/\+\s+image: registry\.local\/shop\/order-service:v1\.47\.2/);
      expect(preview).toContain(' context production ⚠ PRODUCTION ');

      tui.keys('y');
      await tui.waitFor('promote-confirm', 'type order-service-prod to confirm (esc to go back): ▏', 10_000);
      // The wrong name is refused and nothing is pushed.
      tui.type('order-service-staging');
      await tui.waitFor('promote-typed-wrong', 'to confirm (esc to go back): order-service-staging▏', 10_000);
      tui.keys('Enter');
      await tui.waitFor(
        'promote-wrong-name',
        'typed name does not match: type order-service-prod exactly',
        10_000,
      );
      expect(originHead()).toBe(before);
      tui.keys('BSpace');
      await tui.waitFor('promote-backspace', 'to confirm (esc to go back): order-service-stagin▏', 10_000);
      // esc goes back to the preview and clears what was typed; y asks again.
      tui.keys('Escape');
      await tui.waitFor('promote-back-to-preview', 'press y to commit and push to main', 10_000);
      tui.keys('y');
      await tui.waitFor(
        'promote-confirm-again',
        'type order-service-prod to confirm (esc to go back): ▏',
        10_000,
      );
      tui.type('order-service-prod');
      await tui.waitFor('promote-typed', 'to confirm (esc to go back): order-service-prod▏', 10_000);
      tui.keys('Enter');
      const pushed = await tui.waitFor(
        'promote-pushed',
        /pushed [0-9a-f]{7} to origin\/main \(esc to close\)/,
        120_000,
      );
      const short = /pushed ([0-9a-f]{7}) to origin\/main/.exec(pushed)?.[1] ?? '';

      // The commit is on origin: one file, the prod overlay, by the configured user.
      const head = originHead();
      expect(head).not.toBe(before);
      expect(head.startsWith(short)).toBe(true);
      expect(git(shop.origin, ['log', '-1', '--format=%s', 'main'])).toBe(
        'promote order-service v1.47.1 → v1.47.2 to prod (from staging)',
      );
      expect(git(shop.origin, ['log', '-1', '--format=%an', 'main'])).toBe('e2e@test');
      expect(git(shop.origin, ['rev-parse', 'main~1'])).toBe(before);
      expect(git(shop.origin, ['show', '--name-only', '--format=', 'main'])).toBe(
        'apps/order-service/overlays/prod/kustomization.yaml',
      );
      expect(
        git(shop.origin, ['show', 'main:apps/order-service/overlays/prod/kustomization.yaml']),
      ).toContain('newTag: v1.47.2');

      tui.keys('Escape');
      // Automation syncs the new revision to production; the cell shows the new tag, Synced (Degraded: no metrics API).
      await eventually(
        'order-service prod runs v1.47.2',
        () => deployImage('production', 'order-service') === image('order-service', 'v1.47.2'),
        180_000,
      );
      const after = await tui.waitFor(
        'prod-on-new-tag',
        (s) => cellIs(cells(s, 'order-service')[2], '✓', '✗', 'v1.47.2'),
        180_000,
      );
      expect(cellIs(cells(after, 'checkout-service')[2], '✓', '✗', 'v1.47.1')).toBe(true);
      expect(deployImage('production', 'checkout-service')).toBe(image('checkout-service', 'v1.47.1'));
      expect(after.split('\n')[0]).toContain(`work@${short}`);
    });

    it('reverts the promotion from the history view (h, R, typed name); prod returns to the old tag', {
      timeout: 300_000,
    }, async () => {
      const promotion = originHead();
      tui.keys('Right');
      await tui.waitFor(
        'cursor-on-prod',
        (s) => s.split('\n')[1]?.includes(' context production ⚠ PRODUCTION ') === true,
        10_000,
      );
      tui.keys('h');
      const history = await tui.waitFor('history', new RegExp(`^▶ ${promotion.slice(0, 7)} `, 'm'), 60_000);
      expect(history).toContain('─ Fleet › History ');
      const top = history.split('\n').find((l) => l.startsWith('▶ ')) ?? '';
      expect(top).toContain('promote order-service v1.47.1 → v1.47.2 to prod');
      expect(top).toContain('[production');
      expect(history).toContain('Add shop: 2 services × 3 environments');
      expect(footerHints(history)).toContain('R revert to here');

      tui.keys('R');
      const preview = await tui.waitFor(
        'revert-preview',
        'press y to commit and push to main, then type order-service-prod',
        90_000,
      );
      expect(preview).toContain(`Revert ${promotion.slice(0, 7)} for order-service-prod  ⚠ PRODUCTION`);
      expect(preview).toMatch(/^│ -\s+newTag: v1\.47\.2\s+│$/m);
      expect(preview).toMatch(/^│ \+\s+newTag: v1\.47\.1\s+│$/m);
      expect(preview).toMatch(/\+\s+image: registry\.local\/shop\/order-service:v1\.47\.1/);
      tui.keys('y');
      await tui.waitFor('revert-confirm', 'type order-service-prod to confirm (esc to go back): ▏', 10_000);
      tui.type('order-service-prod');
      await tui.waitFor('revert-typed', 'to confirm (esc to go back): order-service-prod▏', 10_000);
      tui.keys('Enter');
      const pushed = await tui.waitFor(
        'revert-pushed',
        /revert pushed: [0-9a-f]{7} to origin\/main/,
        120_000,
      );
      const short = /revert pushed: ([0-9a-f]{7})/.exec(pushed)?.[1] ?? '';

      const head = originHead();
      expect(head.startsWith(short)).toBe(true);
      expect(git(shop.origin, ['rev-parse', 'main~1'])).toBe(promotion);
      expect(git(shop.origin, ['log', '-1', '--format=%s', 'main'])).toBe(
        'Revert "promote order-service v1.47.1 → v1.47.2 to prod (from staging)"',
      );
      expect(git(shop.origin, ['log', '-1', '--format=%b', 'main'])).toContain(
        `This reverts commit ${promotion}.`,
      );
      expect(
        git(shop.origin, ['show', 'main:apps/order-service/overlays/prod/kustomization.yaml']),
      ).toContain('newTag: v1.47.1');

      tui.keys('Escape');
      await tui.waitFor('revert-closed', (s) => /^─ Fleet › History ─/m.test(s) && !s.includes('╭'), 10_000);
      tui.keys('Escape');
      await eventually(
        'order-service prod back on v1.47.1',
        () => deployImage('production', 'order-service') === image('order-service', 'v1.47.1'),
        180_000,
      );
      await tui.waitFor(
        'prod-back-on-old-tag',
        (s) => cellIs(cells(s, 'order-service')[2], '✓', '✗', 'v1.47.1'),
        180_000,
      );
    });

    it('q leaves the alternate screen, shows the cursor and the shell again, exit code 0', {
      timeout: 60_000,
    }, async () => {
      tui.keys('q');
      const shell = await tui.waitFor('after-quit', /^bosun exited with \d+$/m, 30_000);
      expect(shell).toMatch(/^bosun exited with 0$/m);
      expect(tui.display('#{alternate_on}')).toBe('0');
      expect(tui.display('#{cursor_flag}')).toBe('1');
      expect(tui.display('#{pane_current_command}')).toBe('bash');
      // The normal screen is back as it was: the command line typed before, then the shell prompt.
      expect(shell).toContain('bin/bosun.js --repo');
      expect(shell).not.toContain('─ Fleet');
      expect(shell.trimEnd().endsWith('$')).toBe(true);
    });
  });

  it('--read-only offers no mutating key and pressing them changes nothing', {
    timeout: 240_000,
  }, async () => {
    kubectl('dev', [
      '-n',
      'shop',
      'set',
      'image',
      'deploy/checkout-service',
      `checkout-service=${image('checkout-service', 'hotfix')}`,
    ]);
    const head = originHead();
    const tui = await open('read-only', 120, 40);
    tui.run(bosunLine(' --read-only'));
    const fleet = await tui.waitFor(
      'fleet-drifted',
      (s) => cellIs(cells(s, 'checkout-service')[0], '≠', '♥'),
      120_000,
    );
    expect(fleet.split('\n')[0]).toContain('READ-ONLY');
    const hints = footerHints(fleet);
    expect(hints).toContain('d diff');
    expect(hints).toContain('q quit');
    expect(hints).not.toMatch(/\bs sync\b/);
    expect(hints).not.toMatch(/\bp promote\b/);

    tui.keys('?');
    const help = await tui.waitFor('help', 'read-only: sync, promote and revert are disabled', 10_000);
    tui.keys('G');
    const helpEnd = await tui.waitFor('help-end', 'Command mode (:)', 10_000);
    for (const screen of [help, helpEnd]) {
      expect(screen).not.toContain('(mutating)');
      expect(screen).not.toMatch(/^ {2}(s|p|R|T) {2,}/m);
      expect(screen).not.toContain(':sync');
      expect(screen).not.toContain(':promote');
    }
    expect(helpEnd).toMatch(/^History$/m);
    tui.keys('Escape');
    await tui.waitFor(
      'help-closed',
      (s) => fleetRow(s, 'checkout-service')?.startsWith('▶') === true,
      10_000,
    );

    // s, p and y do nothing; :sync is refused with a reason.
    tui.keys('s');
    tui.keys('p');
    tui.keys('y');
    await sleep(3000);
    const still = tui.capture('after-s-p-y');
    expect(still).toContain('─ Fleet ─');
    expect(still).not.toContain('╭');
    expect(still).not.toContain('press y to');
    tui.keys(':');
    await tui.waitFor('command-prompt', 'enter run · esc cancel', 10_000);
    tui.type('sync checkout-service-dev');
    await tui.waitFor('command-typed', ':sync checkout-service-dev▏', 10_000);
    tui.keys('Enter');
    await tui.waitFor('sync-refused', 'cannot sync checkout-service-dev: bosun runs read-only', 10_000);

    // History view: no R, and R does nothing.
    tui.keys('h');
    const history = await tui.waitFor('history', /^▶ [0-9a-f]{7} /m, 60_000);
    expect(footerHints(history)).not.toContain('revert');
    tui.keys('R');
    await sleep(2000);
    expect(tui.capture('history-after-R')).not.toContain('Revert ');
    tui.keys('Escape');
    await tui.waitFor('back-on-fleet', '─ Fleet ─', 10_000);

    expect(deployImage('dev', 'checkout-service')).toBe(image('checkout-service', 'hotfix'));
    expect(originHead()).toBe(head);
    tui.keys('q');
    await tui.waitFor('after-quit', /^bosun exited with 0$/m, 30_000);
  });

  it('at 80×24 the fleet, help and app list fit the screen (no wrapped lines), header and footer visible', {
    timeout: 180_000,
  }, async () => {
    const tui = await open('small-80x24', 80, 24);
    tui.run(bosunLine());
    // Loaded: order-service everywhere ✓ ♥ (checkout-service dev may still show the drift left above).
    await tui.waitFor(
      'fleet',
      (s) =>
        !s.includes('loading…') &&
        cells(s, 'order-service')
          .slice(0, 2)
          .every((c) => cellIs(c, '✓', '♥')) &&
        cellIs(cells(s, 'order-service')[2], '✓', '✗') &&
        cells(s, 'order-service').length === 3 &&
        cellIs(cells(s, 'checkout-service')[2], '✓', '✗', 'v1.47.1'),
      120_000,
    );
    const fits = (
      step: string,
      width: number,
      height: number,
      view = /(Fleet|Apps)/,
      hint = 'enter open',
    ) => {
      const screen = tui.capture(step, { join: true });
      const lines = screen.replace(/\n$/, '').split('\n');
      expect(lines.length).toBe(height);
      for (const l of lines)
        expect([...l].length, `${step}: ${JSON.stringify(l)}`).toBeLessThanOrEqual(width);
      // The frame is one row shorter than the terminal: header on top, footer on the last two frame rows.
      expect(lines[0]).toMatch(/^ bosun {2}repo work@/);
      expect(lines[1]).toMatch(new RegExp(`^─ ${view.source} ─+ {2}context dev {2}─$`));
      expect(lines[height - 3]).toMatch(/ 3 services · 7 apps *$/);
      expect(lines[height - 2]).toMatch(/\[dev\]$/);
      expect(lines[height - 2]).toContain(hint);
      expect(lines[height - 1]).toBe('');
      return lines;
    };
    const fleet = fits('fleet-fits', 80, 24);
    expect(fleet[2]).toMatch(/^ {2}SERVICE +DEV +STAGING +PROD/);
    expect(fleet.some((l) => l.startsWith('▶ checkout-service '))).toBe(true);

    tui.keys('Tab');
    await tui.waitFor('app-list', /^▶ checkout-service-dev /m, 10_000);
    const list = fits('app-list-fits', 80, 24);
    expect(list[2]).toMatch(/^ {2}NAME +ENV +SYNC +HEALTH/);
    expect(list.join('\n')).toMatch(/^ {2}order-service-prod +prod +Synced +Degraded +v1\.47\.1/m);

    tui.keys('Tab');
    await tui.waitFor('back-to-matrix', /^ {2}SERVICE +DEV/m, 10_000);
    tui.keys('?');
    await tui.waitFor('help', /^Everywhere$/m, 10_000);
    fits('help-fits', 80, 24, /Fleet › Help/, 'q quit');
    tui.keys('Escape');
    await tui.waitFor('help-closed', /^ {2}SERVICE +DEV/m, 10_000);

    // Resize while running: the frame follows.
    tui.tmux(['resize-window', '-t', 'main', '-x', '100', '-y', '30']);
    await tui.waitFor('resized', (s) => (s.split('\n')[28] ?? '').endsWith('[dev]'), 20_000);
    fits('resized-fits', 100, 30);
    tui.tmux(['resize-window', '-t', 'main', '-x', '80', '-y', '24']);
    await tui.waitFor('resized-back', (s) => (s.split('\n')[22] ?? '').endsWith('[dev]'), 20_000);
    fits('resized-back-fits', 80, 24);

    tui.keys('q');
    await tui.waitFor('after-quit', /^bosun exited with 0$/m, 30_000);
    expect(tui.display('#{alternate_on}')).toBe('0');
  });
});
