import { discoverApps } from '../apps/discover.js';
import { environmentOrder } from '../apps/environment.js';
import { prepareDesired } from '../core/compare-app.js';
import type { EngineContext } from '../core/context.js';
import { resolveDestination } from '../core/destinations.js';
import { forEachLimit } from '../core/pool.js';
import { projectRefusalsOf } from '../core/project-check.js';
import type { HelmCapabilities } from '../model/app.js';
import { splitApiVersion } from '../model/resource-key.js';
import { environmentIsProduction } from '../policy/index.js';

/** Maps each app's destination to a kubeconfig context (after every discovery). */
export function mapDestinations(ctx: EngineContext): void {
  if (!ctx.destinations) return;
  for (const rt of ctx.apps.values()) {
    const r = resolveDestination(rt.spec.destination, ctx.destinations);
    rt.context = 'context' in r ? r.context : undefined;
    rt.contextError = 'error' in r ? (ctx.noKubeconfig ?? r.error) : undefined;
    if (rt.context && ctx.caches.size > 0 && !ctx.caches.has(rt.context)) {
      rt.contextError = `kubeconfig context ${rt.context} is not available`;
    }
  }
}

/** Resolves the branch head, snapshots it and discovers applications. */
export async function discover(ctx: EngineContext): Promise<void> {
  const branch = ctx.config.repo.branch;
  ctx.head = await ctx.repo.resolve(branch).catch(async () => ctx.repo.resolve('HEAD'));
  ctx.snapshotDir = await ctx.repo.snapshot(ctx.head);
  const discovery = await discoverApps({ dir: ctx.snapshotDir, config: ctx.config });
  ctx.projects = discovery.projects;
  const seen = new Set<string>();
  for (const spec of discovery.apps) {
    seen.add(spec.name);
    const prev = ctx.apps.get(spec.name);
    const errors = discovery.errors.filter((e) => e.app === spec.name).map((e) => e.message);
    if (prev) {
      prev.spec = spec;
      prev.errors = errors;
    } else {
      ctx.apps.set(spec.name, { spec, errors, desired: [], compares: [], automation: { attempts: 0 } });
    }
  }
  for (const name of [...ctx.apps.keys()]) if (!seen.has(name)) ctx.apps.delete(name);
  // A parent of an app-of-apps is its own service (its path names a folder of Applications).
  for (const rt of ctx.apps.values()) {
    if (rt.spec.origin.parentApp) {
      const parent = ctx.apps.get(rt.spec.origin.parentApp);
      if (parent) parent.spec = { ...parent.spec, service: parent.spec.name };
    }
  }
  mapDestinations(ctx);
  const envs = environmentOrder(
    ctx.config,
    [...ctx.apps.values()].map((a) => a.spec.environment).filter((e): e is string => !!e),
  );
  ctx.store.update((s) => ({
    ...s,
    repo: {
      ...s.repo,
      head: ctx.head,
      problems: discovery.errors
        .filter((e) => !e.app)
        .map((e) => ({ file: e.file ?? e.appSet ?? 'repository', message: e.message })),
    },
    appSets: discovery.appSets.map((a) => ({
      name: a.name,
      generated: a.generated,
      ...(a.error ? { error: a.error } : {}),
    })),
    errors: [
      ...discovery.errors
        .filter((e) => !e.app)
        .map((e) => ({ source: e.file ?? e.appSet ?? 'repository', message: e.message })),
      ...(ctx.noKubeconfig ? [{ source: 'kubeconfig', message: ctx.noKubeconfig }] : []),
    ],
    environments: envs.map((name) => {
      const c = ctx.config.environments.find((e) => e.name === name);
      return {
        name,
        production: environmentIsProduction(name, ctx.config.environments),
        requireReview: c?.requireReview ?? false,
      };
    }),
  }));
}

/** Renders every app (4 at a time) through the render cache; `onRendered` counts them as they finish. */
export async function renderAll(
  ctx: EngineContext,
  names?: string[],
  opts: { onRendered?: (done: number, total: number) => void } = {},
): Promise<void> {
  const all = names ?? [...ctx.apps.keys()];
  let done = 0;
  await forEachLimit(all, 4, async (n) => {
    await renderOne(ctx, n);
    opts.onRendered?.(++done, all.length);
  });
}

/**
 * What the app's destination cluster tells Helm charts (`--kube-version`, `--api-versions`), as
 * Argo CD passes them; nothing when the cluster's discovery is not loaded (Helm's defaults then).
 */
export function capabilitiesOf(
  ctx: EngineContext,
  context: string | undefined,
): { capabilities?: HelmCapabilities } {
  const discovery = context ? ctx.caches.get(context)?.cluster.discovery : undefined;
  if (!discovery || discovery.loadedAt === 0) return {};
  const apiVersions = discovery.apiVersions();
  return {
    capabilities: {
      ...(discovery.serverVersion ? { kubeVersion: discovery.serverVersion } : {}),
      ...(apiVersions.length > 0 ? { apiVersions } : {}),
    },
  };
}

/** Renders one app at its target revision and prepares its desired objects. */
export async function renderOne(ctx: EngineContext, name: string): Promise<void> {
  const rt = ctx.apps.get(name);
  if (!rt || !ctx.head || !ctx.snapshotDir) return;
  if (rt.errors.length > 0) {
    rt.render = { ok: false, error: rt.errors[0] ?? 'discovery error' };
    rt.desired = [];
    return;
  }
  let revision = ctx.head;
  let dir = ctx.snapshotDir;
  const target = rt.spec.sources[0]?.targetRevision;
  if (target && !['HEAD', ctx.config.repo.branch, `origin/${ctx.config.repo.branch}`].includes(target)) {
    try {
      revision = await ctx.repo.resolve(target);
      dir = await ctx.repo.snapshot(revision);
    } catch (err) {
      rt.render = { ok: false, error: `targetRevision ${target}: ${(err as Error).message}` };
      rt.desired = [];
      return;
    }
  }
  const result = await ctx.renderCache.render({
    spec: rt.spec,
    snapshotDir: dir,
    revision,
    objectId: (p) => ctx.repo.objectId(revision, p),
    timeoutMs: ctx.config.limits.renderTimeoutSeconds * 1000,
    maxBytes: ctx.config.limits.maxManifestBytes,
    ...(ctx.config.binaries.kustomize ? { kustomizeBin: ctx.config.binaries.kustomize } : {}),
    ...(ctx.config.binaries.helm ? { helmBin: ctx.config.binaries.helm } : {}),
    ...capabilitiesOf(ctx, rt.context),
  });
  rt.render = result;
  rt.revision = revision;
  if (!result.ok) {
    rt.desired = [];
    return;
  }
  const cache = rt.context ? ctx.caches.get(rt.context) : undefined;
  rt.desired = prepareDesired(rt.spec, result.objects, {
    trackingAnnotation: ctx.tracking,
    namespaced: (g, k) => cache?.cluster.discovery.find(g, k)?.namespaced,
  });
  rt.lastGoodDesiredCount = rt.desired.length;
  rt.projectRefusals = projectRefusalsOf(ctx, rt);
  cache?.ensureKinds(rt.desired.map((o) => ({ group: splitApiVersion(o.apiVersion).group, kind: o.kind })));
}
