import type { Dirent } from 'node:fs';
import { lstat, readdir, readlink, realpath } from 'node:fs/promises';
import { dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';

/** A repo-relative path resolved inside a snapshot. */
export type RepoPath = { rel: string; abs: string };

/** Either a value or the one-line reason it was refused. */
export type Checked<T> = { ok: true; value: T } | { ok: false; error: string };

/** True when `child` is `parent` or below it (both absolute and normalised). */
export function isInside(parent: string, child: string): boolean {
  const r = relative(parent, child);
  return r === '' || (!r.startsWith('..') && !isAbsolute(r));
}

/** The repo-relative form of an absolute path inside the snapshot (`''` for the root). */
export function toRel(snapshotDir: string, abs: string): string {
  return relative(snapshotDir, abs).split(sep).join('/');
}

/** Shows a repo-relative path to a person: the root is `.`. */
export function showRel(rel: string): string {
  return rel === '' ? '.' : rel;
}

/**
 * Resolves `p` against the repo-relative directory `baseRel` (or the repo root for `fromRoot`).
 * Refuses absolute paths, URLs and anything that leaves the repository lexically.
 */
export function resolveRepoPath(opts: {
  snapshotDir: string;
  baseRel: string;
  p: string;
  /** What the path is: `app path`, `value file`, `path`. */
  what: string;
  /** Where it was written, e.g. `kustomization apps/web/overlays/dev`. */
  context?: string;
}): Checked<RepoPath> {
  const { snapshotDir, baseRel, p } = opts;
  const subject = `${opts.what} "${p}"${opts.context ? ` in ${opts.context}` : ''}`;
  if (p.includes('\0')) return { ok: false, error: `${subject} is not a valid path` };
  if (isAbsolute(p))
    return {
      ok: false,
      error: `${subject} is an absolute path; only paths inside the repository are allowed`,
    };
  const abs = resolve(snapshotDir, baseRel, p);
  if (!isInside(snapshotDir, abs)) return { ok: false, error: `${subject} leaves the repository` };
  return { ok: true, value: { rel: toRel(snapshotDir, abs), abs } };
}

/** Resolves symlinks of an existing path and refuses a target outside the snapshot; undefined when absent. */
export async function realInside(
  snapshotReal: string,
  abs: string,
  what: string,
): Promise<Checked<string | undefined>> {
  let real: string;
  try {
    real = await realpath(abs);
  } catch {
    return { ok: true, value: undefined };
  }
  if (!isInside(snapshotReal, real)) {
    return { ok: false, error: `${what} is a symlink that leaves the repository` };
  }
  return { ok: true, value: real };
}

/** What a walk of input paths found: symlinks leaving the repository, and in-repo symlink targets. */
export type SymlinkReport = { escapes: string[]; targets: string[] };

/**
 * Checks input paths (repo-relative; directories walked recursively without following directory
 * symlinks) and reports every path or symlink that leaves the snapshot, and the repo-relative
 * targets of the symlinks that stay inside. `snapshotDir` must already be a real path.
 */
export async function scanSymlinks(
  snapshotDir: string,
  pathsRel: string[],
  maxEntries = 50_000,
): Promise<SymlinkReport> {
  const report: SymlinkReport = { escapes: [], targets: [] };
  let seen = 0;
  const checkLink = async (p: string): Promise<void> => {
    const rel = toRel(snapshotDir, p);
    let real: string;
    try {
      real = await realpath(p);
    } catch {
      // dangling: refuse when it points outside, otherwise the renderer reports the missing file
      try {
        if (!isInside(snapshotDir, resolve(dirname(p), await readlink(p)))) report.escapes.push(rel);
      } catch {
        // unreadable link: nothing to follow
      }
      return;
    }
    if (!isInside(snapshotDir, real)) report.escapes.push(rel);
    else report.targets.push(toRel(snapshotDir, real));
  };
  const walk = async (abs: string): Promise<void> => {
    let entries: Dirent[];
    try {
      entries = await readdir(abs, { withFileTypes: true });
    } catch {
      return;
    }
    for (const ent of entries) {
      if (++seen > maxEntries) return;
      const p = join(abs, ent.name);
      if (ent.isDirectory()) await walk(p);
      else if (ent.isSymbolicLink()) await checkLink(p);
    }
  };
  for (const rel of pathsRel) {
    const abs = resolve(snapshotDir, rel);
    let real: string;
    try {
      real = await realpath(abs);
    } catch {
      continue; // absent: the renderer reports it
    }
    if (!isInside(snapshotDir, real)) {
      report.escapes.push(rel);
      continue;
    }
    if (real !== abs) report.targets.push(toRel(snapshotDir, real));
    try {
      if ((await lstat(real)).isDirectory()) await walk(real);
    } catch {
      // vanished: nothing to scan
    }
  }
  return report;
}
