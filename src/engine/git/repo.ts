import { mkdir, realpath } from 'node:fs/promises';
import { resolve as resolvePath } from 'node:path';
import type { SimpleGit } from 'simple-git';
import { cleanGitEnv, envClient, gitErrorLine, plainClient } from './git-env.js';
import { type CommitInfo, logFormat, parseLog } from './log.js';
import { isSafeRev, normalizeRepoPath } from './paths.js';
import { materializeTree } from './snapshot.js';

/** Options of `GitRepo.open`. */
export type GitRepoOptions = {
  /** The repository (its working directory, or a bare repository). */
  path: string;
  /** bosun's cache directory for this repository: trees are materialised under `<cacheDir>/trees`. */
  cacheDir: string;
  /** Kill a git process that makes no progress for this long (default 120 s). */
  timeoutMs?: number;
};

/** Options of `GitRepo.log`. */
export type LogOptions = { rev?: string; paths?: string[]; maxCount?: number; skip?: number };

const SHA_RE = /^[0-9a-f]{40}([0-9a-f]{24})?$/;

/** How many commits' tree listings `objectId` keeps. */
const LISTING_CACHE = 16;

/**
 * Read access to a Git repository: revisions, trees at a commit, object ids and history.
 * Never touches the user's working tree or index.
 */
export class GitRepo {
  /** The repository's top-level directory (or the bare repository). */
  readonly path: string;
  /** Cache directory given at open. */
  readonly cacheDir: string;
  private readonly git: SimpleGit;
  private readonly timeoutMs: number;
  private readonly snapshots = new Map<string, Promise<string>>();
  private readonly listings = new Map<string, Promise<Map<string, string>>>();
  /** Full commit shas already verified to exist (a commit never disappears while bosun runs). */
  private readonly knownCommits = new Set<string>();

  private constructor(path: string, cacheDir: string, git: SimpleGit, timeoutMs: number) {
    this.path = path;
    this.cacheDir = cacheDir;
    this.git = git;
    this.timeoutMs = timeoutMs;
  }

  /** Opens a repository; fails with one line when `path` is not a Git repository. */
  static async open(opts: GitRepoOptions): Promise<GitRepo> {
    const timeoutMs = opts.timeoutMs ?? 120_000;
    let dir: string;
    try {
      dir = await realpath(resolvePath(opts.path));
    } catch (err) {
      throw new Error(`repository ${opts.path} does not exist`, { cause: err });
    }
    const probe = plainClient({ baseDir: dir, timeoutMs });
    let top: string;
    try {
      const bare = (await probe.raw(['rev-parse', '--is-bare-repository'])).trim() === 'true';
      top = bare ? dir : (await probe.raw(['rev-parse', '--show-toplevel'])).trim();
    } catch (err) {
      throw new Error(`${opts.path} is not a Git repository: ${gitErrorLine(err)}`, { cause: err });
    }
    await mkdir(opts.cacheDir, { recursive: true });
    return new GitRepo(top, resolvePath(opts.cacheDir), plainClient({ baseDir: top, timeoutMs }), timeoutMs);
  }

  /**
   * Resolves a revision to a commit sha: HEAD, a branch (its remote-tracking `origin/<b>` first when
   * there is one), `origin/<b>`, a tag, a full or short sha. Throws one line when there is none.
   */
  async resolve(rev: string = 'HEAD'): Promise<string> {
    const r = rev.trim() === '' ? 'HEAD' : rev.trim();
    if (!isSafeRev(r)) throw new Error(`revision "${rev}" is not a valid revision name`);
    if (SHA_RE.test(r)) {
      if (this.knownCommits.has(r)) return r;
      const sha = await this.verify(r);
      if (sha) {
        this.knownCommits.add(sha);
        return sha;
      }
      throw new Error(`commit ${r.slice(0, 12)} not found in ${this.path} (fetch first?)`);
    }
    if (r !== 'HEAD' && !r.startsWith('refs/')) {
      const refs = await this.refs();
      for (const candidate of [
        `refs/remotes/origin/${r}`,
        `refs/heads/${r}`,
        `refs/tags/${r}`,
        `refs/remotes/${r}`,
      ]) {
        const sha = refs.get(candidate);
        if (sha) return sha;
      }
    }
    const sha = await this.verify(r);
    if (sha) return sha;
    if (r === 'HEAD') throw new Error(`repository ${this.path} has no commits yet`);
    throw new Error(`revision "${r}" not found in ${this.path}: no branch, tag or commit by that name`);
  }

  /** Fetches from a remote (default origin); updates remote-tracking refs only, never the working tree. */
  async fetch(opts: { remote?: string; prune?: boolean } = {}): Promise<void> {
    const remote = opts.remote ?? 'origin';
    if (!isSafeRev(remote)) throw new Error(`remote "${remote}" is not a valid remote name`);
    const git = envClient({
      baseDir: this.path,
      timeoutMs: this.timeoutMs,
      remote: true,
      env: { ...cleanGitEnv({ keepRemote: true }), GIT_TERMINAL_PROMPT: '0' },
    });
    try {
      await git.raw(['fetch', '--quiet', ...(opts.prune ? ['--prune'] : []), remote]);
    } catch (err) {
      throw new Error(`git fetch ${remote} failed: ${gitErrorLine(err)}`, { cause: err });
    }
  }

