import { appendFileSync, writeFileSync } from 'node:fs';
import { type Endpoint, kubeRequest } from './kube-rest.js';
import { waitFor } from './processes.js';

/**
 * Pod logs in the local control plane.
 *
 * kwok (v0.8.0) runs a kubelet-compatible HTTPS server; the fake node advertises it
 * (`status.addresses` InternalIP 127.0.0.1 and `status.daemonEndpoints.kubeletEndpoint.Port`), so the
 * apiserver proxies `pods/log` to it like to a real kubelet. kwok answers from files named by
 * `Logs` (one pod, by name) and `ClusterLogs` (pods selected by namespace/name) objects; with
 * `--enable-crds=Logs,ClusterLogs` it watches those objects in the cluster, so tests add them at run time.
 *
 * What kwok can serve (read in its source, `pkg/kwok/server/debugging_logs.go`): the file is parsed as
 * CRI log lines (`<RFC3339Nano> stdout F <text>`), `tailLines`, `sinceSeconds`/`sinceTime` (against
 * the line timestamps), `timestamps`, `limitBytes`, `follow` (fsnotify on the file: appended lines
 * stream) and `previous` (the `previousLogsFile` of the rule). It cannot end a follow by itself: its
 * runtime stub says "unavailable", which the CRI reader treats as "still running", so a follow ends
 * only when the client closes it.
 */

/** Minimal CRDs for kwok's Logs and ClusterLogs (kwok only needs the API to serve them). */
export function kwokLogsCrds(): unknown[] {
  const crd = (plural: string, kind: string, scope: 'Namespaced' | 'Cluster') => ({
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: { name: `${plural}.kwok.x-k8s.io` },
    spec: {
      group: 'kwok.x-k8s.io',
      scope,
      names: { plural, singular: kind.toLowerCase(), kind, listKind: `${kind}List` },
      versions: [
        {
          name: 'v1alpha1',
          served: true,
          storage: true,
          schema: {
            openAPIV3Schema: {
              type: 'object',
              properties: { spec: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true } },
            },
          },
        },
      ],
    },
  });
  return [crd('logs', 'Logs', 'Namespaced'), crd('clusterlogs', 'ClusterLogs', 'Cluster')];
}

/** Creates the Logs/ClusterLogs CRDs and waits until the apiserver serves them. */
export async function installKwokLogsCrds(ep: Endpoint): Promise<void> {
  for (const c of kwokLogsCrds()) {
    const r = await kubeRequest(ep, 'POST', '/apis/apiextensions.k8s.io/v1/customresourcedefinitions', c);
    if (r.status !== 201 && r.status !== 409)
      throw new Error(`creating kwok logs CRD: HTTP ${r.status} ${r.text}`);
  }
  await waitFor(
    'kwok logs CRDs served',
    async () => {
      const r = await kubeRequest(ep, 'GET', '/apis/kwok.x-k8s.io/v1alpha1');
      const names = ((r.json as { resources?: { name: string }[] })?.resources ?? []).map((x) => x.name);
      return names.includes('logs') && names.includes('clusterlogs');
    },
    { timeoutMs: 60_000, intervalMs: 300 },
  );
}

/** kwok's flags that turn its kubelet server on, on loopback, with logs read from Logs/ClusterLogs objects. */
export function kwokLogsArgs(port: number): string[] {
  return [
    `--server-address=127.0.0.1:${port}`,
    `--node-port=${port}`,
    '--node-ip=127.0.0.1',
    '--enable-crds=Logs,ClusterLogs',
  ];
}

/** One container's log files: `file` for the running instance, `previousFile` for `--previous`. */
export type LogRule = { containers?: string[]; file: string; previousFile?: string };

function rules(logs: LogRule[]): unknown[] {
  return logs.map((l) => ({
    ...(l.containers ? { containers: l.containers } : {}),
    logsFile: l.file,
    ...(l.previousFile ? { previousLogsFile: l.previousFile } : {}),
  }));
}

/** Maps one pod's containers to log files (a kwok `Logs` object named after the pod). */
export async function setPodLogs(
  ep: Endpoint,
  o: { namespace: string; pod: string; logs: LogRule[] },
): Promise<void> {
  const path = `/apis/kwok.x-k8s.io/v1alpha1/namespaces/${o.namespace}/logs`;
  const body = {
    apiVersion: 'kwok.x-k8s.io/v1alpha1',
    kind: 'Logs',
    metadata: { name: o.pod, namespace: o.namespace },
    spec: { logs: rules(o.logs) },
  };
  const r = await kubeRequest(ep, 'POST', path, body);
  if (r.status === 409) {
    const p = await kubeRequest(
      ep,
      'PATCH',
      `${path}/${o.pod}`,
      { spec: body.spec },
      {
        contentType: 'application/merge-patch+json',
      },
    );
    if (p.status !== 200)
      throw new Error(`updating kwok Logs ${o.namespace}/${o.pod}: HTTP ${p.status} ${p.text}`);
  } else if (r.status !== 201)
    throw new Error(`creating kwok Logs ${o.namespace}/${o.pod}: HTTP ${r.status} ${r.text}`);
}

/** Maps the containers of every pod in the namespaces (present and future) to log files (a `ClusterLogs`). */
export async function setNamespaceLogs(
  ep: Endpoint,
  o: { name: string; namespaces: string[]; logs: LogRule[] },
): Promise<void> {
  const body = {
    apiVersion: 'kwok.x-k8s.io/v1alpha1',
    kind: 'ClusterLogs',
    metadata: { name: o.name },
    spec: { selector: { matchNamespaces: o.namespaces }, logs: rules(o.logs) },
  };
  const r = await kubeRequest(ep, 'POST', '/apis/kwok.x-k8s.io/v1alpha1/clusterlogs', body);
  if (r.status !== 201 && r.status !== 409)
    throw new Error(`creating kwok ClusterLogs ${o.name}: HTTP ${r.status} ${r.text}`);
}

/** One log line in the CRI format kwok reads (`<time> stdout F <text>`). */
export function criLine(text: string, opts: { at?: Date; stream?: 'stdout' | 'stderr' } = {}): string {
  return `${(opts.at ?? new Date()).toISOString()} ${opts.stream ?? 'stdout'} F ${text}\n`;
}

/** Writes a log file from scratch (CRI format). */
export function writeLogFile(file: string, lines: string[], opts: { at?: Date } = {}): void {
  writeFileSync(file, lines.map((l) => criLine(l, opts)).join(''));
}

/** Appends lines to a log file, as a running container would (followers see them). */
export function appendLogLines(file: string, lines: string[], opts: { at?: Date } = {}): void {
  appendFileSync(file, lines.map((l) => criLine(l, opts)).join(''));
}
