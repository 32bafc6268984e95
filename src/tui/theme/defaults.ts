import type { Glyphs, Theme, ThemeTokens } from './types.js';

/** Unicode glyph set (the default). */
export const unicodeGlyphs: Glyphs = {
  sync: { synced: '✓', outOfSync: '≠', unknown: '?', syncing: '⟳' },
  health: { healthy: '♥', progressing: '◐', degraded: '✗', suspended: '‖', missing: '∅', unknown: '?' },
  cluster: { connected: '●', connecting: '○', unreachable: '✗' },
  cursor: '▶',
  mark: '◆',
  promotable: '←',
  crumb: '›',
  rule: '─',
  tree: { branch: '├─', last: '└─', pipe: '│ ', space: '  ' },
  check: { on: '[x]', off: '[ ]' },
  warning: '⚠',
};

/** Plain ASCII glyph set for terminals without Unicode. */
export const asciiGlyphs: Glyphs = {
  sync: { synced: '=', outOfSync: '!', unknown: '?', syncing: '*' },
  health: { healthy: '+', progressing: '~', degraded: 'x', suspended: '-', missing: 'o', unknown: '?' },
  cluster: { connected: '*', connecting: 'o', unreachable: 'x' },
  cursor: '>',
  mark: '*',
  promotable: '<-',
  crumb: '>',
  rule: '-',
  tree: { branch: '|-', last: '`-', pipe: '| ', space: '  ' },
  check: { on: '[x]', off: '[ ]' },
  warning: '!',
};

/** Tokens of the built-in dark theme; every theme file is merged over these. */
export const defaultTokens: ThemeTokens = {
  text: { primary: undefined, secondary: '#737aa2', accent: '#7aa2f7' },
  border: { default: '#565f89', focused: '#7aa2f7' },
  health: {
    healthy: '#9ece6a',
    progressing: '#7aa2f7',
    degraded: '#f7768e',
    suspended: '#737aa2',
    missing: '#e0af68',
    unknown: '#737aa2',
  },
  sync: { synced: '#9ece6a', outOfSync: '#e0af68', unknown: '#737aa2' },
  diff: { added: '#9ece6a', removed: '#f7768e', header: '#7aa2f7', context: '#737aa2' },
  table: { header: '#7aa2f7', selected: '#7aa2f7' },
  status: { error: '#f7768e', warning: '#e0af68', success: '#9ece6a', info: '#7dcfff' },
  context: { default: '#7dcfff', production: '#f7768e' },
};

/** The built-in fallback theme, used when no theme file can be read. */
export const builtinTheme: Theme = {
  name: 'default-dark',
  type: 'dark',
  tokens: defaultTokens,
  glyphs: unicodeGlyphs,
  ascii: false,
  noColor: false,
  source: 'built-in',
};

/** The built-in no-color theme (every token is the terminal default). */
export const builtinNoColorTheme: Theme = {
  name: 'no-color',
  type: 'dark',
  tokens: mapTokens(defaultTokens, () => undefined),
  glyphs: unicodeGlyphs,
  ascii: false,
  noColor: true,
  source: 'built-in',
};

/** Applies `f` to every token of a token tree. */
export function mapTokens(
  tokens: ThemeTokens,
  f: (path: string, value: string | undefined) => string | undefined,
): ThemeTokens {
  const out: Record<string, Record<string, string | undefined>> = {};
  for (const [group, values] of Object.entries(tokens)) {
    const g: Record<string, string | undefined> = {};
    for (const [k, v] of Object.entries(values as Record<string, string | undefined>))
      g[k] = f(`${group}.${k}`, v);
    out[group] = g;
  }
  return out as unknown as ThemeTokens;
}
