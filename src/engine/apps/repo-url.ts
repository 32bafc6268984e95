/**
 * Normalises a Git URL the way Argo CD compares them in AppProject `sourceRepos`: trimmed,
 * lower-case, without a trailing `/` or `.git`; scp-like `git@host:org/repo` becomes
 * `ssh://git@host/org/repo`.
 */
export function normalizeRepoURL(url: string): string {
  let u = url.trim().toLowerCase();
  const scp = /^([a-z0-9._-]+@)?([a-z0-9.-]+):(?!\/\/)(.*)$/.exec(u);
  if (scp && !/^[a-z][a-z0-9+.-]*:\/\//.test(u)) u = `ssh://${scp[1] ?? ''}${scp[2]}/${scp[3]}`;
  u = u.replace(/\/+$/, '');
  if (u.endsWith('.git')) u = u.slice(0, -4);
  return u.replace(/\/+$/, '');
}

/** A scheme- and user-independent identity of a repository URL: `host/path`. */
export function repoKey(url: string): string {
  return normalizeRepoURL(url)
    .replace(/^[a-z][a-z0-9+.-]*:\/\//, '')
    .replace(/^[^@/]+@/, '')
    .replace(/:\d+\//, '/');
}

/** True when two repository URLs name the same repository (https vs ssh forms included). */
export function sameRepo(a: string, b: string): boolean {
  return repoKey(a) === repoKey(b);
}
