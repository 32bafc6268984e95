import { useApp, useInput } from 'ink';
import { useCallback, useEffect, useMemo, useReducer, useRef } from 'react';
import type { Env } from '../../config/paths.js';
import type { BosunEngine } from '../../engine/index.js';
import type { Command, CommandContext } from '../input/context.js';
import { handleKey } from '../input/handle-key.js';
import { commandsFor } from '../state/command-spec.js';
import { initialUiState, topView, uiReducer } from '../state/reducer.js';
import { activeView, currentTarget, isReadOnly } from '../state/selection.js';
import type { UiAction, UiState } from '../state/types.js';
import { useEngineSnapshot } from '../state/use-engine.js';
import { useEngineEvents } from '../state/use-engine-events.js';
import { explainLines, type ViewData } from '../state/view-data.js';
import { treeModel } from '../state/view-models.js';
import { pickTheme, type ThemeRegistry } from '../theme/loader.js';
import { useTriageLive } from './triage-live.js';

/** What the App needs to build the controller. */
export type ControllerOptions = {
  engine: BosunEngine;
  readOnly: boolean;
  commands: readonly Command[];
  themes: ThemeRegistry;
  themeName?: string;
  env: Env;
  initialStatus?: UiState['status'];
  rows: number;
  startFailure?: Promise<string | undefined>;
  onQuit?: () => void;
};

const crumbNames: Record<string, string> = {
  diff: 'Diff',
  history: 'History',
  clusters: 'Clusters',
  help: 'Help',
  sync: 'Sync',
  'sync-many': 'Sync apps',
  promote: 'Promote',
  revert: 'Revert',
  logs: 'Logs',
  events: 'Events',
  yaml: 'YAML',
  why: 'Why',
  action: 'Actions',
  compare: 'Compare',
  appset: 'AppSet',
};

/** Wires engine store, UI reducer, keyboard and theme together; returns what the layout renders. */
export function useController(o: ControllerOptions) {
  const { exit } = useApp();
  const snapshot = useEngineSnapshot(o.engine);
  const [ui, reactDispatch] = useReducer(uiReducer, o.initialStatus, (status) => initialUiState({ status }));
  // A shadow of the reducer state, advanced on every dispatch, so input handlers and engine callbacks
  // read the state as of now even before React re-renders (the reducer is pure, so both agree).
  const uiRef = useRef(ui);
  const dispatch = useCallback((a: UiAction) => {
    uiRef.current = uiReducer(uiRef.current, a);
    reactDispatch(a);
  }, []);
  useEngineEvents(o.engine, dispatch, ui);
  useEffect(() => {
    let live = true;
    o.startFailure?.then((text) => {
      if (live && text) dispatch({ type: 'status', level: 'error', text });
    });
    return () => {
      live = false;
    };
  }, [o.startFailure, dispatch]);
  const target = currentTarget(ui, snapshot);
  const readOnly = isReadOnly(o.readOnly, snapshot, target);
  const view = activeView(ui);
  const available = useMemo(() => commandsFor(o.commands, view, readOnly), [o.commands, view, readOnly]);
  const picked = useMemo(
    () =>
      pickTheme(o.themes, {
        requested: ui.themeName ?? o.themeName,
        cluster: target.cluster?.theme,
        env: o.env,
      }),
    [o.themes, ui.themeName, o.themeName, target.cluster?.theme, o.env],
  );
  const themeNames = useMemo(() => [...o.themes.themes.keys()].sort(), [o.themes]);

  const ids = useRef(1000);
  const onQuit = o.onQuit;
  const quit = useCallback(() => {
    dispatch({ type: 'quit' });
    onQuit?.();
    exit();
  }, [exit, onQuit, dispatch]);
  const triage = useTriageLive({
    engine: o.engine,
    ui,
    env: o.env,
    dispatch,
    actionContext: () => getCtxRef.current(),
  });
  const triageRef = useRef(triage);
  triageRef.current = triage;
  const deps = useRef({ snapshot, o, themeNames, quit });
  deps.current = { snapshot, o, themeNames, quit };
  const getCtx = useCallback((): CommandContext => {
    const { snapshot: snap, o: opts, themeNames: names, quit: stop } = deps.current;
    const now = uiRef.current;
    return {
      ui: now,
      snapshot: snap,
      engine: opts.engine,
      dispatch,
      readOnlyFlag: opts.readOnly,
      readOnly: isReadOnly(opts.readOnly, snap, currentTarget(now, snap)),
      rows: opts.rows,
      commands: opts.commands,
      themeNames: names,
      quit: stop,
      logSession: (id) => triageRef.current.logSession(id),
      saveLines: (name, lines) => triageRef.current.saveLines(name, lines),
      nextId: () => {
        ids.current = Math.max(ids.current, uiRef.current.nextId) + 1;
        return ids.current;
      },
    };
  }, [dispatch]);
  const getCtxRef = useRef(getCtx);
  getCtxRef.current = getCtx;
  const onInput = useCallback<Parameters<typeof useInput>[0]>(
    (input, key) => handleKey(input, key, getCtx),
    [getCtx],
  );
  useInput(onInput);

  const crumbs = ui.stack.map((v) =>
    v.name === 'fleet'
      ? ui.fleet.mode === 'list'
        ? 'Apps'
        : 'Fleet'
      : v.name === 'app'
        ? v.app
        : v.name === 'compare'
          ? `Compare ${v.service}`
          : v.name === 'appset'
            ? `AppSet ${v.set}`
            : (crumbNames[v.name] ?? v.name),
  );
  if (ui.modal) crumbs.push(crumbNames[ui.modal.kind] ?? ui.modal.kind);
  const counts = useMemo(
    () => `${new Set(snapshot.apps.map((a) => a.spec.service)).size} services · ${snapshot.apps.length} apps`,
    [snapshot.apps],
  );
  const top = topView(ui);
  // What views show from the engine, computed here on selection or snapshot change, never while rendering.
  const explainApp = top.name === 'fleet' && ui.showExplain ? target.app : undefined;
  const fleetExplain = useMemo(
    () => (explainApp ? explainLines(o.engine, explainApp.name) : undefined),
    [o.engine, explainApp],
  );
  const treeApp = top.name === 'app' ? top.app : undefined;
  const tree = useMemo(
    () => (treeApp ? treeModel(o.engine, snapshot, treeApp) : undefined),
    [o.engine, snapshot, treeApp],
  );
  const cursor = top.name === 'app' && tree ? Math.min(top.cursor, tree.rows.length - 1) : -1;
  const node = tree?.rows[cursor]?.node;
  const nodeExplain = useMemo(
    () => (treeApp ? explainLines(o.engine, treeApp, node?.key) : undefined),
    [o.engine, treeApp, node],
  );
  const data: ViewData = {
    ...(top.name === 'logs' ? { logSession: triage.logSession(top.id) } : {}),
    ...(fleetExplain ? { fleetExplain } : {}),
    ...(tree ? { tree } : {}),
    ...(nodeExplain ? { nodeExplain } : {}),
  };
  return { ui, snapshot, target, readOnly, available, theme: picked.theme, crumbs, counts, top, data };
}
