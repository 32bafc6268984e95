import { resolve as resolvePath } from 'node:path';
import { gitErrorLine } from './git-env.js';
import { isSafeRev } from './paths.js';
import { mutationClient, type PrivateWorktree } from './worktree.js';

/** Why a push stopped. */
export const PushFailure = {
  /** Rebasing onto the moved remote branch conflicts: nothing was pushed. */
  Conflict: 'conflict',
  /** The remote could not be reached: the commit is kept on a local `bosun/unpushed/…` branch. */
  Unreachable: 'unreachable',
  /** The remote refused the update (hook, protection): the commit is kept locally. */
  Rejected: 'rejected',
  /** The remote kept moving for every retry: the commit is kept locally. */
  RetriesExhausted: 'retries-exhausted',
} as const;
/** One of the push failure kinds. */
export type PushFailure = (typeof PushFailure)[keyof typeof PushFailure];

/** A push that did not land; `savedRef` names the local branch keeping the commit, if any. */
export class PushError extends Error {
  /** Why it stopped. */
  readonly kind: PushFailure;
  /** Files in conflict (kind `conflict`). */
  readonly files: string[];
  /** The commit that was not pushed. */
  readonly commit: string;
  /** Local branch (in the user's repository, refs only) keeping the commit, e.g. `bosun/unpushed/main-1a2b3c4d5e6f`. */
  readonly savedRef: string | undefined;
  /** Rebase-and-retry rounds done before stopping. */
  readonly retries: number;
  constructor(
    message: string,
    opts: {
      kind: PushFailure;
      commit: string;
      files?: string[];
      savedRef?: string;
      retries: number;
      cause?: unknown;
    },
  ) {
    super(message, opts.cause === undefined ? undefined : { cause: opts.cause });
    this.name = 'PushError';
    this.kind = opts.kind;
    this.files = opts.files ?? [];
    this.commit = opts.commit;
    this.savedRef = opts.savedRef;
    this.retries = opts.retries;
  }
}

/** Options of `pushWithRetry`. */
export type PushOptions = {
  /** The private worktree whose HEAD is pushed. */
  worktree: PrivateWorktree;
  /** Remote name (or URL). */
  remote: string;
  /** Branch on the remote to update, fast-forward only. */
  targetBranch: string;
  /** Rebase-and-retry rounds after a non-fast-forward rejection (default 5). */
  maxRetries?: number;
  /**
   * Least back-off before a retry in ms (default 50; 0 disables waiting). The wait is random up to
   * the measured fetch-rebase-push time (at least this), tripled each retry, at most 15 s.
   */
  backoffMs?: number;
};

/** Outcome of `pushWithRetry`. */
export type PushResult = {
  /** The commit now at the tip of the remote branch. */
  commit: string;
  /** `<remote>/<branch>`. */
  pushedTo: string;
  /** Rebase-and-retry rounds needed. */
  retries: number;
  /** True when, after rebasing, the remote already had the change (nothing new was pushed). */
  alreadyOnRemote?: boolean;
};

