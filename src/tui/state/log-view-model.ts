/**
 * The rows a log view shows: the merged lines of a log session, filtered as you type, frozen while
 * paused, wrapped or truncated, scrolled or pinned to the end. Only the visible rows are computed: the
 * scan walks back from the end (or from the scroll position) until the window is full. Pure.
 */
import type { LogLine } from '../../engine/index.js';

/** What the view needs from the session's ring buffer. */
export type LineSource = {
  readonly size: number;
  readonly total: number;
  at(i: number): LogLine | undefined;
};

/** UI state of a log view. */
export type LogViewState = {
  /** Filter typed so far (a regex; an invalid one matches as plain text). */
  filter: string;
  /** When paused: the buffer's `total` at the pause (later lines are hidden). */
  pausedAt?: number;
  wrap: boolean;
  /** Rows up from the end (0 = pinned to the newest line). */
  fromEnd: number;
};

/** A new log view state: following the end, no filter, no wrap. */
export const initialLogView: LogViewState = { filter: '', wrap: false, fromEnd: 0 };

/** One screen row. */
export type LogRow = {
  pod: string;
  container: string;
  podIndex: number;
  text: string;
  notice: boolean;
  continuation: boolean;
};

/** A matcher for the typed filter (case-insensitive unless it has capitals). */
export function filterMatcher(filter: string): (text: string) => boolean {
  if (!filter) return () => true;
  const flags = filter === filter.toLowerCase() ? 'i' : '';
  try {
    const re = new RegExp(filter, flags);
    return (t) => re.test(t);
  } catch {
    const needle = flags ? filter.toLowerCase() : filter;
    return (t) => (flags ? t.toLowerCase() : t).includes(needle);
  }
}

/** The prefix shown before a line's text. */
export function rowPrefix(l: { pod: string; container: string }): string {
  return `${l.pod}/${l.container} `;
}

/** The visible rows (at most `height`), oldest first, for a `width`-column window. */
export function visibleRows(
  src: LineSource,
  s: LogViewState,
  o: { height: number; width: number },
): LogRow[] {
  const match = filterMatcher(s.filter);
  // Lines pushed after the pause are hidden: the newest visible index shifts back by what arrived since.
  const hiddenNew = s.pausedAt === undefined ? 0 : Math.max(0, src.total - s.pausedAt);
  let i = src.size - 1 - hiddenNew;
  let skip = s.fromEnd;
  const rows: LogRow[] = [];
  while (i >= 0 && rows.length < o.height) {
    const l = src.at(i--);
    if (!l || !match(l.text)) continue;
    const parts = s.wrap ? wrapText(l.text, Math.max(10, o.width - rowPrefix(l).length)) : [l.text];
    for (let p = parts.length - 1; p >= 0 && rows.length < o.height; p--) {
      if (skip > 0) {
        skip--;
        continue;
      }
      rows.unshift({
        pod: l.pod,
        container: l.container,
        podIndex: l.podIndex,
        text: parts[p] as string,
        notice: Boolean(l.notice),
        continuation: p > 0,
      });
    }
  }
  return rows;
}

function wrapText(text: string, width: number): string[] {
  if (text.length <= width) return [text];
  const out: string[] = [];
  for (let i = 0; i < text.length; i += width) out.push(text.slice(i, i + width));
  return out;
}

/** Every line that passes the filter (for "save to file"), as printed by the CLI. */
export function linesToSave(src: LineSource, filter: string): string[] {
  const match = filterMatcher(filter);
  const out: string[] = [];
  for (let i = 0; i < src.size; i++) {
    const l = src.at(i);
    if (l && match(l.text)) out.push(`${rowPrefix(l)}${l.notice ? '!' : '|'} ${l.text}`);
  }
  return out;
}

/** What a key does in the log screen. */
export type LogKeyAction =
  | { type: 'type'; text: string }
  | { type: 'backspace' }
  | { type: 'typing'; on: boolean }
  | { type: 'pause' }
  | { type: 'wrap' }
  | { type: 'end' }
  | { type: 'scroll'; by: number };

/** The log screen's state: the view state plus whether the filter is being typed. */
export type LogScreenState = LogViewState & { typing: boolean };

/** Applies one key action (`total` is the session's line count now, for pause). Pure. */
export function logScreenReducer(s: LogScreenState, a: LogKeyAction & { total?: number }): LogScreenState {
  switch (a.type) {
    case 'type':
      return { ...s, filter: s.filter + a.text, fromEnd: 0 };
    case 'backspace':
      return { ...s, filter: s.filter.slice(0, -1), fromEnd: 0 };
    case 'typing':
      return { ...s, typing: a.on };
    case 'pause': {
      if (s.pausedAt !== undefined) {
        const { pausedAt: _, ...rest } = s;
        return rest;
      }
      return { ...s, pausedAt: a.total ?? 0 };
    }
    case 'wrap':
      return { ...s, wrap: !s.wrap };
    case 'end': {
      const { pausedAt: _, ...rest } = s;
      return { ...rest, fromEnd: 0 };
    }
    case 'scroll':
      return { ...s, fromEnd: Math.max(0, s.fromEnd + a.by) };
  }
}
