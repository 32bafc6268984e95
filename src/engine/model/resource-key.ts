/** A Kubernetes object as plain JSON (what the API returns and what manifests parse to). */
export type KubeObject = {
  apiVersion: string;
  kind: string;
  metadata: {
    name: string;
    namespace?: string;
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
    uid?: string;
    resourceVersion?: string;
    generation?: number;
    creationTimestamp?: string;
    deletionTimestamp?: string;
    ownerReferences?: OwnerReference[];
    managedFields?: unknown[];
    [key: string]: unknown;
  };
  [key: string]: unknown;
};

/** An ownerReference entry of an object's metadata. */
export type OwnerReference = {
  apiVersion: string;
  kind: string;
  name: string;
  uid: string;
  controller?: boolean;
};

/** The identity of an object everywhere in bosun: group/kind/namespace/name. */
export type ResourceKey = {
  group: string;
  kind: string;
  namespace: string;
  name: string;
};

/** Splits an apiVersion into group and version ("apps/v1" → apps, v1; "v1" → "", v1). */
export function splitApiVersion(apiVersion: string): { group: string; version: string } {
  const i = apiVersion.indexOf('/');
  if (i < 0) return { group: '', version: apiVersion };
  return { group: apiVersion.slice(0, i), version: apiVersion.slice(i + 1) };
}

/** The ResourceKey of an object. */
export function keyOf(obj: KubeObject): ResourceKey {
  return {
    group: splitApiVersion(obj.apiVersion).group,
    kind: obj.kind,
    namespace: obj.metadata.namespace ?? '',
    name: obj.metadata.name,
  };
}

/** The canonical string form of a key: `group/kind/namespace/name`. */
export function keyString(key: ResourceKey): string {
  return `${key.group}/${key.kind}/${key.namespace}/${key.name}`;
}

/** Parses `group/kind/namespace/name` back into a key; undefined when malformed. */
export function parseKeyString(s: string): ResourceKey | undefined {
  const parts = s.split('/');
  if (parts.length !== 4) return undefined;
  const [group, kind, namespace, name] = parts as [string, string, string, string];
  if (!kind || !name) return undefined;
  return { group, kind, namespace, name };
}

/** A short human form: `Kind/name` or `Kind/namespace/name`. */
export function keyLabel(key: ResourceKey): string {
  return key.namespace ? `${key.kind}/${key.namespace}/${key.name}` : `${key.kind}/${key.name}`;
}
