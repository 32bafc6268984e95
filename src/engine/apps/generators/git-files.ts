import { posix } from 'node:path';
import { globMatch } from '../glob.js';
import { AppSetError, type GeneratorContext, type Params } from '../types.js';
import { parseYamlDocs } from '../yaml.js';
import { readGitSpec, repoFor } from './git-common.js';
import { flattenParams, pathParams, type TemplateStyle, withValues } from './template.js';
import { isMap } from './template-funcs.js';

/**
 * `git: { repoURL, files: [{ path: 'apps/<glob>/config.json' }] }`: one parameter set per JSON/YAML
 * object in each matching file (a top-level list gives one per element), flattened (`a.b`) unless
 * goTemplate, plus path, path.basename, path.filename, path[N]. Pure: reads only `ctx.repo`.
 */
export function gitFilesGenerator(spec: Record<string, unknown>, ctx: GeneratorContext): Params[] {
  const git = readGitSpec(spec, 'files');
  const repo = repoFor(git, ctx);
  const include = git.entries.filter((e) => !e.exclude).map((e) => e.path);
  const exclude = git.entries.filter((e) => e.exclude).map((e) => e.path);
  const style: TemplateStyle = { goTemplate: ctx.goTemplate, goTemplateOptions: ctx.goTemplateOptions };
  const out: Params[] = [];
  const files = [...repo.listFiles()]
    .sort()
    .filter((f) => include.some((p) => globMatch(p, f)) && !exclude.some((p) => globMatch(p, f)));
  for (const file of files) {
    let text: string | undefined;
    try {
      text = repo.read(file);
    } catch (err) {
      throw new AppSetError(`git files generator: ${file}: ${(err as Error).message}`, { cause: err });
    }
    if (text === undefined) throw new AppSetError(`git files generator: ${file} cannot be read`);
    if (text.length > ctx.maxFileBytes) throw new AppSetError(`git files generator: ${file} is too large`);
    const parsed = parseYamlDocs(text);
    if (!parsed.ok) throw new AppSetError(`git files generator: ${file}: ${parsed.error}`);
    const objects: unknown[] = [];
    for (const doc of parsed.docs) {
      if (Array.isArray(doc)) objects.push(...doc);
      else objects.push(doc);
    }
    const dir = posix.dirname(file);
    const path = pathParams(dir, {
      goTemplate: ctx.goTemplate,
      filename: posix.basename(file),
      ...(git.pathParamPrefix ? { prefix: git.pathParamPrefix } : {}),
    });
    for (const [i, obj] of objects.entries()) {
      if (!isMap(obj)) throw new AppSetError(`git files generator: ${file} entry ${i} is not a mapping`);
      const params: Params = ctx.goTemplate ? { ...obj, ...path } : { ...flattenParams(obj), ...path };
      out.push(withValues(params, git.values, style));
    }
  }
  return out;
}
