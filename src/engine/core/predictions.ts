import { createHash } from 'node:crypto';
import type { ClusterCache } from '../live/cluster-cache.js';
import { type KubeObject, splitApiVersion } from '../model/resource-key.js';
import type { Predictor } from './compare-app.js';
import { readEntries, writeEntries } from './entries-file.js';

const MAX_ENTRIES = 20_000;
const FILE_VERSION = 1;
/** How long a dry-run of a create (no live object) answers a sync's pre-flight. */
export const ABSENT_TTL_MS = 10 * 60_000;

/**
 * Server-side dry-run results, keyed by context, object, the live object's uid and resourceVersion, and the
 * desired content. The live uid and resourceVersion name one exact state of one object, so an answer stays
 * true until either side changes: the entries this process used are kept on disk, and the next process
 * (a CLI command, a console start) dry-runs only what changed since, as Argo CD's server-side diff
 * caches its dry-runs. A dry-run of a create has no live state to name: it answers for ten minutes, in
 * the process that made it, and is never kept on disk. Secrets are never written to disk.
 */
export class Predictions {
  private readonly cache = new Map<string, KubeObject>();
  /** Keys answered or asked in this process: what is worth keeping on disk. */
  private readonly used = new Set<string>();
  /** When each dry-run of a create was answered, in this process. */
  private readonly absentAt = new Map<string, number>();

  constructor(private readonly now: () => number = Date.now) {}

  /** The cache key of a desired object against one live state (absent when there is no live object). */
  private key(context: string, desired: KubeObject, live: KubeObject | undefined): string {
    const h = createHash('sha1').update(JSON.stringify(desired)).digest('hex');
    const { group } = splitApiVersion(desired.apiVersion);
    const state = live ? `${live.metadata.uid ?? ''}@${live.metadata.resourceVersion ?? ''}` : 'absent';
    return `${context}|${group}/${desired.kind}/${desired.metadata.namespace ?? ''}/${desired.metadata.name}|${state}|${h}`;
  }

  /** True when the dry-run of a create kept at `k` is recent enough to be reused. */
  private fresh(k: string): boolean {
    const at = this.absentAt.get(k);
    return at !== undefined && this.now() - at < ABSENT_TTL_MS;
  }

  private get(k: string, absent: boolean): KubeObject | undefined {
    if (absent && !this.fresh(k)) return undefined;
    const hit = this.cache.get(k);
    if (hit) this.used.add(k);
    return hit;
  }

  private set(k: string, predicted: KubeObject, absent: boolean): void {
    if (this.cache.size > MAX_ENTRIES) {
      this.cache.clear();
      this.absentAt.clear();
    }
    this.cache.set(k, predicted);
    this.used.add(k);
    if (absent) this.absentAt.set(k, this.now());
  }

  /** A cached server-side dry-run result, if this exact object was dry-run against this live state. */
  cached(context: string, desired: KubeObject, live: KubeObject | undefined): KubeObject | undefined {
    // Only a live object with a resourceVersion names a state; without one, nothing is reused.
    if (live && !live.metadata.resourceVersion) return undefined;
    // No create was dry-run ahead in this process (a command): nothing to look up.
    if (!live && this.absentAt.size === 0) return undefined;
    return this.get(this.key(context, desired, live), !live);
  }

  /** How many creates answer a pre-flight now (expired ones are dropped first). */
  preparedCount(): number {
    const now = this.now();
    for (const [k, at] of this.absentAt) {
      if (now - at < ABSENT_TTL_MS) continue;
      this.absentAt.delete(k);
      this.cache.delete(k);
    }
    return this.absentAt.size;
  }

  /** True when a create of `desired` was dry-run recently enough to answer a sync's pre-flight. */
  preparedCreate(context: string, desired: KubeObject): boolean {
    return this.fresh(this.key(context, desired, undefined));
  }

  /** Records what a server-side dry-run create of `desired` returned (the object does not exist yet). */
  preparedAs(context: string, desired: KubeObject, predicted: KubeObject): void {
    this.set(this.key(context, desired, undefined), predicted, true);
  }

  /**
   * Records what a real server-side apply returned: the same apply sent again, against the object it
   * produced, changes nothing (the API server drops a no-op apply), so its dry-run answer is that object.
   * The next comparison of the app (this process or the next) then sends no dry-run for it.
   */
  applied(context: string, desired: KubeObject, result: KubeObject): void {
    if (!result.metadata.resourceVersion) return;
    this.set(this.key(context, desired, result), result, false);
  }

  /** A predictor that dry-runs against the cache's cluster and remembers the answers. */
  predictorFor(cache: ClusterCache): Predictor {
    return async (desired, live) => {
      const reusable = !live || Boolean(live.metadata.resourceVersion);
      const k = this.key(cache.context, desired, live);
      const hit = reusable ? this.get(k, !live) : undefined;
      if (hit) return { predicted: hit };
      try {
        const predicted = await cache.cluster.apply(desired, { dryRun: true, force: true });
        if (reusable) this.set(k, predicted, !live);
        return { predicted };
      } catch (err) {
        return { error: (err as Error).message.split('\n')[0] ?? 'dry-run failed' };
      }
    };
  }

  /** Loads the answers an earlier process kept; a missing or unreadable file is an empty cache. */
  load(file: string): void {
    for (const [k, v] of readEntries<KubeObject>(file, { version: FILE_VERSION, max: MAX_ENTRIES }))
      if (!this.cache.has(k)) this.cache.set(k, v);
  }

  /** Keeps the answers this process used (never a Secret's), replacing the file atomically. */
  save(file: string): void {
    const entries: [string, KubeObject][] = [];
    for (const k of this.used) {
      if (this.absentAt.has(k)) continue;
      const v = this.cache.get(k);
      if (v && !(v.kind === 'Secret' && splitApiVersion(v.apiVersion).group === '')) entries.push([k, v]);
    }
    if (entries.length > 0) writeEntries(file, { version: FILE_VERSION }, entries);
  }
}
