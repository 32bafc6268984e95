/**
 * Normalises a repo-relative path: `./a//b/` → `a/b`, `.`/`` → `` (the root).
 * Undefined for absolute paths and paths that leave the repository.
 */
export function normalizeRepoPath(p: string): string | undefined {
  if (p.startsWith('/') || p.includes('\0') || p.includes('\\')) return undefined;
  const out: string[] = [];
  for (const seg of p.split('/')) {
    if (seg === '' || seg === '.') continue;
    if (seg === '..') {
      if (out.length === 0) return undefined;
      out.pop();
      continue;
    }
    out.push(seg);
  }
  return out.join('/');
}

/** True for a revision string safe to hand to git (no option injection, no control characters). */
export function isSafeRev(rev: string): boolean {
  return (
    rev.length > 0 &&
    rev.length < 256 &&
    !rev.startsWith('-') &&
    !/[\s\0-\x1f\x7f:]/.test(rev) &&
    !rev.includes('..')
  );
}
