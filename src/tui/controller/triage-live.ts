import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { useCallback, useEffect, useRef, useState } from 'react';
import { type Env, userStateDir } from '../../config/paths.js';
import type { BosunEngine, LogSession } from '../../engine/index.js';
import type { ActionContext } from '../input/context.js';
import { loadEvents } from '../input/triage-actions.js';
import { topView } from '../state/reducer.js';
import type { LogsEntry, UiAction, UiState } from '../state/types.js';
import { oneLine } from '../state/view-models.js';

/** Lines read back per container when a log view opens (then it follows). */
export const LOG_TAIL_LINES = 1000;
/** How often the events view on top is re-read (it is live). */
export const EVENTS_POLL_MS = 2000;
/** At most one frame per this many ms while log lines arrive (10/s: key presses never queue behind them). */
const LOG_FRAME_MS = 100;

type Running = { key: string; session: LogSession; off: () => void };

const sessionKey = (v: LogsEntry) => `${v.app}|${v.resource ?? ''}|${v.container ?? ''}|${v.previous}`;

/**
 * Runs one log session per logs view on the stack (started when the view opens or its container/previous
 * choice changes, stopped when it closes), redraws at most 30 times a second while lines arrive, and keeps
 * the events view on top live. Returns the session of a view and a writer for "save".
 */
export function useTriageLive(o: {
  engine: BosunEngine;
  ui: UiState;
  env: Env;
  dispatch: (a: UiAction) => void;
  actionContext: () => ActionContext;
}) {
  const sessions = useRef(new Map<number, Running>());
  const [, setTick] = useState(0);
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  const { engine, dispatch } = o;
  const logs = o.ui.stack.filter((v): v is LogsEntry => v.name === 'logs');
  const wanted = logs.map((v) => `${v.id}:${sessionKey(v)}`).join(',');
  const logsRef = useRef(logs);
  logsRef.current = logs;
  // biome-ignore lint/correctness/useExhaustiveDependencies: `wanted` is the identity of the sessions needed
  useEffect(() => {
    const views = logsRef.current;
    const live = sessions.current;
    for (const [id, r] of live) {
      const v = views.find((x) => x.id === id);
      if (!v || sessionKey(v) !== r.key) {
        r.off();
        r.session.stop();
        live.delete(id);
      }
    }
    for (const v of views) {
      if (live.has(v.id)) continue;
      try {
        const session = engine.logs(v.app, {
          ...(v.resource ? { resource: v.resource } : {}),
          ...(v.container ? { container: v.container } : {}),
          ...(v.previous ? { previous: true } : { follow: true }),
          tailLines: LOG_TAIL_LINES,
        });
        const off = session.subscribe(() => {
          timer.current ??= setTimeout(() => {
            timer.current = undefined;
            setTick((n) => n + 1);
          }, LOG_FRAME_MS);
        });
        live.set(v.id, { key: sessionKey(v), session, off });
        session.start().then(
          () => {
            if (session.errors.length > 0)
              dispatch({ type: 'status', level: 'warning', text: `logs: ${session.errors[0]}` });
            setTick((n) => n + 1);
          },
          (err) =>
            dispatch({ type: 'status', level: 'error', text: `logs of ${v.app} failed: ${oneLine(err)}` }),
        );
      } catch (err) {
        dispatch({ type: 'status', level: 'error', text: `logs of ${v.app}: ${oneLine(err)}` });
      }
    }
  }, [engine, dispatch, wanted]);
  useEffect(
    () => () => {
      for (const r of sessions.current.values()) {
        r.off();
        r.session.stop();
      }
      sessions.current.clear();
      if (timer.current) clearTimeout(timer.current);
    },
    [],
  );

  // The events view on top re-reads the timeline every 2 s (quietly: a failed poll keeps the last list).
  const top = topView(o.ui);
  const eventsView = top.name === 'events' ? `${top.id}:${top.app}` : '';
  const ctxRef = useRef(o.actionContext);
  ctxRef.current = o.actionContext;
  useEffect(() => {
    if (!eventsView) return;
    const [id, app] = [Number(eventsView.split(':')[0]), eventsView.slice(eventsView.indexOf(':') + 1)];
    const t = setInterval(() => loadEvents(ctxRef.current(), app, id, { quiet: true }), EVENTS_POLL_MS);
    return () => clearInterval(t);
  }, [eventsView]);

  const logSession = useCallback((id: number) => sessions.current.get(id)?.session, []);
  const env = o.env;
  const saveLines = useCallback(
    (name: string, lines: string[]) => {
      const dir = join(userStateDir(env), 'logs');
      mkdirSync(dir, { recursive: true });
      const stamp = new Date().toISOString().replace(/[:.]/g, '-');
      const path = join(dir, `${name.replace(/[^A-Za-z0-9._-]/g, '_')}-${stamp}.log`);
      writeFileSync(path, lines.length ? `${lines.join('\n')}\n` : '');
      return path;
    },
    [env],
  );
  return { logSession, saveLines };
}
