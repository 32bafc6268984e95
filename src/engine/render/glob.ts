/**
 * Compiles a glob the way Argo CD matches `directory.include`/`exclude` (gobwas/glob without
 * separators): `*` and `**` match any run of characters including `/`, `?` one character,
 * `[abc]`/`[!a-z]` a class, `{a,b}` alternatives (nestable).
 */
export function globToRegExp(pattern: string): RegExp {
  let i = 0;
  const parse = (inBraces: boolean): string => {
    let out = '';
    while (i < pattern.length) {
      const c = pattern[i]!;
      if (inBraces && (c === ',' || c === '}')) return out;
      i++;
      if (c === '*') {
        while (pattern[i] === '*') i++;
        out += '.*';
      } else if (c === '?') out += '.';
      else if (c === '[') {
        const end = pattern.indexOf(']', i + 1);
        if (end < 0) out += '\\[';
        else {
          let body = pattern.slice(i, end);
          i = end + 1;
          if (body.startsWith('!')) body = `^${body.slice(1)}`;
          out += `[${body.replace(/\\/g, '\\\\')}]`;
        }
      } else if (c === '{') {
        const alts: string[] = [];
        for (;;) {
          alts.push(parse(true));
          const d = pattern[i];
          i++;
          if (d !== ',') break;
        }
        out += `(?:${alts.join('|')})`;
      } else if (c === '\\' && i < pattern.length) {
        out += escapeRe(pattern[i]!);
        i++;
      } else out += escapeRe(c);
    }
    return out;
  };
  return new RegExp(`^${parse(false)}$`);
}

function escapeRe(c: string): string {
  return c.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}
