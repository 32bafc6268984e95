/** The one redaction step: every form of every known Secret value, in text and in plain data. */
import { describe, expect, it } from 'vitest';
import { noRedaction, redactorOf, secretRedactor } from '../../../src/engine/diff/redactor.js';
import type { KubeObject } from '../../../src/engine/model/index.js';

const b64 = (s: string) => Buffer.from(s, 'utf8').toString('base64');
const plain = 'hunter2-plain-Zq8';
const encodedOnly = 'token-only-in-data-Rt5';
const multi = '-----BEGIN KEY-----\nMIIBlineONEsecret\nMIIBlineTWOsecret\n-----END KEY-----\n';
const secret: KubeObject = {
  apiVersion: 'v1',
  kind: 'Secret',
  metadata: { name: 'db', namespace: 'shop' },
  stringData: { password: plain, key: multi },
  data: { token: b64(encodedOnly) },
} as KubeObject;

describe('secretRedactor', () => {
  const r = secretRedactor([secret]);

  it('replaces plain, base64, JSON-escaped values and each line of a multi-line value', () => {
    const text = [
      `password ${plain} rejected`,
      `token ${b64(encodedOnly)} and decoded ${encodedOnly}`,
      `key ${JSON.stringify(multi)}`,
      'a line: MIIBlineTWOsecret',
      `base64 of the password ${b64(plain)}`,
    ].join('\n');
    const out = r.text(text);
    for (const v of [
      plain,
      b64(plain),
      encodedOnly,
      b64(encodedOnly),
      'MIIBlineONEsecret',
      'MIIBlineTWOsecret',
    ])
      expect(out).not.toContain(v);
    expect(out).toContain('password <redacted> rejected');
    expect(out).toContain('a line: <redacted>');
  });

  it('redacts every string of plain data, keeps identifiers and returns the same object when nothing changed', () => {
    const data = {
      name: 'db',
      key: { group: '', kind: 'Secret', namespace: 'shop', name: 'db' },
      tasks: [{ message: `apply failed: ${plain}` }, { message: 'ok' }],
      nested: { lines: ['fine', `x ${encodedOnly}`] },
    };
    const out = r.deep(data);
    expect(out.tasks[0]?.message).toBe('apply failed: <redacted>');
    expect(out.tasks[1]).toBe(data.tasks[1]);
    expect(out.nested.lines).toEqual(['fine', 'x <redacted>']);
    expect(out.key).toBe(data.key);
    expect(data.tasks[0]?.message).toContain(plain);
    const clean = { a: ['x'], b: { c: 'y' } };
    expect(r.deep(clean)).toBe(clean);
  });

  it('an identifier equal to a value stays (names are never free text)', () => {
    const short = redactorOf(['checkout']);
    expect(short.deep({ name: 'checkout', message: 'checkout failed' })).toEqual({
      name: 'checkout',
      message: '<redacted> failed',
    });
  });

  it('no Secrets, no change', () => {
    expect(secretRedactor([{ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x' } }])).toBe(
      noRedaction,
    );
    expect(noRedaction.text(plain)).toBe(plain);
  });

  it('prefers the longest form where values overlap', () => {
    expect(redactorOf(['abcd', 'abcdefgh']).text('xx abcdefgh yy abcd')).toBe('xx <redacted> yy <redacted>');
  });
});
