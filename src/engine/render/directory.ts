import type { Dirent } from 'node:fs';
import { readdir, readFile, realpath, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { DirectoryOptions, KubeObject } from '../model/index.js';
import { formatBytes } from './exec.js';
import { globToRegExp } from './glob.js';
import { looksLikeManifest, parseJsonManifest, parseManifests } from './manifests.js';
import { isInside, showRel, toRel } from './safe-path.js';

/** A strict decoder: invalid UTF-8 is an error naming the file, not replacement characters. */
const utf8 = new TextDecoder('utf-8', { fatal: true });

/** Objects of a plain directory, or why not. */
export type DirectoryResult = { ok: true; objects: KubeObject[] } | { ok: false; error: string };

const manifestExt = /\.(ya?ml|json)$/;

/**
 * Reads a plain directory app like Argo CD: `.yaml`/`.yml`/`.json` files (sorted by path),
 * multi-document, `recurse`, `include`/`exclude` globs on the path relative to the app, `List`
 * kinds flattened; YAML files that fail to parse and do not look like manifests are skipped.
 * `snapshotDir` must be a real path; symlinks that leave it are refused.
 */
export async function renderDirectory(opts: {
  snapshotDir: string;
  appAbs: string;
  options?: DirectoryOptions;
  maxBytes: number;
}): Promise<DirectoryResult> {
  const { snapshotDir, appAbs, options = {}, maxBytes } = opts;
  const include = options.include ? globToRegExp(options.include) : undefined;
  const exclude = options.exclude ? globToRegExp(options.exclude) : undefined;
  const files: { abs: string; rel: string }[] = [];
  let total = 0;
  const walk = async (dir: string, prefix: string): Promise<string | undefined> => {
    let entries: Dirent[];
    try {
      entries = await readdir(dir, { withFileTypes: true });
    } catch (err) {
      return `cannot read ${showRel(toRel(snapshotDir, dir))}: ${(err as NodeJS.ErrnoException).code ?? err}`;
    }
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const ent of entries) {
      const abs = join(dir, ent.name);
      const rel = prefix ? `${prefix}/${ent.name}` : ent.name;
      if (ent.isDirectory()) {
        if (options.recurse) {
          const e = await walk(abs, rel);
          if (e) return e;
        }
        continue;
      }
      if (!manifestExt.test(ent.name)) continue;
      if (exclude?.test(rel)) continue;
      if (include && !include.test(rel)) continue;
      let real = abs;
      if (ent.isSymbolicLink()) {
        try {
          real = await realpath(abs);
        } catch {
          return `${showRel(toRel(snapshotDir, abs))} is a dangling symlink`;
        }
        if (!isInside(snapshotDir, real))
          return `${showRel(toRel(snapshotDir, abs))} is a symlink that leaves the repository`;
      } else if (!ent.isFile()) continue;
      const st = await stat(real);
      if (!st.isFile()) continue;
      total += st.size;
      if (total > maxBytes) return `rendered manifests exceed ${formatBytes(maxBytes)}`;
      files.push({ abs: real, rel: toRel(snapshotDir, abs) });
    }
    return undefined;
  };
  const walkError = await walk(appAbs, '');
  if (walkError) return { ok: false, error: walkError };
  const objects: KubeObject[] = [];
  for (const f of files) {
    const bytes = await readFile(f.abs);
    let text: string;
    try {
      text = utf8.decode(bytes);
    } catch {
      return { ok: false, error: `${f.rel} is not valid UTF-8 text` };
    }
    const parsed = f.rel.endsWith('.json') ? parseJsonManifest(text, f.rel) : parseManifests(text, f.rel);
    if (parsed.ok) objects.push(...parsed.objects);
    else if (looksLikeManifest(text)) return { ok: false, error: parsed.error };
  }
  return { ok: true, objects };
}
