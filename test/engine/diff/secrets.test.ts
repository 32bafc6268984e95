import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import {
  compareObjects,
  diffStats,
  explainComparison,
  maskSecretPair,
  REDACTED,
  redactSecretValues,
  SECRET_MASK,
  SECRET_MASK_CHANGED,
  unifiedDiff,
} from '../../../src/engine/diff/index.js';
import type { KubeObject } from '../../../src/engine/model/index.js';

const b64 = (s: string) => Buffer.from(s, 'utf8').toString('base64');

const plain = {
  same: 'hunter2-unchanged-password',
  oldPw: 'old-db-password-4411',
  newPw: 'new-db-password-9922',
  removed: 'removed-api-token-77aa',
  added: 'added-webhook-secret-55cc',
  fromStringData: 'string-data-value-xyz',
};

function secret(data: Record<string, string>, extra: Partial<KubeObject> = {}): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { name: 'db', namespace: 'shop' },
    type: 'Opaque',
    data: Object.fromEntries(Object.entries(data).map(([k, v]) => [k, b64(v)])),
    ...extra,
  };
}

function desiredSecret(): KubeObject {
  return secret(
    { same: plain.same, password: plain.newPw, webhook: plain.added },
    { stringData: { fromString: plain.fromStringData } },
  );
}

function liveSecret(): KubeObject {
  const live = secret({
    same: plain.same,
    password: plain.oldPw,
    token: plain.removed,
    fromString: plain.fromStringData,
  });
  live.metadata.annotations = {
    'kubectl.kubernetes.io/last-applied-configuration': JSON.stringify(
      secret({ same: plain.same, password: plain.oldPw, token: plain.removed }),
    ),
  };
  live.metadata.managedFields = [
    {
      manager: 'bosun',
      operation: 'Apply',
      time: '2025-01-10T09:00:00Z',
      fieldsType: 'FieldsV1',
      fieldsV1: { 'f:data': { 'f:same': {}, 'f:password': {}, 'f:token': {}, 'f:fromString': {} } },
    },
  ];
  return live;
}

function expectNoSecretValue(text: string) {
  for (const v of Object.values(plain)) {
    expect(text).not.toContain(v);
    expect(text).not.toContain(b64(v));
  }
}

describe('Secret masking', () => {
  for (const mode of ['full', 'desired-fields'] as const) {
    it(`shows added, removed and changed keys without values (${mode})`, () => {
      const live = liveSecret();
      const desired = desiredSecret();
      const r = compareObjects({
        desired,
        live,
        predicted: mode === 'full' ? desired : undefined,
        mode,
      });
      expect(r.modified).toBe(true);
      // desired-fields sees the removal too: bosun's managedFields say it applied `token` before.
      expect(r.changedPaths).toEqual(['/data/password', '/data/webhook', '/data/token']);
      expect(r.normalizedTarget.data).toEqual({
        same: SECRET_MASK,
        password: SECRET_MASK,
        webhook: SECRET_MASK,
        fromString: SECRET_MASK,
      });
      expect((r.normalizedLive.data as Record<string, string>).password).toBe(SECRET_MASK_CHANGED);
      expect((r.normalizedLive.data as Record<string, string>).same).toBe(SECRET_MASK);
      expect(r.normalizedLive.metadata.annotations).toBeUndefined();

      const text = unifiedDiff({
        label: 'Secret/shop/db',
        live: r.normalizedLive,
        target: r.normalizedTarget,
      });
      expect(text).toContain(`\n-  password: ${SECRET_MASK_CHANGED}\n+  password: ${SECRET_MASK}\n`);
      expect(text).toContain(`\n-  token: ${SECRET_MASK}\n`);
      expect(text).toContain(`\n+  webhook: ${SECRET_MASK}\n`);
      expect(JSON.stringify(r)).toContain(`"password":"${SECRET_MASK_CHANGED}"`);
      expectNoSecretValue(JSON.stringify(r));
      expectNoSecretValue(JSON.stringify({ ...r }));
      expectNoSecretValue(inspect(r, { depth: null, showHidden: true, getters: true }));
      expectNoSecretValue(text);
      expectNoSecretValue(explainComparison(r).join('\n'));
    });
  }

  it('masks raw objects handed to unifiedDiff, stringData included', () => {
    const text = unifiedDiff({ label: 'Secret/shop/db', live: liveSecret(), target: desiredSecret() });
    expect(text).toContain('fromString');
    expect(diffStats(text).added).toBeGreaterThan(0);
    expectNoSecretValue(text);
  });

  it('gives equal values one mask and different values another', () => {
    const { target, live } = maskSecretPair(
      secret({ a: 'x1x1', b: 'y1y1' }),
      secret({ a: 'x1x1', b: 'z1z1' }),
    );
    expect(target.data).toEqual({ a: SECRET_MASK, b: SECRET_MASK });
    expect(live.data).toEqual({ a: SECRET_MASK, b: SECRET_MASK_CHANGED });
  });

  it('hides a Secret key with ignoreDifferences without showing its value', () => {
    const r = compareObjects({
      desired: desiredSecret(),
      live: liveSecret(),
      ignore: [
        { kind: 'Secret', name: 'db', jsonPointers: ['/data/password', '/data/webhook', '/data/token'] },
      ],
      mode: 'desired-fields',
    });
    expect(r.modified).toBe(false);
    expect(r.ignoredPaths.map((p) => p.path)).toEqual(['/data/password', '/data/webhook', '/data/token']);
    expectNoSecretValue(JSON.stringify(r) + explainComparison(r).join('\n'));
  });

  it('leaves other kinds alone', () => {
    const cm: KubeObject = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' }, data: { a: 'b' } };
    expect(maskSecretPair(cm, cm)).toEqual({ target: cm, live: cm });
  });
});

describe('redactSecretValues', () => {
  it('scrubs plain, base64 and JSON-escaped values from messages', () => {
    const multi = 'line-one-of-a-key\nline-two-of-a-key';
    const s = secret({ password: plain.oldPw, key: multi }, { stringData: { token: plain.removed } });
    const message =
      `apply failed: field "password" value "${plain.oldPw}" (${b64(plain.oldPw)}) rejected; ` +
      `token=${plain.removed} token64=${b64(plain.removed)} key=${JSON.stringify(multi)}`;
    const out = redactSecretValues(message, [s]);
    expect(out).toContain(REDACTED);
    expect(out).toContain('apply failed: field "password"');
    for (const v of [plain.oldPw, plain.removed, multi, 'line-one-of-a-key']) {
      expect(out).not.toContain(v);
      expect(out).not.toContain(b64(v));
    }
  });

  it('ignores non-Secrets and very short values', () => {
    const cm: KubeObject = {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'c' },
      data: { a: 'visible' },
    };
    expect(redactSecretValues('visible', [cm])).toBe('visible');
    expect(redactSecretValues('a b c', [secret({ x: 'b' })])).toBe('a b c');
  });
});
