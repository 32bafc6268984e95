/** Every message a sync run produces passes one redaction step that knows the app's Secret values. */
import { describe, expect, it } from 'vitest';
import { keyOf, keyString } from '../../../src/engine/model/index.js';
import { planSync } from '../../../src/engine/sync/plan.js';
import { SyncRun } from '../../../src/engine/sync/run.js';
import { app, cm, FakeClock, FakePort, obj, TRACK } from './fakes.js';

const plain = 'p4ssw0rd-plain-7Qz';
const multi = '-----BEGIN KEY-----\nMIIBsecretLINEvalue\n-----END KEY-----';
const encoded = Buffer.from('token-b64-value-x9').toString('base64');

describe('sync run messages are redacted', () => {
  it('an API error quoting Secret values (plain, base64, a line of a multi-line value) never reaches task, run or event messages', async () => {
    const clock = new FakeClock();
    const port = new FakePort(clock);
    const secret = obj('v1', 'Secret', 'db', {
      extra: { stringData: { password: plain, key: multi }, data: { token: encoded } },
    });
    const bad = cm('bad');
    port.reject.set(keyString(keyOf(bad)), {
      status: 422,
      reason: 'Invalid',
      message: `ConfigMap "bad" is invalid: data: ${plain} / ${encoded} / token-b64-value-x9 / MIIBsecretLINEvalue`,
    });
    const plan = planSync({
      app: app(),
      desired: [secret, bad],
      live: new Map(),
      options: {},
      trackingAnnotation: TRACK,
    });
    const seen: string[] = [];
    const run = new SyncRun({
      plan,
      port,
      clock,
      waveDelayMs: 0,
      onTask: (t) => seen.push(t.message ?? ''),
      onPhase: (s) => seen.push(s.message),
    });
    const state = await run.start();
    expect(state.phase).toBe('Failed');
    const all = [state.message, ...state.tasks.map((t) => t.message ?? ''), ...seen].join('\n');
    expect(all).toContain('ConfigMap "bad" is invalid');
    expect(all).toContain('<redacted>');
    for (const v of [plain, encoded, 'token-b64-value-x9', 'MIIBsecretLINEvalue'])
      expect(all).not.toContain(v);
  });
});
