/** What is environment-specific in one app's render: folded away before two environments are compared. */
export type FoldTokens = { app: string; environment?: string; namespace?: string };

const escapeRe = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** A function that replaces the app name, namespace and environment name in a string by placeholders. */
export function folder(t: FoldTokens): (s: string) => string {
  const steps: [RegExp, string][] = [];
  const word = (s: string) => new RegExp(`(?<![A-Za-z0-9])${escapeRe(s)}(?![A-Za-z0-9])`, 'g');
  if (t.app) steps.push([word(t.app), '<app>']);
  if (t.namespace && t.namespace !== t.environment) steps.push([word(t.namespace), '<namespace>']);
  if (t.environment) steps.push([word(t.environment), '<env>']);
  return (s) => steps.reduce((acc, [re, to]) => acc.replace(re, to), s);
}

/**
 * A copy of a rendered object with `metadata.namespace` removed and every string and map key passed
 * through `fold`, so two environments of one service compare on their real differences only.
 */
export function foldObject<T>(obj: T, fold: (s: string) => string): T {
  const walk = (v: unknown): unknown => {
    if (typeof v === 'string') return fold(v);
    if (Array.isArray(v)) return v.map(walk);
    if (v && typeof v === 'object') {
      const out: Record<string, unknown> = {};
      for (const [k, x] of Object.entries(v)) out[fold(k)] = walk(x);
      return out;
    }
    return v;
  };
  const copy = walk(obj) as Record<string, unknown>;
  const meta = copy.metadata as Record<string, unknown> | undefined;
  if (meta && 'namespace' in meta) delete meta.namespace;
  return copy as T;
}
