/** Private worktrees and fast-forward-only pushes with rebase and retry, against a real bare origin. */
import { chmodSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { commitIdentityEnv, formatTrailers, identity } from '../../../src/engine/git/identity.js';
import { PushError, pushWithRetry } from '../../../src/engine/git/push.js';
import { pruneStaleWorktrees, withPrivateWorktree } from '../../../src/engine/git/worktree.js';
import { git, type KustomizeShop, makeKustomizeShop } from '../../fixtures/repos/index.js';
import {
  dirtyWorkTree,
  expectNothingLeft,
  otherClone,
  pushChange,
  userState,
} from '../promote/git-helpers.js';

const who = 'alice@bastion';
const prodFile = 'apps/order-service/overlays/prod/kustomization.yaml';

let shop: KustomizeShop;
let cacheDir: string;

beforeEach(async () => {
  shop = await makeKustomizeShop({ services: ['order-service'] });
  cacheDir = join(shop.root, 'cache');
  dirtyWorkTree(shop.work);
});

afterEach(async () => {
  await shop.cleanup();
});

const wtOpts = () => ({ repoPath: shop.work, cacheDir, baseRef: 'origin/main', identity: who });

/** Edits a file in the worktree and commits it. */
async function commitIn(
  wt: { path: string; git(a: string[]): Promise<string> },
  file: string,
  edit: (s: string) => string,
) {
  const p = join(wt.path, file);
  writeFileSync(p, edit(readFileSync(p, 'utf8')));
  await wt.git(['commit', '--quiet', '-am', `edit ${file}`]);
  return (await wt.git(['rev-parse', 'HEAD'])).trim();
}

describe('withPrivateWorktree', () => {
  it('runs in its own checkout on a temporary branch and removes both afterwards', async () => {
    const before = userState(shop.work);
    const seen = await withPrivateWorktree(wtOpts(), async (wt) => {
      expect(wt.branch).toMatch(/^bosun\/tmp-\d+-[0-9a-f]{8}$/);
      expect(wt.path.startsWith(join(cacheDir, 'worktrees'))).toBe(true);
      expect(readFileSync(join(wt.path, 'README.md'), 'utf8')).not.toContain('local notes');
      expect((await wt.git(['status', '--porcelain'])).trim()).toBe('');
      expect(git(shop.work, ['branch', '--list', wt.branch])).toContain(wt.branch);
      await commitIn(wt, prodFile, (s) => s.replace('v1.47.1', 'v9'));
      return { path: wt.path, branch: wt.branch };
    });
    expect(existsSync(seen.path)).toBe(false);
    expect(git(shop.work, ['branch', '--list', seen.branch])).toBe('');
    expect(userState(shop.work)).toEqual(before);
    expectNothingLeft(shop.work, cacheDir);
  });

  it('cleans up when the work throws, and passes the error on', async () => {
    const before = userState(shop.work);
    await expect(
      withPrivateWorktree(wtOpts(), async (wt) => {
        await commitIn(wt, prodFile, (s) => s.replace('v1.47.1', 'v9'));
        writeFileSync(join(wt.path, 'half-done.txt'), 'x');
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    expect(userState(shop.work)).toEqual(before);
    expectNothingLeft(shop.work, cacheDir);
  });

  it('refuses an existing branch without deleting it, and a missing base', async () => {
    git(shop.work, ['branch', 'bosun/tmp-mine']);
    await expect(
      withPrivateWorktree({ ...wtOpts(), branch: 'bosun/tmp-mine' }, async () => 1),
    ).rejects.toThrow(/branch bosun\/tmp-mine already exists/);
    expect(git(shop.work, ['branch', '--list', 'bosun/tmp-mine'])).toContain('bosun/tmp-mine');
    git(shop.work, ['branch', '-D', 'bosun/tmp-mine']);
    await expect(withPrivateWorktree({ ...wtOpts(), baseRef: 'origin/nope' }, async () => 1)).rejects.toThrow(
      /revision origin\/nope not found/,
    );
    expectNothingLeft(shop.work, cacheDir);
  });

  it("never runs the user's hooks (a failing pre-commit or post-checkout hook changes nothing)", async () => {
    for (const name of ['pre-commit', 'post-checkout', 'commit-msg', 'pre-push']) {
      const hook = join(shop.work, '.git', 'hooks', name);
      writeFileSync(hook, `#!/bin/sh\necho ran > "${join(shop.root, `${name}.ran`)}"\nexit 1\n`);
      chmodSync(hook, 0o755);
    }
    const res = await withPrivateWorktree(wtOpts(), async (wt) => {
      await commitIn(wt, prodFile, (s) => s.replace('v1.47.1', 'v2'));
      return pushWithRetry({ worktree: wt, remote: 'origin', targetBranch: 'main' });
    });
    expect(git(shop.origin, ['rev-parse', 'main'])).toBe(res.commit);
    for (const name of ['pre-commit', 'post-checkout', 'commit-msg', 'pre-push']) {
      expect(existsSync(join(shop.root, `${name}.ran`))).toBe(false);
    }
  });

  it('prunes worktrees left by a process that died', async () => {
    const dead = join(cacheDir, 'worktrees', '999999999-deadbeef');
    git(shop.work, ['worktree', 'add', '--quiet', '-b', 'bosun/tmp-999999999-deadbeef', dead, 'HEAD']);
    expect(await pruneStaleWorktrees({ repoPath: shop.work, cacheDir })).toBe(1);
    expectNothingLeft(shop.work, cacheDir);
  });
});

describe('pushWithRetry', () => {
  it('pushes fast-forward', async () => {
    const res = await withPrivateWorktree(wtOpts(), async (wt) => {
      const c = await commitIn(wt, prodFile, (s) => s.replace('v1.47.1', 'v2'));
      const r = await pushWithRetry({ worktree: wt, remote: 'origin', targetBranch: 'main' });
      expect(r.commit).toBe(c);
      return r;
    });
    expect(res).toEqual({ commit: res.commit, pushedTo: 'origin/main', retries: 0 });
    expect(git(shop.origin, ['rev-parse', 'main'])).toBe(res.commit);
  });

  it('rebases and retries when origin moved (unrelated change): both commits land', async () => {
    const other = otherClone(shop.root, shop.origin, 'bob');
    const res = await withPrivateWorktree(wtOpts(), async (wt) => {
      await commitIn(wt, prodFile, (s) => s.replace('v1.47.1', 'v2'));
      pushChange(other, 'README.md', '# shop\n\nedited by bob\n', 'bob: readme');
      return pushWithRetry({ worktree: wt, remote: 'origin', targetBranch: 'main', backoffMs: 0 });
    });
    expect(res.retries).toBe(1);
    const log = git(shop.origin, ['log', '--format=%s|%an', 'main', '-3']).split('\n');
    expect(log[0]).toBe(`edit ${prodFile}|${who}`);
    expect(log[1]).toBe('bob: readme|Fixture Bot');
    expect(git(shop.origin, ['rev-parse', 'main'])).toBe(res.commit);
    expect(git(shop.origin, ['show', `main:${prodFile}`])).toContain('newTag: v2');
    expectNothingLeft(shop.work, cacheDir);
  });

  it('stops cleanly on a real conflict, naming the file; nothing is pushed', async () => {
    const other = otherClone(shop.root, shop.origin, 'bob');
    const before = userState(shop.work);
    const err = await withPrivateWorktree(wtOpts(), async (wt) => {
      await commitIn(wt, prodFile, (s) => s.replace('v1.47.1', 'v2'));
      const text = readFileSync(join(other, prodFile), 'utf8');
      pushChange(other, prodFile, text.replace('v1.47.1', 'v3'), 'bob: v3');
      return pushWithRetry({ worktree: wt, remote: 'origin', targetBranch: 'main', backoffMs: 0 });
    }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(PushError);
    expect((err as PushError).kind).toBe('conflict');
    expect((err as PushError).files).toEqual([prodFile]);
    expect((err as PushError).message).toBe(
      `origin/main changed ${prodFile} since this change was prepared and rebasing conflicts; nothing was pushed (preview again and retry)`,
    );
    expect(git(shop.origin, ['log', '-1', '--format=%s', 'main'])).toBe('bob: v3');
    expect(userState(shop.work)).toEqual(before);
    expectNothingLeft(shop.work, cacheDir);
  });

  it('keeps the commit when origin keeps moving past the retry limit', async () => {
    const other = otherClone(shop.root, shop.origin, 'bob');
    const err = await withPrivateWorktree(wtOpts(), async (wt) => {
      await commitIn(wt, prodFile, (s) => s.replace('v1.47.1', 'v2'));
      pushChange(other, 'README.md', 'moved\n', 'bob: move');
      return pushWithRetry({ worktree: wt, remote: 'origin', targetBranch: 'main', maxRetries: 0 });
    }).catch((e: unknown) => e);
    expect((err as PushError).kind).toBe('retries-exhausted');
    expect((err as PushError).savedRef).toMatch(/^bosun\/unpushed\/main-[0-9a-f]{12}$/);
    expectNothingLeft(shop.work, cacheDir, { unpushed: 1 });
  });

  it('does not retry when the server refuses (hook), and keeps the commit', async () => {
    const hook = join(shop.origin, 'hooks', 'pre-receive');
    writeFileSync(hook, '#!/bin/sh\necho "main is frozen" >&2\nexit 1\n');
    chmodSync(hook, 0o755);
    const err = await withPrivateWorktree(wtOpts(), async (wt) => {
      await commitIn(wt, prodFile, (s) => s.replace('v1.47.1', 'v2'));
      return pushWithRetry({ worktree: wt, remote: 'origin', targetBranch: 'main', backoffMs: 0 });
    }).catch((e: unknown) => e);
    expect((err as PushError).kind).toBe('rejected');
    expect((err as PushError).retries).toBe(0);
    expect((err as PushError).message).toMatch(/^could not push to origin\/main: origin refused the update/);
    expectNothingLeft(shop.work, cacheDir, { unpushed: 1 });
  });

  it('refuses force-like branch names', async () => {
    await withPrivateWorktree(wtOpts(), async (wt) => {
      for (const bad of ['+main', 'main:other', '-f', 'a..b', 'x/']) {
        await expect(pushWithRetry({ worktree: wt, remote: 'origin', targetBranch: bad })).rejects.toThrow(
          /not a valid branch name/,
        );
      }
    });
  });
});

describe('identity', () => {
  it('is user@host, BOSUN_USER overriding the user or the whole', () => {
    expect(identity({})).toMatch(/^[^@\s]+@[^@\s]+$/);
    expect(identity({ BOSUN_USER: 'carol' })).toMatch(/^carol@[^@\s]+$/);
    expect(identity({ BOSUN_USER: 'carol@jump-1' })).toBe('carol@jump-1');
    expect(identity({ BOSUN_USER: 'Carol <x>' })).toMatch(/^Carol__x_@/);
    expect(commitIdentityEnv('carol@jump-1')).toEqual({
      GIT_AUTHOR_NAME: 'carol@jump-1',
      GIT_AUTHOR_EMAIL: 'carol@jump-1',
      GIT_COMMITTER_NAME: 'carol@jump-1',
      GIT_COMMITTER_EMAIL: 'carol@jump-1',
    });
    expect(
      formatTrailers([
        ['Promoted-by', 'a@b'],
        ['Empty', ' '],
      ]),
    ).toBe('Promoted-by: a@b');
  });
});
