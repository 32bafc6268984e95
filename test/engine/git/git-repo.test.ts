import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GitRepo, isSafeRev, normalizeRepoPath } from '../../../src/engine/git/index.js';
import {
  commitFiles,
  createFixtureRepo,
  type FixtureRepo,
  git,
  removeTree,
} from '../../fixtures/repos/index.js';

let repo: FixtureRepo;
let g: GitRepo;
let first: string;
let second: string;

beforeAll(async () => {
  repo = await createFixtureRepo({
    name: 'git-repo',
    files: { 'apps/web/deploy.yaml': 'kind: Deployment\n', 'README.md': '# r\n' },
  });
  first = git(repo.work, ['rev-parse', 'HEAD']);
  second = await commitFiles(repo, { 'apps/web/deploy.yaml': 'kind: Deployment # v2\n' }, 'web v2');
  git(repo.work, ['tag', 'v1.0.0', first]);
  git(repo.work, ['tag', '-a', '-m', 'release 1.1', 'v1.1.0', second]);
  g = await GitRepo.open({ path: repo.work, cacheDir: join(repo.root, 'cache') });
});

afterAll(async () => {
  await repo.cleanup();
});

describe('GitRepo.open', () => {
  it('opens a working directory from a subdirectory and reports its top level', async () => {
    const sub = await GitRepo.open({ path: join(repo.work, 'apps'), cacheDir: join(repo.root, 'cache') });
    expect(sub.path).toBe(g.path);
  });

  it('opens a bare repository', async () => {
    const bare = await GitRepo.open({ path: repo.origin, cacheDir: join(repo.root, 'cache-bare') });
    expect(await bare.resolve('main')).toBe(second);
  });

  it('fails with one line when the path is not a repository', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'bosun-not-a-repo-'));
    try {
      await expect(GitRepo.open({ path: dir, cacheDir: join(dir, 'c') })).rejects.toThrow(
        /is not a Git repository/,
      );
      await expect(GitRepo.open({ path: join(dir, 'missing'), cacheDir: join(dir, 'c') })).rejects.toThrow(
        /does not exist/,
      );
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('GitRepo.resolve', () => {
  it('resolves HEAD, a branch, origin/branch, tags and full or short shas', async () => {
    expect(await g.resolve('HEAD')).toBe(second);
    expect(await g.resolve()).toBe(second);
    expect(await g.resolve('main')).toBe(second);
    expect(await g.resolve('origin/main')).toBe(second);
    expect(await g.resolve('refs/heads/main')).toBe(second);
    expect(await g.resolve('v1.0.0')).toBe(first);
    expect(await g.resolve('v1.1.0')).toBe(second); // annotated tag peeled to its commit
    expect(await g.resolve(first)).toBe(first);
    expect(await g.resolve(first.slice(0, 8))).toBe(first);
    expect(await g.resolve('HEAD~1')).toBe(first);
  });

  it('prefers the remote-tracking branch over a local branch of the same name', async () => {
    git(repo.work, ['branch', 'release', first]);
    git(repo.work, ['push', '--quiet', 'origin', `${second}:refs/heads/release`]);
    git(repo.work, ['fetch', '--quiet', 'origin']);
    expect(await g.resolve('release')).toBe(second);
    expect(git(repo.work, ['rev-parse', 'refs/heads/release'])).toBe(first);
  });

  it('fails with one clear line for a missing branch or commit', async () => {
    await expect(g.resolve('no-such-branch')).rejects.toThrow(
      /^revision "no-such-branch" not found in .*: no branch, tag or commit by that name$/,
    );
    await expect(g.resolve('0'.repeat(40))).rejects.toThrow(/commit 000000000000 not found/);
    await expect(g.resolve('--upload-pack=evil')).rejects.toThrow(/not a valid revision name/);
  });
});

describe('GitRepo.fetch', () => {
  it('updates origin/<branch> without touching the working tree', async () => {
    const other = join(repo.root, 'other');
    git(repo.root, ['clone', '--quiet', repo.origin, other]);
    git(other, ['config', 'user.name', 'Other']);
    git(other, ['config', 'user.email', 'other@bosun.test']);
    const third = await commitFiles(
      { work: other },
      { 'apps/web/deploy.yaml': 'kind: Deployment # v3\n' },
      'web v3',
    );
    const statusBefore = git(repo.work, ['status', '--porcelain=v1', '--branch']);
    expect(await g.resolve('origin/main')).toBe(second);
    await g.fetch();
    expect(await g.resolve('origin/main')).toBe(third);
    expect(await g.resolve('main')).toBe(third); // the remote-tracking branch wins
    expect(git(repo.work, ['rev-parse', 'HEAD'])).toBe(second);
    expect(git(repo.work, ['status', '--porcelain=v1'])).toBe('');
    expect(git(repo.work, ['status', '--porcelain=v1', '--branch'])).not.toBe(statusBefore); // now "behind 1"
    await removeTree(other);
  });

  it('fails with one line for an unknown remote', async () => {
    await expect(g.fetch({ remote: 'nowhere' })).rejects.toThrow(/^git fetch nowhere failed: /);
  });
});

describe('GitRepo.objectId', () => {
  it('gives the tree or blob id of a path at a commit, undefined when absent', async () => {
    expect(await g.objectId(first, 'apps/web')).toBe(git(repo.work, ['rev-parse', `${first}:apps/web`]));
    expect(await g.objectId(first, 'apps/web/deploy.yaml')).toBe(
      git(repo.work, ['rev-parse', `${first}:apps/web/deploy.yaml`]),
    );
    expect(await g.objectId(first, './apps//web/')).toBe(git(repo.work, ['rev-parse', `${first}:apps/web`]));
    expect(await g.objectId(first, '')).toBe(git(repo.work, ['rev-parse', `${first}^{tree}`]));
    expect(await g.objectId(first, '.')).toBe(git(repo.work, ['rev-parse', `${first}^{tree}`]));
    expect(await g.objectId(first, 'apps/missing')).toBeUndefined();
    expect(await g.objectId(first, '../outside')).toBeUndefined();
    expect(await g.objectId(first, '/etc')).toBeUndefined();
  });

  it('changes for a changed path and stays for an unchanged one', async () => {
    expect(await g.objectId(first, 'apps/web')).not.toBe(await g.objectId(second, 'apps/web'));
    expect(await g.objectId(first, 'README.md')).toBe(await g.objectId(second, 'README.md'));
  });
});

describe('GitRepo.originUrl and currentBranch', () => {
  it('reads the origin URL and the checked-out branch', async () => {
    expect(await g.originUrl()).toBe(repo.origin);
    expect(await g.currentBranch()).toBe('main');
  });

  it('gives undefined for a detached HEAD and a repository without origin', async () => {
    const dir = join(repo.root, 'detached');
    git(repo.root, ['clone', '--quiet', repo.origin, dir]);
    git(dir, ['checkout', '--quiet', '--detach', first]);
    git(dir, ['remote', 'remove', 'origin']);
    const d = await GitRepo.open({ path: dir, cacheDir: join(repo.root, 'cache-detached') });
    expect(await d.currentBranch()).toBeUndefined();
    expect(await d.originUrl()).toBeUndefined();
    expect(await d.resolve('HEAD')).toBe(first);
  });
});

describe('path and revision helpers', () => {
  it('normalises repo paths and refuses ones that leave the repository', () => {
    expect(normalizeRepoPath('./a//b/')).toBe('a/b');
    expect(normalizeRepoPath('a/../b')).toBe('b');
    expect(normalizeRepoPath('.')).toBe('');
    expect(normalizeRepoPath('../a')).toBeUndefined();
    expect(normalizeRepoPath('/a')).toBeUndefined();
  });

  it('accepts revision names and refuses options and ranges', () => {
    expect(isSafeRev('main')).toBe(true);
    expect(isSafeRev('origin/release-1.2')).toBe(true);
    expect(isSafeRev('HEAD~2')).toBe(true);
    expect(isSafeRev('-n')).toBe(false);
    expect(isSafeRev('a..b')).toBe(false);
    expect(isSafeRev('a b')).toBe(false);
    expect(isSafeRev('HEAD:path')).toBe(false);
  });
});
