import { randomBytes } from 'node:crypto';
import { mkdir, realpath, rm } from 'node:fs/promises';
import { join, resolve as resolvePath, sep } from 'node:path';
import { type SimpleGit, simpleGit } from 'simple-git';
import { cleanGitEnv, gitErrorLine } from './git-env.js';
import { commitIdentityEnv } from './identity.js';
import { isSafeRev } from './paths.js';

/** A private worktree: a checkout of its own under bosun's cache, on a temporary branch. */
export type PrivateWorktree = {
  /** Absolute path of the worktree directory. */
  path: string;
  /** The repository it belongs to (its refs and objects are shared with it). */
  repoPath: string;
  /** The temporary branch checked out in it (deleted afterwards). */
  branch: string;
  /** The commit it started from. */
  baseCommit: string;
  /** The identity commits are authored with, when one was given. */
  identity?: string;
  /** Runs git in the worktree (hooks off, never prompts, identity set); returns stdout. */
  git(args: string[]): Promise<string>;
};

/** Options of `withPrivateWorktree`. */
export type PrivateWorktreeOptions = {
  /** The user's repository (working directory or bare repository). */
  repoPath: string;
  /** bosun's cache directory for this repository; worktrees live in `<cacheDir>/worktrees`. */
  cacheDir: string;
  /** What to start from, e.g. `origin/main` or a commit sha. */
  baseRef: string;
  /** The temporary branch to create; default `bosun/tmp-<pid>-<random>`. Must not exist yet. */
  branch?: string;
  /** `user@host` to author and commit as. */
  identity?: string;
  /** Kill a git process that makes no progress for this long (default 120 s). */
  timeoutMs?: number;
};

/** Where bosun keeps its private worktrees for a repository. */
export function worktreesDir(cacheDir: string): string {
  return join(resolvePath(cacheDir), 'worktrees');
}

/** Configuration every bosun git call in a private worktree runs with. */
const SAFE_CONFIG = ['core.hooksPath=/dev/null', 'gc.auto=0', 'advice.detachedHead=false', 'color.ui=false'];

/**
 * A simple-git client for mutations: every non-zero exit throws, hooks are disabled (a user's
 * pre-commit hook must not run inside bosun), no terminal prompts, remote helpers kept so push and
 * fetch work like the user's git.
 */
export function mutationClient(opts: { baseDir: string; identity?: string; timeoutMs?: number }): SimpleGit {
  return simpleGit({
    baseDir: opts.baseDir,
    maxConcurrentProcesses: 2,
    trimmed: false,
    config: SAFE_CONFIG,
    timeout: { block: opts.timeoutMs ?? 120_000 },
    // Any non-zero exit is an error (simple-git alone ignores failures that print nothing on stderr).
    errors: (error, result) => {
      if (error) return error;
      if (result.exitCode === 0) return undefined;
      return Buffer.concat([
        ...result.stdOut,
        ...result.stdErr,
        Buffer.from(`\nexit code ${result.exitCode}`),
      ]);
    },
    unsafe: {
      allowUnsafeHooksPath: true,
      allowUnsafeSshCommand: true,
      allowUnsafeAskPass: true,
      allowUnsafeGitProxy: true,
    },
  }).env({
    ...cleanGitEnv({ keepRemote: true }),
    GIT_TERMINAL_PROMPT: '0',
    GIT_MERGE_AUTOEDIT: 'no',
    LC_ALL: 'C',
    ...(opts.identity ? commitIdentityEnv(opts.identity) : {}),
  });
}

/**
 * Runs `fn` in a fresh private worktree of `repoPath` (under `<cacheDir>/worktrees`, on a new
 * temporary branch starting at `baseRef`). The user's working tree, index and HEAD are never
 * touched. The worktree and the temporary branch are ALWAYS removed afterwards: on success, on
 * failure and on exceptions. Refs `fn` creates elsewhere (e.g. `bosun/unpushed/…`) are kept.
 */
