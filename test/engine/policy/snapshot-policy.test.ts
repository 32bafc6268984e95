import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../../src/config/config.js';
import { EngineContext } from '../../../src/engine/core/context.js';
import type { EngineAdapters } from '../../../src/engine/core/options.js';
import { snapshotParts } from '../../../src/engine/core/snapshot-parts.js';
import type { ClusterCache } from '../../../src/engine/live/cluster-cache.js';
import { app } from '../sync/fakes.js';

const noAdapters = {} as EngineAdapters;

/** A cluster cache as far as the snapshot reads it (no connection). */
function cacheOf(context: string): ClusterCache {
  return {
    context,
    status: 'Connected',
    watchedKinds: 3,
    size: 0,
    cluster: { client: { context: { server: 'https://127.0.0.1:6443' }, counts: { list: 0, watch: 0 } } },
  } as unknown as ClusterCache;
}

/** An engine context with apps (name → environment, context) and clusters, as after start(). */
function contextWith(opts: {
  yaml?: string;
  readOnly?: boolean;
  apps: { name: string; environment?: string; context: string }[];
}): EngineContext {
  const ctx = new EngineContext({ repoPath: '/repo', readOnly: opts.readOnly ?? false }, noAdapters);
  ctx.config = parseConfig(opts.yaml ?? '', 'bosun.yaml');
  for (const a of opts.apps) {
    const spec = app(a.name, a.environment ? { environment: a.environment } : {});
    ctx.apps.set(a.name, {
      spec,
      context: a.context,
      errors: [],
      desired: [],
      compares: [],
      automation: { attempts: 0 },
    });
    if (!ctx.caches.has(a.context)) ctx.caches.set(a.context, cacheOf(a.context));
  }
  return ctx;
}

describe('production is decided once, by exact names', () => {
  it('a context named nonprod is not production', () => {
    const ctx = contextWith({ apps: [{ name: 'shop-qa', context: 'nonprod' }] });
    const { clusters, apps } = snapshotParts(ctx);
    expect(clusters.find((c) => c.context === 'nonprod')?.production).toBe(false);
    expect(apps[0]?.policy.production).toBe(false);
    expect(apps[0]?.policy.confirm).toEqual([]);
  });

  it('a context named PROD or Production is production, whatever the case', () => {
    const ctx = contextWith({
      apps: [
        { name: 'a', context: 'PROD' },
        { name: 'b', context: 'Production' },
      ],
    });
    const { clusters, apps } = snapshotParts(ctx);
    expect(clusters.map((c) => c.production)).toEqual([true, true]);
    expect(apps.map((a) => a.policy.production)).toEqual([true, true]);
    expect(apps[0]?.policy).toMatchObject({ confirm: ['sync', 'promote', 'revert'], confirmName: 'a' });
  });

  it('an app in a production environment is production, and so is its cluster', () => {
    const ctx = contextWith({
      yaml: 'environments:\n  - name: live\n    production: true\n',
      apps: [{ name: 'shop-live', environment: 'live', context: 'eu-1' }],
    });
    const { clusters, apps } = snapshotParts(ctx);
    expect(apps[0]?.policy.production).toBe(true);
    expect(clusters[0]?.production).toBe(true);
  });

  it('read-only is published with its reason: --read-only first, then the cluster setting', () => {
    const yaml = 'clusters:\n  - name: eu\n    context: eu-1\n    readOnly: true\n';
    const ro = snapshotParts(contextWith({ yaml, apps: [{ name: 'x', context: 'eu-1' }] }));
    expect(ro.apps[0]?.policy.readOnly).toEqual({
      code: 'cluster-read-only',
      reason: 'cluster eu is read-only in bosun.yaml',
    });
    expect(ro.clusters[0]?.readOnly).toBe(true);
    const flag = snapshotParts(contextWith({ yaml, readOnly: true, apps: [{ name: 'x', context: 'eu-1' }] }));
    expect(flag.apps[0]?.policy.readOnly).toEqual({ code: 'read-only', reason: 'bosun runs --read-only' });
    const free = snapshotParts(contextWith({ apps: [{ name: 'x', context: 'eu-1' }] }));
    expect(free.apps[0]?.policy.readOnly).toBeUndefined();
  });
});
