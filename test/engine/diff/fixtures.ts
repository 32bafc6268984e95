import type { KubeObject } from '../../../src/engine/model/index.js';

/** A Deployment as written in Git. */
export function desiredDeployment(over: { replicas?: number; image?: string } = {}): KubeObject {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: {
      name: 'checkout',
      namespace: 'shop',
      labels: { app: 'checkout' },
      annotations: { 'bosun.dev/tracking-id': 'checkout-dev:apps/Deployment:shop/checkout' },
    },
    spec: {
      replicas: over.replicas ?? 3,
      selector: { matchLabels: { app: 'checkout' } },
      template: {
        metadata: { labels: { app: 'checkout' } },
        spec: {
          containers: [
            {
              name: 'app',
              image: over.image ?? 'registry.local/checkout:1.4.2',
              ports: [{ containerPort: 8080 }],
              env: [
                { name: 'MODE', value: 'prod' },
                { name: 'LOG_LEVEL', value: 'info' },
              ],
              resources: { limits: { cpu: 1, memory: '256Mi' }, requests: { cpu: '100m' } },
            },
          ],
        },
      },
    },
  };
}

/** The fieldsV1 set bosun's server-side apply of `desiredDeployment` leaves. */
export function bosunFields(): Record<string, unknown> {
  return {
    'f:metadata': {
      'f:labels': { 'f:app': {} },
      'f:annotations': { 'f:bosun.dev/tracking-id': {} },
    },
    'f:spec': {
      'f:replicas': {},
      'f:selector': {},
      'f:template': {
        'f:metadata': { 'f:labels': { 'f:app': {} } },
        'f:spec': {
          'f:containers': {
            'k:{"name":"app"}': {
              '.': {},
              'f:name': {},
              'f:image': {},
              'f:ports': { 'k:{"containerPort":8080,"protocol":"TCP"}': { '.': {}, 'f:containerPort': {} } },
              'f:env': {
                'k:{"name":"MODE"}': { '.': {}, 'f:name': {}, 'f:value': {} },
                'k:{"name":"LOG_LEVEL"}': { '.': {}, 'f:name': {}, 'f:value': {} },
              },
              'f:resources': { 'f:limits': { 'f:cpu': {}, 'f:memory': {} }, 'f:requests': { 'f:cpu': {} } },
            },
          },
        },
      },
    },
  };
}

/** The live Deployment: what the server returns after applying `desiredDeployment` (defaults, status…). */
export function liveDeployment(
  over: { replicas?: number; image?: string; extraManagers?: unknown[] } = {},
): KubeObject {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: {
      name: 'checkout',
      namespace: 'shop',
      uid: '0b3c7a8e-5f7e-4f63-9a57-2f4f2a6c1b11',
      resourceVersion: '48213',
      generation: 7,
      creationTimestamp: '2025-01-10T09:00:00Z',
      labels: { app: 'checkout' },
      annotations: {
        'bosun.dev/tracking-id': 'checkout-dev:apps/Deployment:shop/checkout',
        'deployment.kubernetes.io/revision': '7',
      },
      managedFields: [
        {
          manager: 'bosun',
          operation: 'Apply',
          apiVersion: 'apps/v1',
          time: '2025-01-10T09:00:00Z',
          fieldsType: 'FieldsV1',
          fieldsV1: bosunFields(),
        },
        {
          manager: 'kube-controller-manager',
          operation: 'Update',
          apiVersion: 'apps/v1',
          time: '2025-01-10T09:00:05Z',
          fieldsType: 'FieldsV1',
          subresource: 'status',
          fieldsV1: { 'f:status': { 'f:replicas': {}, 'f:readyReplicas': {}, 'f:conditions': {} } },
        },
        ...(over.extraManagers ?? []),
      ],
    },
    spec: {
      replicas: over.replicas ?? 3,
      revisionHistoryLimit: 10,
      progressDeadlineSeconds: 600,
      selector: { matchLabels: { app: 'checkout' } },
      strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: '25%', maxUnavailable: '25%' } },
      template: {
        metadata: { creationTimestamp: null, labels: { app: 'checkout' } },
        spec: {
          containers: [
            {
              name: 'app',
              image: over.image ?? 'registry.local/checkout:1.4.2',
              imagePullPolicy: 'IfNotPresent',
              ports: [{ containerPort: 8080, protocol: 'TCP' }],
              env: [
                { name: 'MODE', value: 'prod' },
                { name: 'LOG_LEVEL', value: 'info' },
              ],
              resources: { limits: { cpu: '1', memory: '256Mi' }, requests: { cpu: '100m' } },
              terminationMessagePath: '/dev/termination-log',
              terminationMessagePolicy: 'File',
            },
          ],
          restartPolicy: 'Always',
          terminationGracePeriodSeconds: 30,
          dnsPolicy: 'ClusterFirst',
          securityContext: {},
          schedulerName: 'default-scheduler',
        },
      },
    },
    status: {
      replicas: 3,
      readyReplicas: 3,
      conditions: [{ type: 'Available', status: 'True' }],
    },
  };
}

/** `liveDeployment` as the SSA dry-run would predict it after applying `desired`. */
export function predictedFrom(live: KubeObject, over: { replicas?: number; image?: string }): KubeObject {
  const p = structuredClone(live) as KubeObject & { spec: { replicas: number; template: never } };
  if (over.replicas !== undefined) p.spec.replicas = over.replicas;
  if (over.image !== undefined) {
    const spec = (p.spec.template as { spec: { containers: { image: string }[] } }).spec;
    (spec.containers[0] as { image: string }).image = over.image;
  }
  return p;
}

/** A managedFields entry. */
export function managedEntry(manager: string, fieldsV1: unknown, extra: Record<string, unknown> = {}) {
  return {
    manager,
    operation: 'Update',
    apiVersion: 'apps/v1',
    time: '2025-01-11T10:00:00Z',
    fieldsType: 'FieldsV1',
    fieldsV1,
    ...extra,
  };
}
