import type { KubeObject, ResourceKey } from '../model/index.js';
import { keyOf } from '../model/index.js';

/** bosun's tracking annotation. */
export const BOSUN_TRACKING_ANNOTATION = 'bosun.dev/tracking-id';
/** Argo CD's tracking annotation (bosun uses it when configured to, so a move to Argo CD keeps objects). */
export const ARGOCD_TRACKING_ANNOTATION = 'argocd.argoproj.io/tracking-id';
/** The label Argo CD's label-based tracking writes. */
export const ARGOCD_INSTANCE_LABEL = 'app.kubernetes.io/instance';

/** Which annotation bosun tracks its objects with. */
export type TrackingOptions = {
  /** Default `bosun.dev/tracking-id`; set to `argocd.argoproj.io/tracking-id` to share Argo CD's. */
  annotationKey?: string;
};

/** A parsed tracking id: the app and the key of the object it was written on. */
export type TrackingId = ResourceKey & { app: string };

/** Who owns a live object. */
export type Ownership = {
  /** `ours`: this app; `other-app`: another bosun app; `argocd`: Argo CD; `none`: nobody we know. */
  kind: 'ours' | 'other-app' | 'argocd' | 'none';
  app?: string;
};

/** The tracking id of an object of an app: `<app>:<group>/<kind>:<namespace>/<name>` (Argo CD's format). */
export function trackingId(app: string, key: ResourceKey): string {
  return `${app}:${key.group}/${key.kind}:${key.namespace}/${key.name}`;
}

/** Parses a tracking id; undefined when malformed. */
export function parseTrackingId(value: string): TrackingId | undefined {
  const m = /^([^:/]+):([^/:]*)\/([^/:]+):([^/:]*)\/([^/:]+)$/.exec(value.trim());
  if (!m) return undefined;
  const [, app, group, kind, namespace, name] = m as unknown as [
    string,
    string,
    string,
    string,
    string,
    string,
  ];
  return { app, group, kind, namespace, name };
}

/** The annotation key in use. */
export function trackingKey(opts: TrackingOptions = {}): string {
  return opts.annotationKey ?? BOSUN_TRACKING_ANNOTATION;
}

/** A copy of `obj` carrying the app's tracking annotation (metadata and annotations are copied, the rest shared). */
export function setTracking<T extends KubeObject>(obj: T, app: string, opts: TrackingOptions = {}): T {
  const annotations = {
    ...(obj.metadata.annotations ?? {}),
    [trackingKey(opts)]: trackingId(app, keyOf(obj)),
  };
  return { ...obj, metadata: { ...obj.metadata, annotations } };
}

/**
 * True when a tracking id was written for this very object (Argo CD ignores ids copied onto other
 * objects). A cluster-scoped object matches whatever namespace the id names.
 */
function refersTo(id: TrackingId, obj: KubeObject): boolean {
  const key = keyOf(obj);
  return (
    id.group === key.group &&
    id.kind === key.kind &&
    id.name === key.name &&
    (id.namespace === key.namespace || key.namespace === '')
  );
}

/**
 * Who owns a live object, as seen by app `app`: our tracking annotation naming this app is
 * `ours`, naming another app is `other-app`; without it, Argo CD's annotation or instance label
 * mean `argocd` (unless bosun itself uses Argo CD's annotation, then only the annotation counts).
 */
export function ownerOf(obj: KubeObject, opts: TrackingOptions & { app: string }): Ownership {
  const key = trackingKey(opts);
  const annotations = obj.metadata.annotations ?? {};
  const ours = annotations[key];
  if (ours !== undefined) {
    const id = parseTrackingId(ours);
    if (id && refersTo(id, obj))
      return id.app === opts.app ? { kind: 'ours', app: id.app } : { kind: 'other-app', app: id.app };
  }
  if (key === ARGOCD_TRACKING_ANNOTATION) return { kind: 'none' };
  const argo = annotations[ARGOCD_TRACKING_ANNOTATION];
  if (argo !== undefined) {
    const id = parseTrackingId(argo);
    if (id && refersTo(id, obj)) return { kind: 'argocd', app: id.app };
  }
  const label = obj.metadata.labels?.[ARGOCD_INSTANCE_LABEL];
  if (label) return { kind: 'argocd', app: label };
  return { kind: 'none' };
}
