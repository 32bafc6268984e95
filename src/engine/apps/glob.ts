/** Options of glob matching. */
export type GlobOptions = {
  /** When true (paths), `*` and `?` stop at `/` and `**` crosses directories. Default true. */
  pathSeparator?: boolean;
};

const cache = new Map<string, RegExp>();

/**
 * Compiles a glob (`*`, `?`, `**`, `[a-z]`, `[!x]`, `{a,b}`, `\` escapes) into an anchored RegExp.
 * Pure; results are memoised.
 */
export function globToRegExp(pattern: string, opts: GlobOptions = {}): RegExp {
  const sep = opts.pathSeparator ?? true;
  const cacheKey = `${sep ? 1 : 0}\u0000${pattern}`;
  const hit = cache.get(cacheKey);
  if (hit) return hit;
  let re = '';
  let depth = 0;
  for (let i = 0; i < pattern.length; i++) {
    const ch = pattern[i] as string;
    if (ch === '\\' && i + 1 < pattern.length) {
      re += escapeRe(pattern[++i] as string);
    } else if (ch === '*') {
      if (pattern[i + 1] === '*') {
        i++;
        if (!sep) re += '.*';
        else if (pattern[i + 1] === '/' && (i === 1 || pattern[i - 2] === '/')) {
          i++;
          re += '(?:.*/)?';
        } else re += '.*';
      } else re += sep ? '[^/]*' : '.*';
    } else if (ch === '?') {
      re += sep ? '[^/]' : '.';
    } else if (ch === '[') {
      const end = pattern.indexOf(']', i + 2);
      if (end < 0) {
        re += '\\[';
        continue;
      }
      let body = pattern.slice(i + 1, end);
      const negate = body.startsWith('!') || body.startsWith('^');
      if (negate) body = body.slice(1);
      re += `[${negate ? '^' : ''}${body.replace(/\\/g, '\\\\').replace(/]/g, '\\]')}]`;
      i = end;
    } else if (ch === '{') {
      depth++;
      re += '(?:';
    } else if (ch === '}' && depth > 0) {
      depth--;
      re += ')';
    } else if (ch === ',' && depth > 0) {
      re += '|';
    } else {
      re += escapeRe(ch);
    }
  }
  while (depth-- > 0) re += ')';
  let compiled: RegExp;
  try {
    compiled = new RegExp(`^${re}$`);
  } catch {
    compiled = new RegExp(`^${escapeRe(pattern)}$`);
  }
  if (cache.size > 5000) cache.clear();
  cache.set(cacheKey, compiled);
  return compiled;
}

/** True when `value` matches the glob `pattern`. */
export function globMatch(pattern: string, value: string, opts: GlobOptions = {}): boolean {
  return globToRegExp(pattern, opts).test(value);
}

function escapeRe(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}
