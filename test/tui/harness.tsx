import { join } from 'node:path';
import { render } from 'ink-testing-library';
import type { Env } from '../../src/config/paths.js';
import { App } from '../../src/tui/app.js';
import { defaultCommands, withKeymapOverrides } from '../../src/tui/input/commands.js';
import { loadThemes, type ThemeRegistry } from '../../src/tui/theme/loader.js';
import { FakeEngine } from './fake-engine.js';

/** The repository's built-in themes folder. */
export const themesDir = join(import.meta.dirname, '../../themes');

/** Key sequences as a terminal sends them. */
export const keys = {
  enter: '\r',
  escape: '\x1b',
  up: '\x1b[A',
  down: '\x1b[B',
  right: '\x1b[C',
  left: '\x1b[D',
  tab: '\t',
  backspace: '\x7f',
  ctrlC: '\x03',
} as const;

/** Removes ANSI escape sequences. */
export function strip(s: string): string {
  return s.replace(/\x1b\[[0-9;?]*[ -/]*[@-~]/g, '');
}

let registry: ThemeRegistry | undefined;

/** Renders the whole console on a fake engine at a given size; returns helpers to type keys and wait for text. */
export function renderTui(
  opts: {
    engine?: FakeEngine;
    readOnly?: boolean;
    columns?: number;
    rows?: number;
    env?: Env;
    keymapOverrides?: Record<string, string[]>;
    themeName?: string;
  } = {},
) {
  const engine = opts.engine ?? new FakeEngine();
  registry ??= loadThemes([themesDir]);
  const { commands } = withKeymapOverrides(defaultCommands, opts.keymapOverrides);
  let quit = 0;
  const r = render(
    <App
      engine={engine}
      readOnly={opts.readOnly ?? false}
      commands={commands}
      themes={registry}
      env={opts.env ?? {}}
      {...(opts.themeName ? { themeName: opts.themeName } : {})}
      onQuit={() => {
        quit++;
      }}
    />,
  );
  const resize = (columns: number, rows: number) => {
    Object.defineProperty(r.stdout, 'columns', { configurable: true, get: () => columns });
    Object.defineProperty(r.stdout, 'rows', { configurable: true, get: () => rows });
    r.stdout.emit('resize');
  };
  let size = { columns: opts.columns ?? 100, rows: opts.rows ?? 30 };
  resize(size.columns, size.rows);
  const frame = () => strip(r.lastFrame() ?? '');
  // A frame only counts once it was laid out for the current size.
  const fits = (f: string) => {
    const lines = f.split('\n');
    return lines.length < size.rows && lines.every((l) => [...l].length <= size.columns);
  };
  const waitFor = async (test: string | ((f: string) => boolean), timeoutMs = 20_000): Promise<string> => {
    const wanted = typeof test === 'string' ? (f: string) => f.includes(test) : test;
    const pred = (f: string) => fits(f) && wanted(f);
    const until = Date.now() + timeoutMs;
    for (;;) {
      const f = frame();
      if (pred(f)) return f;
      if (Date.now() > until) throw new Error(`timed out waiting for ${String(test)}; last frame:\n${f}`);
      await new Promise((res) => setTimeout(res, 5));
    }
  };
  const press = async (...seq: string[]) => {
    for (const k of seq) {
      r.stdin.write(k);
      // Let Ink flush a lone escape (it waits one tick to tell Esc from an escape sequence).
      await new Promise((res) => setImmediate(res));
      await new Promise((res) => setImmediate(res));
    }
  };
  const type = (text: string) => press(...[...text]);
  const resizeTo = (columns: number, rows: number) => {
    size = { columns, rows };
    resize(columns, rows);
  };
  return { ...r, engine, frame, waitFor, press, type, resize: resizeTo, quits: () => quit };
}
