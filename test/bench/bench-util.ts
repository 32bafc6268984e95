import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ControlPlane } from '../../src/demo/controlplane/controlplane.js';

/** Median and p95 of samples (ms). */
export function stats(samples: number[]): { median: number; p95: number; min: number; max: number } {
  const s = [...samples].sort((a, b) => a - b);
  const at = (q: number) => s[Math.min(s.length - 1, Math.floor(q * s.length))] ?? Number.NaN;
  return { median: at(0.5), p95: at(0.95), min: s[0] ?? Number.NaN, max: s[s.length - 1] ?? Number.NaN };
}

/** Formats milliseconds. */
export const ms = (n: number) => `${n.toFixed(n < 10 ? 2 : 0)} ms`;

/** Runs the control plane's kubectl. */
export function kubectl(cp: ControlPlane, context: string, args: string[], input?: string): string {
  return execFileSync(
    join(cp.binDir, 'kubectl'),
    ['--kubeconfig', cp.kubeconfig, '--context', context, ...args],
    {
      encoding: 'utf8',
      maxBuffer: 256 * 1024 * 1024,
      ...(input !== undefined ? { input } : {}),
      stdio: ['pipe', 'pipe', 'pipe'],
    },
  );
}

/** Polls `check` every 5 ms until true (or throws after timeoutMs); returns elapsed ms. */
export async function until(check: () => boolean, timeoutMs = 30_000): Promise<number> {
  const t0 = performance.now();
  while (!check()) {
    if (performance.now() - t0 > timeoutMs) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 5));
  }
  return performance.now() - t0;
}

/** A program running full screen in a detached tmux session, for start-up and key → frame figures. */
export type TmuxConsole = {
  session: string;
  /** The visible screen as text. */
  capture(): string;
  /** Polls the screen every 20 ms until `check` holds; returns ms since the session started (0 on timeout). */
  waitScreen(check: (screen: string) => boolean, timeoutMs: number): Promise<number>;
  /**
   * Sends `key` `presses` times; for each, the ms from sending it to the first byte of the program's next output
   * (read from the pane's output, piped to a file by tmux), waiting for the output to settle in between.
   */
  keyToFrame(key: string, presses: number): Promise<number[]>;
  /** Sends `q`, then kills the session if it is still there. */
  quit(): Promise<void>;
};

const sleep = (n: number) => new Promise((r) => setTimeout(r, n));

/** Starts `command` in a new detached tmux session of the given size (its start time is the figures' zero). */
export function startTmuxConsole(o: {
  name: string;
  command: string;
  width: number;
  height: number;
}): TmuxConsole {
  const session = `${o.name}-${process.pid}`;
  const tmux = (args: string[]) => execFileSync('tmux', args, { encoding: 'utf8' });
  const t0 = performance.now();
  tmux(['new-session', '-d', '-s', session, '-x', String(o.width), '-y', String(o.height), o.command]);
  const capture = () => tmux(['capture-pane', '-p', '-t', session]);
  const outFile = join(mkdtempSync(join(tmpdir(), 'bosun-bench-')), 'pane.out');
  let piping = false;
  const size = () => (existsSync(outFile) ? statSync(outFile).size : 0);
  return {
    session,
    capture,
    async waitScreen(check, timeoutMs) {
      while (performance.now() - t0 < timeoutMs) {
        if (check(capture())) return performance.now() - t0;
        await sleep(20);
      }
      return 0;
    },
    async keyToFrame(key, presses) {
      if (!piping) {
        tmux(['pipe-pane', '-o', '-t', session, `cat >> ${outFile}`]);
        piping = true;
      }
      const settle = async () => {
        let last = size();
        let quietSince = performance.now();
        while (performance.now() - quietSince < 150) {
          await sleep(10);
          const now = size();
          if (now !== last) {
            last = now;
            quietSince = performance.now();
          }
        }
      };
      const out: number[] = [];
      for (let i = 0; i < presses; i++) {
        await settle();
        const before = size();
        const sent = performance.now();
        tmux(['send-keys', '-t', session, key]);
        while (size() === before) {
          if (performance.now() - sent > 5000) throw new Error(`no output within 5 s after key ${key}`);
          await sleep(1);
        }
        out.push(performance.now() - sent);
      }
      return out;
    },
    async quit() {
      try {
        tmux(['send-keys', '-t', session, 'q']);
      } catch {
        /* already gone */
      }
      await sleep(500);
      try {
        execFileSync('tmux', ['kill-session', '-t', session], { stdio: 'ignore' });
      } catch {
        /* the program quit and the session closed */
      }
    },
  };
}
