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
  /** When it was last loaded (epoch ms). */
  loadedAt = 0;

  /** Loads (or reloads) discovery with two aggregated requests (/api and /apis). */
  async load(client: KubeClient): Promise<void> {
    const next = new Map<string, ApiResource>();
    const all = new Map<string, ApiResource>();
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
    this.loadedAt = Date.now();
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

/** The URL path of a collection or an object. */
export function resourcePath(r: ApiResource, opts: { namespace?: string; name?: string } = {}): string {
  const root = r.group ? `/apis/${r.group}/${r.version}` : `/api/${r.version}`;
  const ns = r.namespaced && opts.namespace ? `/namespaces/${encodeURIComponent(opts.namespace)}` : '';
  const name = opts.name ? `/${encodeURIComponent(opts.name)}` : '';
  return `${root}${ns}/${r.resource}${name}`;
}
