import { matchesSelector } from '../selector.js';
import { AppSetError, type GeneratorContext, type Params } from '../types.js';
import { clustersGenerator } from './clusters.js';
import { gitDirectoriesGenerator } from './git-directories.js';
import { gitFilesGenerator } from './git-files.js';
import { listGenerator } from './list.js';
import { matrixGenerator } from './matrix.js';
import { mergeGenerator } from './merge.js';
import { flattenParams } from './template.js';
import { isMap } from './template-funcs.js';

export { renderGoTemplate } from './go-template.js';
export {
  flattenParams,
  renderFastTemplate,
  renderObject,
  renderString,
  type TemplateStyle,
} from './template.js';
export { normalizeName } from './template-funcs.js';

/** Generator kinds bosun runs. */
export const supportedGenerators = ['list', 'clusters', 'git', 'matrix', 'merge'] as const;

const argoOnly = new Set(['scmProvider', 'pullRequest', 'clusterDecisionResource', 'plugin']);
const maxDepth = 3;

/**
 * Runs one generator entry of an ApplicationSet and returns its parameter sets. Pure. Throws an
 * AppSetError with a one-line message for unknown or malformed generators.
 */
export function runGenerator(gen: Record<string, unknown>, ctx: GeneratorContext, depth = 0): Params[] {
  if (depth > maxDepth) throw new AppSetError(`generators nested more than ${maxDepth} levels deep`);
  const kinds = Object.keys(gen).filter((k) => k !== 'selector' && k !== 'template');
  if (gen.template !== undefined)
    throw new AppSetError('generator-level template overrides are not supported by bosun');
  if (kinds.length !== 1) {
    throw new AppSetError(
      kinds.length === 0
        ? 'empty generator'
        : `a generator entry must have one kind, found ${kinds.join(', ')}`,
    );
  }
  const kind = kinds[0] as string;
  const spec = gen[kind];
  let params: Params[];
  switch (kind) {
    case 'list':
      params = listGenerator(spec, ctx);
      break;
    case 'clusters':
      params = clustersGenerator(spec, ctx);
      break;
    case 'git': {
      if (!isMap(spec)) throw new AppSetError('git generator must be a mapping');
      const hasDirs = spec.directories !== undefined;
      const hasFiles = spec.files !== undefined;
      if (hasDirs === hasFiles) throw new AppSetError('git generator needs either directories or files');
      params = hasDirs ? gitDirectoriesGenerator(spec, ctx) : gitFilesGenerator(spec, ctx);
      break;
    }
    case 'matrix':
      params = matrixGenerator(spec, ctx, runGenerator, depth);
      break;
    case 'merge':
      params = mergeGenerator(spec, ctx, runGenerator, depth);
      break;
    default:
      throw new AppSetError(
        argoOnly.has(kind)
          ? `generator "${kind}" is not supported by bosun (supported: ${supportedGenerators.join(', ')})`
          : `unknown generator "${kind}" (supported: ${supportedGenerators.join(', ')})`,
      );
  }
  if (gen.selector !== undefined) {
    try {
      params = params.filter((p) => matchesSelector(gen.selector, flattenParams(p)));
    } catch (err) {
      throw new AppSetError(`generator selector: ${(err as Error).message}`);
    }
  }
  return params;
}
