import type { KubeClient } from './client.js';

/** How to reach one kind through the API. */
export type ApiResource = {
  group: string;
  version: string;
  kind: string;
  resource: string;
  namespaced: boolean;
  verbs: string[];
};

type DiscoveryList = {
  items?: {
    metadata?: { name?: string };
    versions?: {
      version: string;
      resources?: { resource: string; responseKind?: { kind?: string }; scope?: string; verbs?: string[] }[];
    }[];
  }[];
};

const aggregatedAccept =
  'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList,application/json';

/** The API resources of a cluster, by `group/kind`, at each group's preferred version. */
export class Discovery {
  private byGroupKind = new Map<string, ApiResource>();
  private allVersions = new Map<string, ApiResource>();
  private apiVersionList: string[] | undefined;
  /** When it was last loaded (epoch ms). */
  loadedAt = 0;
  /** The server's `major.minor` (`1.36`), as Argo CD passes it to `helm template --kube-version`. */
  serverVersion: string | undefined;

  /** Loads (or reloads) discovery with two aggregated requests (/api and /apis). */
  async load(client: KubeClient): Promise<void> {
    const next = new Map<string, ApiResource>();
    const all = new Map<string, ApiResource>();
    const version = client
      .json<{ major?: string; minor?: string }>('GET', '/version', { timeoutMs: 10_000 })
      .then((v) => majorMinor(v?.major, v?.minor))
      .catch(() => undefined);
    for (const path of ['/api', '/apis']) {
      const list = await client.json<DiscoveryList>('GET', path, {
        accept: aggregatedAccept,
        timeoutMs: 10_000,
      });
      for (const g of list?.items ?? []) {
        const group = g.metadata?.name ?? '';
        (g.versions ?? []).forEach((v, i) => {
          for (const r of v.resources ?? []) {
            const kind = r.responseKind?.kind;
            if (!kind || r.resource.includes('/')) continue;
            const res: ApiResource = {
              group,
              version: v.version,
              kind,
              resource: r.resource,
              namespaced: r.scope === 'Namespaced',
              verbs: r.verbs ?? [],
            };
            all.set(`${group}/${v.version}/${kind}`, res);
            if (i === 0 || !next.has(`${group}/${kind}`)) next.set(`${group}/${kind}`, res);
          }
        });
      }
    }
    if (next.size === 0)
      throw new Error('aggregated discovery returned no resources (Kubernetes >= 1.30 is required)');
    this.byGroupKind = next;
    this.allVersions = all;
    this.apiVersionList = undefined;
    this.serverVersion = await version;
    this.loadedAt = Date.now();
  }

  /**
   * The API versions Argo CD passes to `helm template --api-versions`: `group/version` and
   * `group/version/Kind` (`v1`, `v1/ConfigMap` for the core group) of every resource, in every
   * served version, that can be listed and watched; sorted.
   */
  apiVersions(): string[] {
    if (this.apiVersionList) return this.apiVersionList;
    const out = new Set<string>();
    for (const r of this.allVersions.values()) {
      if (!r.verbs.includes('list') || !r.verbs.includes('watch')) continue;
      const gv = r.group ? `${r.group}/${r.version}` : r.version;
      out.add(gv);
      out.add(`${gv}/${r.kind}`);
    }
    this.apiVersionList = [...out].sort();
    return this.apiVersionList;
  }

  /** The resource for a group and kind (preferred version), or undefined when the cluster lacks it. */
  find(group: string, kind: string, version?: string): ApiResource | undefined {
    if (version)
      return this.allVersions.get(`${group}/${version}/${kind}`) ?? this.byGroupKind.get(`${group}/${kind}`);
    return this.byGroupKind.get(`${group}/${kind}`);
  }

  /** Number of kinds known. */
  get size(): number {
    return this.byGroupKind.size;
  }
}

/** `1.36` from a /version answer (`minor` may carry a provider suffix: `28+`); undefined when absent. */
export function majorMinor(major: string | undefined, minor: string | undefined): string | undefined {
  const ma = /^\d+/.exec(major ?? '')?.[0];
  const mi = /^\d+/.exec(minor ?? '')?.[0];
  return ma && mi ? `${ma}.${mi}` : undefined;
}

/** The URL path of a collection or an object. */
export function resourcePath(r: ApiResource, opts: { namespace?: string; name?: string } = {}): string {
  const root = r.group ? `/apis/${r.group}/${r.version}` : `/api/${r.version}`;
  const ns = r.namespaced && opts.namespace ? `/namespaces/${encodeURIComponent(opts.namespace)}` : '';
  const name = opts.name ? `/${encodeURIComponent(opts.name)}` : '';
  return `${root}${ns}/${r.resource}${name}`;
}
