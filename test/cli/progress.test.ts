import { describe, expect, it } from 'vitest';
import { startProgress } from '../../src/cli/progress.js';

describe('progress line', () => {
  it('on a terminal: a spinner redrawn in place, cleared at the end', () => {
    let out = '';
    const p = startProgress({
      write: (t) => (out += t),
      tty: true,
      ascii: true,
      columns: 30,
      intervalMs: 10_000,
    });
    p.update('rendering checkout-service-staging and more');
    p.update('rendering cart');
    p.done();
    expect(out).toBe('\r\x1b[2K| rendering checkout-service…\r\x1b[2K/ rendering cart\r\x1b[2K');
  });

  it('off a terminal: plain lines when asked (each message once), else nothing', () => {
    let out = '';
    const plain = startProgress({ write: (t) => (out += t), tty: false, plainLines: true });
    plain.update('sync 1/2: a');
    plain.update('sync 1/2: a');
    plain.update('sync 2/2: b');
    plain.done();
    expect(out).toBe('sync 1/2: a\nsync 2/2: b\n');
    out = '';
    const quiet = startProgress({ write: (t) => (out += t), tty: false });
    quiet.update('rendering');
    quiet.done();
    expect(out).toBe('');
  });
});
