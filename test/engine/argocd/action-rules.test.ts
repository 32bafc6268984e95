import { describe, expect, it } from 'vitest';
import {
  actionProjectRefusals,
  applicationActionEvent,
  argoRevertWarning,
  resourceActionEvent,
  revertedPaths,
  selfHealOn,
} from '../../../src/engine/argocd/action-rules.js';
import type { AppProject, AppSpec } from '../../../src/engine/model/app.js';
import type { KubeObject } from '../../../src/engine/model/resource-key.js';

const app = (over: Partial<AppSpec> = {}): AppSpec => ({
  name: 'shop-staging',
  project: 'shop',
  sources: [{ repoURL: 'https://git.example/shop.git', path: 'apps/shop', targetRevision: 'main' }],
  destination: { name: 'staging', namespace: 'shop' },
  labels: {},
  annotations: {},
  origin: {},
  service: 'shop',
  ...over,
});

const project = (over: Partial<AppProject> = {}): AppProject => ({
  name: 'shop',
  sourceRepos: ['*'],
  destinations: [{ name: 'staging', namespace: 'shop' }],
  ...over,
});

const deployment = { group: 'apps', kind: 'Deployment', namespace: 'shop', name: 'web' };
const staging = { name: 'staging', server: 'https://127.0.0.1:6443' };

describe("Argo CD's AppProject check of the objects an action touches", () => {
  it('a project that permits the kind and the namespace refuses nothing', () => {
    expect(
      actionProjectRefusals({ project: project(), app: app(), targets: [deployment], destination: staging }),
    ).toEqual([]);
  });

  it("a namespaced kind on the project's blacklist is refused, naming the object", () => {
    const p = project({ namespaceResourceBlacklist: [{ group: 'apps', kind: 'Deployment' }] });
    expect(
      actionProjectRefusals({ project: p, app: app(), targets: [deployment], destination: staging }),
    ).toEqual([
      "project shop does not permit shop-staging to manage apps/Deployment shop/web (kind denied by the project's namespace resource lists)",
    ]);
  });

  it('a namespace whitelist without the kind refuses it; with it, permits it', () => {
    const only = project({ namespaceResourceWhitelist: [{ group: '', kind: 'ConfigMap' }] });
    expect(
      actionProjectRefusals({ project: only, app: app(), targets: [deployment], destination: staging }),
    ).toHaveLength(1);
    const both = project({ namespaceResourceWhitelist: [{ group: 'apps', kind: '*' }] });
    expect(
      actionProjectRefusals({ project: both, app: app(), targets: [deployment], destination: staging }),
    ).toEqual([]);
  });

  it('a cluster-scoped object needs the cluster whitelist', () => {
    const ns = { group: '', kind: 'Namespace', namespace: '', name: 'shop' };
    expect(
      actionProjectRefusals({ project: project(), app: app(), targets: [ns], destination: staging }),
    ).toEqual([
      'project shop does not permit shop-staging to manage Namespace shop (cluster-scoped kind not in its clusterResourceWhitelist)',
    ]);
    const p = project({ clusterResourceWhitelist: [{ group: '', kind: 'Namespace' }] });
    expect(actionProjectRefusals({ project: p, app: app(), targets: [ns], destination: staging })).toEqual(
      [],
    );
  });

  it("an object created in a namespace outside the project's destinations is refused", () => {
    const job = { group: 'batch', kind: 'Job', namespace: 'kube-system', name: 'manual-1' };
    expect(
      actionProjectRefusals({
        project: project(),
        app: app(),
        targets: [deployment, job],
        destination: staging,
      }),
    ).toEqual([
      'project shop does not permit shop-staging to manage batch/Job kube-system/manual-1: namespace kube-system is not among its destinations',
    ]);
  });

  it('the destination matches by server as well as by name, as in Argo CD', () => {
    const p = project({ destinations: [{ server: 'https://127.0.0.1:6443', namespace: '*' }] });
    expect(
      actionProjectRefusals({ project: p, app: app(), targets: [deployment], destination: staging }),
    ).toEqual([]);
    expect(
      actionProjectRefusals({
        project: p,
        app: app(),
        targets: [deployment],
        destination: { name: 'staging' },
      }),
    ).toHaveLength(1);
  });

  it('a project Argo CD does not have refuses everything', () => {
    expect(
      actionProjectRefusals({ project: undefined, app: app(), targets: [deployment], destination: staging }),
    ).toEqual(['project shop of shop-staging does not exist in Argo CD']);
  });
});

const desired = (replicas?: number): KubeObject => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'web', namespace: 'shop' },
  spec: { ...(replicas !== undefined ? { replicas } : {}), template: { metadata: { labels: { a: 'b' } } } },
});
const selfHealing = app({ syncPolicy: { automated: { selfHeal: true } } });

