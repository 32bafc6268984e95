import { describe, expect, it } from 'vitest';
import type { EngineContext } from '../../../src/engine/core/context.js';
import type { KubeObject } from '../../../src/engine/model/index.js';
import { appsTouchedBy, desiredKeys } from '../../../src/engine/services/live-changes.js';

const tracking = 'argocd.argoproj.io/tracking-id';
const cm = (name: string, ns = 'shop'): KubeObject => ({
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name, namespace: ns },
});
const deploy = (name: string, annotations: Record<string, string> = {}, uid = `uid-${name}`): KubeObject => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name, namespace: 'shop', uid, annotations },
});

function ctxWith(
  apps: { name: string; context: string; desired: KubeObject[] }[],
  owners: KubeObject[] = [],
) {
  const byUid = new Map(owners.map((o) => [o.metadata.uid, o]));
  return {
    tracking,
    apps: new Map(
      apps.map((a) => [a.name, { spec: { name: a.name }, context: a.context, desired: a.desired }]),
    ),
    caches: new Map([['dev', { byUidGet: (uid: string) => byUid.get(uid) }]]),
  } as unknown as EngineContext;
}

describe('appsTouchedBy', () => {
  it('finds the apps that want the changed key in that cluster, and the app tracking the object or its owner', () => {
    const web = deploy('web', { [tracking]: 'web-dev:apps/Deployment:shop/web' });
    const rs = {
      apiVersion: 'apps/v1',
      kind: 'ReplicaSet',
      metadata: {
        name: 'web-1',
        namespace: 'shop',
        uid: 'rs-1',
        ownerReferences: [{ uid: web.metadata.uid }],
      },
    } as unknown as KubeObject;
    const ctx = ctxWith(
      [
        { name: 'web-dev', context: 'dev', desired: [web] },
        { name: 'cfg-dev', context: 'dev', desired: [cm('settings')] },
        { name: 'cfg-prod', context: 'prod', desired: [cm('settings')] },
      ],
      [web, rs],
    );
    const key = { group: '', kind: 'ConfigMap', namespace: 'shop', name: 'settings' };
    expect([...appsTouchedBy(ctx, 'dev', [{ key }])]).toEqual(['cfg-dev']);
    const pod = {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'web-1-x', namespace: 'shop', ownerReferences: [{ uid: 'rs-1' }] },
    } as unknown as KubeObject;
    const podKey = { group: '', kind: 'Pod', namespace: 'shop', name: 'web-1-x' };
    expect([...appsTouchedBy(ctx, 'dev', [{ key: podKey, obj: pod }])]).toEqual(['web-dev']);
    expect([...appsTouchedBy(ctx, 'dev', [{ key: { ...key, name: 'other' } }])]).toEqual([]);
  });

  it('keys a render result once', () => {
    const desired = [cm('a'), cm('b', 'other')];
    expect(desiredKeys(desired)).toBe(desiredKeys(desired));
    expect(desiredKeys(desired).size).toBe(2);
  });
});
