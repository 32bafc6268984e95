import { checkProject } from '../apps/project.js';
import { splitApiVersion } from '../model/resource-key.js';
import type { AppRuntime } from './app-runtime.js';
import type { EngineContext } from './context.js';

/** The AppProject rules an app's desired objects and destination break (empty when none), checked before any request. */
export function projectRefusalsOf(ctx: EngineContext, rt: AppRuntime): string[] {
  const clusterCfg = ctx.config.clusters.find((c) => c.context === rt.context);
  return checkProject(
    ctx.projects.find((p) => p.name === rt.spec.project),
    {
      app: rt.spec,
      ...(clusterCfg?.server ? { destinationServer: clusterCfg.server } : {}),
      ...(rt.spec.destination.name ? { destinationName: rt.spec.destination.name } : {}),
      objects: rt.desired.map((o) => ({
        group: splitApiVersion(o.apiVersion).group,
        kind: o.kind,
        namespace: o.metadata.namespace ?? '',
        name: o.metadata.name,
      })),
    },
  );
}
