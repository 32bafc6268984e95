import { hasSecretDocument, maskedFileDiff } from '../diff/secret-text.js';
import type { GitChangePlan } from '../types.js';
import { gitErrorLine } from './git-env.js';
import { formatTrailers } from './identity.js';
import { isSafeRev } from './paths.js';
import { fetchBranch, pushWithRetry } from './push.js';
import { type PrivateWorktree, withPrivateWorktree } from './worktree.js';

/** Options of `revertCommit`. */
export type RevertOptions = {
  /** The user's repository. */
  repoPath: string;
  /** bosun's cache directory for it (private worktrees go below). */
  cacheDir: string;
  /** The commit to revert (full or short sha, or any revision on the target branch). */
  commit: string;
  /** The branch the revert goes to (and that must contain `commit`). */
  targetBranch: string;
  /** Remote name (default `origin`). */
  remote?: string;
  /** `user@host`, the author and committer. */
  identity: string;
  /** Commit message (subject and body) instead of git's `Revert "…"`; trailers are added either way. */
  message?: string;
  /** Compute the file diff and message only: nothing is committed to a branch or pushed. */
  preview?: boolean;
  /** Push to this branch instead of `targetBranch` (e.g. a review branch). */
  pushBranch?: string;
  /** Rebase-and-retry rounds of the push (default 5). */
  maxRetries?: number;
  timeoutMs?: number;
};

/** Outcome of `revertCommit` (or its preview). */
export type RevertResult = {
  /** True when nothing was committed or pushed. */
  preview: boolean;
  /** The full sha of the reverted commit. */
  reverted: string;
  /** The new commit (as pushed, after any rebase); the would-be commit in a preview. */
  commit: string;
  /** Unified diff of the revert, as git made it (engine-internal: it holds Secret values). */
  fileDiff: string;
  /** The diff to show: values of Secret manifests masked. */
  shownDiff: string;
  /** Files the revert changes. */
  files: string[];
  /** The full commit message. */
  message: string;
  /** `<remote>/<branch>` (undefined in a preview). */
  pushedTo?: string;
  /** The branch pushed to (or that would be). */
  branch: string;
  retries: number;
  /** Set when the remote could not be fetched and the last known remote-tracking ref was used. */
  offline?: string;
};

/**
 * Reverts `commit` on `<remote>/<targetBranch>` in a private worktree (`git revert`, `-m 1` for a
 * merge commit), commits it as `identity` with `Reverted-by:` and `Bosun-Revert:` trailers and pushes
 * it with `pushWithRetry`, or only previews it. A conflict aborts the revert and throws one line
 * naming the files; nothing is left behind (no branch, no worktree, no partial commit).
 */
export async function revertCommit(opts: RevertOptions): Promise<RevertResult> {
  const remote = opts.remote ?? 'origin';
  if (!isSafeRev(opts.commit)) throw new Error(`"${opts.commit}" is not a valid commit`);
  const base = await fetchBranch({
    repoPath: opts.repoPath,
    remote,
    branch: opts.targetBranch,
    timeoutMs: opts.timeoutMs,
  });
  const onto = `${remote}/${opts.targetBranch}`;
  return withPrivateWorktree(
    {
      repoPath: opts.repoPath,
      cacheDir: opts.cacheDir,
      baseRef: base.commit,
      identity: opts.identity,
      timeoutMs: opts.timeoutMs,
    },
    async (wt) => {
      const sha = await resolveCommit(wt, opts.commit);
      if (!(await isAncestor(wt, sha, base.commit))) {
        throw new Error(
          `commit ${sha.slice(0, 12)} is not on ${onto}; only commits on the target branch can be reverted`,
        );
      }
      const parents = (await wt.git(['rev-list', '--parents', '-n', '1', sha])).trim().split(/\s+/).slice(1);
      const subject = (await wt.git(['log', '-1', '--format=%s', sha])).trim();
      try {
        await wt.git(['revert', '--no-commit', ...(parents.length > 1 ? ['-m', '1'] : []), sha]);
      } catch (err) {
        const files = await conflictedFiles(wt);
        await wt.git(['revert', '--abort']).catch(() => wt.git(['reset', '--hard', '--quiet', base.commit]));
        const what =
          files.length > 0 ? `later changes in ${files.join(', ')}` : `${onto} (${gitErrorLine(err)})`;
        throw new Error(
          `reverting ${sha.slice(0, 12)} conflicts with ${what}; nothing was changed (revert by hand, or revert the later commits first)`,
          { cause: err },
        );
      }
      if (await nothingStaged(wt)) {
        throw new Error(`reverting ${sha.slice(0, 12)} changes nothing: ${onto} already undoes it`);
      }
      const message = revertMessage({
        sha,
        subject,
        parents,
        identity: opts.identity,
        message: opts.message,
      });
      await wt.git(['commit', '--quiet', '--no-verify', '--cleanup=whitespace', '-m', message]);
      const fileDiff = await wt.git([
        'diff',
        '--no-color',
        '--no-ext-diff',
        '--no-textconv',
        'HEAD~1',
        'HEAD',
      ]);
      const files = (await wt.git(['diff', '--name-only', '--no-renames', 'HEAD~1', 'HEAD']))
        .split('\n')
        .filter(Boolean);
      const branch = opts.pushBranch ?? opts.targetBranch;
      const common = {
        reverted: sha,
        fileDiff,
        shownDiff: await maskedRevertDiff(wt, fileDiff, files),
        files,
        message,
        branch,
        ...(base.offline ? { offline: base.offline } : {}),
      };
      const head = (await wt.git(['rev-parse', 'HEAD'])).trim();
      if (opts.preview) return { ...common, preview: true, commit: head, retries: 0 };
      const pushed = await pushWithRetry({
        worktree: wt,
        remote,
        targetBranch: branch,
        maxRetries: opts.maxRetries,
      });
      return {
        ...common,
        preview: false,
        commit: pushed.commit,
        pushedTo: pushed.pushedTo,
        retries: pushed.retries,
      };
    },
  );
}

