import { createHash, randomBytes } from 'node:crypto';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { AppSpec, HelmCapabilities, KubeObject, RenderResult } from '../model/index.js';
import { inputPaths, type RenderAppOptions, renderApp, renderDefaults } from './render-app.js';

/** Gives the git object id of a repo-relative path at the revision being rendered (undefined when absent). */
export type ObjectIdResolver = (path: string) => string | undefined | Promise<string | undefined>;

/** Bump when the rendering or the key changes meaning, so old disk entries are ignored. */
const CACHE_VERSION = 1;

/** JSON with object keys sorted, so equal options always hash the same. */
export function stableStringify(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(stableStringify).join(',')}]`;
  if (v && typeof v === 'object') {
    const entries = Object.entries(v as Record<string, unknown>)
      .filter(([, x]) => x !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, x]) => `${JSON.stringify(k)}:${stableStringify(x)}`).join(',')}}`;
  }
  return JSON.stringify(v) ?? 'null';
}

/** Options of `RenderCache.key`. */
export type RenderKeyOptions = {
  spec: AppSpec;
  snapshotDir: string;
  objectId: ObjectIdResolver;
  kustomizeBin?: string;
  helmBin?: string;
  maxBytes?: number;
  capabilities?: HelmCapabilities;
};

/** Counters of a cache. */
export type RenderCacheStats = { hits: number; diskHits: number; misses: number; entries: number };

/**
 * Rendered objects keyed by the source options plus the git object ids of every input path, so an
 * unchanged app is never rendered twice and a commit re-renders only the apps it touched. In memory
 * (LRU) and optionally on disk under `<cacheDir>/render`. Only successful renders are kept. Cached
 * objects are shared between hits: callers must not mutate them.
 */
export class RenderCache {
  private readonly memory = new Map<string, KubeObject[]>();
  private readonly inflight = new Map<string, Promise<RenderResult>>();
  /** Input paths per snapshot and source options: a snapshot never changes, so neither do they. */
  private readonly inputs = new Map<string, Promise<string[]>>();
  private readonly dir: string | undefined;
  private readonly maxEntries: number;
  private counts = { hits: 0, diskHits: 0, misses: 0 };

  /** `cacheDir` enables the disk cache (`<cacheDir>/render/<key>.json`). */
  constructor(opts: { cacheDir?: string; maxEntries?: number } = {}) {
    this.dir = opts.cacheDir ? join(opts.cacheDir, 'render') : undefined;
    this.maxEntries = opts.maxEntries ?? 2000;
  }

  /** The cache key of an app at a revision: sha256 of its source options and its inputs' object ids. */
  async key(opts: RenderKeyOptions): Promise<string> {
    const { spec } = opts;
    const sources = spec.sources.map(({ targetRevision: _rev, ...rest }) => rest);
    const paths = await this.inputPathsOf(opts.snapshotDir, spec, sources);
    const ids = await Promise.all(paths.map(async (p) => [p, (await opts.objectId(p)) ?? null] as const));
    const material = {
      v: CACHE_VERSION,
      name: spec.name,
      namespace: spec.destination.namespace ?? '',
      sources,
      inputs: ids,
      tools: [opts.kustomizeBin ?? 'kustomize', opts.helmBin ?? 'helm'],
      maxBytes: opts.maxBytes ?? renderDefaults.maxBytes,
      ...(opts.capabilities ? { capabilities: opts.capabilities } : {}),
    };
    return createHash('sha256').update(stableStringify(material)).digest('hex');
  }

  /** Renders through the cache: a hit returns the stored objects with `cached: true`. */
  async render(opts: RenderAppOptions & { objectId: ObjectIdResolver }): Promise<RenderResult> {
    let key: string;
    try {
      key = await this.key(opts);
    } catch (err) {
      return {
        ok: false,
        error: `render cache key failed: ${(err as Error).message}`,
        revision: opts.revision,
      };
    }
    const hit = await this.lookup(key);
    if (hit) return { ok: true, objects: hit, revision: opts.revision, cacheKey: key, cached: true };
    let pending = this.inflight.get(key);
    if (pending) {
      const r = await pending;
      return r.ok ? { ...r, revision: opts.revision, cached: true } : { ...r, revision: opts.revision };
    }
    pending = (async (): Promise<RenderResult> => {
      this.counts.misses++;
      const r = await renderApp(opts);
      if (!r.ok) return r;
      await this.store(key, r.objects);
      return { ...r, cacheKey: key, cached: false };
    })();
    this.inflight.set(key, pending);
    try {
      return await pending;
    } finally {
      this.inflight.delete(key);
    }
  }

  /** Objects stored under a key (memory, then disk), or undefined. */
  async lookup(key: string): Promise<KubeObject[] | undefined> {
    const mem = this.memory.get(key);
    if (mem) {
      this.memory.delete(key);
      this.memory.set(key, mem);
      this.counts.hits++;
      return mem;
    }
    if (!this.dir) return undefined;
    try {
      const data = JSON.parse(await readFile(join(this.dir, `${key}.json`), 'utf8')) as {
        v?: number;
        objects?: KubeObject[];
      };
      if (data.v !== CACHE_VERSION || !Array.isArray(data.objects)) return undefined;
      this.remember(key, data.objects);
      this.counts.hits++;
      this.counts.diskHits++;
      return data.objects;
    } catch {
      return undefined;
    }
  }

  /** Stores objects under a key (memory, and disk when enabled; disk errors are ignored). */
  async store(key: string, objects: KubeObject[]): Promise<void> {
    this.remember(key, objects);
    if (!this.dir) return;
    const tmp = join(this.dir, `.${key}.${randomBytes(4).toString('hex')}.tmp`);
    try {
      await mkdir(this.dir, { recursive: true });
      await writeFile(tmp, JSON.stringify({ v: CACHE_VERSION, objects }));
      await rename(tmp, join(this.dir, `${key}.json`));
    } catch {
      await rm(tmp, { force: true });
    }
  }

  /** Forgets everything in memory (the disk cache stays). */
  clearMemory(): void {
    this.memory.clear();
  }

  /** Hits, disk hits, misses and the number of entries in memory. */
  stats(): RenderCacheStats {
    return { ...this.counts, entries: this.memory.size };
  }

  private inputPathsOf(snapshotDir: string, spec: AppSpec, sources: unknown): Promise<string[]> {
    const k = `${snapshotDir}\0${stableStringify(sources)}`;
    let pending = this.inputs.get(k);
    if (!pending) {
      pending = inputPaths({ spec, snapshotDir });
      this.inputs.set(k, pending);
      while (this.inputs.size > this.maxEntries) {
        const oldest = this.inputs.keys().next().value;
        if (oldest === undefined) break;
        this.inputs.delete(oldest);
      }
    }
    return pending;
  }

  private remember(key: string, objects: KubeObject[]): void {
    this.memory.set(key, objects);
    while (this.memory.size > this.maxEntries) {
      const oldest = this.memory.keys().next().value;
      if (oldest === undefined) break;
      this.memory.delete(oldest);
    }
  }
}
