/** A resolved colour: a hex value or an Ink/chalk colour name; undefined means the terminal default. */
export type Colour = string | undefined;

/** Semantic colour tokens; components use these and never raw colours. */
export type ThemeTokens = {
  text: { primary: Colour; secondary: Colour; accent: Colour };
  border: { default: Colour; focused: Colour };
  health: {
    healthy: Colour;
    progressing: Colour;
    degraded: Colour;
    suspended: Colour;
    missing: Colour;
    unknown: Colour;
  };
  sync: { synced: Colour; outOfSync: Colour; unknown: Colour };
  diff: { added: Colour; removed: Colour; header: Colour; context: Colour };
  table: { header: Colour; selected: Colour };
  status: { error: Colour; warning: Colour; success: Colour; info: Colour };
  context: { default: Colour; production: Colour };
};

/** The characters used for states, markers and frames. */
export type Glyphs = {
  sync: { synced: string; outOfSync: string; unknown: string; syncing: string };
  health: {
    healthy: string;
    progressing: string;
    degraded: string;
    suspended: string;
    missing: string;
    unknown: string;
  };
  cluster: { connected: string; connecting: string; unreachable: string };
  cursor: string;
  /** Marks a service chosen for a promotion of several. */
  mark: string;
  promotable: string;
  crumb: string;
  rule: string;
  tree: { branch: string; last: string; pipe: string; space: string };
  check: { on: string; off: string };
  warning: string;
};

/** A loaded, complete theme. */
export type Theme = {
  name: string;
  type: 'dark' | 'light';
  tokens: ThemeTokens;
  glyphs: Glyphs;
  /** True when the theme uses plain ASCII glyphs. */
  ascii: boolean;
  /** True for the no-color theme (no colour codes at all). */
  noColor: boolean;
  /** Where it came from: a file path or `built-in`. */
  source: string;
};
