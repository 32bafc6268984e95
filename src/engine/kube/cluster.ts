import type { KubeObject, ResourceKey } from '../model/resource-key.js';
import { splitApiVersion } from '../model/resource-key.js';
import type { ApplyOptions, ClusterPort, DeleteOptions } from '../sync/port.js';
import { KubeApiError, KubeClient } from './client.js';
import { type ApiResource, Discovery, resourcePath } from './discovery.js';
import type { ContextInfo } from './kubeconfig.js';
import { WatchLineDecoder } from './watch-lines.js';

/** A watch event as the API streams it. */
export type WatchEvent = {
  type: 'ADDED' | 'MODIFIED' | 'DELETED' | 'BOOKMARK' | 'ERROR';
  object: KubeObject;
};

/** A list result: items plus the collection's resourceVersion. */
export type ListResult = { items: KubeObject[]; resourceVersion: string };

/** One cluster (kubeconfig context): discovery plus typed-free CRUD, apply and watch. Implements ClusterPort. */
export class KubeCluster implements ClusterPort {
  /** The HTTPS client (request counters live there). */
  readonly client: KubeClient;
  /** API resources of this cluster. */
  readonly discovery = new Discovery();
  /** Field manager for server-side apply. */
  readonly fieldManager: string;

  constructor(context: ContextInfo, opts: { fieldManager?: string } = {}) {
    this.client = new KubeClient(context);
    this.fieldManager = opts.fieldManager ?? 'bosun';
  }

  /** Context name. */
  get context(): string {
    return this.client.context.name;
  }

  /** GET /version: the server's gitVersion (also a reachability probe). */
  async version(timeoutMs = 3000): Promise<string> {
    const v = await this.client.json<{ gitVersion?: string }>('GET', '/version', { timeoutMs });
    return v?.gitVersion ?? 'unknown';
  }

  /** Resolves a kind to its API resource, reloading discovery once when unknown (CRDs appear later). */
  async resolve(group: string, kind: string, version?: string): Promise<ApiResource | undefined> {
    if (this.discovery.size === 0) await this.discovery.load(this.client);
    let r = this.discovery.find(group, kind, version);
    if (!r && Date.now() - this.discovery.loadedAt > 2000) {
      await this.discovery.load(this.client);
      r = this.discovery.find(group, kind, version);
    }
    return r;
  }

  private async mustResolve(group: string, kind: string, version?: string): Promise<ApiResource> {
    const r = await this.resolve(group, kind, version);
    if (!r) {
      throw new KubeApiError(
        `the cluster ${this.context} has no kind ${kind}${group ? ` in group ${group}` : ''} (CRD missing?)`,
        {
          status: 404,
          reason: 'NoKind',
        },
      );
    }
    return r;
  }

  /** True when the cluster serves the kind. */
  async hasKind(group: string, kind: string): Promise<boolean> {
    return (await this.resolve(group, kind)) !== undefined;
  }

  private async objectPath(obj: KubeObject, withName: boolean): Promise<string> {
    const { group, version } = splitApiVersion(obj.apiVersion);
    const r = await this.mustResolve(group, obj.kind, version);
    const namespace = r.namespaced ? (obj.metadata.namespace ?? 'default') : undefined;
    return resourcePath(
      { ...r, version },
      { ...(namespace ? { namespace } : {}), ...(withName ? { name: obj.metadata.name } : {}) },
    );
  }

  /** Server-side apply with field manager `bosun` (force on conflicts by default). */
  async apply(obj: KubeObject, opts: ApplyOptions = {}): Promise<KubeObject> {
    const path = await this.objectPath(obj, true);
    const body = { ...obj, metadata: { ...obj.metadata } };
    // A rendered manifest's resourceVersion means nothing; only an explicit precondition is sent.
    delete body.metadata.resourceVersion;
    if (opts.resourceVersion) body.metadata.resourceVersion = opts.resourceVersion;
    delete body.metadata.managedFields;
    const out = await this.client.json<KubeObject>('PATCH', path, {
      body,
      contentType: 'application/apply-patch+yaml',
      query: {
        fieldManager: opts.fieldManager ?? this.fieldManager,
        force: opts.force ?? true,
        ...(opts.dryRun ? { dryRun: 'All' } : {}),
        ...(opts.validate === false ? { fieldValidation: 'Ignore' } : { fieldValidation: 'Strict' }),
      },
      timeoutMs: 30_000,
    });
    if (!out) throw new Error(`apply of ${obj.kind}/${obj.metadata.name} returned nothing`);
    return out;
  }

  /** POST a new object. */
  async create(obj: KubeObject, opts: { dryRun?: boolean } = {}): Promise<KubeObject> {
    const path = await this.objectPath(obj, false);
    const out = await this.client.json<KubeObject>('POST', path, {
      body: obj,
      query: { fieldManager: this.fieldManager, ...(opts.dryRun ? { dryRun: 'All' } : {}) },
    });
    if (!out) throw new Error(`create of ${obj.kind}/${obj.metadata.name} returned nothing`);
    return out;
  }

  /** PUT (replace) an object, creating it when absent. */
  async replace(obj: KubeObject, opts: { dryRun?: boolean } = {}): Promise<KubeObject> {
    const { group } = splitApiVersion(obj.apiVersion);
    const current = await this.get(
      { group, kind: obj.kind, namespace: obj.metadata.namespace ?? '', name: obj.metadata.name },
      obj.apiVersion,
    );
    if (!current) return this.create(obj, opts);
    const path = await this.objectPath(obj, true);
    const body = { ...obj, metadata: { ...obj.metadata, resourceVersion: current.metadata.resourceVersion } };
    const out = await this.client.json<KubeObject>('PUT', path, {
      body,
      query: { fieldManager: this.fieldManager, ...(opts.dryRun ? { dryRun: 'All' } : {}) },
    });
    if (!out) throw new Error(`replace of ${obj.kind}/${obj.metadata.name} returned nothing`);
    return out;
  }

