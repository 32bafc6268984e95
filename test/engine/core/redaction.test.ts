/** Per-app redactors from desired and live Secrets; errors redacted in place with their cause chain. */
import { describe, expect, it } from 'vitest';
import type { AppRuntime } from '../../../src/engine/core/app-runtime.js';
import { Redactions, redactError } from '../../../src/engine/core/redaction.js';
import { PolicyRefusal } from '../../../src/engine/core/refusal.js';
import type { KubeObject } from '../../../src/engine/model/index.js';
import { RefusalCode } from '../../../src/engine/policy/index.js';

const b64 = (s: string) => Buffer.from(s, 'utf8').toString('base64');
const secret = (name: string, data: Record<string, string>): KubeObject =>
  ({ apiVersion: 'v1', kind: 'Secret', metadata: { name, namespace: 'ns' }, data }) as KubeObject;

function runtime(desired: KubeObject[], live: KubeObject[]): AppRuntime {
  return {
    desired,
    compares: live.map((l) => ({ live: l })),
  } as unknown as AppRuntime;
}

describe('Redactions', () => {
  const desiredValue = 'desired-value-Ab1';
  const liveValue = 'live-out-of-band-Cd2';
  const otherValue = 'other-app-value-Ef3';
  const apps = new Map<string, AppRuntime>([
    ['shop', runtime([secret('db', { p: b64(desiredValue) })], [secret('db', { p: b64(liveValue) })])],
    ['other', runtime([secret('x', { p: b64(otherValue) })], [])],
  ]);
  const r = new Redactions(apps);

  it("an app's redactor knows its desired and live values, not another app's", () => {
    const text = `${desiredValue} ${liveValue} ${otherValue}`;
    expect(r.forApp('shop').text(text)).toBe(`<redacted> <redacted> ${otherValue}`);
  });

  it('text naming no app (or an unknown app) is redacted of every app’s values', () => {
    const text = `${desiredValue} ${liveValue} ${otherValue}`;
    expect(r.all().text(text)).toBe('<redacted> <redacted> <redacted>');
    expect(r.forApp('nope').text(text)).toBe('<redacted> <redacted> <redacted>');
  });

  it('is rebuilt when the app is compared again (a new live value), and cached otherwise', () => {
    const first = r.forApp('shop');
    expect(r.forApp('shop')).toBe(first);
    const rt = apps.get('shop')!;
    rt.compares = [{ live: secret('db', { p: b64('rotated-live-Gh4') }) }] as AppRuntime['compares'];
    expect(r.forApp('shop')).not.toBe(first);
    expect(r.forApp('shop').text('rotated-live-Gh4')).toBe('<redacted>');
  });
});

describe('redactError', () => {
  const r = new Redactions(new Map([['a', runtime([secret('s', { k: b64('sekret-Value-9') })], [])]])).forApp(
    'a',
  );

  it('redacts message, stack, fields and the cause chain in place; class and code stay', () => {
    const cause = new Error('admission webhook said sekret-Value-9 is weak');
    const err = new PolicyRefusal('refused: sekret-Value-9', RefusalCode.PlanRefused, { cause });
    (err as unknown as { body: unknown }).body = { message: 'body sekret-Value-9' };
    const out = redactError(err, r);
    expect(out).toBe(err);
    expect(err).toBeInstanceOf(PolicyRefusal);
    expect(err.code).toBe(RefusalCode.PlanRefused);
    expect(err.message).toBe('refused: <redacted>');
    expect(err.stack).not.toContain('sekret-Value-9');
    expect(String(err.cause)).toBe('Error: admission webhook said <redacted> is weak');
    expect(JSON.stringify((err as unknown as { body: unknown }).body)).not.toContain('sekret-Value-9');
  });
});