describe('whether Argo CD will undo an action', () => {
  it('self-heal is on with automated.selfHeal, unless automated.enabled is false', () => {
    expect(selfHealOn(selfHealing)).toBe(true);
    expect(selfHealOn(app({ syncPolicy: { automated: { selfHeal: true, enabled: false } } }))).toBe(false);
    expect(selfHealOn(app({ syncPolicy: { automated: {} } }))).toBe(false);
    expect(selfHealOn(app())).toBe(false);
  });

  it('the leaves of a patch that Git sets to another value', () => {
    expect(revertedPaths(desired(3), { spec: { replicas: 5 } })).toEqual(['/spec/replicas']);
    expect(revertedPaths(desired(5), { spec: { replicas: 5 } })).toEqual([]);
    expect(revertedPaths(desired(), { spec: { replicas: 5 } })).toEqual([]);
    // An annotation Git does not set is not drift to Argo CD.
    expect(
      revertedPaths(desired(3), {
        spec: { template: { metadata: { annotations: { restartedAt: 'now' } } } },
      }),
    ).toEqual([]);
  });

  it('a scale Git sets otherwise: reverted at once with self-heal, else by the next sync', () => {
    const patches = [{ spec: { replicas: 5 } }];
    expect(
      argoRevertWarning({
        app: selfHealing,
        action: 'scale',
        target: 'Deployment/web',
        desired: desired(2),
        patches,
      }),
    ).toBe(
      "Git sets /spec/replicas of Deployment/web otherwise: Argo CD's self-heal on shop-staging will revert it at once",
    );
    expect(
      argoRevertWarning({
        app: app(),
        action: 'scale',
        target: 'Deployment/web',
        desired: desired(2),
        patches,
      }),
    ).toBe(
      'Git sets /spec/replicas of Deployment/web otherwise: the next sync of shop-staging in Argo CD will revert it',
    );
    expect(
      argoRevertWarning({
        app: selfHealing,
        action: 'scale',
        target: 'Deployment/web',
        desired: desired(),
        patches,
      }),
    ).toBeUndefined();
  });

  it("without Git's object (an app only Argo CD has), a self-healed scale still warns", () => {
    const patches = [{ spec: { replicas: 5 } }];
    expect(argoRevertWarning({ app: selfHealing, action: 'scale', target: 'Deployment/web', patches })).toBe(
      'Argo CD self-heals shop-staging: if Git sets spec.replicas of Deployment/web, it scales it back at once',
    );
    expect(
      argoRevertWarning({ app: app(), action: 'scale', target: 'Deployment/web', patches }),
    ).toBeUndefined();
    expect(
      argoRevertWarning({ app: selfHealing, action: 'restart', target: 'Deployment/web', patches: [] }),
    ).toBeUndefined();
  });
});

describe('the Event Argo CD records when an action ran', () => {
  const now = new Date('2026-12-06T04:00:00.123Z');
  const nanos = 1_796_529_600_123_456_789n;

  it('on the Application: reason ResourceActionRan, the user in the message and annotations', () => {
    const e = applicationActionEvent({
      app: {
        name: 'shop-staging',
        namespace: 'argocd',
        uid: 'u-1',
        resourceVersion: '42',
        destination: { name: 'staging', namespace: 'shop' },
      },
      user: 'ana@bastion',
      action: 'scale',
      target: deployment,
      now,
      nanos,
      component: 'bosun',
    });
    expect(e).toEqual({
      apiVersion: 'v1',
      kind: 'Event',
      metadata: {
        name: `shop-staging.${nanos.toString(16)}`,
        namespace: 'argocd',
        annotations: { 'dest-server': '', 'dest-namespace': 'shop', user: 'ana@bastion' },
      },
      involvedObject: {
        kind: 'Application',
        apiVersion: 'argoproj.io/v1alpha1',
        name: 'shop-staging',
        namespace: 'argocd',
        uid: 'u-1',
        resourceVersion: '42',
      },
      source: { component: 'bosun' },
      firstTimestamp: '2026-12-06T04:00:00Z',
      lastTimestamp: '2026-12-06T04:00:00Z',
      count: 1,
      type: 'Normal',
      reason: 'ResourceActionRan',
      message: 'ana@bastion ran action scale on resource apps/Deployment/web',
    });
  });

  it('on the resource: `<user> ran action <action>`, in its namespace', () => {
    const e = resourceActionEvent({
      obj: desired(1),
      user: 'ana@bastion',
      action: 'restart',
      now,
      nanos,
      component: 'bosun',
    });
    expect(e.metadata).toMatchObject({ name: `web.${nanos.toString(16)}`, namespace: 'shop' });
    expect(e).toMatchObject({
      involvedObject: { kind: 'Deployment', apiVersion: 'apps/v1', name: 'web', namespace: 'shop' },
      reason: 'ResourceActionRan',
      message: 'ana@bastion ran action restart',
    });
  });
});
