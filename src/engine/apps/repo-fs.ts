import { lstatSync, readdirSync, readFileSync, realpathSync, statSync } from 'node:fs';
import { open, readdir, readFile, realpath, stat } from 'node:fs/promises';
import { posix, sep } from 'node:path';
import { globMatch } from './glob.js';
import type { RepoFiles } from './types.js';
import { isManifestFile } from './yaml.js';

/** A repo-relative path checked lexically: normalised, or why it is refused. */
export type SafePath = { ok: true; path: string } | { ok: false; reason: 'absolute' | 'escapes' };

/** Normalises a repo-relative path; refuses absolute paths and paths that climb out with `..`. */
export function safeRelPath(p: string): SafePath {
  const s = p.replace(/\\/g, '/');
  if (s.startsWith('/') || /^[A-Za-z]:\//.test(s)) return { ok: false, reason: 'absolute' };
  const n = posix.normalize(s === '' ? '.' : s).replace(/\/+$/, '');
  if (n === '..' || n.startsWith('../')) return { ok: false, reason: 'escapes' };
  return { ok: true, path: n === '' ? '.' : n };
}

/** Where a repo-relative path really leads. */
export type PathState = 'dir' | 'file' | 'missing' | 'outside';

/** Result of reading a manifest file. */
export type ReadResult =
  | { ok: true; text: string }
  | { ok: false; error: string }
  | { ok: false; skipped: true };

const maxListedEntries = 200_000;
const marker = 'argoproj.io';
const renderedMarkers = ['kustomization.yaml', 'kustomization.yml', 'Kustomization', 'Chart.yaml'];

/** File access confined to one checked-out snapshot directory. Refuses anything outside it. */
export class RepoFs {
  private constructor(
    /** The real (symlink-resolved) path of the snapshot. */
    readonly root: string,
    readonly maxBytes: number,
  ) {}

  /** Opens a snapshot directory. Throws when it does not exist. */
  static async open(dir: string, maxBytes: number): Promise<RepoFs> {
    return new RepoFs(await realpath(dir), maxBytes);
  }

  private abs(rel: string): string {
    return rel === '.' ? this.root : `${this.root}${sep}${rel.split('/').join(sep)}`;
  }

  private inside(real: string): boolean {
    return real === this.root || real.startsWith(this.root + sep);
  }

  /** What a (lexically safe) repo-relative path is, following symlinks. */
  async state(rel: string): Promise<PathState> {
    let real: string;
    try {
      real = await realpath(this.abs(rel));
    } catch {
      return 'missing';
    }
    if (!this.inside(real)) return 'outside';
    const st = await stat(real);
    return st.isDirectory() ? 'dir' : 'file';
  }

  /** True when a directory is rendered by kustomize or helm rather than read as plain manifests. */
  async isRenderedDir(rel: string): Promise<boolean> {
    for (const m of renderedMarkers) {
      if ((await this.state(rel === '.' ? m : `${rel}/${m}`)) === 'file') return true;
    }
    return false;
  }

  /**
   * Manifest files (YAML/JSON) under a directory, sorted. Symlinks that leave the repository are
   * reported through `onError` and skipped; `.git` is skipped; with `skipCharts`, Helm chart
   * directories are not entered. `include`/`exclude` are globs on the path relative to `rel`.
   */
  async listManifestFiles(
    rel: string,
    opts: {
      recurse: boolean;
      skipCharts?: boolean;
      include?: string;
      exclude?: string;
      onError?: (file: string, message: string) => void;
    },
  ): Promise<string[]> {
    const out: string[] = [];
    const visited = new Set<string>();
    const walk = async (dirRel: string, depth: number): Promise<void> => {
      let real: string;
      try {
        real = await realpath(this.abs(dirRel));
      } catch {
        return;
      }
      if (!this.inside(real) || visited.has(real) || out.length > maxListedEntries) return;
      visited.add(real);
      if (opts.skipCharts && depth > 0 && (await this.state(`${dirRel}/Chart.yaml`)) === 'file') return;
      const entries = (await readdir(real, { withFileTypes: true })).sort((a, b) =>
        a.name < b.name ? -1 : 1,
      );
      for (const e of entries) {
        const childRel = dirRel === '.' ? e.name : `${dirRel}/${e.name}`;
        let isDir = e.isDirectory();
        let isFile = e.isFile();
        if (e.isSymbolicLink()) {
          const st = await this.state(childRel);
          if (st === 'outside') {
            if (opts.recurse || isManifestFile(e.name)) {
              opts.onError?.(childRel, `${childRel} is a symlink that points outside the repository`);
            }
            continue;
          }
          isDir = st === 'dir';
          isFile = st === 'file';
        }
        if (isDir) {
          if (e.name === '.git' || !opts.recurse) continue;
          await walk(childRel, depth + 1);
        } else if (isFile && isManifestFile(e.name)) {
          const relToBase = rel === '.' ? childRel : childRel.slice(rel.length + 1);
          if (opts.include && !matchesEither(opts.include, relToBase)) continue;
          if (opts.exclude && matchesEither(opts.exclude, relToBase)) continue;
          out.push(childRel);
        }
      }
    };
    await walk(rel, 0);
    return out;
  }

  /**
   * Reads a manifest file, refusing files over the size limit. With `requireMarker`, files that do
   * not mention `argoproj.io` are skipped without parsing (and oversized ones only reported if they do).
   */
  async readManifest(rel: string, opts: { requireMarker: boolean }): Promise<ReadResult> {
    const abs = this.abs(rel);
    let real: string;
    try {
      real = await realpath(abs);
    } catch (err) {
      return { ok: false, error: `cannot be read (${(err as NodeJS.ErrnoException).code ?? err})` };
    }
    if (!this.inside(real)) return { ok: false, error: 'is a symlink that points outside the repository' };
    const st = await stat(real);
    if (st.size > this.maxBytes) {
      if (opts.requireMarker && !(await headContains(real, marker))) return { ok: false, skipped: true };
      return {
        ok: false,
        error: `is ${formatBytes(st.size)}, over the ${formatBytes(this.maxBytes)} limit; refused`,
      };
    }
    const text = await readFile(real, 'utf8');
    if (opts.requireMarker && !text.includes(marker)) return { ok: false, skipped: true };
    return { ok: true, text };
  }

  /** The first symlink under a directory that points outside the repository, if any (bounded walk). */
  async findOutsideSymlink(rel: string): Promise<string | undefined> {
    let found: string | undefined;
    let count = 0;
    const visited = new Set<string>();
    const walk = async (dirRel: string): Promise<void> => {
      if (found || count > 20_000) return;
      const real = await realpath(this.abs(dirRel)).catch(() => undefined);
      if (!real || !this.inside(real) || visited.has(real)) return;
      visited.add(real);
      const entries = await readdir(real, { withFileTypes: true }).catch(() => []);
      for (const e of entries) {
        count++;
        const childRel = dirRel === '.' ? e.name : `${dirRel}/${e.name}`;
        if (e.isSymbolicLink()) {
          const st = await this.state(childRel);
          if (st === 'outside') {
            found = childRel;
            return;
          }
          if (st === 'dir') await walk(childRel);
        } else if (e.isDirectory() && e.name !== '.git') await walk(childRel);
        if (found) return;
      }
    };
    await walk(rel);
    return found;
  }

  /** A synchronous, lazily listed view of the whole snapshot for git generators. */
  repoFiles(): RepoFiles {
    let listing: { dirs: string[]; files: string[] } | undefined;
    const list = () => {
      if (!listing) listing = this.listAllSync();
      return listing;
    };
    return {
      listDirs: () => list().dirs,
      listFiles: () => list().files,
      read: (p: string) => {
        const safe = safeRelPath(p);
        if (!safe.ok) throw new Error(`${p} leaves the repository`);
        const abs = this.abs(safe.path);
        let real: string;
        try {
          real = realpathSync(abs);
        } catch {
          return undefined;
        }
        if (!this.inside(real)) throw new Error(`${p} is a symlink that points outside the repository`);
        const st = statSync(real);
        if (!st.isFile()) return undefined;
        if (st.size > this.maxBytes) throw new Error(`${p} is over the ${formatBytes(this.maxBytes)} limit`);
        return readFileSync(real, 'utf8');
      },
    };
  }

  private listAllSync(): { dirs: string[]; files: string[] } {
    const dirs: string[] = [];
    const files: string[] = [];
    const stack: string[] = ['.'];
    while (stack.length > 0) {
      const dirRel = stack.pop() as string;
      let entries: import('node:fs').Dirent[];
      try {
        entries = readdirSync(this.abs(dirRel), { withFileTypes: true });
      } catch {
        continue;
      }
      for (const e of entries) {
        if (dirs.length + files.length > maxListedEntries)
          throw new Error('repository has too many files to list');
        const childRel = dirRel === '.' ? e.name : `${dirRel}/${e.name}`;
        if (e.isSymbolicLink()) {
          // Symlinked files inside the repository are listed; symlinked directories are not followed.
          try {
            const real = realpathSync(this.abs(childRel));
            if (this.inside(real) && lstatSync(real).isFile()) files.push(childRel);
          } catch {
            // a dangling link: not a file
          }
        } else if (e.isDirectory()) {
          if (e.name === '.git') continue;
          dirs.push(childRel);
          stack.push(childRel);
        } else if (e.isFile()) files.push(childRel);
      }
    }
    return { dirs: dirs.sort(), files: files.sort() };
  }
}

function matchesEither(pattern: string, relPath: string): boolean {
  return globMatch(pattern, relPath) || globMatch(pattern, posix.basename(relPath));
}

async function headContains(file: string, needle: string): Promise<boolean> {
  const fh = await open(file, 'r');
  try {
    const buf = Buffer.alloc(64 * 1024);
    const { bytesRead } = await fh.read(buf, 0, buf.length, 0);
    return buf.subarray(0, bytesRead).toString('utf8').includes(needle);
  } finally {
    await fh.close();
  }
}

/** "10 MB", "512 KB", "12 B". */
export function formatBytes(n: number): string {
  if (n >= 1024 * 1024) return `${Math.round((n / (1024 * 1024)) * 10) / 10} MB`;
  if (n >= 1024) return `${Math.round((n / 1024) * 10) / 10} KB`;
  return `${n} B`;
}