export async function withPrivateWorktree<T>(
  opts: PrivateWorktreeOptions,
  fn: (wt: PrivateWorktree) => Promise<T>,
): Promise<T> {
  const tag = `${process.pid}-${randomBytes(4).toString('hex')}`;
  const branch = opts.branch ?? `bosun/tmp-${tag}`;
  if (!isSafeRev(opts.baseRef)) throw new Error(`"${opts.baseRef}" is not a valid revision name`);
  if (!isSafeRev(branch) || branch.endsWith('/') || branch.endsWith('.lock')) {
    throw new Error(`"${branch}" is not a valid branch name`);
  }
  let repoPath: string;
  try {
    repoPath = await realpath(resolvePath(opts.repoPath));
  } catch (err) {
    throw new Error(`repository ${opts.repoPath} does not exist`, { cause: err });
  }
  const repoGit = mutationClient({ baseDir: repoPath, timeoutMs: opts.timeoutMs });
  let baseCommit: string;
  try {
    baseCommit = (await repoGit.raw(['rev-parse', '--verify', '--quiet', `${opts.baseRef}^{commit}`])).trim();
  } catch {
    baseCommit = '';
  }
  if (!baseCommit) throw new Error(`revision ${opts.baseRef} not found in ${opts.repoPath} (fetch first?)`);

  if (await refExists(repoGit, `refs/heads/${branch}`)) {
    throw new Error(`branch ${branch} already exists in ${opts.repoPath}; bosun needs a fresh one`);
  }
  await mkdir(worktreesDir(opts.cacheDir), { recursive: true });
  const path = join(await realpath(worktreesDir(opts.cacheDir)), tag);
  try {
    await repoGit.raw(['worktree', 'add', '--quiet', '-b', branch, path, baseCommit]);
  } catch (err) {
    // The branch did not exist before: if git created it, it is ours to delete.
    await removeWorktree({ repoGit, path, branch });
    throw new Error(`could not create a private worktree of ${opts.repoPath}: ${gitErrorLine(err)}`, {
      cause: err,
    });
  }
  const wtGit = mutationClient({ baseDir: path, identity: opts.identity, timeoutMs: opts.timeoutMs });
  const wt: PrivateWorktree = {
    path,
    repoPath,
    branch,
    baseCommit,
    ...(opts.identity ? { identity: opts.identity } : {}),
    git: (args) => wtGit.raw(args),
  };
  try {
    return await fn(wt);
  } finally {
    await removeWorktree({ repoGit, path, branch });
  }
}

/** Removes a worktree directory, its administrative files and its temporary branch; never throws. */
async function removeWorktree(opts: {
  repoGit: SimpleGit;
  path: string;
  /** A branch bosun created (deleted when present); empty for none. */
  branch: string;
}): Promise<void> {
  const { repoGit, path, branch } = opts;
  try {
    await repoGit.raw(['worktree', 'remove', '--force', '--force', path]);
  } catch {
    await rm(path, { recursive: true, force: true }).catch(() => undefined);
    await repoGit.raw(['worktree', 'prune']).catch(() => undefined);
  }
  if (branch && (await refExists(repoGit, `refs/heads/${branch}`))) {
    await repoGit.raw(['branch', '-D', '--quiet', branch]).catch(() => undefined);
  }
}

async function refExists(git: SimpleGit, ref: string): Promise<boolean> {
  try {
    return (await git.raw(['rev-parse', '--verify', '--quiet', ref])).trim() !== '';
  } catch {
    return false;
  }
}

/**
 * Removes private worktrees (and their `bosun/tmp-*` branches) left behind by bosun processes that
 * no longer run, e.g. after a lost SSH session. Returns how many were removed.
 */
export async function pruneStaleWorktrees(opts: { repoPath: string; cacheDir: string }): Promise<number> {
  const repoGit = mutationClient({ baseDir: resolvePath(opts.repoPath) });
  let root: string;
  let out: string;
  try {
    root = (await realpath(worktreesDir(opts.cacheDir))) + sep;
    out = await repoGit.raw(['worktree', 'list', '--porcelain']);
  } catch {
    return 0;
  }
  let removed = 0;
  for (const block of out.split('\n\n')) {
    const path = /^worktree (.+)$/m.exec(block)?.[1];
    const branch = /^branch refs\/heads\/(.+)$/m.exec(block)?.[1];
    if (!path?.startsWith(root)) continue;
    const pid = Number(path.slice(root.length).split('-')[0]);
    if (Number.isInteger(pid) && pid > 0 && isAlive(pid)) continue;
    await removeWorktree({ repoGit, path, branch: branch?.startsWith('bosun/tmp-') ? branch : '' });
    removed++;
  }
  await repoGit.raw(['worktree', 'prune']).catch(() => undefined);
  return removed;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}