  /** Asks a remote (default origin) for its HEAD, changing nothing; throws one line when unreachable. */
  async probeRemote(opts: { remote?: string; timeoutMs?: number } = {}): Promise<string> {
    const remote = opts.remote ?? 'origin';
    if (!isSafeRev(remote)) throw new Error(`remote "${remote}" is not a valid remote name`);
    const git = envClient({
      baseDir: this.path,
      timeoutMs: opts.timeoutMs ?? 15_000,
      remote: true,
      env: { ...cleanGitEnv({ keepRemote: true }), GIT_TERMINAL_PROMPT: '0' },
    });
    try {
      const out = await git.raw(['ls-remote', '--symref', remote, 'HEAD']);
      return (out.split('\n').find((l) => /^[0-9a-f]{40}/.test(l)) ?? '').slice(0, 40);
    } catch (err) {
      throw new Error(`git ls-remote ${remote} failed: ${gitErrorLine(err)}`, { cause: err });
    }
  }

  /** The tree sha of a commit. */
  async treeOf(commit: string): Promise<string> {
    const sha = await this.resolve(commit);
    return (await this.git.raw(['rev-parse', `${sha}^{tree}`])).trim();
  }

  /**
   * Absolute path of a read-only directory holding the tree at `commit`, materialised once into
   * `<cacheDir>/trees/<treeSha>`.
   */
  async snapshot(commit: string): Promise<string> {
    const treeSha = await this.treeOf(commit);
    let pending = this.snapshots.get(treeSha);
    if (!pending) {
      pending = materializeTree({
        gitDir: this.path,
        treeSha,
        cacheDir: this.cacheDir,
        timeoutMs: this.timeoutMs,
      });
      this.snapshots.set(treeSha, pending);
      pending.catch(() => this.snapshots.delete(treeSha));
    }
    return pending;
  }

  /** The tree or blob id of `path` at `commit` (`''`/`.` is the root tree); undefined when absent. */
  async objectId(commit: string, path: string): Promise<string | undefined> {
    const p = normalizeRepoPath(path);
    if (p === undefined) return undefined;
    const listing = await this.listing(await this.resolve(commit));
    return listing.get(p);
  }

  /** Commits reachable from `rev` (default HEAD), newest first, limited to those touching `paths`. */
  async log(opts: LogOptions = {}): Promise<CommitInfo[]> {
    const rev = await this.resolve(opts.rev ?? 'HEAD');
    const args = ['log', `--format=${logFormat}`, '--no-color'];
    if (opts.maxCount !== undefined) args.push(`--max-count=${Math.max(0, Math.floor(opts.maxCount))}`);
    if (opts.skip) args.push(`--skip=${Math.max(0, Math.floor(opts.skip))}`);
    args.push(rev, '--');
    for (const path of opts.paths ?? []) {
      const p = normalizeRepoPath(path);
      if (p === undefined) throw new Error(`path "${path}" leaves the repository`);
      args.push(p === '' ? '.' : `:(literal)${p}`);
    }
    try {
      return parseLog(await this.git.raw(args));
    } catch (err) {
      throw new Error(`git log failed: ${gitErrorLine(err)}`, { cause: err });
    }
  }

  /** The URL of the origin remote, undefined when there is none. */
  async originUrl(): Promise<string | undefined> {
    try {
      const url = (await this.git.raw(['remote', 'get-url', 'origin'])).trim();
      return url || undefined;
    } catch {
      return undefined;
    }
  }

  /** The checked-out branch name, undefined when HEAD is detached (or the repository is empty). */
  async currentBranch(): Promise<string | undefined> {
    try {
      const name = (await this.git.raw(['symbolic-ref', '--quiet', '--short', 'HEAD'])).trim();
      return name || undefined;
    } catch {
      return undefined;
    }
  }

  private async verify(rev: string): Promise<string | undefined> {
    try {
      const out = (await this.git.raw(['rev-parse', '--verify', '--quiet', `${rev}^{commit}`])).trim();
      return SHA_RE.test(out) ? out : undefined;
    } catch {
      return undefined;
    }
  }

  /** All refs with the commit they point to (annotated tags peeled). */
  private async refs(): Promise<Map<string, string>> {
    const out = await this.git.raw(['for-each-ref', '--format=%(refname)%00%(objectname)%00%(*objectname)']);
    const refs = new Map<string, string>();
    for (const line of out.split('\n')) {
      const [name, obj, peeled] = line.split('\0');
      if (name && obj) refs.set(name, peeled || obj);
    }
    return refs;
  }

  /** Path → object id of everything in a commit's tree (with `''` for the root), cached per commit. */
  private listing(commit: string): Promise<Map<string, string>> {
    let pending = this.listings.get(commit);
    if (pending) {
      this.listings.delete(commit);
      this.listings.set(commit, pending);
      return pending;
    }
    pending = (async () => {
      const map = new Map<string, string>();
      map.set('', (await this.git.raw(['rev-parse', `${commit}^{tree}`])).trim());
      const out = await this.git.raw(['ls-tree', '-r', '-t', '-z', '--full-tree', commit]);
      for (const entry of out.split('\0')) {
        const tab = entry.indexOf('\t');
        if (tab < 0) continue;
        const meta = entry.slice(0, tab).split(' ');
        const id = meta[2];
        if (id) map.set(entry.slice(tab + 1), id);
      }
      return map;
    })();
    this.listings.set(commit, pending);
    pending.catch(() => this.listings.delete(commit));
    while (this.listings.size > LISTING_CACHE) {
      const oldest = this.listings.keys().next().value;
      if (oldest === undefined) break;
      this.listings.delete(oldest);
    }
    return pending;
  }
}
