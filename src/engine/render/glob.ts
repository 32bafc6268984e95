import { globToRegExp as compile } from '../apps/glob.js';

/**
 * Compiles a glob the way Argo CD matches `directory.include`/`exclude` (gobwas/glob without
 * separators): `*` and `**` match any run of characters including `/`, `?` one character,
 * `[abc]`/`[!a-z]` a class, `{a,b}` alternatives. The one glob compiler is `apps/glob.ts`.
 */
export function globToRegExp(pattern: string): RegExp {
  return compile(pattern, { pathSeparator: false });
}
