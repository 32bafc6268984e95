import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '../..');

/** Where every captured screen is saved (`test-artifacts/` is gitignored). */
export const tuiArtifactsDir = join(root, 'test-artifacts', 'tui');

/** What a screen is waited for: a text it contains, a pattern it matches, or a predicate. */
export type ScreenCheck = string | RegExp | ((screen: string) => boolean);

/** Options of {@link TmuxSession.start}. */
export type TmuxSessionOptions = {
  /** Test name: prefix of the artifact files and part of the tmux socket name. */
  name: string;
  width: number;
  height: number;
  /** Environment of the shell in the pane (and so of everything started from it). */
  env: NodeJS.ProcessEnv;
  /** Working directory of the shell (default: the repository root). */
  cwd?: string;
};

function matches(screen: string, check: ScreenCheck): boolean {
  if (typeof check === 'string') return screen.includes(check);
  if (check instanceof RegExp) return check.test(screen);
  return check(screen);
}

function describe(check: ScreenCheck): string {
  if (typeof check === 'string') return JSON.stringify(check);
  if (check instanceof RegExp) return String(check);
  return check.name || 'a predicate';
}

/**
 * A detached tmux session of a fixed size on its own tmux server (socket `-L`), running an
 * interactive bash with prompt `$ `; programs are started by typing into it, like a person would.
 * Every captured screen is written to `test-artifacts/tui/<name>-<NN>-<step>.txt`.
 */
export class TmuxSession {
  private seq = 0;
  private killed = false;

  private constructor(
    readonly name: string,
    private readonly socket: string,
    private readonly env: NodeJS.ProcessEnv,
  ) {}

  /** Starts the session (a new tmux server with `env`) and waits for the shell prompt. */
  static async start(opts: TmuxSessionOptions): Promise<TmuxSession> {
    const env: NodeJS.ProcessEnv = { ...opts.env, LANG: opts.env.LANG ?? 'C.UTF-8' };
    delete env.TMUX;
    delete env.TMUX_PANE;
    const socket = `bosun-e2e-${process.pid}-${opts.name}`.replace(/[^A-Za-z0-9_-]/g, '-');
    const s = new TmuxSession(opts.name, socket, env);
    mkdirSync(tuiArtifactsDir, { recursive: true });
    // bash sets its own PS1 for interactive shells whatever the environment says: use an rc file.
    const rc = join(mkdtempSync(join(tmpdir(), 'bosun-e2e-tmux-')), 'bashrc');
    writeFileSync(rc, "PS1='$ '\nunset PROMPT_COMMAND\n");
    s.tmux([
      'new-session',
      '-d',
      '-s',
      'main',
      '-x',
      String(opts.width),
      '-y',
      String(opts.height),
      '-c',
      opts.cwd ?? root,
      `bash --noprofile --rcfile ${rc}`,
    ]);
    // Keep the size fixed whatever clients do, and never let a finished shell take the pane with it unseen.
    s.tmux(['set-option', '-t', 'main', 'window-size', 'manual']);
    s.tmux(['set-option', '-t', 'main', 'remain-on-exit', 'on']);
    await s.waitFor('shell-prompt', (screen) => screen.trimEnd().endsWith('$'), 15_000);
    return s;
  }

  /** Runs a tmux command against this session's server; returns its stdout. */
  tmux(args: string[]): string {
    return execFileSync('tmux', ['-u', '-L', this.socket, '-f', '/dev/null', ...args], {
      env: this.env,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
    });
  }

  /** Types a command line into the shell and presses Enter. */
  run(commandLine: string): void {
    this.type(commandLine);
    this.keys('Enter');
  }

  /** Sends tmux key names (`Enter`, `Escape`, `Right`, `BSpace`, `q`…), one `send-keys` per key. */
  keys(...keys: string[]): void {
    for (const k of keys) this.tmux(['send-keys', '-t', 'main', k]);
  }

  /** Types text literally (one write, so the program may read it as one chunk, like a paste). */
  type(text: string): void {
    this.tmux(['send-keys', '-t', 'main', '-l', text]);
  }

  /**
   * The visible screen as text, one line per row (wrapped rows joined with `join`, so a line longer
   * than the pane width means the terminal wrapped it). Saved as an artifact under `step`.
   */
  capture(step: string, opts: { join?: boolean } = {}): string {
    const screen = this.tmux(['capture-pane', '-p', '-t', 'main', ...(opts.join ? ['-J'] : [])]);
    this.save(step, screen);
    return screen;
  }

  /** A tmux format of the pane, e.g. `#{alternate_on}`, `#{cursor_flag}`, `#{pane_width}`. */
  display(format: string): string {
    return this.tmux(['display-message', '-p', '-t', 'main', format]).trim();
  }

  /**
   * Polls the screen until `check` holds; returns that screen. On timeout throws with the last screen
   * (also saved as the step's artifact).
   */
  async waitFor(step: string, check: ScreenCheck, timeoutMs = 60_000): Promise<string> {
    const deadline = Date.now() + timeoutMs;
    let screen = '';
    for (;;) {
      screen = this.tmux(['capture-pane', '-p', '-t', 'main']);
      if (matches(screen, check)) {
        this.save(step, screen);
        return screen;
      }
      if (Date.now() >= deadline) break;
      await new Promise((r) => setTimeout(r, 250));
    }
    this.save(`${step}-TIMEOUT`, screen);
    throw new Error(
      `tmux ${this.name}: timed out after ${timeoutMs} ms waiting for ${describe(check)} (${step}); screen:\n${screen}`,
    );
  }

  /** Kills the tmux server of this session (and so everything running in it). Idempotent. */
  kill(): void {
    if (this.killed) return;
    this.killed = true;
    try {
      this.tmux(['kill-server']);
    } catch {
      // Already gone.
    }
  }

  private save(step: string, screen: string): void {
    this.seq++;
    const file = `${this.name}-${String(this.seq).padStart(2, '0')}-${step}.txt`.replace(
      /[^A-Za-z0-9._-]/g,
      '-',
    );
    writeFileSync(join(tuiArtifactsDir, file), screen);
  }
}
