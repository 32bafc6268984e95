import { AppSetError, type GeneratorContext, type Params } from '../types.js';
import type { RunGenerator } from './matrix.js';
import { deepMerge } from './matrix.js';
import { lookupParam } from './template.js';
import { isMap } from './template-funcs.js';

/**
 * `merge: { mergeKeys: [k…], generators: [base, …] }`: the base generator's parameter sets, each
 * overridden by the sets of later generators whose merge-key values are equal. Sets of later
 * generators that match no base set are dropped (Argo CD's semantics). Pure.
 */
export function mergeGenerator(
  spec: unknown,
  ctx: GeneratorContext,
  run: RunGenerator,
  depth: number,
): Params[] {
  if (!isMap(spec) || !Array.isArray(spec.generators) || spec.generators.length < 2) {
    throw new AppSetError('merge generator needs at least 2 child generators');
  }
  const keys = spec.mergeKeys;
  if (!Array.isArray(keys) || keys.length === 0 || !keys.every((k) => typeof k === 'string' && k !== '')) {
    throw new AppSetError('merge generator needs mergeKeys, a non-empty list of parameter names');
  }
  const mergeKeys = keys as string[];
  const children = spec.generators as unknown[];
  const runChild = (i: number): Params[] => {
    const g = children[i];
    if (!isMap(g)) throw new AppSetError(`merge generators[${i}] must be a mapping`);
    return run(g, ctx, depth + 1);
  };
  const keyOf = (p: Params) => JSON.stringify(mergeKeys.map((k) => lookupParam(p, k) ?? null));
  let base = runChild(0);
  unique(base, keyOf, 0);
  for (let i = 1; i < children.length; i++) {
    const byKey = unique(runChild(i), keyOf, i);
    base = base.map((p) => {
      const over = byKey.get(keyOf(p));
      if (!over) return p;
      return ctx.goTemplate ? deepMerge(p, over) : { ...p, ...over };
    });
  }
  return base;
}

function unique(sets: Params[], keyOf: (p: Params) => string, index: number): Map<string, Params> {
  const map = new Map<string, Params>();
  for (const p of sets) {
    const k = keyOf(p);
    if (map.has(k)) {
      throw new AppSetError(
        `merge: generators[${index}] gives more than one parameter set for merge keys ${k}`,
      );
    }
    map.set(k, p);
  }
  return map;
}
