/**
 * The API calls triage needs beyond sync: pod log streams (`pods/log`), namespaced lists with selectors,
 * and patches (merge / strategic merge / JSON patch) for resource actions.
 */
import type { KubeObject, ResourceKey } from '../model/resource-key.js';
import { KubeApiError } from './client.js';
import type { KubeCluster } from './cluster.js';
import { resourcePath } from './discovery.js';

/** What to read from one container's log. */
export type PodLogRequest = {
  namespace: string;
  pod: string;
  container: string;
  follow?: boolean;
  previous?: boolean;
  sinceSeconds?: number;
  tailLines?: number;
  timestamps?: boolean;
  signal?: AbortSignal;
};

async function failure(res: AsyncIterable<unknown>, status: number, what: string): Promise<KubeApiError> {
  const chunks: Buffer[] = [];
  for await (const c of res) chunks.push(c as Buffer);
  const text = Buffer.concat(chunks).toString('utf8');
  let message = text.trim().split('\n')[0] ?? '';
  let reason = String(status);
  try {
    const s = JSON.parse(text) as { message?: string; reason?: string };
    message = s.message ?? message;
    reason = s.reason ?? reason;
  } catch {
    /* plain text */
  }
  return new KubeApiError(`${what}: ${message || `HTTP ${status}`}`, { status, reason });
}

/**
 * Streams one container's log through the API (`GET …/pods/NAME/log`), calling `onLine` per complete line.
 * Resolves when the server ends the stream (or the signal aborts it); rejects with a one-line KubeApiError.
 */
export async function streamPodLog(
  cluster: KubeCluster,
  req: PodLogRequest,
  onLine: (line: string) => void,
): Promise<void> {
  const path = `/api/v1/namespaces/${encodeURIComponent(req.namespace)}/pods/${encodeURIComponent(req.pod)}/log`;
  const what = `logs of ${req.namespace}/${req.pod}/${req.container}${req.previous ? ' (previous)' : ''}`;
  let res: Awaited<ReturnType<KubeCluster['client']['open']>>;
  try {
    res = await cluster.client.open('GET', path, {
      query: {
        container: req.container,
        follow: req.follow || undefined,
        previous: req.previous || undefined,
        sinceSeconds: req.sinceSeconds,
        tailLines: req.tailLines,
        timestamps: req.timestamps || undefined,
      },
      accept: '*/*',
      timeoutMs: req.follow ? 0 : 30_000,
      ...(req.signal ? { signal: req.signal } : {}),
    });
  } catch (err) {
    if (req.signal?.aborted) return;
    throw err;
  }
  const status = res.statusCode ?? 0;
  if (status < 200 || status >= 300) throw await failure(res, status, what);
  let buf = '';
  try {
    for await (const chunk of res) {
      buf += (chunk as Buffer).toString('utf8');
      let nl = buf.indexOf('\n');
      while (nl >= 0) {
        onLine(buf.slice(0, nl));
        buf = buf.slice(nl + 1);
        nl = buf.indexOf('\n');
      }
    }
  } catch (err) {
    if (req.signal?.aborted) return;
    throw new KubeApiError(`${what}: the stream broke`, { status: 0, reason: 'StreamError', cause: err });
  }
  if (buf) onLine(buf);
}

/** LIST one kind in a namespace (or everywhere) with label/field selectors; items carry apiVersion and kind. */
export async function listKind(
  cluster: KubeCluster,
  o: { group: string; kind: string; namespace?: string; labelSelector?: string; fieldSelector?: string },
): Promise<KubeObject[]> {
  const r = await cluster.resolve(o.group, o.kind);
  if (!r) return [];
  const path = resourcePath(r, o.namespace ? { namespace: o.namespace } : {});
  const out = await cluster.client.json<{ items?: KubeObject[] }>('GET', path, {
    query: { labelSelector: o.labelSelector, fieldSelector: o.fieldSelector },
    timeoutMs: 30_000,
    countAs: 'list',
  });
  const apiVersion = r.group ? `${r.group}/${r.version}` : r.version;
  return (out?.items ?? []).map((i) => ({ ...i, apiVersion, kind: r.kind }));
}

/** How a patch is to be read by the API server. */
export const PatchType = {
  Merge: 'application/merge-patch+json',
  Strategic: 'application/strategic-merge-patch+json',
  Json: 'application/json-patch+json',
} as const;
/** One of the patch content types. */
export type PatchType = (typeof PatchType)[keyof typeof PatchType];

/** PATCH one object (or its subresource, e.g. `status`); returns the object as the server now has it. */
export async function patchObject(
  cluster: KubeCluster,
  key: ResourceKey,
  patch: unknown,
  o: { type: PatchType; subresource?: string; fieldManager?: string },
): Promise<KubeObject> {
  const r = await cluster.resolve(key.group, key.kind);
  if (!r) {
    throw new KubeApiError(`the cluster ${cluster.context} has no kind ${key.kind}`, {
      status: 404,
      reason: 'NoKind',
    });
  }
  const base = resourcePath(r, { ...(key.namespace ? { namespace: key.namespace } : {}), name: key.name });
  const out = await cluster.client.json<KubeObject>(
    'PATCH',
    o.subresource ? `${base}/${o.subresource}` : base,
    {
      body: patch,
      contentType: o.type,
      query: { fieldManager: o.fieldManager ?? cluster.fieldManager },
    },
  );
  if (!out) throw new Error(`patch of ${key.kind}/${key.name} returned nothing`);
  return out;
}
