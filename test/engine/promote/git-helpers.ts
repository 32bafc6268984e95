/** Helpers of the git workflow tests: user-state snapshots, other clones, plans read from origin. */
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'vitest';
import { GitRepo } from '../../../src/engine/git/index.js';
import type { AppSpec } from '../../../src/engine/model/index.js';
import { planPromotion } from '../../../src/engine/promote/index.js';
import { git } from '../../fixtures/repos/index.js';

/** Everything of the user's repository bosun must never touch. */
export function userState(work: string) {
  let symbolic = '';
  try {
    symbolic = git(work, ['symbolic-ref', '--quiet', 'HEAD']);
  } catch {
    symbolic = '(detached)';
  }
  return {
    head: git(work, ['rev-parse', 'HEAD']),
    symbolic,
    status: git(work, ['status', '--porcelain=v1', '--untracked-files=all']),
    unstaged: git(work, ['diff']),
    staged: git(work, ['diff', '--cached']),
    localBranches: git(work, ['for-each-ref', '--format=%(refname) %(objectname)', 'refs/heads/']),
    readme: readFileSync(join(work, 'README.md'), 'utf8'),
  };
}

/** Makes the user's working tree dirty: an unstaged edit, a staged edit of the promoted file, an untracked file. */
export function dirtyWorkTree(work: string): void {
  writeFileSync(join(work, 'README.md'), '# shop\n\nlocal notes, not committed\n');
  const prod = join(work, 'apps/order-service/overlays/prod/kustomization.yaml');
  if (existsSync(prod)) {
    writeFileSync(prod, `${readFileSync(prod, 'utf8')}# my staged experiment\n`);
    git(work, ['add', 'apps/order-service/overlays/prod/kustomization.yaml']);
  }
  writeFileSync(join(work, 'scratch.txt'), 'untracked\n');
}

/** Asserts that no private worktree, temporary branch or worktree directory is left. */
export function expectNothingLeft(work: string, cacheDir: string, opts: { unpushed?: number } = {}): void {
  const worktrees = git(work, ['worktree', 'list', '--porcelain'])
    .split('\n')
    .filter((l) => l.startsWith('worktree '));
  expect(worktrees).toHaveLength(1);
  const bosunBranches = git(work, [
    'branch',
    '-a',
    '--format=%(refname:short)',
    '--list',
    'bosun/*',
    '*/bosun/*',
  ])
    .split('\n')
    .filter(Boolean);
  expect(bosunBranches.filter((b) => !b.startsWith('bosun/unpushed/'))).toEqual([]);
  expect(bosunBranches.filter((b) => b.startsWith('bosun/unpushed/'))).toHaveLength(opts.unpushed ?? 0);
  const dir = join(cacheDir, 'worktrees');
  expect(existsSync(dir) ? readdirSync(dir) : []).toEqual([]);
}

/** Exact bytes of repo files at a revision (through the engine's read-only tree snapshots). */
export async function filesAt(repoPath: string, cacheDir: string, rev: string) {
  const repo = await GitRepo.open({ path: repoPath, cacheDir });
  const dir = await repo.snapshot(rev);
  return (p: string): string | undefined => {
    const file = join(dir, p);
    return existsSync(file) ? readFileSync(file, 'utf8') : undefined;
  };
}

/** One file's exact text at origin's `main`. */
export async function atOrigin(
  origin: string,
  cacheDir: string,
  path: string,
  rev = 'main',
): Promise<string | undefined> {
  return (await filesAt(origin, join(cacheDir, 'origin-view'), rev))(path);
}

/** Plans a promotion reading the files at `<work>`'s origin/main after a fetch. */
export async function planFromOrigin(opts: {
  work: string;
  cacheDir: string;
  service: string | string[];
  from: string;
  to?: string;
  apps: AppSpec[];
  helmValueKey?: string;
  identity?: string;
}) {
  git(opts.work, ['fetch', '--quiet', 'origin']);
  const sha = git(opts.work, ['rev-parse', 'refs/remotes/origin/main']);
  return planPromotion({
    service: opts.service,
    from: opts.from,
    ...(opts.to ? { to: opts.to } : {}),
    apps: opts.apps,
    readFile: await filesAt(opts.work, join(opts.cacheDir, 'plan-view'), sha),
    identity: opts.identity ?? 'alice@bastion',
    ...(opts.helmValueKey ? { helmValueKey: opts.helmValueKey } : {}),
  });
}

/** Clones origin into `<root>/<name>` with an identity, for "another operator" commits. */
export function otherClone(root: string, origin: string, name: string): string {
  const dir = join(root, name);
  git(root, ['clone', '--quiet', origin, dir]);
  git(dir, ['config', 'user.name', name]);
  git(dir, ['config', 'user.email', `${name}@example.test`]);
  return dir;
}

/** Writes, commits and pushes a file in a clone. */
export function pushChange(clone: string, path: string, content: string, message: string): string {
  writeFileSync(join(clone, path), content);
  git(clone, ['add', path]);
  git(clone, ['commit', '--quiet', '-m', message]);
  git(clone, ['push', '--quiet', 'origin', 'HEAD:main']);
  return git(clone, ['rev-parse', 'HEAD']);
}
