import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { objectsFromText } from '../../../src/cli/commands/health.js';
import { loadCustomizationDir } from '../../../src/engine/customizations/load-dir.js';
import { mergeCustomizations } from '../../../src/engine/health/customizations.js';
import { assessHealth } from '../../../src/engine/health/index.js';
import type { Customizations } from '../../../src/engine/index.js';
import { createLuaVm, luaHealthRunner } from '../../../src/engine/lua/index.js';
import type { KubeObject } from '../../../src/engine/model/index.js';

const obj = (o: Record<string, unknown>) => o as unknown as KubeObject;

describe('built-in kinds as Argo CD assesses them', () => {
  it('a LoadBalancer Service or an Ingress with an entry holding neither ip nor hostname is Healthy', () => {
    const status = { loadBalancer: { ingress: [{ ports: [{ port: 443, protocol: 'TCP' }] }] } };
    const svc = obj({
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 's' },
      spec: { type: 'LoadBalancer' },
      status,
    });
    const ing = obj({
      apiVersion: 'networking.k8s.io/v1',
      kind: 'Ingress',
      metadata: { name: 'i' },
      spec: {},
      status,
    });
    expect(assessHealth(svc)?.status).toBe('Healthy');
    expect(assessHealth(ing)?.status).toBe('Healthy');
    const empty = { loadBalancer: { ingress: [] } };
    expect(assessHealth(obj({ ...(svc as object), status: empty }))?.status).toBe('Progressing');
  });

  it('a running Never-restart pod is long-running with ignore-restart-policy, but not when it is a hook', () => {
    const pod = (annotations: Record<string, string>, waiting?: string) =>
      obj({
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: { name: 'p', annotations },
        spec: { restartPolicy: 'Never' },
        status: {
          phase: 'Running',
          conditions: [{ type: 'Ready', status: waiting ? 'False' : 'True' }],
          containerStatuses: [
            {
              name: 'main',
              ready: !waiting,
              state: waiting ? { waiting: { reason: waiting } } : { running: {} },
            },
          ],
        },
      });
    const ignore = { 'argocd.argoproj.io/ignore-restart-policy': 'true' };
    expect(assessHealth(pod({}))?.status).toBe('Progressing');
    expect(assessHealth(pod(ignore))?.status).toBe('Healthy');
    expect(assessHealth(pod(ignore, 'ImagePullBackOff'))?.status).toBe('Degraded');
    expect(assessHealth(pod({ ...ignore, 'argocd.argoproj.io/hook': 'PreSync' }))?.status).toBe(
      'Progressing',
    );
  });

  it('HPA: a degraded condition anywhere wins; AbleToScale True alone is Healthy; otherwise Progressing', () => {
    const hpa = (conditions: unknown[]) =>
      obj({
        apiVersion: 'autoscaling/v2',
        kind: 'HorizontalPodAutoscaler',
        metadata: { name: 'h' },
        spec: { minReplicas: 1, maxReplicas: 3 },
        status: { conditions },
      });
    expect(
      assessHealth(
        hpa([
          { type: 'AbleToScale', status: 'True', reason: 'ReadyForNewScale' },
          { type: 'ScalingActive', status: 'False', reason: 'FailedGetObjectMetric' },
        ]),
      )?.status,
    ).toBe('Degraded');
    expect(
      assessHealth(hpa([{ type: 'AbleToScale', status: 'True', reason: 'ReadyForNewScale' }]))?.status,
    ).toBe('Healthy');
    expect(
      assessHealth(hpa([{ type: 'ScalingActive', status: 'True', reason: 'ValidMetricFound' }]))?.status,
    ).toBe('Progressing');
  });
});

describe('bosun health input', () => {
  it('accepts objects without metadata.name and YAML with a duplicated key (the last value wins)', () => {
    const objs = objectsFromText(
      'apiVersion: v1\nkind: Service\nmetadata: {}\nspec:\n  type: ClusterIP\n  type: LoadBalancer\n---\napiVersion: example.com/v1\nkind: Gadget\n',
    );
    expect(
      objs.map((o) => [o.kind, o.metadata.name, (o as { spec?: { type?: string } }).spec?.type]),
    ).toEqual([
      ['Service', '', 'LoadBalancer'],
      ['Gadget', '', undefined],
    ]);
    expect(assessHealth(objs[1] as KubeObject)).toBeUndefined();
  });
});

