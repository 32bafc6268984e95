import { createHash } from 'node:crypto';
import type { ClusterCache } from '../live/cluster-cache.js';
import { type KubeObject, splitApiVersion } from '../model/resource-key.js';
import type { Predictor } from './compare-app.js';

/** Server-side dry-run results, keyed by context, object, live resourceVersion and desired content. */
export class Predictions {
  private readonly cache = new Map<string, KubeObject>();

  /** The cache key of a desired object against the live object's resourceVersion. */
  private key(context: string, desired: KubeObject, liveRv: string | undefined): string {
    const h = createHash('sha1').update(JSON.stringify(desired)).digest('hex');
    const { group } = splitApiVersion(desired.apiVersion);
    return `${context}|${group}/${desired.kind}/${desired.metadata.namespace ?? ''}/${desired.metadata.name}|${liveRv ?? 'absent'}|${h}`;
  }

  /** A cached server-side dry-run result, if this exact object was dry-run against this live version. */
  cached(context: string, desired: KubeObject, liveRv: string | undefined): KubeObject | undefined {
    return this.cache.get(this.key(context, desired, liveRv));
  }

  /** A predictor that dry-runs against the cache's cluster and remembers the answers. */
  predictorFor(cache: ClusterCache): Predictor {
    return async (desired, live) => {
      const k = this.key(cache.context, desired, live?.metadata.resourceVersion);
      const hit = this.cache.get(k);
      if (hit) return { predicted: hit };
      try {
        const predicted = await cache.cluster.apply(desired, { dryRun: true, force: true });
        if (this.cache.size > 20_000) this.cache.clear();
        this.cache.set(k, predicted);
        return { predicted };
      } catch (err) {
        return { error: (err as Error).message.split('\n')[0] ?? 'dry-run failed' };
      }
    };
  }
}
