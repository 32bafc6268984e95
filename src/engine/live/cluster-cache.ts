import { KubeApiError } from '../kube/client.js';
import type { KubeCluster, WatchEvent } from '../kube/cluster.js';
import type { ApiResource } from '../kube/discovery.js';
import type { KubeObject, ResourceKey } from '../model/resource-key.js';
import { keyOf, keyString } from '../model/resource-key.js';
import { ClusterStatus } from '../types.js';
import { KindWatch, stripForCache } from './kind-watch.js';

/** A recent Kubernetes Event about an object. */
export type ObjectEvent = { type: string; reason: string; message: string; count?: number; last?: string };

/** Options of a ClusterCache. */
export type ClusterCacheOptions = {
  /** Called with the keys of objects that changed (coalescing is the caller's job). */
  onChange: (changed: { key: ResourceKey; obj?: KubeObject }[]) => void;
  /** Called when reachability changes. */
  onStatus: (status: ClusterStatus, message?: string) => void;
  /** Annotation that marks managed objects (their managedFields are kept for "explain"). */
  trackingAnnotation: string;
  /** Probe interval while connected (ms). */
  probeIntervalMs?: number;
  /** Called when the API versions or the server version the cluster serves changed (a CRD came or went). */
  onApisChanged?: () => void;
  /** How old discovery may get before a probe reloads it (ms, default 30 s). */
  discoveryRefreshMs?: number;
};

/** One object watched apart from the cache (read-only settings such as Argo CD's argocd-cm). */
export type WatchedObject = {
  group: string;
  kind: string;
  namespace: string;
  name: string;
  /** Called with the object after each change, undefined when it is absent or deleted. */
  onChange: (obj: KubeObject | undefined) => void;
  /** Called when the server refuses to list or watch it (e.g. 403: RBAC); the watch keeps retrying. */
  onError?: (err: KubeApiError) => void;
};

type Extra = { spec: WatchedObject; watch?: KindWatch; settled: boolean };

/** Kinds always watched: they form the owner tree under managed objects, plus events and namespaces. */
const baseKinds: [string, string][] = [
  ['', 'Namespace'],
  ['apps', 'ReplicaSet'],
  ['', 'Pod'],
  ['batch', 'Job'],
  ['', 'Event'],
];

/**
 * The live state of one cluster: one list+watch per kind in use, an owner index and recent events.
 * An unreachable cluster is marked within a few seconds and recovers by itself.
 */
export class ClusterCache {
  /** Reachability. */
  status: ClusterStatus = ClusterStatus.Connecting;
  /** Why it is unreachable, when it is. */
  message?: string;
  /** The server's version, once reached. */
  serverVersion?: string;
  /** The server version and API versions last seen, to notice a change. */
  private apis: string | undefined;
  private readonly watches = new Map<string, KindWatch>();
  private readonly objects = new Map<string, KubeObject>();
  private readonly byUid = new Map<string, string>();
  private readonly children = new Map<string, Set<string>>();
  private readonly events = new Map<string, ObjectEvent[]>();
  private wanted = new Set<string>();
  /** Watches being started for kinds added by ensureKinds (one after another). */
  private starting: Promise<void> = Promise.resolve();
  private stopped = false;
  private probeTimer?: NodeJS.Timeout;
  private reachableWaiters: (() => void)[] = [];
  private probing = false;
  private readonly extras: Extra[] = [];

  constructor(
    readonly cluster: KubeCluster,
    private readonly opts: ClusterCacheOptions,
  ) {
    for (const [g, k] of baseKinds) this.wanted.add(`${g}/${k}`);
  }

  /** Context name. */
  get context(): string {
    return this.cluster.context;
  }

  /** Starts probing and watching. Resolves after the first probe (reachable or not). */
  async start(): Promise<void> {
    await this.probe();
    this.scheduleProbe();
  }

  /** Stops every watch and timer. */
  stop(): void {
    this.stopped = true;
    if (this.probeTimer) clearTimeout(this.probeTimer);
    for (const w of this.watches.values()) w.stop();
    this.watches.clear();
    for (const e of this.extras) e.watch?.stop();
    this.cluster.close();
    for (const w of this.reachableWaiters.splice(0)) w();
  }

  /** Makes sure these kinds are watched (kinds in use by apps on this cluster). */
  ensureKinds(kinds: { group: string; kind: string }[]): void {
    let added = false;
    for (const k of kinds) {
      const id = `${k.group}/${k.kind}`;
      if (!this.wanted.has(id)) {
        this.wanted.add(id);
        added = true;
      }
    }
    if (added && this.status === ClusterStatus.Connected)
      this.starting = this.starting.then(() => this.startWatches()).catch(() => undefined);
  }

