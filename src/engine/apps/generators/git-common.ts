import { AppSetError, type GeneratorContext, type RepoFiles } from '../types.js';
import { isMap } from './template-funcs.js';

/** The parts of a `git` generator both git generators share. */
export type GitSpec = {
  repoURL: string;
  pathParamPrefix?: string;
  values?: unknown;
  entries: { path: string; exclude: boolean }[];
};

/** Reads `git.directories` or `git.files` entries; throws AppSetError for malformed specs. */
export function readGitSpec(spec: Record<string, unknown>, field: 'directories' | 'files'): GitSpec {
  if (typeof spec.repoURL !== 'string' || spec.repoURL === '') {
    throw new AppSetError('git generator needs a repoURL');
  }
  const raw = spec[field];
  if (!Array.isArray(raw) || raw.length === 0)
    throw new AppSetError(`git generator ${field} must be a non-empty list`);
  const entries = raw.map((e, i) => {
    if (!isMap(e) || typeof e.path !== 'string' || e.path === '') {
      throw new AppSetError(`git generator ${field}[${i}].path must be a string`);
    }
    if (e.path.startsWith('/') || e.path.split('/').includes('..')) {
      throw new AppSetError(`git generator ${field}[${i}].path "${e.path}" must stay inside the repository`);
    }
    return { path: e.path.replace(/^\.\//, '').replace(/\/+$/, ''), exclude: e.exclude === true };
  });
  if (spec.pathParamPrefix !== undefined && typeof spec.pathParamPrefix !== 'string') {
    throw new AppSetError('git generator pathParamPrefix must be a string');
  }
  return {
    repoURL: spec.repoURL,
    ...(spec.pathParamPrefix ? { pathParamPrefix: spec.pathParamPrefix } : {}),
    ...(spec.values === undefined ? {} : { values: spec.values }),
    entries,
  };
}

/** The repository files a git generator may read, or an AppSetError saying why not. */
export function repoFor(spec: GitSpec, ctx: GeneratorContext): RepoFiles {
  if (!ctx.isSameRepo(spec.repoURL)) {
    throw new AppSetError(`git generator repoURL ${spec.repoURL} is not the discovered repository`);
  }
  if (!ctx.repo) throw new AppSetError('git generator has no repository files to read');
  return ctx.repo;
}
