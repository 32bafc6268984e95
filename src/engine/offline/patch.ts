import { createTwoFilesPatch } from 'diff';

/** A unified diff of two texts with `---`/`+++` headers and no separator line; empty when equal. */
export function textPatch(from: string, to: string, before: string, after: string): string {
  if (before === after) return '';
  return createTwoFilesPatch(from, to, before, after, '', '', { context: 3 })
    .split('\n')
    .filter((l, i) => !(i === 0 && l.startsWith('====')))
    .map((l) => (l.startsWith('--- ') || l.startsWith('+++ ') ? l.trimEnd() : l))
    .join('\n');
}
