import {
  appendFileSync,
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  renameSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { git, type KustomizeShop, makeKustomizeShop, removeTree } from '../fixtures/repos/index.js';
import { bosun, deleteNamespace, e2eEnv, kubectl, type RunResult } from './helpers.js';

/**
 * Git workflows through the CLI (issue 6 acceptance): promote, sync, revert on the Kustomize shop
 * with a bare origin, and the faults: nothing to promote, origin unreachable, a conflicting revert.
 * The user's working tree is dirty throughout and must never change.
 */

const PROD_FILE = 'apps/order-service/overlays/prod/kustomization.yaml';
const IMAGE = 'registry.local/shop/order-service';

describe('git workflows through the CLI: promote, revert, push faults', () => {
  let shop: KustomizeShop;
  let cacheHome: string;
  let env: NodeJS.ProcessEnv;
  /** The prod overlay as first pushed to origin. */
  let original: string;
  /** The user's repository as it was before any bosun run. */
  let before: {
    status: string;
    diff: string;
    cached: string;
    head: string;
    dirtyFile: string;
    heads: string;
  };
  let promoteSha = '';

  const run = (args: string[]): Promise<RunResult> => bosun([...args, '--repo', shop.work], { env });
  const originHead = () => git(shop.origin, ['rev-parse', 'main']);
  const originFile = (rev = 'main') => git(shop.origin, ['show', `${rev}:${PROD_FILE}`]) + '\n';
  const prodImage = () =>
    kubectl('production', [
      '-n',
      'shop',
      'get',
      'deploy',
      'order-service',
      '-o',
      'jsonpath={.spec.template.spec.containers[0].image}',
    ]);
  const localHeads = () =>
    git(shop.work, ['for-each-ref', '--format=%(refname) %(objectname)', 'refs/heads']);
  const errorLines = (r: RunResult) => r.stderr.trim().split('\n');

  /** The user's working tree, index, HEAD and branches are as before; no private worktree or temporary branch is left. */
  const expectUntouched = () => {
    expect(git(shop.work, ['status', '--porcelain'])).toBe(before.status);
    expect(git(shop.work, ['diff'])).toBe(before.diff);
    expect(git(shop.work, ['diff', '--cached'])).toBe(before.cached);
    expect(git(shop.work, ['rev-parse', 'HEAD'])).toBe(before.head);
    expect(git(shop.work, ['symbolic-ref', 'HEAD'])).toBe('refs/heads/main');
    expect(readFileSync(join(shop.work, PROD_FILE), 'utf8')).toBe(before.dirtyFile);
    expect(
      git(shop.work, ['worktree', 'list', '--porcelain'])
        .split('\n')
        .filter((l) => l.startsWith('worktree ')),
    ).toEqual([`worktree ${shop.work}`]);
    expect(git(shop.work, ['branch', '--list', 'bosun/tmp-*'])).toBe('');
    const wtDir = join(cacheHome, 'bosun', 'worktrees');
    const left = existsSync(wtDir) ? readdirSync(wtDir) : [];
    expect(left).toEqual([]);
  };

  beforeAll(async () => {
    await deleteNamespace('shop', ['production']);
    kubectl('production', [
      'delete',
      'configmap',
      '-n',
      'bosun-system',
      '-l',
      'app.kubernetes.io/managed-by=bosun',
      '--ignore-not-found',
    ]);
    shop = await makeKustomizeShop({ services: ['order-service'] });
    cacheHome = mkdtempSync(join(tmpdir(), 'bosun-e2e-cache-'));
    env = e2eEnv({ XDG_CACHE_HOME: cacheHome });
    original = originFile();
    // The user has local work in progress: an edit of the very file promotions change, a staged
    // change and an untracked file. bosun never uses the working tree, so all of it must stay.
    appendFileSync(join(shop.work, PROD_FILE), '# local experiment, not committed\n');
    appendFileSync(join(shop.work, 'README.md'), '\nstaged, not committed\n');
    git(shop.work, ['add', 'README.md']);
    writeFileSync(join(shop.work, 'notes.txt'), 'untracked\n');
    before = {
      status: git(shop.work, ['status', '--porcelain']),
      diff: git(shop.work, ['diff']),
      cached: git(shop.work, ['diff', '--cached']),
      head: git(shop.work, ['rev-parse', 'HEAD']),
      dirtyFile: readFileSync(join(shop.work, PROD_FILE), 'utf8'),
      heads: localHeads(),
    };
    expect(before.status.split('\n').sort()).toEqual([
      ' M apps/order-service/overlays/prod/kustomization.yaml',
      '?? notes.txt',
      'M  README.md',
    ]);
  });

  afterAll(async () => {
    await deleteNamespace('shop', ['production']);
    await shop?.cleanup();
    if (cacheHome) await removeTree(cacheHome);
  });

  it('prod first runs the image its overlay names', async () => {
    expect(original).toContain('newTag: v1.47.1');
    const s = await run(['sync', 'order-service-prod', '--yes']);
    expect(s.code, s.stderr).toBe(0);
    expect(s.stdout).toMatch(/^order-service-prod: Succeeded/);
    expect(prodImage()).toBe(`${IMAGE}:v1.47.1`);
    expectUntouched();
  });

  it('promote order-service staging → prod: only newTag changes, origin has the commit with a Promoted-by trailer', async () => {
    const base = originHead();
    const r = await run(['promote', 'order-service', '--from', 'staging', '--to', 'prod', '--yes']);
    expect(r.code, r.stderr).toBe(0);
    const m = /^committed ([0-9a-f]{7}) and pushed to origin\/main \(main\)\n$/.exec(r.stdout);
    expect(m, r.stdout).not.toBeNull();
    promoteSha = originHead();
    expect(promoteSha.startsWith(m?.[1] ?? '-')).toBe(true);
    expect(git(shop.origin, ['rev-parse', `${promoteSha}^`])).toBe(base);
    // The preview: the file diff and the rendered diff of prod against its live state.
    expect(r.stderr).toContain('promote order-service v1.47.1 → v1.47.2 to prod (from staging)');
    expect(r.stderr).toContain('-    newTag: v1.47.1\n+    newTag: v1.47.2');
    expect(r.stderr).toContain(`-          image: ${IMAGE}:v1.47.1\n+          image: ${IMAGE}:v1.47.2`);

    const message = git(shop.origin, ['log', '-1', '--format=%B', promoteSha]);
    expect(message.split('\n')[0]).toBe('promote order-service v1.47.1 → v1.47.2 to prod (from staging)');
    expect(message).toMatch(/^Promoted-by: e2e@test$/m);
    expect(git(shop.origin, ['show', '--name-only', '--format=', promoteSha])).toBe(PROD_FILE);

    const after = originFile();
    expect(after).not.toBe(original);
    expect(after).toContain('    newTag: v1.47.2\n');
    // Byte-compare everything but the tag: same length, same lines, one line differs.
    expect(after.replace('newTag: v1.47.2', 'newTag: v1.47.1')).toBe(original);
    const a = after.split('\n');
    const o = original.split('\n');
    expect(a).toHaveLength(o.length);
    expect(a.filter((l, i) => l !== o[i])).toEqual(['    newTag: v1.47.2']);
    expectUntouched();
  });

  it('promoting again when staging and prod already match: exit 0, says so, no commit', async () => {
    const head = originHead();
    const r = await run(['promote', 'order-service', '--from', 'staging', '--to', 'prod', '--yes']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toBe('order-service: staging and prod both run v1.47.2; nothing to promote\n');
    expect(r.stderr).toBe('');
    const j = await run([
      'promote',
      'order-service',
      '--from',
      'staging',
      '--to',
      'prod',
      '--yes',
      '-o',
      'json',
    ]);
    expect(j.code).toBe(0);
    expect(JSON.parse(j.stdout)).toEqual({
      nothingToDo: 'order-service: staging and prod both run v1.47.2; nothing to promote',
    });
    expect(originHead()).toBe(head);
    expectUntouched();
  });

  it('after sync the prod Deployment runs the promoted image; history says production runs the promotion', async () => {
    const s = await run(['sync', 'order-service-prod', '--yes']);
    expect(s.code, s.stderr).toBe(0);
    expect(prodImage()).toBe(`${IMAGE}:v1.47.2`);
    const h = await run(['history', 'order-service-prod', '-o', 'json']);
    const entries = (
      JSON.parse(h.stdout) as { history: { sha: string; author: string; runningIn: string[] }[] }
    ).history;
    expect(entries[0]?.sha).toBe(promoteSha);
    expect(entries[0]?.author).toBe('e2e@test');
    expect(entries[0]?.runningIn).toEqual(['production (prod)']);
    expectUntouched();
  });

  it('revert the promotion: origin has the revert, and after sync prod runs the old image again', async () => {
    const base = originHead();
    const r = await run(['revert', 'order-service-prod', promoteSha.slice(0, 10), '--yes']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^committed [0-9a-f]{7} and pushed to origin\/main \(main\)\n$/);
    expect(r.stderr).toContain('-    newTag: v1.47.2\n+    newTag: v1.47.1');
    const revertSha = originHead();
    expect(git(shop.origin, ['rev-parse', `${revertSha}^`])).toBe(base);
    const message = git(shop.origin, ['log', '-1', '--format=%B', revertSha]);
    expect(message.split('\n')[0]).toBe(
      'Revert "promote order-service v1.47.1 → v1.47.2 to prod (from staging)"',
    );
    expect(message).toContain(`This reverts commit ${promoteSha}.`);
    expect(message).toMatch(/^Reverted-by: e2e@test$/m);
    expect(message).toMatch(new RegExp(`^Bosun-Revert: ${promoteSha}$`, 'm'));
    expect(originFile()).toBe(original);

    const s = await run(['sync', 'order-service-prod', '--yes']);
    expect(s.code, s.stderr).toBe(0);
    expect(prodImage()).toBe(`${IMAGE}:v1.47.1`);
    expectUntouched();
  });

  it('origin unreachable: exit 4, one clear line, the commit kept on a bosun/unpushed/ branch and named', async () => {
    const head = originHead();
    const away = `${shop.origin}.away`;
    renameSync(shop.origin, away);
    let r: RunResult;
    try {
      r = await run(['promote', 'order-service', '--from', 'staging', '--to', 'prod', '--yes', '-o', 'json']);
    } finally {
      renameSync(away, shop.origin);
    }
    expect(r.code, r.stderr).toBe(4);
    expect(r.stdout).toBe('');
    expect(errorLines(r)).toHaveLength(1);
    const m =
      /^bosun: could not push to origin\/main: origin is unreachable \(.*\); commit ([0-9a-f]{12}) is kept on local branch (bosun\/unpushed\/main-[0-9a-f]{12})$/.exec(
        r.stderr.trim(),
      );
    expect(m, r.stderr).not.toBeNull();
    const [, short, branch] = m ?? [];
    const kept = git(shop.work, ['rev-parse', `refs/heads/${branch}`]);
    expect(kept.startsWith(short ?? '-')).toBe(true);
    expect(git(shop.work, ['rev-parse', `${kept}^`])).toBe(head);
    expect(git(shop.work, ['log', '-1', '--format=%B', kept])).toMatch(/^Promoted-by: e2e@test$/m);
    expect(git(shop.work, ['show', `${kept}:${PROD_FILE}`])).toContain('newTag: v1.47.2');
    // Nothing reached origin; the user's branches are theirs plus the kept commit.
    expect(originHead()).toBe(head);
    expect(localHeads()).toBe([before.heads, `refs/heads/${branch} ${kept}`].sort().join('\n'));
    expectUntouched();
  });

  it('a revert that conflicts: exit 4 naming the file, nothing left behind', async () => {
    // Someone else changes the prod tag twice; reverting the first change conflicts with the second.
    const other = mkdtempSync(join(tmpdir(), 'bosun-e2e-other-'));
    try {
      git(other, ['clone', '--quiet', shop.origin, 'c']);
      const clone = join(other, 'c');
      const file = join(clone, PROD_FILE);
      writeFileSync(file, readFileSync(file, 'utf8').replace('newTag: v1.47.1', 'newTag: v1.47.3'));
      git(clone, ['commit', '--quiet', '-am', 'order-service prod: v1.47.3']);
      const first = git(clone, ['rev-parse', 'HEAD']);
      writeFileSync(file, readFileSync(file, 'utf8').replace('newTag: v1.47.3', 'newTag: v1.47.4'));
      git(clone, ['commit', '--quiet', '-am', 'order-service prod: v1.47.4']);
      git(clone, ['push', '--quiet', 'origin', 'HEAD:main']);
      const head = originHead();
      const heads = localHeads();

      const r = await run(['revert', 'order-service-prod', first, '--yes']);
      expect(r.code, r.stderr).toBe(4);
      expect(r.stdout).toBe('');
      expect(errorLines(r)).toEqual([
        `bosun: reverting ${first.slice(0, 12)} conflicts with later changes in ${PROD_FILE}; nothing was changed (revert by hand, or revert the later commits first)`,
      ]);
      expect(originHead()).toBe(head);
      expect(localHeads()).toBe(heads);
      expect(git(shop.work, ['stash', 'list'])).toBe('');
      expectUntouched();
    } finally {
      await removeTree(other);
    }
  });

  it("the user's working tree, index and HEAD were never touched", () => {
    expectUntouched();
    expect(git(shop.work, ['status', '--porcelain'])).toBe(before.status);
  });
});
