import { describe, expect, it } from 'vitest';
import { terminalChecks } from '../../src/cli/commands/doctor.js';

describe('doctor: terminal checks', () => {
  it('a good terminal passes every check', () => {
    const r = terminalChecks({
      isTTY: true,
      columns: 120,
      rows: 40,
      colors: 256,
      env: { LANG: 'en_US.UTF-8' },
    });
    expect(r.map((c) => c.status)).toEqual(['ok', 'ok', 'ok']);
  });

  it('a small, 16-colour, non-UTF-8 terminal gets a fix for each problem', () => {
    const r = terminalChecks({
      isTTY: true,
      columns: 60,
      rows: 20,
      colors: 16,
      env: { LANG: 'C', TERM: 'xterm' },
    });
    expect(r.map((c) => [c.check, c.status])).toEqual([
      ['terminal size', 'warn'],
      ['colours', 'warn'],
      ['UTF-8', 'warn'],
    ]);
    expect(r.every((c) => c.fix)).toBe(true);
    expect(r[2]?.fix).toContain('LANG=C.UTF-8');
  });

  it('NO_COLOR is a choice, not a problem; LC_ALL wins over LANG', () => {
    const r = terminalChecks({
      isTTY: true,
      columns: 80,
      rows: 24,
      colors: 2,
      env: { NO_COLOR: '1', LANG: 'C', LC_ALL: 'C.UTF-8' },
    });
    expect(r.map((c) => c.status)).toEqual(['ok', 'ok', 'ok']);
  });

  it('off a terminal there is one warning', () => {
    expect(terminalChecks({ isTTY: false, colors: 0, env: {} })).toHaveLength(1);
  });
});