/** Previews a revert: the file diff and message, nothing committed to a branch or pushed. */
export function previewRevert(opts: Omit<RevertOptions, 'preview'>): Promise<RevertResult> {
  return revertCommit({ ...opts, preview: true });
}

/** The text of a file at a revision of the worktree ('' when absent). */
async function fileAt(wt: PrivateWorktree, rev: string, file: string): Promise<string> {
  try {
    return await wt.git(['show', `${rev}:${file}`]);
  } catch {
    return '';
  }
}

/** git's diff with each file that holds a Secret manifest re-diffed from masked text. */
async function maskedRevertDiff(wt: PrivateWorktree, fileDiff: string, files: string[]): Promise<string> {
  if (!/kind:\s*["']?Secret\b/.test(fileDiff)) {
    // A hunk may change a Secret's values without its kind line in view: check the files themselves.
    let any = false;
    for (const f of files)
      if (hasSecretDocument(await fileAt(wt, 'HEAD~1', f)) || hasSecretDocument(await fileAt(wt, 'HEAD', f)))
        any = true;
    if (!any) return fileDiff;
  }
  const sections = fileDiff.split(/^(?=diff --git )/m);
  const out: string[] = [];
  for (const section of sections) {
    const m = /^diff --git a\/(.+?) b\/(.+)$/m.exec(section);
    if (!m) {
      out.push(section);
      continue;
    }
    const [before, after] = [await fileAt(wt, 'HEAD~1', m[1]!), await fileAt(wt, 'HEAD', m[2]!)];
    out.push(
      hasSecretDocument(before) || hasSecretDocument(after)
        ? maskedFileDiff({ file: m[2]!, before, after })
        : section,
    );
  }
  return out.join('');
}

/** The facade's view of a revert preview (the rendered diff is added by the engine). */
export function revertChangePlan(r: RevertResult, opts: { id: string; targetBranch: string }): GitChangePlan {
  return {
    kind: 'revert',
    title: r.message.split('\n')[0] ?? `revert ${r.reverted.slice(0, 12)}`,
    fileDiff: r.shownDiff,
    files: r.files,
    renderedDiff: [],
    commitMessage: r.message,
    targetBranch: opts.targetBranch,
    refusals: [],
    id: opts.id,
  };
}

/** The revert's commit message: git's default (or `message`) plus bosun's trailers. */
export function revertMessage(opts: {
  sha: string;
  subject: string;
  parents: string[];
  identity: string;
  message?: string;
}): string {
  const trailers = formatTrailers([
    ['Reverted-by', opts.identity],
    ['Bosun-Revert', opts.sha],
  ]);
  if (opts.message?.trim()) return `${opts.message.trim()}\n\n${trailers}\n`;
  const merge = opts.parents.length > 1 ? `, reversing\nchanges made to ${opts.parents[0]}` : '';
  return `Revert "${opts.subject}"\n\nThis reverts commit ${opts.sha}${merge}.\n\n${trailers}\n`;
}

async function resolveCommit(wt: PrivateWorktree, rev: string): Promise<string> {
  try {
    const sha = (await wt.git(['rev-parse', '--verify', '--quiet', `${rev}^{commit}`])).trim();
    if (sha) return sha;
  } catch {
    // fall through
  }
  throw new Error(`commit ${rev} not found in the repository (fetch first?)`);
}

async function isAncestor(wt: PrivateWorktree, commit: string, tip: string): Promise<boolean> {
  // simple-git does not report exit codes of commands that print nothing: compare outputs instead.
  const base = (await wt.git(['merge-base', commit, tip]).catch(() => '')).trim();
  return base === commit;
}

async function nothingStaged(wt: PrivateWorktree): Promise<boolean> {
  return (await wt.git(['diff', '--cached', '--name-only'])).trim() === '';
}

/** Files with unmerged entries in the worktree's index. */
export async function conflictedFiles(wt: PrivateWorktree): Promise<string[]> {
  const out = await wt.git(['diff', '--name-only', '--diff-filter=U']).catch(() => '');
  return [
    ...new Set(
      out
        .split('\n')
        .map((f) => f.trim())
        .filter(Boolean),
    ),
  ];
}
