/**
 * In-memory diff benchmark: 5,000 realistic Deployment/Service/ConfigMap pairs (10 % modified),
 * compared in both modes; median of 5 runs. Run with `npx tsx test/bench/diff-bench.ts`.
 */
import { compareObjects, unifiedDiff } from '../../src/engine/diff/index.js';
import type { IgnoreDifference, KubeObject } from '../../src/engine/model/index.js';

const COUNT = 5000;
const RUNS = 5;
const BUDGET_MS = 50;

type Pair = { desired: KubeObject; live: KubeObject; predicted: KubeObject };

const meta = (kind: string, i: number, ns: string, app: string) => ({
  name: `${kind.toLowerCase()}-${i}`,
  namespace: ns,
  labels: { app, 'app.kubernetes.io/part-of': 'shop', tier: i % 2 ? 'web' : 'worker' },
  annotations: {
    'bosun.dev/tracking-id': `${app}:${kind === 'Deployment' ? 'apps' : ''}/${kind}:${ns}/${kind.toLowerCase()}-${i}`,
  },
});

function serverMeta(i: number, fields: Record<string, unknown>, statusFields?: Record<string, unknown>) {
  const managedFields: unknown[] = [
    {
      manager: 'bosun',
      operation: 'Apply',
      apiVersion: 'v1',
      time: '2025-01-10T09:00:00Z',
      fieldsType: 'FieldsV1',
      fieldsV1: fields,
    },
  ];
  if (statusFields)
    managedFields.push({
      manager: 'kube-controller-manager',
      operation: 'Update',
      subresource: 'status',
      time: '2025-01-10T09:00:05Z',
      fieldsType: 'FieldsV1',
      fieldsV1: { 'f:status': statusFields },
    });
  return {
    uid: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
    resourceVersion: String(100000 + i),
    generation: 3,
    creationTimestamp: '2025-01-10T09:00:00Z',
    managedFields,
  };
}

const metaFields = {
  'f:metadata': {
    'f:labels': { 'f:app': {}, 'f:app.kubernetes.io/part-of': {}, 'f:tier': {} },
    'f:annotations': { 'f:bosun.dev/tracking-id': {} },
  },
};

function deployment(i: number, ns: string, app: string): Pair {
  const env = Array.from({ length: 6 }, (_, k) => ({ name: `VAR_${k}`, value: `value-${i}-${k}` }));
  const desired: KubeObject = {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: meta('Deployment', i, ns, app),
    spec: {
      replicas: 2,
      selector: { matchLabels: { app } },
      template: {
        metadata: { labels: { app }, annotations: { 'prometheus.io/scrape': 'true' } },
        spec: {
          containers: [
            {
              name: 'app',
              image: `registry.local/${app}:1.${i % 7}.0`,
              ports: [{ name: 'http', containerPort: 8080 }],
              env,
              resources: {
                limits: { cpu: '500m', memory: '256Mi' },
                requests: { cpu: '100m', memory: '128Mi' },
              },
              readinessProbe: { httpGet: { path: '/healthz', port: 'http' }, periodSeconds: 5 },
              volumeMounts: [{ name: 'config', mountPath: '/etc/app' }],
            },
          ],
          volumes: [{ name: 'config', configMap: { name: `configmap-${i}` } }],
        },
      },
    },
  };
  const live = structuredClone(desired) as KubeObject & { spec: Record<string, unknown> };
  Object.assign(
    live.metadata,
    serverMeta(
      i,
      { ...metaFields, 'f:spec': { 'f:replicas': {}, 'f:selector': {}, 'f:template': {} } },
      {
        'f:replicas': {},
        'f:readyReplicas': {},
        'f:conditions': {},
      },
    ),
  );
  live.metadata.annotations = { ...live.metadata.annotations, 'deployment.kubernetes.io/revision': '3' };
  Object.assign(live.spec, {
    revisionHistoryLimit: 10,
    progressDeadlineSeconds: 600,
    strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: '25%', maxUnavailable: '25%' } },
  });
  const podSpec = (live.spec.template as { spec: Record<string, unknown> }).spec;
  Object.assign(podSpec, {
    restartPolicy: 'Always',
    terminationGracePeriodSeconds: 30,
    dnsPolicy: 'ClusterFirst',
    securityContext: {},
    schedulerName: 'default-scheduler',
  });
  const c = (podSpec.containers as Record<string, unknown>[])[0] as Record<string, unknown>;
  Object.assign(c, {
    imagePullPolicy: 'IfNotPresent',
    terminationMessagePath: '/dev/termination-log',
    terminationMessagePolicy: 'File',
  });
  (c.ports as Record<string, unknown>[])[0] = { name: 'http', containerPort: 8080, protocol: 'TCP' };
  Object.assign(c.readinessProbe as object, { timeoutSeconds: 1, successThreshold: 1, failureThreshold: 3 });
  (live as Record<string, unknown>).status = {
    observedGeneration: 3,
    replicas: 2,
    readyReplicas: 2,
    availableReplicas: 2,
    conditions: [
      {
        type: 'Available',
        status: 'True',
        reason: 'MinimumReplicasAvailable',
        lastUpdateTime: '2025-01-10T09:00:05Z',
      },
      {
        type: 'Progressing',
        status: 'True',
        reason: 'NewReplicaSetAvailable',
        lastUpdateTime: '2025-01-10T09:00:05Z',
      },
    ],
  };
  return { desired, live, predicted: structuredClone(live) };
}

