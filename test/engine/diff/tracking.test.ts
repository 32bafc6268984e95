import { describe, expect, it } from 'vitest';
import {
  ARGOCD_TRACKING_ANNOTATION,
  BOSUN_TRACKING_ANNOTATION,
  ownerOf,
  parseTrackingId,
  setTracking,
  trackingId,
} from '../../../src/engine/diff/index.js';
import type { KubeObject } from '../../../src/engine/model/index.js';

function deployment(annotations?: Record<string, string>, labels?: Record<string, string>): KubeObject {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: {
      name: 'checkout',
      namespace: 'shop',
      ...(annotations && { annotations }),
      ...(labels && { labels }),
    },
  };
}

describe('tracking ids', () => {
  it('uses Argo CD’s format and parses it back', () => {
    const key = { group: 'apps', kind: 'Deployment', namespace: 'shop', name: 'checkout' };
    const id = trackingId('checkout-dev', key);
    expect(id).toBe('checkout-dev:apps/Deployment:shop/checkout');
    expect(parseTrackingId(id)).toEqual({ app: 'checkout-dev', ...key });
  });

  it('handles the core group and cluster-scoped objects', () => {
    const id = trackingId('platform', { group: '', kind: 'Namespace', namespace: '', name: 'shop' });
    expect(id).toBe('platform:/Namespace:/shop');
    expect(parseTrackingId(id)).toEqual({
      app: 'platform',
      group: '',
      kind: 'Namespace',
      namespace: '',
      name: 'shop',
    });
  });

  it('rejects malformed ids', () => {
    for (const bad of ['', 'checkout', 'app:apps/Deployment', 'app:Deployment:shop/x', 'a:b/c:d/e/f']) {
      expect(parseTrackingId(bad)).toBeUndefined();
    }
  });

  it('setTracking returns a copy with the annotation', () => {
    const obj = deployment({ keep: 'me' });
    const tracked = setTracking(obj, 'checkout-dev');
    expect(tracked.metadata.annotations).toEqual({
      keep: 'me',
      [BOSUN_TRACKING_ANNOTATION]: 'checkout-dev:apps/Deployment:shop/checkout',
    });
    expect(obj.metadata.annotations).toEqual({ keep: 'me' });
    const argo = setTracking(obj, 'checkout-dev', { annotationKey: ARGOCD_TRACKING_ANNOTATION });
    expect(argo.metadata.annotations?.[ARGOCD_TRACKING_ANNOTATION]).toBe(
      'checkout-dev:apps/Deployment:shop/checkout',
    );
  });
});

describe('ownerOf', () => {
  const ours = 'checkout-dev:apps/Deployment:shop/checkout';

  it('tells ours from another bosun app', () => {
    expect(ownerOf(deployment({ [BOSUN_TRACKING_ANNOTATION]: ours }), { app: 'checkout-dev' })).toEqual({
      kind: 'ours',
      app: 'checkout-dev',
    });
    expect(ownerOf(deployment({ [BOSUN_TRACKING_ANNOTATION]: ours }), { app: 'checkout-prod' })).toEqual({
      kind: 'other-app',
      app: 'checkout-dev',
    });
  });

  it('recognises Argo CD by annotation or instance label', () => {
    expect(ownerOf(deployment({ [ARGOCD_TRACKING_ANNOTATION]: ours }), { app: 'checkout-dev' })).toEqual({
      kind: 'argocd',
      app: 'checkout-dev',
    });
    expect(
      ownerOf(deployment(undefined, { 'app.kubernetes.io/instance': 'legacy' }), { app: 'checkout-dev' }),
    ).toEqual({ kind: 'argocd', app: 'legacy' });
  });

  it('with Argo CD’s key configured, its annotation is ours and the label does not count', () => {
    const opts = { app: 'checkout-dev', annotationKey: ARGOCD_TRACKING_ANNOTATION };
    expect(ownerOf(deployment({ [ARGOCD_TRACKING_ANNOTATION]: ours }), opts).kind).toBe('ours');
    expect(ownerOf(deployment(undefined, { 'app.kubernetes.io/instance': 'legacy' }), opts).kind).toBe(
      'none',
    );
  });

  it('our annotation wins over an instance label a chart set', () => {
    const obj = deployment(
      { [BOSUN_TRACKING_ANNOTATION]: ours },
      { 'app.kubernetes.io/instance': 'checkout' },
    );
    expect(ownerOf(obj, { app: 'checkout-dev' }).kind).toBe('ours');
  });

  it('ignores ids copied from another object and objects without any', () => {
    const copied = deployment({ [BOSUN_TRACKING_ANNOTATION]: 'checkout-dev:apps/Deployment:shop/other' });
    expect(ownerOf(copied, { app: 'checkout-dev' })).toEqual({ kind: 'none' });
    expect(ownerOf(deployment(), { app: 'checkout-dev' })).toEqual({ kind: 'none' });
  });
});
