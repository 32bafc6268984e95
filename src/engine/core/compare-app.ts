import {
  type CompareResult,
  compareObjects,
  explainComparison,
  ownerOf,
  setTracking,
} from '../diff/index.js';
import type { Customizations } from '../health/customizations.js';
import { assessHealth } from '../health/index.js';
import type { ClusterCache } from '../live/cluster-cache.js';
import type { AppSpec, IgnoreDifference } from '../model/app.js';
import {
  type KubeObject,
  keyOf,
  keyString,
  type ResourceKey,
  splitApiVersion,
} from '../model/resource-key.js';
import { type Health, ResourceSync } from '../model/status.js';
import { forEachLimit } from './pool.js';

/** The comparison of one resource of an app, kept by the engine for diff and explain. */
export type ResourceCompare = {
  key: ResourceKey;
  version: string;
  desired?: KubeObject;
  live?: KubeObject;
  predicted?: KubeObject;
  result?: CompareResult;
  sync: ResourceSync;
  health?: Health;
  explain: string[];
  owner?: string;
};

/**
 * Predicts the live object after applying `desired` (server-side apply dry-run), or says why not.
 * `live` undefined means the object does not exist yet (the prediction warms the sync's pre-flight).
 */
export type Predictor = (
  desired: KubeObject,
  live: KubeObject | undefined,
) => Promise<{ predicted?: KubeObject; error?: string }>;

const argoKinds = new Set(['Application', 'ApplicationSet', 'AppProject']);

/** True for Argo CD kinds, which bosun interprets and never applies. */
export function isArgoKind(obj: KubeObject): boolean {
  return splitApiVersion(obj.apiVersion).group === 'argoproj.io' && argoKinds.has(obj.kind);
}

/**
 * The desired objects as bosun applies them: Argo CD kinds removed, the destination namespace set on
 * namespaced objects without one, and the tracking annotation added.
 */
export function prepareDesired(
  app: AppSpec,
  objects: KubeObject[],
  opts: { namespaced: (group: string, kind: string) => boolean | undefined; trackingAnnotation: string },
): KubeObject[] {
  const ns = app.destination.namespace;
  return objects
    .filter((o) => !isArgoKind(o))
    .map((o) => {
      const { group } = splitApiVersion(o.apiVersion);
      let obj = o;
      if (!o.metadata.namespace && ns && opts.namespaced(group, o.kind) !== false) {
        obj = { ...o, metadata: { ...o.metadata, namespace: ns } };
      }
      return setTracking(obj, app.name, { annotationKey: opts.trackingAnnotation });
    });
}

/** Keys of live objects whose tracking id names `app` (candidates for Extra / prune). */
export function trackedLive(cache: ClusterCache, app: string, trackingAnnotation: string): KubeObject[] {
  const out: KubeObject[] = [];
  for (const o of cache.all()) {
    const v = o.metadata.annotations?.[trackingAnnotation];
    if (v?.startsWith(`${app}:`) && ownerOf(o, { app, annotationKey: trackingAnnotation }).kind === 'ours')
      out.push(o);
  }
  return out;
}

/**
 * Compares an app's desired objects with the live cache: per resource Synced, OutOfSync, Missing,
 * Extra or Foreign, the changed fields, the explanation and the live health.
 */
export async function compareApp(opts: {
  app: AppSpec;
  desired: KubeObject[];
  cache: ClusterCache;
  predict: Predictor;
  trackingAnnotation: string;
  /** Lua health customizations (argocd-cm, directories); health stays a function of (object, these). */
  customizations?: Customizations;
  /** The cluster's system-level ignoreDifferences (argocd-cm), applied with the app's own rules. */
  systemIgnores?: readonly IgnoreDifference[];
}): Promise<ResourceCompare[]> {
  const { app, cache } = opts;
  const ignore = [...(opts.systemIgnores ?? []), ...(app.ignoreDifferences ?? [])];
  const healthOpts = opts.customizations ? { customizations: opts.customizations } : {};
  const out: ResourceCompare[] = [];
  const desiredIds = new Set<string>();
  const compareOne = async (desired: KubeObject): Promise<ResourceCompare> => {
    const key = keyOf(desired);
    const version = splitApiVersion(desired.apiVersion).version;
    desiredIds.add(keyString(key));
    const live = cache.get(key);
    if (!live) {
      return {
        key,
        version,
        desired,
        sync: ResourceSync.Missing,
        explain: ['in Git, not in the cluster: a sync creates it'],
        health: { status: 'Missing', message: 'the object does not exist in the cluster' },
      };
    }
    const health = assessHealth(live, healthOpts);
    const owner = ownerOf(live, { app: app.name, annotationKey: opts.trackingAnnotation });
    if (owner.kind === 'other-app' || owner.kind === 'argocd') {
      const who =
        owner.kind === 'argocd'
          ? `Argo CD application ${owner.app ?? '?'}`
          : `bosun application ${owner.app}`;
      return {
        key,
        version,
        desired,
        live,
        sync: ResourceSync.Foreign,
        ...(health ? { health } : {}),
        owner: who,
        explain: [
          `the live object belongs to ${who}; bosun will not overwrite it unless you adopt it explicitly`,
        ],
      };
    }
    const p = await opts.predict(desired, live);
    const result = compareObjects({
      desired,
      live,
      ...(p.predicted ? { predicted: p.predicted } : {}),
      ...(ignore.length > 0 ? { ignore } : {}),
      mode: p.predicted ? 'full' : 'desired-fields',
    });
    const explain = explainComparison(result);
    if (p.error)
      explain.unshift(`server-side dry-run refused (${p.error}); compared only the fields Git sets`);
    if (owner.kind === 'none')
      explain.unshift('the live object is not tracked by bosun yet; a sync adopts it');
    const modified = result.modified || owner.kind === 'none';
    return {
      key,
      version,
      desired,
      live,
      ...(p.predicted ? { predicted: p.predicted } : {}),
      result,
      sync: modified ? ResourceSync.OutOfSync : ResourceSync.Synced,
      ...(health ? { health } : {}),
      explain,
    };
  };
  await forEachLimit(opts.desired, 8, async (d) => {
    out.push(await compareOne(d));
  });
  for (const live of trackedLive(cache, app.name, opts.trackingAnnotation)) {
    const key = keyOf(live);
    if (desiredIds.has(keyString(key))) continue;
    const health = assessHealth(live, healthOpts);
    out.push({
      key,
      version: splitApiVersion(live.apiVersion).version,
      live,
      sync: ResourceSync.Extra,
      ...(health ? { health } : {}),
      explain: ['live with this app’s tracking id but gone from Git: a sync with prune deletes it'],
    });
  }
  return out.sort((a, b) => keyString(a.key).localeCompare(keyString(b.key)));
}
