/** Path checks of discovery: source paths, value files and symlinks must stay inside the repository. */
import { posix } from 'node:path';
import type { AppSpec } from '../model/index.js';
import { type RepoFs, safeRelPath } from './repo-fs.js';

/** What the path checks read: the repository snapshot, and which repoURLs are this repository. */
export type PathContext = { fs: RepoFs; isSameRepo: (url: string) => boolean };

/** Refuses source paths and value files that leave the repository, and symlinks that point out of it. */
export async function pathProblems(app: AppSpec, ctx: PathContext): Promise<string[]> {
  const problems: string[] = [];
  const many = app.sources.length > 1;
  for (const [i, s] of app.sources.entries()) {
    if (!ctx.isSameRepo(s.repoURL)) continue;
    const label = many ? `sources[${i}]` : 'source';
    if (s.path !== undefined && s.path !== '') {
      const safe = safeRelPath(s.path);
      if (!safe.ok) problems.push(`${label} path ${s.path} ${refusal(safe.reason)}`);
      else {
        const st = await ctx.fs.state(safe.path);
        if (st === 'outside')
          problems.push(`${label} path ${s.path} is a symlink that points outside the repository`);
        else if (st === 'dir') {
          const bad = await ctx.fs.findOutsideSymlink(safe.path);
          if (bad) problems.push(`${bad} is a symlink that points outside the repository`);
        }
      }
    }
    for (const vf of s.helm?.valueFiles ?? []) {
      const problem: string | undefined = await checkValueFile(ctx, vf, s.path, app);
      if (problem) problems.push(problem);
    }
  }
  return [...new Set(problems)];
}

async function checkValueFile(
  ctx: PathContext,
  vf: string,
  sourcePath: string | undefined,
  app: AppSpec,
): Promise<string | undefined> {
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(vf))
    return `value file ${vf} is a URL; only files in the repository are allowed`;
  let base = sourcePath ?? '';
  let rest = vf;
  if (vf.startsWith('$')) {
    const slash = vf.indexOf('/');
    const ref = slash < 0 ? vf.slice(1) : vf.slice(1, slash);
    const refSource = app.sources.find((x) => x.ref === ref);
    if (!refSource) return `value file ${vf} names an unknown source ref $${ref}`;
    if (!ctx.isSameRepo(refSource.repoURL)) return undefined;
    base = '';
    rest = slash < 0 ? '' : vf.slice(slash + 1);
  }
  if (rest.startsWith('/') || /^[A-Za-z]:[\\/]/.test(rest)) {
    return `value file ${vf} is absolute; value files are relative to the source path`;
  }
  const safe = safeRelPath(posix.join(base === '' ? '.' : base, rest));
  if (!safe.ok) return `value file ${vf} ${refusal(safe.reason)}`;
  if ((await ctx.fs.state(safe.path)) === 'outside') {
    return `value file ${vf} is a symlink that points outside the repository`;
  }
  return undefined;
}

function refusal(reason: 'absolute' | 'escapes'): string {
  return reason === 'absolute'
    ? 'is absolute; paths are relative to the repository root'
    : 'leaves the repository; refused';
}
