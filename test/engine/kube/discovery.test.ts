import { describe, expect, it } from 'vitest';
import type { KubeClient } from '../../../src/engine/kube/client.js';
import { Discovery, majorMinor } from '../../../src/engine/kube/discovery.js';

/** A client answering /version and aggregated discovery with fixed documents. */
function client(answers: Record<string, unknown>): KubeClient {
  return { json: async (_method: string, path: string) => answers[path] } as unknown as KubeClient;
}

const lw = ['get', 'list', 'watch', 'create'];

describe('Discovery', () => {
  it('lists API versions as Argo CD passes them to helm: group/version and group/version/Kind of listable, watchable resources, every served version', async () => {
    const d = new Discovery();
    await d.load(
      client({
        '/version': { major: '1', minor: '36+', gitVersion: 'v1.36.3' },
        '/api': {
          items: [
            {
              metadata: { name: '' },
              versions: [
                {
                  version: 'v1',
                  resources: [
                    {
                      resource: 'configmaps',
                      responseKind: { kind: 'ConfigMap' },
                      scope: 'Namespaced',
                      verbs: lw,
                    },
                    {
                      resource: 'pods/log',
                      responseKind: { kind: 'Pod' },
                      scope: 'Namespaced',
                      verbs: ['get'],
                    },
                    {
                      resource: 'bindings',
                      responseKind: { kind: 'Binding' },
                      scope: 'Namespaced',
                      verbs: ['create'],
                    },
                  ],
                },
              ],
            },
          ],
        },
        '/apis': {
          items: [
            {
              metadata: { name: 'autoscaling' },
              versions: [
                {
                  version: 'v2',
                  resources: [
                    {
                      resource: 'horizontalpodautoscalers',
                      responseKind: { kind: 'HorizontalPodAutoscaler' },
                      scope: 'Namespaced',
                      verbs: lw,
                    },
                  ],
                },
                {
                  version: 'v1',
                  resources: [
                    {
                      resource: 'horizontalpodautoscalers',
                      responseKind: { kind: 'HorizontalPodAutoscaler' },
                      scope: 'Namespaced',
                      verbs: lw,
                    },
                  ],
                },
              ],
            },
          ],
        },
      }),
    );
    expect(d.serverVersion).toBe('1.36');
    expect(d.apiVersions()).toEqual([
      'autoscaling/v1',
      'autoscaling/v1/HorizontalPodAutoscaler',
      'autoscaling/v2',
      'autoscaling/v2/HorizontalPodAutoscaler',
      'v1',
      'v1/ConfigMap',
    ]);
  });

  it('reads major.minor like Argo CD (provider suffixes dropped)', () => {
    expect(majorMinor('1', '28+')).toBe('1.28');
    expect(majorMinor('1', '')).toBeUndefined();
    expect(majorMinor(undefined, '30')).toBeUndefined();
  });
});
