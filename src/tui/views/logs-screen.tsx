import { useInput } from 'ink';
import { useEffect, useReducer, useState } from 'react';
import type { LogSession } from '../../engine/index.js';
import { initialLogView, logScreenReducer } from '../state/log-view-model.js';
import { LogsView } from './logs-view.js';

/**
 * The full log screen: LogsView plus its keys (/ filter, space pause/resume, w wrap, G end, ↑↓ PgUp PgDn
 * scroll, s save, Esc back). Redraws on new lines at most every `frameMs` (10 frames/s: a frame costs a
 * whole-screen render, and a key press must not wait behind a stream of them).
 */
export function LogsScreen({
  title,
  session,
  height,
  width,
  onClose,
  onSave,
  frameMs = 100,
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
      else if (input === 's' || input === 'S') onSave?.(state.filter);
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
