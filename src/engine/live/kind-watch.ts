import { KubeApiError } from '../kube/client.js';
import type { KubeCluster, WatchEvent } from '../kube/cluster.js';
import type { ApiResource } from '../kube/discovery.js';
import type { KubeObject } from '../model/resource-key.js';

const lastApplied = 'kubectl.kubernetes.io/last-applied-configuration';

/**
 * A copy of an object as the cache keeps it: last-applied annotation dropped always, managedFields
 * dropped unless the object is managed (carries the tracking annotation), because "explain" needs them.
 */
export function stripForCache(obj: KubeObject, trackingAnnotation: string): KubeObject {
  const ann = obj.metadata.annotations;
  const managed = ann?.[trackingAnnotation] !== undefined;
  if (!ann?.[lastApplied] && (managed || !obj.metadata.managedFields)) return obj;
  const metadata = { ...obj.metadata };
  if (!managed) delete metadata.managedFields;
  if (ann?.[lastApplied]) {
    const { [lastApplied]: _dropped, ...rest } = ann;
    metadata.annotations = rest;
  }
  return { ...obj, metadata };
}

/** Callbacks of a KindWatch. */
export type KindWatchHandlers = {
  /** A full (re)list: the complete set of objects of this kind. */
  onReset: (items: KubeObject[]) => void;
  /** One watch event (ADDED, MODIFIED, DELETED). */
  onEvent: (e: WatchEvent) => void;
  /** A failure (transport or API); the cache decides about reachability. */
  onFailure: (err: unknown) => void;
  /** Resolves when the cluster is reachable again. */
  waitReachable: () => Promise<void>;
};

/**
 * List+watch of one kind across all namespaces (or one, when `namespace` is given): resumes from the last resourceVersion (bookmarks keep
 * it fresh), re-lists on 410 Gone, backs off 1 s → 30 s on errors and waits for reachability instead
 * of hammering a dead server.
 */
export class KindWatch {
  /** True once the first list completed. */
  listed = false;
  private rv = '';
  private stopped = false;
  private abort = new AbortController();
  private backoffMs = 1000;

  constructor(
    private readonly cluster: KubeCluster,
    readonly resource: ApiResource,
    private readonly h: KindWatchHandlers,
    private readonly opts: { namespace?: string } = {},
  ) {}

  /** Starts the loop (runs until stop). */
  start(): void {
    void this.loop();
  }

  /** Stops the loop and aborts the open watch. */
  stop(): void {
    this.stopped = true;
    this.abort.abort();
  }

  private async loop(): Promise<void> {
    while (!this.stopped) {
      try {
        if (!this.rv) {
          const list = await this.cluster.list(
            this.resource,
            this.opts.namespace ? { namespace: this.opts.namespace } : {},
          );
          this.rv = list.resourceVersion;
          this.h.onReset(list.items);
          this.listed = true;
        }
        let gone = false;
        await this.cluster.watch(
          this.resource,
          this.rv,
          (e) => {
            if (e.type === 'BOOKMARK') {
              this.rv = e.object.metadata.resourceVersion ?? this.rv;
              return;
            }
            if (e.type === 'ERROR') {
              const code = (e.object as unknown as { code?: number }).code;
              if (code === 410) gone = true;
              return;
            }
            this.rv = e.object.metadata.resourceVersion ?? this.rv;
            this.h.onEvent(e);
          },
          { signal: this.abort.signal, ...(this.opts.namespace ? { namespace: this.opts.namespace } : {}) },
        );
        if (gone) this.rv = '';
        this.backoffMs = 1000;
      } catch (err) {
        if (this.stopped) return;
        if (err instanceof KubeApiError && err.status === 410) this.rv = '';
        this.h.onFailure(err);
        const transport = !(err instanceof KubeApiError) || err.status === 0;
        if (transport) {
          // Wait for the cache's probe to see the cluster again, then re-list once.
          await this.h.waitReachable();
          this.rv = '';
          this.backoffMs = 1000;
        } else {
          await new Promise((r) => setTimeout(r, this.backoffMs));
          this.backoffMs = Math.min(this.backoffMs * 2, 30_000);
        }
      }
    }
  }
}
