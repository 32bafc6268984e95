import { EventEmitter } from 'node:events';
import { afterEach, describe, expect, it } from 'vitest';
import { runTui } from '../../src/tui/run.js';
import {
  anchoredStdout,
  enterFullScreen,
  fullScreen,
  guardTerminal,
  leaveFullScreen,
} from '../../src/tui/terminal.js';
import { FakeEngine } from './fake-engine.js';
import { FakeKeyboard, FakeTtyOut } from './fake-tty.js';
import { keys, themesDir } from './harness.js';

/** The shared fake keyboard, pressing a sequence of keys 45 ms apart. */
class SlowKeyboard extends FakeKeyboard {
  async pressAll(...seq: string[]) {
    for (const s of seq) {
      this.press(s);
      await new Promise((r) => setTimeout(r, 45));
    }
  }
}

const until = async (test: () => boolean, what: string) => {
  const end = Date.now() + 20_000;
  while (!test()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
};

function start(
  engine = new FakeEngine(),
  size = { columns: 100, rows: 30 },
  extra: Partial<Parameters<typeof runTui>[0]> = {},
) {
  const out = new FakeTtyOut(size.columns, size.rows, { emulate: true, keepText: true });
  const keyboard = new SlowKeyboard();
  const done = runTui({
    engine,
    readOnly: false,
    themeDirs: [themesDir],
    env: {},
    stdout: out as unknown as NodeJS.WriteStream,
    stdin: keyboard as unknown as NodeJS.ReadStream,
    ...extra,
  });
  return { out, keyboard, done, screen: () => out.vt.text() };
}

const prevCI = process.env.CI;
afterEach(() => {
  process.env.CI = prevCI;
});

describe('runTui', () => {
  it('enters the alternate screen, draws full screen, and q restores the terminal', async () => {
    const t = start();
    expect(t.out.written.startsWith(enterFullScreen)).toBe(true);
    expect(t.out.vt.altScreen).toBe(true);
    await until(() => t.screen().includes('payment-service'), 'the fleet');
    await t.keyboard.pressAll('q');
    await t.done;
    expect(t.out.written.endsWith(leaveFullScreen)).toBe(true);
    expect(t.out.vt.altScreen).toBe(false);
    expect(t.out.vt.cursorHidden).toBe(false);
  });

  it('incremental frames land where they belong (the screen matches after moves)', async () => {
    const t = start(new FakeEngine({ apps: 300 }), { columns: 100, rows: 30 });
    await until(() => t.screen().includes('svc-0000'), 'the fleet');
    await t.keyboard.pressAll(...Array.from({ length: 30 }, () => 'j'));
    await until(
      () =>
        (
          t
            .screen()
            .split('\n')
            .find((l) => l.startsWith('▶')) ?? ''
        ).includes('svc-0030'),
      'the cursor',
    );
    const lines = t.screen().split('\n');
    expect(lines[0]).toMatch(/^ bosun/);
    expect(lines[1]).toMatch(/^─ Fleet/);
    expect(lines[2]).toMatch(/SERVICE/);
    expect(lines.filter((l) => l.startsWith('▶'))).toHaveLength(1);
    expect(lines[27]).toMatch(/100 services · 300 apps/);
    expect(lines[28]).toMatch(/enter open/);
    expect(lines[29]).toBe('');
    await t.keyboard.pressAll(keys.ctrlC);
    await t.done;
    expect(t.out.vt.altScreen).toBe(false);
  });

  it('re-lays out on resize down to 80×24', async () => {
    const t = start();
    await until(() => t.screen().includes('payment-service'), 'the fleet');
    t.out.columns = 80;
    t.out.rows = 24;
    t.out.vt.resize(80, 24);
    t.out.emit('resize');
    await until(() => t.screen().split('\n')[22]?.includes('enter open') ?? false, 'the footer on row 23');
    expect(
      t
        .screen()
        .split('\n')
        .every((l) => [...l].length <= 80),
    ).toBe(true);
    await t.keyboard.pressAll('j');
    await until(
      () =>
        (
          t
            .screen()
            .split('\n')
            .find((l) => l.startsWith('▶')) ?? ''
        ).includes('checkout-service'),
      'cursor',
    );
    const lines = t.screen().split('\n');
    expect(lines[0]).toMatch(/^ bosun/);
    expect(lines[2]).toMatch(/SERVICE/);
    expect(lines.filter((l) => l.startsWith('▶'))).toHaveLength(1);
    if (process.env.SHOW_SCREEN) process.stderr.write(`${t.screen()}\n=====\n`);
    // Growing back works too.
    t.out.columns = 120;
    t.out.rows = 40;
    t.out.vt.resize(120, 40);
    t.out.emit('resize');
    await until(() => t.screen().split('\n')[38]?.includes('enter open') ?? false, 'the footer on row 39');
    if (process.env.SHOW_SCREEN) process.stderr.write(`${t.screen()}\n=====\n`);
    expect(t.screen().split('\n')[0]).toMatch(/^ bosun/);
    expect(
      t
        .screen()
        .split('\n')
        .filter((l) => l.startsWith('▶')),
    ).toHaveLength(1);
    await t.keyboard.pressAll('q');
    await t.done;
  });

  it('restores the terminal and rejects when rendering crashes', async () => {
    const engine = new FakeEngine();
    const t = start(engine);
    await until(() => t.screen().includes('payment-service'), 'the fleet');
    engine.getSnapshot = () => {
      throw new Error('store corrupted');
    };
    engine.update(() => ({}));
    await expect(t.done).rejects.toThrow('the console stopped on an error: store corrupted');
    expect(t.out.vt.altScreen).toBe(false);
    expect(t.out.vt.cursorHidden).toBe(false);
  });

  it('shows startup problems (bad --theme, engine start failure) in the status bar', async () => {
    const t = start(
      new FakeEngine(),
      { columns: 120, rows: 30 },
      {
        themeName: 'nope',
        started: Promise.reject(new Error('kubeconfig not found\ntrace')),
      },
    );
    await until(() => t.screen().includes('engine failed to start: kubeconfig not found'), 'the start error');
    expect(t.screen()).not.toContain('trace');
    await t.keyboard.pressAll('q');
    await t.done;
  });
});

describe('terminal guard', () => {
  it('restores on SIGTERM, SIGHUP, SIGINT, uncaught exceptions, unhandled rejections and exit', () => {
    for (const event of ['SIGTERM', 'SIGHUP', 'SIGINT', 'uncaughtException', 'unhandledRejection', 'exit']) {
      const proc = new EventEmitter();
      const out = {
        data: '',
        write(s: string) {
          this.data += s;
        },
      };
      const screen = fullScreen(out);
      const seen: string[] = [];
      screen.enter();
      const off = guardTerminal({
        proc,
        restore: screen.restore,
        onSignal: (s) => seen.push(s),
        onCrash: (e) => seen.push(String(e)),
      });
      proc.emit(event, new Error('boom'));
      expect(out.data, event).toBe(enterFullScreen + leaveFullScreen);
      if (event.startsWith('SIG')) expect(seen).toEqual([event]);
      else if (event !== 'exit') expect(seen).toEqual(['Error: boom']);
      // Restoring twice writes nothing more; removing the guard removes every listener.
      screen.restore();
      expect(out.data).toBe(enterFullScreen + leaveFullScreen);
      off();
      expect(proc.eventNames()).toEqual([]);
    }
  });

  it('anchors incremental frames at the top of the screen', () => {
    const out = new FakeTtyOut(20, 5, { emulate: true, keepText: true });
    const s = anchoredStdout(out as unknown as NodeJS.WriteStream);
    s.write('\x1b[3A\x1b[Eb\n');
    expect(out.written).toBe('\x1b[H\x1b[Eb\n');
    s.write('plain\x1b[2A');
    expect(out.written.endsWith('plain\x1b[2A')).toBe(true);
    expect(s.columns).toBe(20);
    expect(s.isTTY).toBe(true);
  });
});
