import { matchesSelector } from '../selector.js';
import { AppSetError, type GeneratorContext, type Params } from '../types.js';
import { type TemplateStyle, withValues } from './template.js';
import { isMap, normalizeName } from './template-funcs.js';

/**
 * `clusters: { selector, values }`: one parameter set per cluster of bosun's registry whose labels
 * match. Params: name, nameNormalized, server, project, metadata.labels.<k>, metadata.annotations.<k>.
 */
export function clustersGenerator(spec: unknown, ctx: GeneratorContext): Params[] {
  const s = spec === null || spec === undefined ? {} : spec;
  if (!isMap(s)) throw new AppSetError('clusters generator must be a mapping');
  const style: TemplateStyle = { goTemplate: ctx.goTemplate, goTemplateOptions: ctx.goTemplateOptions };
  const out: Params[] = [];
  for (const c of ctx.clusters) {
    let ok: boolean;
    try {
      ok = matchesSelector(s.selector, c.labels);
    } catch (err) {
      throw new AppSetError(`clusters generator: ${(err as Error).message}`);
    }
    if (!ok) continue;
    let params: Params;
    if (ctx.goTemplate) {
      params = {
        name: c.name,
        nameNormalized: normalizeName(c.name),
        server: c.server,
        project: c.project ?? '',
        metadata: { labels: { ...c.labels }, annotations: { ...c.annotations } },
      };
    } else {
      params = {
        name: c.name,
        nameNormalized: normalizeName(c.name),
        server: c.server,
        project: c.project ?? '',
      };
      for (const [k, v] of Object.entries(c.labels)) params[`metadata.labels.${k}`] = v;
      for (const [k, v] of Object.entries(c.annotations)) params[`metadata.annotations.${k}`] = v;
    }
    out.push(withValues(params, s.values, style));
  }
  return out;
}
