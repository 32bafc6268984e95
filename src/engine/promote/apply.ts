import { lstat, readFile, realpath, writeFile } from 'node:fs/promises';
import { join, sep } from 'node:path';
import { normalizeRepoPath } from '../git/paths.js';
import { fetchBranch, pushWithRetry } from '../git/push.js';
import { withPrivateWorktree } from '../git/worktree.js';
import type { GitChangeResult } from '../types.js';
import { applyEditOps, type FileEdit } from './edits.js';
import type { PromotionPlan } from './plan.js';
import { reviewBranchName } from './preview.js';

/** Options of `promote`. */
export type PromoteOptions = {
  /** The user's repository (never its working tree, index or HEAD: a private worktree is used). */
  repoPath: string;
  /** bosun's cache directory for it. */
  cacheDir: string;
  /** Remote name (default `origin`). */
  remote?: string;
  /** The branch the environments deploy from (e.g. `main`). */
  targetBranch: string;
  /** The previewed plan. */
  plan: Pick<PromotionPlan, 'edits' | 'commitMessage' | 'nothingToDo' | 'services' | 'to'>;
  /** `user@host`, author and committer. */
  identity: string;
  /** Push a `bosun/promote/<service>-<env>-<version>` branch instead of the target branch. */
  requireReview?: boolean;
  /** Rebase-and-retry rounds of the push (default 5). */
  maxRetries?: number;
  timeoutMs?: number;
};

/** Outcome of `promote`. */
export type PromoteResult = GitChangeResult & {
  /** Files changed by the commit. */
  files: string[];
  /** Set when origin could not be fetched first (the push then failed or used the last known tip). */
  offline?: string;
};

/**
 * Applies a promotion plan: in a private worktree at `<remote>/<targetBranch>`, writes the edits
 * (re-applied onto the current text when the file moved since the preview), commits as `identity`,
 * and pushes fast-forward only with `pushWithRetry`, to the target branch or, when review is
 * required, to a `bosun/promote/…` branch (then `nextStep` says what to do). Throws one line.
 */
export async function promote(opts: PromoteOptions): Promise<PromoteResult> {
  const { plan } = opts;
  const remote = opts.remote ?? 'origin';
  if (plan.edits.length === 0) throw new Error(plan.nothingToDo ?? 'nothing to promote');
  const base = await fetchBranch({
    repoPath: opts.repoPath,
    remote,
    branch: opts.targetBranch,
    timeoutMs: opts.timeoutMs,
  });
  const onto = `${remote}/${opts.targetBranch}`;
  const branch = opts.requireReview ? reviewBranchName(plan) : opts.targetBranch;
  return withPrivateWorktree(
    {
      repoPath: opts.repoPath,
      cacheDir: opts.cacheDir,
      baseRef: base.commit,
      identity: opts.identity,
      timeoutMs: opts.timeoutMs,
    },
    async (wt) => {
      const files: string[] = [];
      for (const edit of plan.edits) {
        if (await writeEdit(wt.path, edit, onto)) files.push(edit.file);
      }
      if (files.length === 0) {
        throw new Error(`nothing to promote: ${onto} already has these changes (promoted meanwhile?)`);
      }
      await wt.git(['add', '--', ...files]);
      await wt.git(['commit', '--quiet', '--no-verify', '--cleanup=whitespace', '-m', plan.commitMessage]);
      const pushed = await pushWithRetry({
        worktree: wt,
        remote,
        targetBranch: branch,
        maxRetries: opts.maxRetries,
      });
      return {
        commit: pushed.commit,
        pushedTo: pushed.pushedTo,
        branch,
        retries: pushed.retries,
        files,
        ...(opts.requireReview
          ? { nextStep: `open a merge request from ${branch} into ${opts.targetBranch}` }
          : {}),
        ...(base.offline ? { offline: base.offline } : {}),
      };
    },
  );
}

/** Writes one edit into the worktree; false when the file already has the change. */
async function writeEdit(root: string, edit: FileEdit, onto: string): Promise<boolean> {
  const rel = normalizeRepoPath(edit.file);
  if (rel === undefined || rel === '' || rel !== edit.file) {
    throw new Error(`refusing to edit ${edit.file}: not a plain path inside the repository`);
  }
  const path = join(root, rel);
  let st: Awaited<ReturnType<typeof lstat>>;
  try {
    st = await lstat(path);
  } catch (err) {
    throw new Error(`${rel} does not exist on ${onto} any more; preview the promotion again`, { cause: err });
  }
  if (st.isSymbolicLink() || !st.isFile())
    throw new Error(`refusing to edit ${rel}: it is not a regular file`);
  const real = await realpath(path);
  if (!real.startsWith((await realpath(root)) + sep))
    throw new Error(`refusing to edit ${rel}: it leaves the repository`);
  const current = await readFile(path, 'utf8');
  let next: string;
  if (current === edit.before) next = edit.after;
  else {
    try {
      next = applyEditOps(current, rel, edit.ops);
    } catch (err) {
      const why = err instanceof Error ? err.message : String(err);
      throw new Error(`${rel} changed on ${onto} since the preview and cannot be edited again: ${why}`, {
        cause: err,
      });
    }
  }
  if (next === current) return false;
  await writeFile(path, next);
  return true;
}
