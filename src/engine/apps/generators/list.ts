import { AppSetError, type GeneratorContext, type Params } from '../types.js';
import { parseYamlDocs } from '../yaml.js';
import { isMap } from './template-funcs.js';

/** `list: { elements: [...] }` (or `elementsYaml`): one parameter set per element. Pure. */
export function listGenerator(spec: unknown, ctx: GeneratorContext): Params[] {
  if (!isMap(spec)) throw new AppSetError('list generator must be a mapping');
  let elements: unknown[];
  if (typeof spec.elementsYaml === 'string' && spec.elementsYaml.trim() !== '') {
    const parsed = parseYamlDocs(spec.elementsYaml);
    if (!parsed.ok) throw new AppSetError(`list generator elementsYaml: ${parsed.error}`);
    const first = parsed.docs[0] ?? [];
    if (!Array.isArray(first)) throw new AppSetError('list generator elementsYaml must be a YAML list');
    elements = first;
  } else if (Array.isArray(spec.elements)) {
    elements = spec.elements;
  } else if (spec.elements === undefined || spec.elements === null) {
    elements = [];
  } else {
    throw new AppSetError('list generator elements must be a list');
  }
  return elements.map((el, i) => {
    if (!isMap(el)) throw new AppSetError(`list generator elements[${i}] must be a mapping`);
    if (ctx.goTemplate) return { ...el };
    const params: Params = {};
    for (const [k, v] of Object.entries(el)) {
      if (k === 'values' && isMap(v)) {
        for (const [vk, vv] of Object.entries(v))
          params[`values.${vk}`] = typeof vv === 'string' ? vv : JSON.stringify(vv);
      } else params[k] = typeof v === 'string' ? v : JSON.stringify(v);
    }
    return params;
  });
}
