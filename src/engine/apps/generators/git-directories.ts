import { globMatch } from '../glob.js';
import type { GeneratorContext, Params } from '../types.js';
import { readGitSpec, repoFor } from './git-common.js';
import { pathParams, type TemplateStyle, withValues } from './template.js';

/**
 * `git: { repoURL, directories: [{ path, exclude? }] }`: one parameter set per directory matching an
 * include pattern and no exclude pattern. Params: path, path.basename, path.basenameNormalized,
 * path[N] (goTemplate: .path.path, .path.segments …). Pure: reads only `ctx.repo`.
 */
export function gitDirectoriesGenerator(spec: Record<string, unknown>, ctx: GeneratorContext): Params[] {
  const git = readGitSpec(spec, 'directories');
  const repo = repoFor(git, ctx);
  const include = git.entries.filter((e) => !e.exclude).map((e) => e.path);
  const exclude = git.entries.filter((e) => e.exclude).map((e) => e.path);
  const style: TemplateStyle = { goTemplate: ctx.goTemplate, goTemplateOptions: ctx.goTemplateOptions };
  return [...repo.listDirs()]
    .sort()
    .filter((d) => include.some((p) => globMatch(p, d)) && !exclude.some((p) => globMatch(p, d)))
    .map((d) => {
      const params = pathParams(d, {
        goTemplate: ctx.goTemplate,
        ...(git.pathParamPrefix ? { prefix: git.pathParamPrefix } : {}),
      });
      return withValues(params, git.values, style);
    });
}
