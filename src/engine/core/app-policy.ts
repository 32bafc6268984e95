import type { SyncWindow } from '../apps/sync-windows.js';
import {
  type AppPolicy,
  appWindows,
  clusterIsProduction,
  decideAppPolicy,
  decideSyncWindow,
  type SyncWindowStatus,
  type SyncWindowVerdict,
  syncWindowStatus,
} from '../policy/index.js';
import type { AppRuntime } from './app-runtime.js';
import type { EngineContext } from './context.js';

/** Whether the cluster behind a kubeconfig context is production (see policy/clusterIsProduction). */
export function clusterProductionOf(ctx: EngineContext, context: string | undefined): boolean {
  if (!context) return false;
  const reg = ctx.config.clusters.find((r) => r.context === context);
  return clusterIsProduction({
    name: reg?.name ?? context,
    context,
    appEnvironments: [...ctx.apps.values()]
      .filter((rt) => rt.context === context)
      .map((rt) => rt.spec.environment),
    environments: ctx.config.environments,
  });
}

/** The policy of an app as the engine publishes and enforces it. */
export function appPolicyOf(ctx: EngineContext, rt: Pick<AppRuntime, 'spec' | 'context'>): AppPolicy {
  const reg = ctx.config.clusters.find((r) => r.context === rt.context);
  return decideAppPolicy({
    app: rt.spec.name,
    ...(rt.spec.environment ? { environment: rt.spec.environment } : {}),
    environments: ctx.config.environments,
    clusterProduction: clusterProductionOf(ctx, rt.context),
    engineReadOnly: ctx.opts.readOnly ?? false,
    ...(reg ? { cluster: { name: reg.name, readOnly: reg.readOnly } } : {}),
  });
}

/** The AppProject sync windows that apply to an app (empty when none). */
export function appWindowsOf(ctx: EngineContext, rt: AppRuntime): SyncWindow[] {
  const project = ctx.projects.find((p) => p.name === rt.spec.project);
  const reg = ctx.config.clusters.find((r) => r.context === rt.context);
  const dest = rt.spec.destination;
  const server = dest.server ?? reg?.server;
  return appWindows(project?.syncWindows, {
    name: rt.spec.name,
    ...(dest.namespace ? { namespace: dest.namespace } : {}),
    ...(dest.name ? { destinationName: dest.name } : {}),
    ...(server ? { destinationServer: server } : {}),
  });
}

/** Whether the app's sync windows let a sync run at `now` (manual or automated). */
export function syncWindowVerdictOf(
  ctx: EngineContext,
  rt: AppRuntime,
  opts: { now: number; manual: boolean },
): SyncWindowVerdict {
  return decideSyncWindow({ project: rt.spec.project, windows: appWindowsOf(ctx, rt), ...opts });
}

/** The app's sync-window status at `now`, as published on its state (undefined without matching windows). */
export function syncWindowOf(ctx: EngineContext, rt: AppRuntime, now: number): SyncWindowStatus | undefined {
  return syncWindowStatus({ project: rt.spec.project, windows: appWindowsOf(ctx, rt), now });
}