function service(i: number, ns: string, app: string): Pair {
  const desired: KubeObject = {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: meta('Service', i, ns, app),
    spec: { selector: { app }, ports: [{ name: 'http', port: 80, targetPort: 'http' }] },
  };
  const live = structuredClone(desired) as KubeObject & { spec: Record<string, unknown> };
  Object.assign(
    live.metadata,
    serverMeta(i, { ...metaFields, 'f:spec': { 'f:selector': {}, 'f:ports': {} } }),
  );
  Object.assign(live.spec, {
    type: 'ClusterIP',
    clusterIP: `10.96.${i % 250}.${(i * 7) % 250}`,
    clusterIPs: [`10.96.${i % 250}.${(i * 7) % 250}`],
    sessionAffinity: 'None',
    ipFamilies: ['IPv4'],
    ipFamilyPolicy: 'SingleStack',
    internalTrafficPolicy: 'Cluster',
    ports: [{ name: 'http', port: 80, targetPort: 'http', protocol: 'TCP' }],
  });
  (live as Record<string, unknown>).status = { loadBalancer: {} };
  return { desired, live, predicted: structuredClone(live) };
}

function configMap(i: number, ns: string, app: string): Pair {
  const data: Record<string, string> = {};
  for (let k = 0; k < 8; k++) data[`key-${k}`] = `setting ${k} for ${app} number ${i}`;
  data['app.yaml'] = `server:\n  port: 8080\n  name: ${app}\nlog:\n  level: info\n`;
  const desired: KubeObject = {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: meta('ConfigMap', i, ns, app),
    data,
  };
  const live = structuredClone(desired);
  Object.assign(live.metadata, serverMeta(i, { ...metaFields, 'f:data': {} }));
  return { desired, live, predicted: structuredClone(live) };
}

/** Makes the pair differ the way real drift does: replicas, image, a config value. */
function modify(p: Pair, i: number): void {
  for (const o of [p.desired, p.predicted]) {
    const spec = o.spec as Record<string, unknown> | undefined;
    if (o.kind === 'Deployment' && spec) {
      if (i % 2) spec.replicas = 4;
      else {
        const c = (spec.template as { spec: { containers: { image: string }[] } }).spec.containers[0];
        if (c) c.image = 'registry.local/new:2.0.0';
      }
    } else if (o.kind === 'Service' && spec) {
      spec.selector = { app: 'other' };
    } else if (o.kind === 'ConfigMap') {
      (o.data as Record<string, string>)['key-3'] = 'changed';
    }
  }
}

function buildPairs(): Pair[] {
  const makers = [deployment, service, configMap];
  const pairs: Pair[] = [];
  for (let i = 0; i < COUNT; i++) {
    const make = makers[i % 3] as (i: number, ns: string, app: string) => Pair;
    const p = make(i, `team-${i % 20}`, `svc-${Math.floor(i / 3)}`);
    if (i % 10 === 7) modify(p, i);
    // The prediction is a fresh server answer: new resourceVersion and managedFields time.
    p.predicted.metadata.resourceVersion = String(Number(p.predicted.metadata.resourceVersion) + 1);
    pairs.push(p);
  }
  return pairs;
}

/** A rule that matches no object (only its matching is paid), and one every Deployment matches. */
const noMatch: IgnoreDifference[] = [
  { group: 'apps', kind: 'Deployment', name: 'none-*', jsonPointers: ['/spec/replicas'] },
];
const everyDeployment: IgnoreDifference[] = [
  { group: 'apps', kind: 'Deployment', jsonPointers: ['/spec/replicas'] },
];

function timeRun(
  pairs: Pair[],
  mode: 'full' | 'desired-fields',
  ignore: IgnoreDifference[],
): { ms: number; modified: number } {
  const t0 = performance.now();
  let modified = 0;
  for (const p of pairs) {
    const r = compareObjects({ desired: p.desired, live: p.live, predicted: p.predicted, ignore, mode });
    if (r.modified) modified++;
  }
  return { ms: performance.now() - t0, modified };
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] as number;
}

const pairs = buildPairs();
const cases = [
  { mode: 'full', ignore: noMatch, label: 'SSA prediction vs live' },
  { mode: 'desired-fields', ignore: noMatch, label: 'desired fields vs live (fallback)' },
  {
    mode: 'full',
    ignore: everyDeployment,
    label: 'SSA prediction vs live, /spec/replicas ignored on Deployments',
  },
] as const;
for (const { mode, ignore, label } of cases) {
  timeRun(pairs, mode, ignore); // warm-up
  const runs = Array.from({ length: RUNS }, () => timeRun(pairs, mode, ignore));
  const ms = median(runs.map((r) => r.ms));
  const modified = runs[0]?.modified ?? 0;
  console.log(
    `in-memory diff of ${COUNT} objects, ${label}: ${ms.toFixed(1)} ms (budget ${BUDGET_MS} ms)` +
      ` [${modified} modified, runs ${runs.map((r) => r.ms.toFixed(1)).join(' / ')} ms]`,
  );
}

const t0 = performance.now();
let lines = 0;
for (const p of pairs) {
  const r = compareObjects({ desired: p.desired, live: p.live, predicted: p.predicted, mode: 'full' });
  if (r.modified)
    lines += unifiedDiff({
      label: p.desired.metadata.name,
      live: r.normalizedLive,
      target: r.normalizedTarget,
    }).length;
}
console.log(
  `unified text for the modified objects, on demand: ${(performance.now() - t0).toFixed(1)} ms (${lines} chars)`,
);
