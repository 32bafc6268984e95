import type { KubeObject, ResourceKey } from '../model/resource-key.js';

/** An API error reduced to what a person needs: HTTP status, reason and a one-line message. */
export type ApiFailure = { status: number; reason: string; message: string };

/** Options of a server-side apply. */
export type ApplyOptions = {
  dryRun?: boolean;
  force?: boolean;
  fieldManager?: string;
  validate?: boolean;
  /** Apply only while the object still has this resourceVersion (else 409 Conflict). */
  resourceVersion?: string;
};

/** Preconditions of a delete: the server refuses (409) when the object's uid or resourceVersion differs. */
export type DeletePreconditions = { uid?: string; resourceVersion?: string };

/** Options of a delete. */
export type DeleteOptions = {
  propagationPolicy?: 'Foreground' | 'Background' | 'Orphan';
  dryRun?: boolean;
  preconditions?: DeletePreconditions;
};

/**
 * What sync needs from one cluster. The engine adapts engine/kube to it; tests can fake it.
 * Every method rejects with an Error whose `cause` is an ApiFailure when the API refuses.
 */
export interface ClusterPort {
  /** Context name (for messages and history). */
  readonly context: string;
  /** Server-side apply (PATCH application/apply-patch+yaml). Returns the resulting object. */
  apply(obj: KubeObject, opts?: ApplyOptions): Promise<KubeObject>;
  /** Create (POST). */
  create(obj: KubeObject, opts?: { dryRun?: boolean }): Promise<KubeObject>;
  /** Replace (PUT) — for the Replace=true sync option; creates when absent. */
  replace(obj: KubeObject, opts?: { dryRun?: boolean }): Promise<KubeObject>;
  /** Delete with a propagation policy (default Foreground for prune, Background for hooks). */
  delete(key: ResourceKey, opts?: DeleteOptions): Promise<void>;
  /** Read the current object, or undefined when it does not exist. */
  get(key: ResourceKey, apiVersion?: string): Promise<KubeObject | undefined>;
  /** True when the cluster knows the kind (CRD installed); used to report a missing CRD clearly. */
  hasKind(group: string, kind: string): Promise<boolean>;
}
