import type { AppState, ClusterState, EngineSnapshot } from '../../engine/index.js';
import type { ViewName } from './command-spec.js';
import { clusterOf, fleetModel, isProduction, selectedFleetApp } from './fleet-model.js';
import { topView } from './reducer.js';
import type { UiState, ViewEntry } from './types.js';

/** What an action would hit right now: the app, its cluster and context, and whether it is production. */
export type Target = {
  app?: AppState;
  cluster?: ClusterState;
  context?: string;
  /** A batch's contexts (the "sync what the filter shows" dialog), in fleet order. */
  contexts?: string[];
  production: boolean;
};

/** The view or dialog that owns the keyboard. */
export function activeView(ui: UiState): ViewName {
  return ui.modal ? ui.modal.kind : topView(ui).name;
}

/** The app name a view is about, if any. */
export function viewApp(v: ViewEntry): string | undefined {
  return 'app' in v ? v.app : undefined;
}

/** Finds an app by name in the snapshot. */
export function findApp(snapshot: EngineSnapshot, name: string | undefined): AppState | undefined {
  return name === undefined ? undefined : snapshot.apps.find((a) => a.name === name);
}

/** The target of the current view or dialog (shown in the header, used by every action). */
export function currentTarget(ui: UiState, snapshot: EngineSnapshot): Target {
  const m = ui.modal;
  if (m?.kind === 'sync-many') {
    const contexts = new Set<string>();
    for (const s of m.shown) {
      if (!m.all && !s.outOfSync) continue;
      const app = findApp(snapshot, s.app);
      const context = app ? (app.context ?? clusterOf(snapshot, app)?.context) : undefined;
      if (context) contexts.add(context);
    }
    return { contexts: [...contexts], production: m.production };
  }
  if (m) {
    const name =
      m.kind === 'promote'
        ? (m.target?.app ?? (m.stage === 'pick' ? m.targets[m.cursor]?.app : undefined))
        : m.app;
    return targetOfApp(
      snapshot,
      findApp(snapshot, name),
      m.kind === 'promote' ? m.target?.production : undefined,
    );
  }
  for (let i = ui.stack.length - 1; i >= 0; i--) {
    const v = ui.stack[i];
    if (!v || v.name === 'help') continue;
    if (v.name === 'fleet')
      return targetOfApp(snapshot, selectedFleetApp(fleetModel(snapshot, ui.fleet), ui.fleet));
    if (v.name === 'clusters') {
      const cluster = snapshot.clusters[v.cursor];
      return { cluster, context: cluster?.context, production: cluster?.production ?? false };
    }
    return targetOfApp(snapshot, findApp(snapshot, viewApp(v)));
  }
  return { production: false };
}

function targetOfApp(snapshot: EngineSnapshot, app: AppState | undefined, production?: boolean): Target {
  if (!app) return { production: production ?? false };
  const cluster = clusterOf(snapshot, app);
  return {
    app,
    cluster,
    context: app.context ?? cluster?.context,
    production: production || isProduction(snapshot, app),
  };
}

/** True when mutating commands are off: `--read-only`, the engine's read-only, or the target cluster's `readOnly`. */
export function isReadOnly(flag: boolean, snapshot: EngineSnapshot, target: Target): boolean {
  return (
    flag ||
    snapshot.readOnly ||
    target.app?.policy.readOnly !== undefined ||
    (target.cluster?.readOnly ?? false)
  );
}
