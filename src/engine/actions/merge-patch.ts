/** JSON merge patches (RFC 7386) between two versions of an object. Pure. */

const isObj = (v: unknown): v is Record<string, unknown> => !!v && typeof v === 'object' && !Array.isArray(v);

/** The merge patch that turns `from` into `to` (undefined when they are equal). Arrays are replaced whole. */
export function createMergePatch(from: unknown, to: unknown): unknown {
  if (!isObj(from) || !isObj(to)) return JSON.stringify(from) === JSON.stringify(to) ? undefined : to;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(to)) {
    if (!(k in from)) out[k] = v;
    else {
      const sub = createMergePatch(from[k], v);
      if (sub !== undefined) out[k] = sub;
    }
  }
  for (const k of Object.keys(from)) if (!(k in to)) out[k] = null;
  return Object.keys(out).length > 0 ? out : undefined;
}
