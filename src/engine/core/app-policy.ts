import { type AppPolicy, clusterIsProduction, decideAppPolicy } from '../policy/index.js';
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
export function appPolicyOf(ctx: EngineContext, rt: AppRuntime): AppPolicy {
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
