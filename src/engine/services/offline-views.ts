import type { EngineContext } from '../core/context.js';
import { resolveDestination } from '../core/destinations.js';
import { parseTrackingId } from '../diff/index.js';
import {
  type AppSetPreviewResult,
  type CompareEnvOptions,
  compareEnvironments,
  type EnvComparison,
  type LiveApp,
  type LiveApps,
  previewAppSets,
  withLive,
} from '../offline/index.js';
import { ClusterStatus } from '../types.js';

/** Options of the engine's environment comparison (the repository and config are the engine's). */
export type CompareRequest = Pick<CompareEnvOptions, 'service' | 'envA' | 'envB' | 'revision'>;

/** Options of the engine's ApplicationSet preview. */
export type AppSetPreviewRequest = { name?: string; revision?: string };

const workspaceOf = (ctx: EngineContext) => ({
  repoPath: ctx.opts.repoPath,
  cacheDir: ctx.cacheDir,
  ...(ctx.opts.configPath ? { configPath: ctx.opts.configPath } : {}),
});

/** `bosun compare` for the console: the same offline comparison, on the engine's repository. */
export function compareForEngine(ctx: EngineContext, req: CompareRequest): Promise<EnvComparison> {
  return compareEnvironments({ ...workspaceOf(ctx), ...req });
}

/**
 * The apps the clusters run, from the live caches: every tracking id on a cached object of a
 * reachable cluster names its app. Without a kubeconfig or any reachable cluster, says why not.
 */
export function liveApps(ctx: EngineContext): LiveApps {
  if (ctx.noKubeconfig) return { compared: false, reason: ctx.noKubeconfig };
  const caches = [...ctx.caches.entries()];
  if (caches.length === 0) return { compared: false, reason: 'no cluster is in use' };
  const reachable = caches.filter(([, c]) => c.status === ClusterStatus.Connected);
  const unreachable = caches.filter(([, c]) => c.status !== ClusterStatus.Connected).map(([n]) => n);
  if (reachable.length === 0)
    return { compared: false, reason: `no cluster is reachable (${unreachable.join(', ')})` };
  const apps = new Map<string, LiveApp>();
  for (const [context, cache] of reachable) {
    for (const o of cache.all()) {
      const v = o.metadata.annotations?.[ctx.tracking];
      const id = v ? parseTrackingId(v) : undefined;
      if (!id) continue;
      const a = apps.get(id.app) ?? { name: id.app, contexts: [], objects: 0 };
      if (!a.contexts.includes(context)) a.contexts.push(context);
      a.objects++;
      apps.set(id.app, a);
    }
  }
  return { compared: true, apps: [...apps.values()], unreachable };
}

/**
 * The ApplicationSet preview with the live comparison: `live` is what the engine sees deployed
 * (the live caches, or Argo CD's Applications with that backend).
 */
export async function previewForEngine(
  ctx: EngineContext,
  req: AppSetPreviewRequest,
  live: (candidates: string[]) => LiveApps,
): Promise<AppSetPreviewResult> {
  const p = await previewAppSets({ ...workspaceOf(ctx), ...req });
  const specs = new Map(p.sets.flatMap((s) => s.apps).map((a) => [a.name, a] as const));
  const contextOf = (name: string): string | undefined => {
    const known = ctx.apps.get(name)?.context;
    if (known) return known;
    const a = specs.get(name);
    if (!a || !ctx.destinations) return undefined;
    // `destination` is `name-or-server/namespace`: the preview keeps the destination as text.
    const [dest] = a.destination.split('/');
    if (!dest) return undefined;
    const r = resolveDestination(
      /^https?:/.test(a.destination)
        ? { server: a.destination.slice(0, a.destination.lastIndexOf('/')) }
        : { name: dest },
      ctx.destinations,
    );
    return 'context' in r ? r.context : undefined;
  };
  return withLive(p, live([...specs.keys()]), contextOf);
}