describe('Lua customizations in assessHealth', () => {
  const dir = join(import.meta.dirname, '../../fixtures/lua');
  let c: Customizations;
  beforeAll(async () => {
    const vm = await createLuaVm({ limits: { timeoutMs: 300, memoryBytes: 8 * 1024 * 1024 } });
    c = mergeCustomizations(luaHealthRunner(vm), [
      {
        health: new Map([
          [
            'example.com/Widget',
            { script: 'return {status = "Suspended", message = "first"}', origin: 'argocd-cm' },
          ],
          ['*.example.org/*', { script: 'return {status = "Degraded", message = obj.kind}', origin: 'wild' }],
          ['apps/Deployment', { script: 'error("boom")', origin: 'broken' }],
        ]),
        actions: new Map(),
      },
      loadCustomizationDir(dir),
    ]);
  });

  it('loads a directory in Argo CD layout: health and actions', () => {
    const fromDir = loadCustomizationDir(dir);
    expect(fromDir.health.get('example.com/Widget')?.script).toBe(
      readFileSync(join(dir, 'example.com/Widget/health.lua'), 'utf8'),
    );
    expect([...(fromDir.actions.get('example.com/Widget')?.actions.keys() ?? [])]).toEqual([
      'reset',
      'scale',
    ]);
  });

  it('the higher source wins, wildcards match, an erroring script gives Unknown with its error', () => {
    const w = obj({ apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w' }, spec: {} });
    expect(assessHealth(w, { customizations: c })).toMatchObject({
      status: 'Suspended',
      message: 'first',
      check: 'argocd-cm',
    });
    const g = obj({ apiVersion: 'db.example.org/v1', kind: 'Table', metadata: { name: 't' } });
    expect(assessHealth(g, { customizations: c })).toMatchObject({ status: 'Degraded', message: 'Table' });
    const d = obj({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'd' },
      spec: {},
      status: {},
    });
    const h = assessHealth(d, { customizations: c });
    expect(h?.status).toBe('Unknown');
    expect(h?.message).toMatch(/boom/);
  });
});

describe('built-in health for the custom resources these platforms run', () => {
  const rollout = (status: Record<string, unknown>) =>
    obj({
      apiVersion: 'argoproj.io/v1alpha1',
      kind: 'Rollout',
      metadata: { name: 'checkout', generation: 3 },
      spec: { replicas: 2, strategy: { canary: { steps: [{ setWeight: 20 }] } } },
      status: { observedGeneration: '3', ...status },
    });

  it('an aborted Rollout is Degraded, a paused one Suspended, a finished canary Healthy', () => {
    const aborted = rollout({
      conditions: [
        { type: 'Progressing', status: 'False', reason: 'RolloutAborted', message: 'metric "errors" failed' },
      ],
    });
    expect(assessHealth(aborted)).toMatchObject({ status: 'Degraded', message: 'metric "errors" failed' });
    expect(
      assessHealth(rollout({ phase: 'Degraded', message: 'RolloutAborted: analysis failed' }))?.status,
    ).toBe('Degraded');
    expect(assessHealth(rollout({ phase: 'Paused', message: 'CanaryPauseStep' }))?.status).toBe('Suspended');
    const done = rollout({
      currentPodHash: 'abc',
      stableRS: 'abc',
      replicas: 2,
      updatedReplicas: 2,
      availableReplicas: 2,
      conditions: [],
    });
    expect(assessHealth(done)?.status).toBe('Healthy');
  });

  it('a SealedSecret that cannot be decrypted and a failing ExternalSecret are Degraded with their reason', () => {
    const sealed = obj({
      apiVersion: 'bitnami.com/v1alpha1',
      kind: 'SealedSecret',
      metadata: { name: 's' },
      status: { conditions: [{ type: 'Synced', status: 'False', message: 'no key could decrypt secret' }] },
    });
    expect(assessHealth(sealed)).toMatchObject({
      status: 'Degraded',
      message: 'no key could decrypt secret',
    });
    const es = obj({
      apiVersion: 'external-secrets.io/v1beta1',
      kind: 'ExternalSecret',
      metadata: { name: 'e' },
      status: {
        conditions: [
          { type: 'Ready', status: 'False', reason: 'SecretSyncedError', message: 'could not get secret' },
        ],
      },
    });
    expect(assessHealth(es)).toMatchObject({ status: 'Degraded', message: 'could not get secret' });
    expect(assessHealth(obj({ ...(es as object), status: {} }))?.status).toBe('Progressing');
  });
});
