import { AppSetError, type GeneratorContext, type Params } from '../types.js';
import { renderObject, type TemplateStyle } from './template.js';
import { isMap } from './template-funcs.js';

/** Runs a child generator (given by the dispatcher so this file stays free of import cycles). */
export type RunGenerator = (gen: Record<string, unknown>, ctx: GeneratorContext, depth: number) => Params[];

/**
 * `matrix: { generators: [a, b] }`: the cartesian product of two generators; `b` is templated with
 * each parameter set of `a` first, so it may reference a's params. Pure.
 */
export function matrixGenerator(
  spec: unknown,
  ctx: GeneratorContext,
  run: RunGenerator,
  depth: number,
): Params[] {
  if (!isMap(spec) || !Array.isArray(spec.generators) || spec.generators.length !== 2) {
    throw new AppSetError('matrix generator needs exactly 2 child generators');
  }
  const [first, second] = spec.generators as unknown[];
  if (!isMap(first) || !isMap(second)) throw new AppSetError('matrix child generators must be mappings');
  const style: TemplateStyle = { goTemplate: ctx.goTemplate, goTemplateOptions: ctx.goTemplateOptions };
  const out: Params[] = [];
  for (const a of run(first, ctx, depth + 1)) {
    const child = renderObject(second, a, style) as Record<string, unknown>;
    for (const b of run(child, ctx, depth + 1)) out.push(combine(a, b, ctx.goTemplate));
  }
  return out;
}

/** Merges two parameter sets: flat sets refuse conflicting values, nested ones merge deeply. */
export function combine(a: Params, b: Params, goTemplate: boolean): Params {
  if (goTemplate) return deepMerge(a, b);
  const out: Params = { ...a };
  for (const [k, v] of Object.entries(b)) {
    if (Object.hasOwn(out, k) && out[k] !== v) {
      throw new AppSetError(`matrix: parameter "${k}" has different values in the two generators`);
    }
    out[k] = v;
  }
  return out;
}

/** Deep merge of plain mappings; `b` wins for scalars and lists. */
export function deepMerge(a: Params, b: Params): Params {
  const out: Params = { ...a };
  for (const [k, v] of Object.entries(b)) {
    const prev = out[k];
    out[k] = isMap(prev) && isMap(v) ? deepMerge(prev, v) : v;
  }
  return out;
}
