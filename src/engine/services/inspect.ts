import type { EngineContext } from '../core/context.js';
import { customizationsFor } from '../core/customizations.js';
import { normalizeObject, unifiedDiff } from '../diff/index.js';
import { assessHealth, healthSource } from '../health/index.js';
import type { ClusterCache } from '../live/cluster-cache.js';
import { type KubeObject, keyLabel, keyOf, keyString, type ResourceKey } from '../model/resource-key.js';
import { ResourceSync } from '../model/status.js';
import { inputPaths } from '../render/index.js';
import type { HistoryEntry, ResourceDiff, ResourceNode } from '../types.js';
import { readHistory } from './app-history.js';

/** The runtime of an app, or a one-line error naming it. */
export function runtime(ctx: EngineContext, app: string) {
  const rt = ctx.apps.get(app);
  if (!rt) throw new Error(`unknown application "${app}"`);
  return rt;
}

/** The differing resources of an app with their unified diffs (Secret values masked by the differ). */
export async function diffApp(ctx: EngineContext, app: string): Promise<ResourceDiff[]> {
  const rt = runtime(ctx, app);
  const out: ResourceDiff[] = [];
  for (const c of rt.compares) {
    if (c.sync === ResourceSync.Synced) continue;
    let text = '';
    if (c.sync === ResourceSync.Missing)
      text = unifiedDiff({ key: c.key, target: normalizeObject(c.desired!) });
    else if (c.sync === ResourceSync.Extra)
      text = unifiedDiff({ key: c.key, live: normalizeObject(c.live!) });
    else if (c.result)
      text = unifiedDiff({ key: c.key, live: c.result.normalizedLive, target: c.result.normalizedTarget });
    if (!text && c.sync === ResourceSync.OutOfSync)
      text = `--- live/${keyLabel(c.key)}\n+++ target/${keyLabel(c.key)}\n# ${c.explain[0] ?? 'differs'}\n`;
    out.push({
      key: c.key,
      sync: c.sync,
      changedPaths: c.result?.changedPaths ?? [],
      text,
      explain: c.explain,
    });
  }
  return out;
}

/** A live object as a tree node with its owned children (three levels below `depth`), health and events. */
export function liveNodeOf(
  ctx: EngineContext,
  obj: KubeObject,
  depth: number,
  c?: ClusterCache,
  /** The kubeconfig context the object lives in (its argocd-cm health customizations apply). */
  context?: string,
): ResourceNode {
  const uid = obj.metadata.uid;
  const children =
    uid && c && depth < 3 ? c.ownedBy(uid).map((o) => liveNodeOf(ctx, o, depth + 1, c, context)) : [];
  const customizations = customizationsFor(ctx, context);
  const health = assessHealth(obj, customizations ? { customizations } : {});
  const events = uid && c ? c.eventsFor(uid) : [];
  return {
    key: keyOf(obj),
    ...(health ? { health } : {}),
    ...(obj.kind === 'Pod'
      ? { info: String((obj.status as { phase?: string } | undefined)?.phase ?? '') }
      : {}),
    children: children.sort((a, b) => keyString(a.key).localeCompare(keyString(b.key))),
    ...(events.length ? { events } : {}),
  };
}

/** The app's resources with their owned children (three levels), health and events. */
export function treeOf(ctx: EngineContext, app: string): ResourceNode[] {
  const rt = runtime(ctx, app);
  const cache = rt.context ? ctx.caches.get(rt.context) : undefined;
  const nodeOf = (obj: KubeObject, depth: number, c?: ClusterCache) =>
    liveNodeOf(ctx, obj, depth, c, rt.context);
  return rt.compares.map((c) => {
    if (!c.live)
      return {
        key: c.key,
        version: c.version,
        sync: c.sync,
        ...(c.health ? { health: c.health } : {}),
        children: [],
      };
    const n = nodeOf(c.live, 0, cache);
    return { ...n, version: c.version, sync: c.sync };
  });
}

