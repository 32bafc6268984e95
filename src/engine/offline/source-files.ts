import { lstat, readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { textPatch } from './patch.js';

/** A difference between the Git source files of two environments (overlays, value files). */
export type FileDelta = {
  /** Repo-relative path in environment A, undefined when only B has the file. */
  a?: string;
  /** Repo-relative path in environment B, undefined when only A has the file. */
  b?: string;
  /** Unified diff A → B; empty when the contents are equal. Secret manifests are not shown. */
  diff: string;
};

const maxFiles = 500;
const maxBytes = 256 * 1024;

/** Every regular file at or below the repo-relative paths, repo-relative and sorted. */
export async function listInputFiles(snapshotDir: string, paths: string[]): Promise<string[]> {
  const out = new Set<string>();
  const walk = async (rel: string): Promise<void> => {
    if (out.size >= maxFiles) return;
    const abs = join(snapshotDir, rel);
    const st = await lstat(abs).catch(() => undefined);
    if (!st) return;
    if (st.isFile()) {
      out.add(rel);
      return;
    }
    if (!st.isDirectory()) return;
    for (const e of await readdir(abs, { withFileTypes: true })) {
      if (e.name === '.git') continue;
      await walk(rel ? `${rel}/${e.name}` : e.name);
    }
  };
  // The repository root feeds a directory app: its files are the app's own, not a shared base.
  for (const p of paths) await walk(p);
  return [...out].sort();
}

async function text(snapshotDir: string, rel: string): Promise<string> {
  const abs = join(snapshotDir, rel);
  const st = await lstat(abs);
  if (st.size > maxBytes) return `(file of ${st.size} bytes not shown)\n`;
  return readFile(abs, 'utf8');
}

function holdsSecret(t: string): boolean {
  if (!/\bkind:\s*["']?Secret\b/.test(t)) return false;
  try {
    return parseAllDocuments(t).some((d) => {
      const o = d.toJS() as { kind?: unknown } | null;
      return o?.kind === 'Secret';
    });
  } catch {
    return true;
  }
}

/**
 * The files that feed only one environment's render, paired by their path with the environment
 * folded (`overlays/staging/x.yaml` ↔ `overlays/prod/x.yaml`), each pair diffed A → B. Files both
 * environments share (bases, the chart) are left out: they cannot differ.
 */
export async function diffSourceFiles(opts: {
  a: { snapshotDir: string; files: string[] };
  b: { snapshotDir: string; files: string[] };
  foldA: (s: string) => string;
  foldB: (s: string) => string;
  labelA: string;
  labelB: string;
}): Promise<FileDelta[]> {
  const shared = new Set(opts.a.files.filter((f) => opts.b.files.includes(f)));
  const onlyA = new Map(opts.a.files.filter((f) => !shared.has(f)).map((f) => [opts.foldA(f), f] as const));
  const onlyB = new Map(opts.b.files.filter((f) => !shared.has(f)).map((f) => [opts.foldB(f), f] as const));
  const keys = [...new Set([...onlyA.keys(), ...onlyB.keys()])].sort();
  const out: FileDelta[] = [];
  for (const k of keys) {
    const a = onlyA.get(k);
    const b = onlyB.get(k);
    const ta = a ? await text(opts.a.snapshotDir, a) : '';
    const tb = b ? await text(opts.b.snapshotDir, b) : '';
    const diff =
      ta === tb
        ? ''
        : holdsSecret(ta) || holdsSecret(tb)
          ? `${a ?? '/dev/null'} ↔ ${b ?? '/dev/null'}: Secret manifests differ (contents not shown)\n`
          : textPatch(
              a ? `${opts.labelA}/${a}` : '/dev/null',
              b ? `${opts.labelB}/${b}` : '/dev/null',
              ta,
              tb,
            );
    out.push({ ...(a ? { a } : {}), ...(b ? { b } : {}), diff });
  }
  return out;
}