  /** DELETE an object (missing objects are fine); preconditions make the server refuse a changed object. */
  async delete(key: ResourceKey, opts: DeleteOptions = {}): Promise<void> {
    const r = await this.mustResolve(key.group, key.kind);
    const path = resourcePath(r, { ...(key.namespace ? { namespace: key.namespace } : {}), name: key.name });
    await this.client.json('DELETE', path, {
      body: {
        kind: 'DeleteOptions',
        apiVersion: 'v1',
        propagationPolicy: opts.propagationPolicy ?? 'Foreground',
        ...(opts.dryRun ? { dryRun: ['All'] } : {}),
        ...(opts.preconditions && (opts.preconditions.uid || opts.preconditions.resourceVersion)
          ? { preconditions: { ...opts.preconditions } }
          : {}),
      },
      allow404: true,
    });
  }

  /** JSON merge patch of one object (`application/merge-patch+json`). */
  async mergePatch(
    key: ResourceKey,
    patch: unknown,
    opts: { apiVersion?: string } = {},
  ): Promise<KubeObject> {
    const version = opts.apiVersion ? splitApiVersion(opts.apiVersion).version : undefined;
    const r = await this.mustResolve(key.group, key.kind, version);
    const path = resourcePath(r, { ...(key.namespace ? { namespace: key.namespace } : {}), name: key.name });
    const out = await this.client.json<KubeObject>('PATCH', path, {
      body: patch,
      contentType: 'application/merge-patch+json',
      query: { fieldManager: this.fieldManager },
    });
    if (!out) throw new Error(`patch of ${key.kind}/${key.name} returned nothing`);
    return out;
  }

  /** GET one object; undefined when absent. */
  async get(key: ResourceKey, apiVersion?: string): Promise<KubeObject | undefined> {
    const version = apiVersion ? splitApiVersion(apiVersion).version : undefined;
    const r = await this.mustResolve(key.group, key.kind, version);
    const path = resourcePath(r, { ...(key.namespace ? { namespace: key.namespace } : {}), name: key.name });
    return this.client.json<KubeObject>('GET', path, { allow404: true });
  }

  /** LIST a kind across all namespaces (or one). */
  async list(
    r: ApiResource,
    opts: { namespace?: string; labelSelector?: string; timeoutMs?: number } = {},
  ): Promise<ListResult> {
    const path = resourcePath(r, opts.namespace ? { namespace: opts.namespace } : {});
    const all: KubeObject[] = [];
    let cont: string | undefined;
    let rv = '';
    do {
      const page = await this.client.json<{
        items?: KubeObject[];
        metadata?: { resourceVersion?: string; continue?: string };
      }>('GET', path, {
        query: { labelSelector: opts.labelSelector, limit: 500, continue: cont },
        timeoutMs: opts.timeoutMs ?? 30_000,
        countAs: 'list',
      });
      all.push(...(page?.items ?? []));
      rv = page?.metadata?.resourceVersion ?? rv;
      cont = page?.metadata?.continue || undefined;
    } while (cont);
    const out = { items: all, metadata: { resourceVersion: rv } };
    const apiVersion = r.group ? `${r.group}/${r.version}` : r.version;
    const items = (out?.items ?? []).map((o) => ({ ...o, apiVersion, kind: r.kind }));
    return { items, resourceVersion: out?.metadata?.resourceVersion ?? '' };
  }

  /**
   * WATCH a kind from a resourceVersion with bookmarks. Calls onEvent per event; resolves when the
   * server ends the stream (timeoutSeconds) and rejects on transport errors.
   */
  async watch(
    r: ApiResource,
    resourceVersion: string,
    onEvent: (e: WatchEvent) => void,
    opts: { signal?: AbortSignal; timeoutSeconds?: number; namespace?: string } = {},
  ): Promise<void> {
    const path = resourcePath(r, opts.namespace ? { namespace: opts.namespace } : {});
    const res = await this.client.open('GET', path, {
      query: {
        watch: true,
        resourceVersion,
        allowWatchBookmarks: true,
        timeoutSeconds: opts.timeoutSeconds ?? 300,
      },
      timeoutMs: 0,
      countAs: 'watch',
      ...(opts.signal ? { signal: opts.signal } : {}),
    });
    if ((res.statusCode ?? 0) >= 300) {
      const chunks: Buffer[] = [];
      for await (const c of res) chunks.push(c as Buffer);
      const text = Buffer.concat(chunks).toString('utf8');
      let reason = String(res.statusCode);
      try {
        reason = (JSON.parse(text) as { reason?: string }).reason ?? reason;
      } catch {
        /* ignore */
      }
      throw new KubeApiError(`watch ${r.kind}: HTTP ${res.statusCode}`, {
        status: res.statusCode ?? 0,
        reason,
      });
    }
    const apiVersion = r.group ? `${r.group}/${r.version}` : r.version;
    // One decoder for the whole stream: a multi-byte character split across two chunks stays whole.
    const lines = new WatchLineDecoder();
    const emit = (line: string) => {
      const e = JSON.parse(line) as WatchEvent;
      if (e.type !== 'ERROR' && e.type !== 'BOOKMARK') e.object = { ...e.object, apiVersion, kind: r.kind };
      onEvent(e);
    };
    for await (const chunk of res) for (const line of lines.push(chunk as Buffer)) emit(line);
    for (const line of lines.end()) emit(line);
  }

  /** Releases sockets. */
  close(): void {
    this.client.close();
  }
}
