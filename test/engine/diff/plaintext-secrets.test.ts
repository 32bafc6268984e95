import { describe, expect, it } from 'vitest';
import { plaintextSecrets, plaintextSecretWarning } from '../../../src/engine/diff/index.js';
import type { KubeObject } from '../../../src/engine/model/index.js';

const secret = (name: string, more: Record<string, unknown>, namespace = 'shop'): KubeObject =>
  ({ apiVersion: 'v1', kind: 'Secret', metadata: { name, namespace }, ...more }) as KubeObject;

describe('plaintext Secrets in a render', () => {
  it('finds Secrets with data or stringData, and only those', () => {
    const objects = [
      secret('db', { data: { password: 'aHVudGVyMg==' } }),
      secret('api', { stringData: { token: 'hunter2' } }),
      secret('empty', { data: {} }),
      secret('tls-placeholder', { type: 'kubernetes.io/tls' }),
      { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cm' }, data: { a: '1' } } as KubeObject,
      { apiVersion: 'bitnami.com/v1alpha1', kind: 'SealedSecret', metadata: { name: 's' } } as KubeObject,
    ];
    expect(plaintextSecrets(objects)).toEqual(['shop/api', 'shop/db']);
  });

  it('the warning names the Secrets, suggests the fix and never carries a value', () => {
    const w = plaintextSecretWarning([secret('db', { stringData: { password: 'hunter2' } })]);
    expect(w).toBe('plaintext Secret in Git (shop/db); use an ExternalSecret or SealedSecret');
    expect(plaintextSecretWarning([secret('x', {})])).toBeUndefined();
    const many = plaintextSecretWarning(
      ['a', 'b', 'c', 'd', 'e'].map((n) => secret(n, { data: { k: 'dg==' } })),
    );
    expect(many).toBe(
      'plaintext Secret in Git (shop/a, shop/b, shop/c and 2 more); use an ExternalSecret or SealedSecret',
    );
  });
});
