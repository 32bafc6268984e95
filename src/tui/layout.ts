/** Rows used by the header (title line and breadcrumb rule). */
export const headerRows = 2;
/** Rows used by the footer (status line and key hints). */
export const footerRows = 2;
/** Rows of the explain panel when it is open. */
export const explainRows = 6;
/** Rows of the app view's bottom panel (conditions, events, explain). */
export const appPanelRows = 7;

/**
 * Height of the whole frame. One less than the terminal: Ink clears the whole screen on every
 * frame whose output is as tall as the terminal, which would defeat incremental rendering.
 */
export function frameHeight(rows: number): number {
  return Math.max(10, rows - 1);
}

/** Height of the main area between header and footer. */
export function mainHeight(rows: number): number {
  return frameHeight(rows) - headerRows - footerRows;
}

/** Visible rows of each view's scrolling body, given the main area height. */
export const bodyHeight = {
  fleet: (main: number, explain: boolean) => Math.max(1, main - 1 - (explain ? explainRows : 0)),
  app: (main: number) => Math.max(1, main - 3 - appPanelRows),
  diff: (main: number) => Math.max(1, main - 2),
  history: (main: number) => Math.max(1, main - 1),
  clusters: (main: number) => Math.max(1, main - 1),
  help: (main: number) => Math.max(1, main),
  /** Events, YAML and why: a title line, then text. */
  text: (main: number) => Math.max(1, main - 1),
  /** Dialogs: border (2), title and target (2), options or summary (1), message line (1). */
  dialog: (main: number) => Math.max(1, main - 6),
};

/** The cursor range of a scrolling text view: the last position shows the last line at the bottom. */
export function scrollCount(lines: number, height: number): number {
  return Math.max(1, lines - height + 1);
}

/**
 * The first visible row of a window of `height` rows that keeps `cursor` visible. When the cursor
 * leaves the window it jumps by half a page, so walking a long list rewrites the screen once per
 * half page instead of on every key (cheap over a slow SSH link).
 */
export function windowStart(prevStart: number, cursor: number, height: number, total: number): number {
  const half = Math.max(1, Math.floor(height / 2));
  let start = prevStart;
  if (cursor < start) start = Math.min(cursor, Math.max(0, start - half));
  if (cursor >= start + height) start = Math.max(cursor - height + 1, start + half);
  return Math.max(0, Math.min(start, Math.max(0, total - height)));
}