/** Why an app (or one of its resources) is out of sync or unhealthy, in lines a person can act on. */
export function explainApp(ctx: EngineContext, app: string, resource?: ResourceKey): string[] {
  const rt = runtime(ctx, app);
  const state = ctx.store.getSnapshot().apps.find((a) => a.name === app);
  if (resource) {
    const c = rt.compares.find((x) => keyString(x.key) === keyString(resource));
    if (!c) return [`${keyLabel(resource)} is not part of ${app}`];
    const lines = [
      `${keyLabel(c.key)}: ${c.sync}${c.health ? `, ${c.health.status}` : ''}`,
      ...c.explain.map((l) => `  ${l}`),
    ];
    if (c.health && c.health.status !== 'Missing')
      lines.push(`  health from: ${healthSource(c.health, c.key)}`);
    if (c.health && c.health.status !== 'Healthy') {
      lines.push(`  health: ${c.health.message ?? c.health.status}`);
      if (c.health.check)
        lines.push(
          `  check: ${c.health.check}${c.health.waitingOn ? `, waiting on ${c.health.waitingOn}` : ''}`,
        );
    }
    return lines;
  }
  const lines = [
    `${app}: ${state?.sync ?? 'Unknown'}, ${state?.health ?? 'Unknown'}${rt.revision ? ` at ${rt.revision.slice(0, 7)}` : ''}`,
  ];
  for (const cond of state?.conditions ?? []) lines.push(`  ${cond.type}: ${cond.message}`);
  const access = rt.context ? ctx.argoCmAccess.get(rt.context) : undefined;
  if (access) lines.push(`  ${access}`);
  for (const w of rt.context ? (ctx.argoCmWarnings.get(rt.context) ?? []) : []) lines.push(`  ${w}`);
  for (const c of rt.compares) {
    const unhealthy = c.health && !['Healthy', 'Missing'].includes(c.health.status);
    if (c.sync === ResourceSync.Synced && !unhealthy) continue;
    lines.push(`${keyLabel(c.key)}: ${c.sync}${c.health ? `, ${c.health.status}` : ''}`);
    for (const l of c.explain) lines.push(`  ${l}`);
    if (unhealthy && c.health) {
      lines.push(
        `  health: ${c.health.message ?? ''}${c.health.waitingOn ? ` (waiting on ${c.health.waitingOn})` : ''}`,
      );
      lines.push(`  health from: ${healthSource(c.health, c.key)}`);
    }
  }
  if (lines.length === 1 && state?.sync === 'Synced') lines.push('  every resource matches Git');
  return lines;
}

/** The commits that feed an app's render, newest first, with the clusters running each. */
export async function historyOf(
  ctx: EngineContext,
  app: string,
  opts: {
    limit?: number;
    /** argocd backend: the revision Argo CD last deployed for an app (instead of bosun's own records). */
    deployedRevision?: (app: string) => string | undefined;
    /** argocd backend: Argo CD's deployments of this app by commit. */
    deployments?: Map<string, NonNullable<HistoryEntry['deployments']>>;
  } = {},
): Promise<HistoryEntry[]> {
  const rt = runtime(ctx, app);
  const paths = ctx.snapshotDir ? await inputPaths({ spec: rt.spec, snapshotDir: ctx.snapshotDir }) : [];
  if (rt.spec.origin.file) paths.push(rt.spec.origin.file);
  const commits = await ctx.repo.log({ rev: ctx.head ?? 'HEAD', paths, maxCount: opts.limit ?? 50 });
  const running = new Map<string, string[]>();
  const siblings = [...ctx.apps.values()].filter((o) => o.spec.service === rt.spec.service && o.context);
  await Promise.all(
    siblings.map(async (o) => {
      const { deployedRevision } = opts;
      const rev = deployedRevision
        ? deployedRevision(o.spec.name)
        : ((await readHistory(ctx, o.spec.name).catch(() => [])).find(
            (r) => r.kind === 'sync' && r.phase === 'Succeeded' && !r.dryRun,
          )?.revision ?? o.automation.lastSyncedRevision);
      if (!rev || !o.context) return;
      const label = `${o.context}${o.spec.environment ? ` (${o.spec.environment})` : ''}`;
      // A revision that touches none of these paths runs the newest commit of this history it contains.
      const at = commits.some((c) => c.sha === rev)
        ? rev
        : (await ctx.repo.log({ rev, paths, maxCount: 1 }).catch(() => []))[0]?.sha;
      if (at) running.set(at, [...(running.get(at) ?? []), label]);
    }),
  );
  return commits.map((c) => ({
    sha: c.sha,
    shortSha: c.shortSha,
    author: c.author,
    date: c.date,
    subject: c.subject,
    runningIn: running.get(c.sha) ?? [],
    ...(opts.deployments?.has(c.sha) ? { deployments: opts.deployments.get(c.sha) } : {}),
  }));
}
