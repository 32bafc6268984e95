import * as k8s from '@kubernetes/client-node';
import { describe, expect, inject, it } from 'vitest';

/** Waits until `check` is true (polling), failing the test with `what` after `timeoutMs`. */
async function eventually(what: string, check: () => Promise<boolean>, timeoutMs = 90_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check().catch(() => false)) return;
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error(`timed out waiting for ${what}`);
}

describe('local control plane (real etcd, apiserver, controllers, scheduler, kwok)', () => {
  const cp = inject('controlPlane');

  for (const cluster of ['dev', 'staging', 'production']) {
    it(`${cluster}: a 3-replica Deployment becomes available, then its namespace is deleted`, async () => {
      const kc = new k8s.KubeConfig();
      kc.loadFromFile(cp.kubeconfig);
      kc.setCurrentContext(cluster);
      const core = kc.makeApiClient(k8s.CoreV1Api);
      const apps = kc.makeApiClient(k8s.AppsV1Api);
      const ns = `smoke-${Date.now().toString(36)}`;
      await core.createNamespace({ body: { metadata: { name: ns } } });
      await apps.createNamespacedDeployment({
        namespace: ns,
        body: {
          metadata: { name: 'web' },
          spec: {
            replicas: 3,
            selector: { matchLabels: { app: 'web' } },
            template: {
              metadata: { labels: { app: 'web' } },
              spec: { containers: [{ name: 'web', image: 'registry.local/web:1.0' }] },
            },
          },
        },
      });
      let available = 0;
      await eventually(`${cluster}: deployment available`, async () => {
        const d = await apps.readNamespacedDeployment({ name: 'web', namespace: ns });
        available = d.status?.availableReplicas ?? 0;
        return available === 3;
      });
      expect(available).toBe(3);
      const pods = await core.listNamespacedPod({ namespace: ns });
      expect(pods.items.filter((p) => p.status?.phase === 'Running')).toHaveLength(3);

      await core.deleteNamespace({ name: ns });
      await eventually(`${cluster}: namespace gone`, async () => {
        try {
          await core.readNamespace({ name: ns });
          return false;
        } catch (err) {
          return (err as { code?: number }).code === 404;
        }
      });
    });
  }
});