  /**
   * Watches one object in one namespace (a list+watch of its kind in that namespace), apart from the cache:
   * it never shows among the cluster's objects. A kind the cluster lacks, or a list the server refuses,
   * counts as settled with no object.
   */
  watchObject(spec: WatchedObject): void {
    this.extras.push({ spec, settled: false });
    if (this.status === ClusterStatus.Connected)
      this.starting = this.starting.then(() => this.startWatches()).catch(() => undefined);
  }

  /** Resolves once every watched object has had its first list (or failed once, or the cluster is unreachable). */
  async objectsSettled(timeoutMs = 15_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    await this.starting;
    while (Date.now() < deadline && !this.stopped) {
      if (this.status === ClusterStatus.Unreachable || this.extras.every((e) => e.settled)) return;
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  /** Resolves once every wanted kind has completed its first list (or the cluster is unreachable). */
  async synced(timeoutMs = 30_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    // Kinds just added are resolved before their watches exist: wait for those watches too.
    await this.starting;
    while (Date.now() < deadline && !this.stopped) {
      if (this.status === ClusterStatus.Unreachable) return;
      if (this.status === ClusterStatus.Connected && [...this.watches.values()].every((w) => w.listed))
        return;
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  /** One cached object by key. */
  get(key: ResourceKey): KubeObject | undefined {
    return this.objects.get(keyString(key));
  }

  /** Every cached object (for tracking-id scans). */
  all(): IterableIterator<KubeObject> {
    return this.objects.values();
  }

  /** Cached objects owned (ownerReferences) by the object with this uid. */
  ownedBy(uid: string): KubeObject[] {
    const ids = this.children.get(uid);
    if (!ids) return [];
    return [...ids].map((id) => this.objects.get(id)).filter((o): o is KubeObject => o !== undefined);
  }

  /** The object with this uid. */
  byUidGet(uid: string): KubeObject | undefined {
    const id = this.byUid.get(uid);
    return id ? this.objects.get(id) : undefined;
  }

  /** Recent events about an object (by uid), newest last. */
  eventsFor(uid: string): ObjectEvent[] {
    return this.events.get(uid) ?? [];
  }

  /** Number of cached objects. */
  get size(): number {
    return this.objects.size;
  }

  /** Number of kinds watched. */
  get watchedKinds(): number {
    return this.watches.size;
  }

  /** Resolves when the cluster is reachable again (or the cache stops). */
  waitReachable(): Promise<void> {
    if (this.status === ClusterStatus.Connected || this.stopped) return Promise.resolve();
    return new Promise((r) => this.reachableWaiters.push(r));
  }

  /** Marks the cluster unreachable after a transport failure seen by a watch; probing brings it back. */
  reportFailure(err: unknown): void {
    if (err instanceof KubeApiError && err.status !== 0) return;
    if (this.status !== ClusterStatus.Unreachable) {
      this.setStatus(ClusterStatus.Unreachable, (err as Error).message);
      this.scheduleProbe(1000);
    }
  }

  private setStatus(status: ClusterStatus, message?: string): void {
    const changed = status !== this.status || message !== this.message;
    this.status = status;
    this.message = message;
    if (status === ClusterStatus.Connected) for (const w of this.reachableWaiters.splice(0)) w();
    if (changed) this.opts.onStatus(status, message);
  }

  private scheduleProbe(ms?: number): void {
    if (this.stopped) return;
    if (this.probeTimer) clearTimeout(this.probeTimer);
    const interval =
      ms ?? (this.status === ClusterStatus.Connected ? (this.opts.probeIntervalMs ?? 5000) : 1000);
    this.probeTimer = setTimeout(async () => {
      await this.probe();
      this.scheduleProbe();
    }, interval);
    this.probeTimer.unref();
  }

  private async probe(): Promise<void> {
    if (this.probing || this.stopped) return;
    this.probing = true;
    try {
      this.serverVersion = await this.cluster.version(3000);
      const discovery = this.cluster.discovery;
      if (this.status !== ClusterStatus.Connected) {
        await discovery.load(this.cluster.client);
        this.setStatus(ClusterStatus.Connected);
        await this.startWatches();
      } else if (Date.now() - discovery.loadedAt >= (this.opts.discoveryRefreshMs ?? 30_000)) {
        await discovery.load(this.cluster.client);
      }
      // Whoever reloaded discovery (this probe, or a lookup of an unknown kind), say when it changed.
      const apis = `${discovery.serverVersion ?? ''}|${discovery.apiVersions().join(',')}`;
      if (this.apis !== undefined && apis !== this.apis) this.opts.onApisChanged?.();
      this.apis = apis;
    } catch (err) {
      this.setStatus(ClusterStatus.Unreachable, (err as Error).message);
    } finally {
      this.probing = false;
    }
  }

  private async startWatches(): Promise<void> {
    for (const id of this.wanted) {
      if (this.watches.has(id)) continue;
      const [group = '', kind = ''] = id.split('/');
      const r: ApiResource | undefined = await this.cluster.resolve(group, kind).catch(() => undefined);
      if (!r?.verbs.includes('watch')) continue;
      const w = new KindWatch(this.cluster, r, {
        onReset: (items) => this.reset(r, items),
        onEvent: (e) => this.apply(e),
        onFailure: (err) => this.reportFailure(err),
        waitReachable: () => this.waitReachable(),
      });
      this.watches.set(id, w);
      w.start();
    }
    for (const e of this.extras) if (!e.watch) await this.startExtra(e);
  }

  private async startExtra(e: Extra): Promise<void> {
    const { spec } = e;
    const r = await this.cluster.resolve(spec.group, spec.kind).catch(() => undefined);
    if (!r?.verbs.includes('watch')) {
      e.settled = true;
      return;
    }
    const named = (obj: KubeObject) =>
      obj.metadata.name === spec.name && (obj.metadata.namespace ?? spec.namespace) === spec.namespace;
    e.watch = new KindWatch(
      this.cluster,
      r,
      {
        onReset: (items) => {
          spec.onChange(items.find(named));
          e.settled = true;
        },
        onEvent: (ev) => {
          if (named(ev.object)) spec.onChange(ev.type === 'DELETED' ? undefined : ev.object);
        },
        onFailure: (err) => {
          e.settled = true;
          if (err instanceof KubeApiError && err.status !== 0) spec.onError?.(err);
          this.reportFailure(err);
        },
        waitReachable: () => this.waitReachable(),
      },
      { namespace: spec.namespace },
    );
    e.watch.start();
  }

  private index(obj: KubeObject): string {
    const id = keyString(keyOf(obj));
    const prev = this.objects.get(id);
    if (prev) this.unindex(id, prev);
    const stored = stripForCache(obj, this.opts.trackingAnnotation);
    this.objects.set(id, stored);
    if (stored.metadata.uid) this.byUid.set(stored.metadata.uid, id);
    for (const o of stored.metadata.ownerReferences ?? []) {
      let set = this.children.get(o.uid);
      if (!set) {
        set = new Set();
        this.children.set(o.uid, set);
      }
      set.add(id);
    }
    return id;
  }

  private unindex(id: string, obj: KubeObject): void {
    this.objects.delete(id);
    if (obj.metadata.uid) this.byUid.delete(obj.metadata.uid);
    for (const o of obj.metadata.ownerReferences ?? []) this.children.get(o.uid)?.delete(id);
  }

  private recordEvent(ev: KubeObject): void {
    const e = ev as KubeObject & {
      involvedObject?: { uid?: string };
      type?: string;
      reason?: string;
      message?: string;
      count?: number;
      lastTimestamp?: string;
      eventTime?: string;
    };
    const uid = e.involvedObject?.uid;
    if (!uid) return;
    const list = this.events.get(uid) ?? [];
    const entry: ObjectEvent = {
      type: e.type ?? 'Normal',
      reason: e.reason ?? '',
      message: e.message ?? '',
      ...(e.count ? { count: e.count } : {}),
      ...(e.lastTimestamp || e.eventTime ? { last: e.lastTimestamp ?? e.eventTime } : {}),
    };
    const same = list.findIndex((x) => x.reason === entry.reason && x.message === entry.message);
    if (same >= 0) list.splice(same, 1);
    list.push(entry);
    this.events.set(uid, list.slice(-10));
  }

  private reset(r: ApiResource, items: KubeObject[]): void {
    if (r.kind === 'Event' && r.group === '') {
      for (const ev of items) this.recordEvent(ev);
      return;
    }
    const changed: { key: ResourceKey; obj?: KubeObject }[] = [];
    const seen = new Set<string>();
    for (const obj of items) {
      const id = this.index(obj);
      seen.add(id);
      changed.push({ key: keyOf(obj), obj: this.objects.get(id) });
    }
    for (const [id, obj] of this.objects) {
      if (obj.kind === r.kind && keyOf(obj).group === r.group && !seen.has(id)) {
        this.unindex(id, obj);
        changed.push({ key: keyOf(obj) });
      }
    }
    this.opts.onChange(changed);
  }

  private apply(e: WatchEvent): void {
    const obj = e.object;
    if (obj.kind === 'Event' && (obj.apiVersion === 'v1' || obj.apiVersion === '')) {
      if (e.type !== 'DELETED') this.recordEvent(obj);
      return;
    }
    if (e.type === 'DELETED') {
      const id = keyString(keyOf(obj));
      const prev = this.objects.get(id);
      if (prev) this.unindex(id, prev);
      this.opts.onChange([{ key: keyOf(obj) }]);
      return;
    }
    const id = this.index(obj);
    this.opts.onChange([{ key: keyOf(obj), obj: this.objects.get(id) }]);
  }
}
