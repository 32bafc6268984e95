import { render } from 'ink';
import type { Env } from '../config/paths.js';
import type { BosunEngine } from '../engine/index.js';
import { App } from './app.js';
import { defaultCommands, withKeymapOverrides } from './input/commands.js';
import type { UiState } from './state/types.js';
import { oneLine } from './state/view-models.js';
import { anchoredStdout, fullScreen, guardTerminal, restoreSignals } from './terminal.js';
import { defaultThemeDirs, loadThemes, pickTheme } from './theme/loader.js';

/**
 * Ink's own frame cap. Data-driven frames are already paced before React (engine snapshots every 200 ms,
 * log lines every 100 ms, the spinner every SPINNER_STEP_MS); at 30 fps Ink also held a key press's
 * frame back for up to 33 ms behind the last log frame (logs-bench: key → frame p95 58 ms at 30, 22 ms
 * at 120).
 */
export const CONSOLE_MAX_FPS = 120;

/** Options of the full-screen console. */
export type RunTuiOptions = {
  engine: BosunEngine;
  /** Removes every mutating command (sync, promote, revert). */
  readOnly: boolean;
  /** Theme name (`--theme`); `NO_COLOR` still wins. */
  themeName?: string;
  /** Where themes are read from (default: the built-in `themes/`, then `$XDG_CONFIG_HOME/bosun/themes`). */
  themeDirs?: string[];
  /** Command id → keys, from the config file. */
  keymapOverrides?: Record<string, string[]>;
  stdout?: NodeJS.WriteStream;
  stdin?: NodeJS.ReadStream;
  /** Environment (default `process.env`): `NO_COLOR`, `XDG_CONFIG_HOME`. */
  env?: Env;
  /** The engine's start; its failure is shown in the status bar instead of ending the console. */
  started?: Promise<unknown>;
};

/** Problems found while loading themes and keymap, as the first status-bar line. */
function startupStatus(problems: string[]): UiState['status'] {
  if (problems.length === 0) return undefined;
  const more = problems.length > 1 ? ` (+${problems.length - 1} more)` : '';
  return { level: 'warning', text: `${problems[0]}${more}` };
}

/**
 * Runs the full-screen console until the user quits (q, :q, Ctrl-C) or a signal arrives, and always
 * restores the terminal (alternate screen left, cursor shown) — also on SIGTERM, SIGHUP, uncaught
 * exceptions and unhandled rejections. Resolves on a normal quit or a signal (setting
 * `process.exitCode` to 128+signal); rejects when the console crashed.
 */
export async function runTui(opts: RunTuiOptions): Promise<void> {
  const stdout = opts.stdout ?? process.stdout;
  const stdin = opts.stdin ?? process.stdin;
  const env = opts.env ?? process.env;
  const themes = loadThemes(opts.themeDirs ?? defaultThemeDirs(env));
  const keymap = withKeymapOverrides(defaultCommands, opts.keymapOverrides);
  const picked = pickTheme(themes, { ...(opts.themeName ? { requested: opts.themeName } : {}), env });
  const problems = [...themes.errors, ...(picked.warning ? [picked.warning] : []), ...keymap.warnings];

  // Handle the start promise at once so its failure is never an unhandled rejection.
  const startFailure = opts.started?.then(
    () => undefined,
    (err: unknown) => `engine failed to start: ${oneLine(err)}`,
  );
  const screen = fullScreen(stdout);
  let instance: ReturnType<typeof render> | undefined;
  let failure: unknown;
  const stop = () => {
    try {
      instance?.unmount();
    } catch (err) {
      failure ??= err;
    }
    screen.restore();
  };
  const unguard = guardTerminal({
    proc: process,
    restore: screen.restore,
    onSignal: (signal) => {
      process.exitCode ??= 128 + restoreSignals[signal];
      stop();
    },
    onCrash: (err) => {
      failure ??= err;
      stop();
    },
  });

  screen.enter();
  try {
    instance = render(
      <App
        engine={opts.engine}
        readOnly={opts.readOnly}
        commands={keymap.commands}
        themes={themes}
        env={env}
        {...(startFailure ? { startFailure } : {})}
        {...(opts.themeName ? { themeName: opts.themeName } : {})}
        {...(problems.length > 0 ? { initialStatus: startupStatus(problems) } : {})}
      />,
      {
        stdout: anchoredStdout(stdout),
        stdin,
        exitOnCtrlC: false,
        patchConsole: true,
        incrementalRendering: true,
        maxFps: CONSOLE_MAX_FPS,
        // BOSUN_DEBUG_TIMING: each frame's render time and when it was drawn, on stderr.
        ...(env.BOSUN_DEBUG_TIMING
          ? {
              onRender: ({ renderTime }: { renderTime: number }) =>
                process.stderr.write(
                  `[bosun timing] frame: ${Math.round(renderTime)} ms to render, drawn ${Math.round(performance.now())} ms since process start\n`,
                ),
            }
          : {}),
      },
    );
    await instance.waitUntilExit();
  } catch (err) {
    failure ??= err;
  } finally {
    screen.restore();
    unguard();
  }
  if (failure !== undefined) {
    throw new Error(`the console stopped on an error: ${oneLine(failure)}`, { cause: failure });
  }
}
