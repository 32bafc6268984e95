import { useEffect, useRef } from 'react';
import type { BosunEngine, EngineEvent } from '../../engine/index.js';
import type { UiAction, UiState } from './types.js';

/** How long engine events are gathered before one dispatch (the store coalesces snapshots the same way). */
export const eventCoalesceMs = 100;

/**
 * Feeds sync progress ('task' and 'operation' events of the open sync dialog's app) and engine error
 * logs into the UI, batched every ~100 ms so a busy operation cannot cause a render per event.
 */
export function useEngineEvents(engine: BosunEngine, dispatch: (a: UiAction) => void, ui: UiState): void {
  const latest = useRef(ui);
  latest.current = ui;
  useEffect(() => {
    let buffer: EngineEvent[] = [];
    let log: string | undefined;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const flush = () => {
      timer = undefined;
      const m = latest.current.modal;
      if (buffer.length > 0 && m?.kind === 'sync')
        dispatch({ type: 'sync-progress', id: m.id, events: buffer });
      buffer = [];
      if (log) dispatch({ type: 'status', level: 'error', text: log });
      log = undefined;
    };
    const off = engine.onEvent((e) => {
      const m = latest.current.modal;
      if ((e.type === 'task' || e.type === 'operation') && m?.kind === 'sync' && e.app === m.app)
        buffer.push(e);
      else if (e.type === 'log' && e.level === 'error')
        log = `${e.app ? `${e.app}: ` : ''}${e.message.split('\n')[0]}`;
      else return;
      timer ??= setTimeout(flush, eventCoalesceMs);
    });
    return () => {
      off();
      if (timer) clearTimeout(timer);
    };
  }, [engine, dispatch]);
}
