import type { EngineContext } from '../core/context.js';
import { type KubeObject, keyOf, keyString, type ResourceKey } from '../model/resource-key.js';

/** A live object that was added, changed or deleted in one cluster's cache. */
export type LiveChange = { key: ResourceKey; obj?: KubeObject };

const keysOf = new WeakMap<KubeObject[], Set<string>>();

/** The keys of an app's desired objects, computed once per render result. */
export function desiredKeys(desired: KubeObject[]): Set<string> {
  let keys = keysOf.get(desired);
  if (!keys) {
    keys = new Set(desired.map((d) => keyString(keyOf(d))));
    keysOf.set(desired, keys);
  }
  return keys;
}

/**
 * The apps a batch of live changes in `context` concerns: the app a changed object is tracked by
 * (directly or through its owners: Pod → ReplicaSet → Deployment), and every app of that cluster
 * that wants an object with the changed key.
 */
export function appsTouchedBy(ctx: EngineContext, context: string, changed: LiveChange[]): Set<string> {
  const out = new Set<string>();
  const cache = ctx.caches.get(context);
  for (const { key, obj } of changed) {
    const id = keyString(key);
    let appName = obj?.metadata.annotations?.[ctx.tracking]?.split(':')[0];
    if (!appName && obj && cache) {
      let cur: KubeObject | undefined = obj;
      for (let i = 0; i < 3 && cur && !appName; i++) {
        const ref: { uid: string } | undefined = cur.metadata.ownerReferences?.[0];
        cur = ref ? cache.byUidGet(ref.uid) : undefined;
        appName = cur?.metadata.annotations?.[ctx.tracking]?.split(':')[0];
      }
    }
    if (appName && ctx.apps.has(appName)) out.add(appName);
    for (const rt of ctx.apps.values()) {
      if (rt.context === context && desiredKeys(rt.desired).has(id)) out.add(rt.spec.name);
    }
  }
  return out;
}