/** True for a branch name bosun may push to or create. */
export function isSafeBranchName(name: string): boolean {
  return (
    isSafeRev(name) &&
    !name.startsWith('+') &&
    !name.startsWith('/') &&
    !name.endsWith('/') &&
    !name.endsWith('.lock') &&
    !/[~^?*[\\]|@\{|\/\/|\/\./.test(name)
  );
}

/** Longest single wait between two push attempts. */
const MAX_BACKOFF_MS = 15_000;

/** Non-fast-forward or lost a race for the ref lock: fetch, rebase and try again. */
const RETRYABLE =
  /\[rejected\]|non-fast-forward|fetch first|\[remote rejected\][^\n]*\((failed to update ref|cannot lock ref|failed to lock|incorrect old value|reference already exists)/i;
const REFUSED = /\[remote rejected\]|protected branch|pre-receive hook declined|permission denied to|denied/i;
const UNREACHABLE =
  /does not appear to be a git repository|could not read from remote|unable to access|could not resolve host|connection (refused|timed out|reset)|network is unreachable|no route to host|timed out|repository .* not found|unable to connect|early eof|the remote end hung up/i;

/**
 * Pushes the worktree's HEAD to `<remote>/<targetBranch>`, fast-forward only (never `--force`, never
 * a `+` refspec). On a non-fast-forward rejection: fetch, rebase onto the remote branch, retry (at
 * most `maxRetries` times). A rebase conflict aborts the rebase and throws a `PushError` naming the
 * files. When the remote is unreachable, refuses, or keeps moving, the commit is kept on a local
 * branch `bosun/unpushed/<branch>-<sha12>` (refs only) and the `PushError` says so.
 */
export async function pushWithRetry(opts: PushOptions): Promise<PushResult> {
  const { worktree: wt, remote, targetBranch } = opts;
  const maxRetries = Math.max(0, opts.maxRetries ?? 5);
  const backoff = opts.backoffMs ?? 50;
  if (!isSafeRev(remote)) throw new Error(`remote "${remote}" is not a valid remote name`);
  if (!isSafeBranchName(targetBranch)) throw new Error(`"${targetBranch}" is not a valid branch name`);
  const pushedTo = `${remote}/${targetBranch}`;
  let retries = 0;
  let cycleStart = Date.now();
  for (;;) {
    const head = (await wt.git(['rev-parse', 'HEAD'])).trim();
    let failure: unknown;
    try {
      await wt.git(['push', '--porcelain', '--no-follow-tags', remote, `HEAD:refs/heads/${targetBranch}`]);
      return { commit: head, pushedTo, retries };
    } catch (err) {
      failure = err;
    }
    const text = failure instanceof Error ? failure.message : String(failure);
    if (!RETRYABLE.test(text)) {
      const unreachable = UNREACHABLE.test(text) || !REFUSED.test(text);
      const kind = unreachable ? PushFailure.Unreachable : PushFailure.Rejected;
      const savedRef = await keepCommit(wt, targetBranch, head);
      const why = unreachable ? `${remote} is unreachable` : `${remote} refused the update`;
      throw new PushError(
        `could not push to ${pushedTo}: ${why} (${gitErrorLine(failure)}); commit ${head.slice(0, 12)} is kept on local branch ${savedRef}`,
        { kind, commit: head, savedRef, retries, cause: failure },
      );
    }
    if (retries >= maxRetries) {
      const savedRef = await keepCommit(wt, targetBranch, head);
      throw new PushError(
        `push to ${pushedTo} was still rejected after ${retries} rebase-and-retry rounds (it keeps moving); commit ${head.slice(0, 12)} is kept on local branch ${savedRef}`,
        { kind: PushFailure.RetriesExhausted, commit: head, savedRef, retries, cause: failure },
      );
    }
    retries++;
    if (backoff > 0) {
      // Full jitter over the measured fetch-rebase-push window, tripled each round, so that
      // concurrent promoters spread out instead of colliding again.
      const window = Math.max(backoff, Date.now() - cycleStart);
      await sleep(Math.min(MAX_BACKOFF_MS, window * 3 ** (retries - 1)) * Math.random());
    }
    cycleStart = Date.now();
    let upstream: string;
    try {
      await wt.git(['fetch', '--quiet', '--no-tags', '--refmap=', remote, `refs/heads/${targetBranch}`]);
      upstream = (await wt.git(['rev-parse', '--verify', 'FETCH_HEAD^{commit}'])).trim();
    } catch (err) {
      const savedRef = await keepCommit(wt, targetBranch, head);
      throw new PushError(
        `could not fetch ${pushedTo} to rebase onto it (${gitErrorLine(err)}); commit ${head.slice(0, 12)} is kept on local branch ${savedRef}`,
        { kind: PushFailure.Unreachable, commit: head, savedRef, retries, cause: err },
      );
    }
    await rebaseOnto(wt, upstream, { pushedTo, head, retries });
    const ahead = Number((await wt.git(['rev-list', '--count', `${upstream}..HEAD`])).trim());
    if (ahead === 0) return { commit: upstream, pushedTo, retries, alreadyOnRemote: true };
  }
}

/** Rebases HEAD onto `upstream`; on a conflict aborts and throws a one-line `PushError` naming the files. */
async function rebaseOnto(
  wt: PrivateWorktree,
  upstream: string,
  ctx: { pushedTo: string; head: string; retries: number },
): Promise<void> {
  try {
    await wt.git(['rebase', '--quiet', '--no-autostash', upstream]);
    return;
  } catch (err) {
    const files = (await wt.git(['diff', '--name-only', '--diff-filter=U']).catch(() => ''))
      .split('\n')
      .map((f) => f.trim())
      .filter(Boolean);
    await wt.git(['rebase', '--abort']).catch(() => undefined);
    const message =
      files.length > 0
        ? `${ctx.pushedTo} changed ${files.join(', ')} since this change was prepared and rebasing conflicts; nothing was pushed (preview again and retry)`
        : `could not rebase onto ${ctx.pushedTo} (${gitErrorLine(err)}); nothing was pushed (preview again and retry)`;
    throw new PushError(message, {
      kind: PushFailure.Conflict,
      commit: ctx.head,
      files,
      retries: ctx.retries,
      cause: err,
    });
  }
}

/** Keeps a commit reachable on `refs/heads/bosun/unpushed/<branch>-<sha12>`; returns the branch name. */
async function keepCommit(wt: PrivateWorktree, targetBranch: string, commit: string): Promise<string> {
  const name = `bosun/unpushed/${targetBranch.replace(/[^A-Za-z0-9._-]+/g, '-')}-${commit.slice(0, 12)}`;
  await wt.git(['update-ref', '-m', 'bosun: push failed, commit kept', `refs/heads/${name}`, commit]);
  return name;
}

/** Outcome of `fetchBranch`. */
export type FetchedBranch = {
  /** The commit of `<remote>/<branch>` (freshly fetched, or the last known one when offline). */
  commit: string;
  /** `refs/remotes/<remote>/<branch>`. */
  ref: string;
  /** Set when the fetch failed and the last known remote-tracking ref is used instead. */
  offline?: string;
};

/**
 * Fetches `<remote>/<branch>` into the user's repository (its remote-tracking ref only; never the
 * working tree, index or HEAD). When the remote is unreachable the last known remote-tracking ref is
 * used (reported in `offline`). Throws one line when the branch exists neither on the remote nor
 * locally, or when `remote` is not a configured remote.
 */
export async function fetchBranch(opts: {
  repoPath: string;
  remote: string;
  branch: string;
  timeoutMs?: number;
}): Promise<FetchedBranch> {
  const { remote, branch } = opts;
  if (!isSafeRev(remote) || remote.includes('/'))
    throw new Error(`remote "${remote}" is not a valid remote name`);
  if (!isSafeBranchName(branch)) throw new Error(`"${branch}" is not a valid branch name`);
  const git = mutationClient({ baseDir: resolvePath(opts.repoPath), timeoutMs: opts.timeoutMs });
  try {
    await git.raw(['remote', 'get-url', remote]);
  } catch (err) {
    throw new Error(`remote "${remote}" is not configured in ${opts.repoPath}`, { cause: err });
  }
  const ref = `refs/remotes/${remote}/${branch}`;
  let offline: string | undefined;
  try {
    await git.raw(['fetch', '--quiet', '--no-tags', remote, `+refs/heads/${branch}:${ref}`]);
  } catch (err) {
    const line = gitErrorLine(err);
    if (/couldn't find remote ref|no such ref|not our ref/i.test(line)) {
      throw new Error(`branch ${branch} does not exist on ${remote}; check the target branch name`, {
        cause: err,
      });
    }
    offline = `could not fetch ${remote}/${branch}: ${line}`;
  }
  let commit = '';
  try {
    commit = (await git.raw(['rev-parse', '--verify', '--quiet', `${ref}^{commit}`])).trim();
  } catch {
    commit = '';
  }
  if (!commit) {
    throw new Error(
      offline
        ? `${offline}; and ${remote}/${branch} was never fetched before`
        : `branch ${branch} does not exist on ${remote}`,
    );
  }
  return { commit, ref, ...(offline ? { offline } : {}) };
}

/**
 * The branch to change: `explicit` when given, else the branch checked out in the user's repository.
 * Throws one line when HEAD is detached (there is no branch to infer).
 */
export async function resolveTargetBranch(opts: { repoPath: string; explicit?: string }): Promise<string> {
  if (opts.explicit) {
    if (!isSafeBranchName(opts.explicit)) throw new Error(`"${opts.explicit}" is not a valid branch name`);
    return opts.explicit;
  }
  const git = mutationClient({ baseDir: resolvePath(opts.repoPath) });
  let name = '';
  try {
    name = (await git.raw(['symbolic-ref', '--quiet', '--short', 'HEAD'])).trim();
  } catch {
    name = '';
  }
  if (!name) {
    throw new Error(
      `HEAD is detached in ${opts.repoPath}, so there is no branch to push to; set repo.branch in bosun.yaml or pass the target branch`,
    );
  }
  return name;
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}
