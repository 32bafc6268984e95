import { randomBytes } from 'node:crypto';
import { chmod, lstat, mkdir, readdir, rename, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { cleanGitEnv, envClient, gitErrorLine } from './git-env.js';

/** Where the trees of one repository are materialised: `<cacheDir>/trees/<treeSha>`. */
export function treesDir(cacheDir: string): string {
  return join(cacheDir, 'trees');
}

async function exists(p: string): Promise<boolean> {
  try {
    await stat(p);
    return true;
  } catch {
    return false;
  }
}

/** Removes write permission below `dir` (files keep their execute bit; symlinks are left alone). */
async function makeReadOnly(dir: string): Promise<void> {
  for (const ent of await readdir(dir, { withFileTypes: true })) {
    const p = join(dir, ent.name);
    if (ent.isDirectory()) await makeReadOnly(p);
    else if (ent.isFile()) {
      const st = await lstat(p);
      await chmod(p, st.mode & 0o111 ? 0o555 : 0o444);
    }
  }
  await chmod(dir, 0o555);
}

/** Gives write permission back below `dir` so it can be deleted. */
async function makeWritable(dir: string): Promise<void> {
  try {
    await chmod(dir, 0o755);
  } catch {
    return;
  }
  for (const ent of await readdir(dir, { withFileTypes: true })) {
    if (ent.isDirectory()) await makeWritable(join(dir, ent.name));
  }
}

/** Deletes a materialised (read-only) tree or any directory containing them. */
export async function removeReadOnlyTree(dir: string): Promise<void> {
  if (!(await exists(dir))) return;
  await makeWritable(dir);
  await rm(dir, { recursive: true, force: true });
}

/**
 * Materialises a tree object into `<cacheDir>/trees/<treeSha>` once and returns that path. Uses a
 * temporary index file and a temporary work tree, then renames atomically: the repository's own
 * index and working tree are never read or written.
 */
export async function materializeTree(opts: {
  gitDir: string;
  treeSha: string;
  cacheDir: string;
  timeoutMs?: number;
}): Promise<string> {
  const root = treesDir(opts.cacheDir);
  const target = join(root, opts.treeSha);
  if (await exists(target)) return target;
  await mkdir(root, { recursive: true });
  const tag = `${process.pid}-${randomBytes(4).toString('hex')}`;
  const tmpTree = join(root, `.tmp-${opts.treeSha}-${tag}`);
  const tmpIndex = join(root, `.index-${opts.treeSha}-${tag}`);
  await mkdir(tmpTree);
  try {
    const git = envClient({
      baseDir: opts.gitDir,
      timeoutMs: opts.timeoutMs,
      env: { ...cleanGitEnv(), GIT_INDEX_FILE: tmpIndex },
    });
    await git.raw(['read-tree', opts.treeSha]);
    await git.raw([`--work-tree=${tmpTree}`, 'checkout-index', '--all', '--force']);
    await makeReadOnly(tmpTree);
    try {
      await rename(tmpTree, target);
    } catch (err) {
      // Another process materialised the same tree first: theirs is identical.
      if (!(await exists(target))) throw err;
      await removeReadOnlyTree(tmpTree);
    }
    return target;
  } catch (err) {
    await removeReadOnlyTree(tmpTree);
    throw new Error(`could not materialise tree ${opts.treeSha.slice(0, 12)}: ${gitErrorLine(err)}`, {
      cause: err,
    });
  } finally {
    await rm(tmpIndex, { force: true });
  }
}
