import { useInput } from 'ink';
import { useEffect, useReducer, useState } from 'react';
import type { LogSession } from '../../engine/index.js';
import { initialLogView, type LogViewState } from '../state/log-view-model.js';
import { LogsView } from './logs-view.js';

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

/**
 * The full log screen: LogsView plus its keys (/ filter, space pause/resume, w wrap, G end, ↑↓ PgUp PgDn
 * scroll, s save, Esc back). Redraws on new lines at most every `frameMs` (30 frames/s).
 */
export function LogsScreen({
  title,
  session,
  height,
  width,
  onClose,
  onSave,
  frameMs = 33,
  active = true,
}: {
  title: string;
  session: LogSession;
  height: number;
  width: number;
  onClose: () => void;
  onSave?: (filter: string) => void;
  frameMs?: number;
  active?: boolean;
}) {
  const [state, dispatch] = useReducer(logScreenReducer, { ...initialLogView, typing: false });
  const [, setTick] = useState(0);
  useEffect(() => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const off = session.subscribe(() => {
      timer ??= setTimeout(() => {
        timer = undefined;
        setTick((n) => n + 1);
      }, frameMs);
    });
    return () => {
      off();
      if (timer) clearTimeout(timer);
    };
  }, [session, frameMs]);
  useInput(
    (input, key) => {
      if (state.typing) {
        if (key.return || key.escape) dispatch({ type: 'typing', on: false });
        else if (key.backspace || key.delete) dispatch({ type: 'backspace' });
        else if (input && !key.ctrl && !key.meta) dispatch({ type: 'type', text: input });
        return;
      }
      const page = Math.max(1, height - 3);
      if (key.escape || input === 'q') onClose();
      else if (input === '/') dispatch({ type: 'typing', on: true });
      else if (input === ' ' || input === 'p') dispatch({ type: 'pause', total: session.lines.total });
      else if (input === 'w') dispatch({ type: 'wrap' });
      else if (input === 'G' || key.end) dispatch({ type: 'end' });
      else if (key.upArrow || input === 'k') dispatch({ type: 'scroll', by: 1 });
      else if (key.downArrow || input === 'j') dispatch({ type: 'scroll', by: -1 });
      else if (key.pageUp) dispatch({ type: 'scroll', by: page });
      else if (key.pageDown) dispatch({ type: 'scroll', by: -page });
      else if (input === 's') onSave?.(state.filter);
    },
    { isActive: active },
  );
  return (
    <LogsView
      title={title}
      session={session}
      state={state}
      height={height}
      width={width}
      typing={state.typing}
    />
  );
}
