/**
 * A real API server too busy for a client: API Priority and Fairness puts a service account in a
 * priority level of about 3 seats that rejects (429) what does not fit. A burst of LISTs through
 * bosun's client all succeed, and the server's own metrics show that it did reject some of them:
 * the client waited as Retry-After asked, spread out, and sent them again.
 */
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { KubeClient } from '../../src/engine/kube/client.js';
import { loadContexts } from '../../src/engine/kube/kubeconfig.js';
import { yamlDocs } from '../fixtures/repos/index.js';
import { deleteNamespace, eventually, kubectl } from './helpers.js';

const ns = 'e2e-throttle';
const level = 'e2e-throttle-tiny';

/** The API server's metrics, read as the admin (exempt from the tiny level). */
async function metrics(admin: KubeClient): Promise<string[]> {
  const res = await admin.open('GET', '/metrics', { accept: 'text/plain' });
  const chunks: Buffer[] = [];
  for await (const c of res) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString('utf8').split('\n');
}

/** The server's count of requests it rejected for the tiny priority level. */
async function rejected(admin: KubeClient): Promise<number> {
  let n = 0;
  for (const line of await metrics(admin))
    if (line.startsWith('apiserver_flowcontrol_rejected_requests_total{') && line.includes(`"${level}"`))
      n += Number(line.split(' ').pop());
  return n;
}

describe('a real API server that rejects a busy client (429)', () => {
  let client: KubeClient;
  let adminClient: KubeClient;

  beforeAll(async () => {
    kubectl('dev', ['create', 'namespace', ns]);
    kubectl('dev', ['-n', ns, 'create', 'serviceaccount', 'busy']);
    kubectl('dev', ['-n', ns, 'create', 'role', 'read-cms', '--verb=get,list', '--resource=configmaps']);
    kubectl('dev', [
      '-n',
      ns,
      'create',
      'rolebinding',
      'busy',
      '--role=read-cms',
      `--serviceaccount=${ns}:busy`,
    ]);
    // 200 ConfigMaps: each LIST holds a seat long enough for a burst to overflow three.
    const cms = Array.from({ length: 200 }, (_, i) => ({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: `cm-${i}`, namespace: ns, labels: { e2e: 'throttle' } },
      data: { value: 'x'.repeat(512) },
    }));
    kubectl('dev', ['apply', '--server-side', '-f', '-'], yamlDocs(...cms));
    kubectl(
      'dev',
      ['apply', '-f', '-'],
      yamlDocs(
        {
          apiVersion: 'flowcontrol.apiserver.k8s.io/v1',
          kind: 'PriorityLevelConfiguration',
          metadata: { name: level },
          spec: {
            type: 'Limited',
            limited: {
              nominalConcurrencyShares: 1,
              lendablePercent: 0,
              borrowingLimitPercent: 0,
              limitResponse: { type: 'Reject' },
            },
          },
        },
        {
          apiVersion: 'flowcontrol.apiserver.k8s.io/v1',
          kind: 'FlowSchema',
          metadata: { name: level },
          spec: {
            priorityLevelConfiguration: { name: level },
            matchingPrecedence: 100,
            distinguisherMethod: { type: 'ByUser' },
            rules: [
              {
                subjects: [{ kind: 'ServiceAccount', serviceAccount: { name: 'busy', namespace: ns } }],
                resourceRules: [
                  { verbs: ['*'], apiGroups: ['*'], resources: ['*'], namespaces: ['*'], clusterScope: true },
                ],
              },
            ],
          },
        },
      ),
    );
    const token = kubectl('dev', ['-n', ns, 'create', 'token', 'busy']).trim();
    const cp = inject('controlPlane');
    const admin = loadContexts({ kubeconfig: cp.kubeconfig, contexts: ['dev'] }).contexts[0];
    if (!admin) throw new Error('no dev context');
    adminClient = new KubeClient(admin);
    client = new KubeClient({
      ...admin,
      applyAuth: async (opts, o) => {
        const r = await admin.applyAuth(opts, o);
        opts.headers = { ...opts.headers, Authorization: `Bearer ${token}` };
        return r;
      },
    });
    // The server takes the new priority level in a moment: wait until it reports its seats.
    await eventually('the priority level in force', async () =>
      (await metrics(adminClient)).some(
        (l) => l.startsWith('apiserver_flowcontrol_nominal_limit_seats{') && l.includes(`"${level}"`),
      ),
    );
  });
  afterAll(async () => {
    client?.close();
    adminClient?.close();
    kubectl('dev', ['delete', 'flowschema', level, '--ignore-not-found']);
    kubectl('dev', ['delete', 'prioritylevelconfiguration', level, '--ignore-not-found']);
    await deleteNamespace(ns, ['dev']);
  });

  it('every request of a burst succeeds; the server rejected some and the client sent them again', async () => {
    const before = await rejected(adminClient);
    for (let round = 0; round < 3; round++) {
      const lists = await Promise.all(
        Array.from({ length: 30 }, () =>
          client.json<{ items: unknown[] }>('GET', `/api/v1/namespaces/${ns}/configmaps`, {
            query: { labelSelector: 'e2e=throttle' },
          }),
        ),
      );
      expect(lists.map((l) => l?.items.length)).toEqual(Array(30).fill(200));
    }
    expect(await rejected(adminClient)).toBeGreaterThan(before);
  });
});
