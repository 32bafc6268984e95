import { runGenerator } from './generators/index.js';
import { deepMerge } from './generators/matrix.js';
import { renderObject, renderString, type TemplateStyle } from './generators/template.js';
import { isMap } from './generators/template-funcs.js';
import { argoApiVersion, parseArgoObject } from './parse.js';
import {
  AppSetError,
  type AppSetResult,
  type AppSetSpec,
  type GeneratedApp,
  type GeneratorContext,
  type Params,
} from './types.js';
import { parseYamlDocs } from './yaml.js';

/** More applications than this from one set is refused as a runaway generator. */
export const maxGeneratedApps = 5000;

/** What generating needs besides the set: the cluster registry, the repository's files. */
export type GenerateContext = Omit<GeneratorContext, 'goTemplate' | 'goTemplateOptions'>;

/**
 * Runs an ApplicationSet's generators and renders its template (and templatePatch) once per
 * parameter set. Pure. On any problem — an unknown generator, a template error, an invalid
 * generated Application, two apps with one name — returns no apps and a one-line error.
 */
export function generateApplications(set: AppSetSpec, context: GenerateContext): AppSetResult {
  const style: TemplateStyle = { goTemplate: set.goTemplate, goTemplateOptions: set.goTemplateOptions };
  const ctx: GeneratorContext = { ...context, ...style };
  try {
    const all: Params[] = [];
    for (const gen of set.generators) {
      all.push(...runGenerator(gen, ctx));
      if (all.length > maxGeneratedApps) {
        throw new AppSetError(`generates more than ${maxGeneratedApps} applications`);
      }
    }
    const apps: GeneratedApp[] = [];
    const names = new Set<string>();
    for (const params of all) {
      let rendered = renderObject(set.template, params, style) as Record<string, unknown>;
      if (set.templatePatch !== undefined) rendered = applyPatch(rendered, set.templatePatch, params, style);
      const obj = {
        apiVersion: argoApiVersion,
        kind: 'Application',
        metadata: rendered.metadata ?? {},
        spec: rendered.spec,
      };
      const parsed = parseArgoObject(obj, {
        ...(set.origin.file === undefined ? {} : { file: set.origin.file }),
        ...(set.origin.parentApp === undefined ? {} : { parentApp: set.origin.parentApp }),
        applicationSet: set.name,
      });
      if (!parsed) throw new AppSetError('template does not produce an Application');
      if (parsed.kind === 'error') throw new AppSetError(`generated ${parsed.message}`);
      if (parsed.kind !== 'Application') throw new AppSetError('template does not produce an Application');
      if (names.has(parsed.app.name))
        throw new AppSetError(`duplicate application name ${parsed.app.name} generated`);
      names.add(parsed.app.name);
      apps.push({ app: parsed.app, params });
    }
    return { apps };
  } catch (err) {
    if (err instanceof AppSetError) return { apps: [], error: err.message };
    return { apps: [], error: `generation failed: ${String((err as Error)?.message ?? err).split('\n')[0]}` };
  }
}

function applyPatch(
  app: Record<string, unknown>,
  patch: string,
  params: Params,
  style: TemplateStyle,
): Record<string, unknown> {
  const text = renderString(patch, params, style);
  const parsed = parseYamlDocs(text);
  if (!parsed.ok) throw new AppSetError(`templatePatch: ${parsed.error}`);
  const doc = parsed.docs[0];
  if (doc === undefined) return app;
  if (!isMap(doc)) throw new AppSetError('templatePatch must produce a mapping');
  return deepMerge(app, doc);
}

/** The environment an ApplicationSet parameter set names (`env` / `environment`), if any. */
export function envParam(params: Params): string | undefined {
  for (const key of ['env', 'environment']) {
    const v = params[key];
    if (typeof v === 'string' && v !== '') return v;
  }
  return undefined;
}
