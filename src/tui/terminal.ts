/** Enters the alternate screen, homes and clears it, hides the cursor. */
export const enterFullScreen = '\x1b[?1049h\x1b[H\x1b[2J\x1b[?25l';
/** Leaves the alternate screen and shows the cursor again. */
export const leaveFullScreen = '\x1b[?1049l\x1b[?25h';

/** Something we can write escape sequences to. */
export type Writable = { write(data: string): unknown };

/** Full-screen switch for a stream; `restore` is idempotent so every exit path may call it. */
export function fullScreen(out: Writable): { enter(): void; restore(): void; readonly active: boolean } {
  let active = false;
  return {
    enter() {
      if (active) return;
      active = true;
      out.write(enterFullScreen);
    },
    restore() {
      if (!active) return;
      active = false;
      try {
        out.write(leaveFullScreen);
      } catch {
        // The terminal may already be gone (SIGHUP); nothing left to restore.
      }
    },
    get active() {
      return active;
    },
  };
}

/** Signals after which the console restores the terminal and stops, with their numbers (exit code 128+n). */
export const restoreSignals = { SIGTERM: 15, SIGHUP: 1, SIGINT: 2 } as const;

/** The part of `process` the guard listens on (an EventEmitter in tests). */
export type ProcessEvents = Pick<NodeJS.EventEmitter, 'on' | 'off'>;

/**
 * Restores the terminal on every way out: the signals above, uncaught exceptions, unhandled rejections
 * and process exit. `onSignal` and `onCrash` are told why; returns a function that removes the listeners.
 */
export function guardTerminal(opts: {
  proc: ProcessEvents;
  restore: () => void;
  onSignal: (signal: keyof typeof restoreSignals) => void;
  onCrash: (err: unknown) => void;
}): () => void {
  const listeners: [string, (...args: unknown[]) => void][] = [];
  for (const s of Object.keys(restoreSignals)) {
    const signal = s as keyof typeof restoreSignals;
    listeners.push([
      signal,
      () => {
        opts.restore();
        opts.onSignal(signal);
      },
    ]);
  }
  const crash = (err: unknown) => {
    opts.restore();
    opts.onCrash(err);
  };
  listeners.push(['uncaughtException', crash], ['unhandledRejection', crash], ['exit', () => opts.restore()]);
  for (const [event, l] of listeners) opts.proc.on(event, l);
  return () => {
    for (const [event, l] of listeners) opts.proc.off(event, l);
  };
}

/**
 * Wraps stdout so Ink 6.8's incremental frames land where they belong. Its incremental writer rewinds
 * with `cursorUp(lines - 1)` although the cursor sits one row below the frame (the frame ends with a
 * newline), so every frame would be drawn one row lower than the last. Our frame is always anchored
 * at the top of the alternate screen, so a frame that starts with a cursor-up is sent with
 * "cursor home" instead. Everything else (sizes, 'resize' events) is the real stream's.
 */
export function anchoredStdout(stdout: NodeJS.WriteStream): NodeJS.WriteStream {
  const write = (chunk: unknown, ...rest: unknown[]): boolean => {
    const out = typeof chunk === 'string' ? chunk.replace(/^\x1b\[\d+A/, '\x1b[H') : chunk;
    return (stdout.write as (...args: unknown[]) => boolean)(out, ...rest);
  };
  return new Proxy(stdout, {
    get(target, prop) {
      if (prop === 'write') return write;
      const value = Reflect.get(target, prop, target);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}
