/** A progress line for long work: a spinner on a terminal, plain lines (or nothing) elsewhere. */
export type Progress = {
  /** Shows what is being done now. */
  update(message: string): void;
  /** Clears the spinner line (a terminal) and stops the timer. */
  done(): void;
};

/** Options of `startProgress`. */
export type ProgressOptions = {
  write: (text: string) => void;
  /** True when the stream is a terminal: a spinner redrawn in place. */
  tty: boolean;
  /** Off a terminal: print each new message as a plain line (default false: stay silent). */
  plainLines?: boolean;
  /** ASCII frames instead of Braille dots (no UTF-8). */
  ascii?: boolean;
  /** Terminal width, to keep the line on one row. */
  columns?: number;
  intervalMs?: number;
};

const dots = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];
const ascii = ['|', '/', '-', '\\'];

/** Starts a progress line. Nothing is drawn until the first `update`. */
export function startProgress(opts: ProgressOptions): Progress {
  const frames = opts.ascii ? ascii : dots;
  let frame = 0;
  let message: string | undefined;
  let last: string | undefined;
  let timer: NodeJS.Timeout | undefined;
  const width = Math.max(20, (opts.columns ?? 80) - 1);
  const draw = () => {
    if (message === undefined) return;
    const line = `${frames[frame % frames.length]} ${message}`;
    frame++;
    opts.write(`\r\x1b[2K${line.length > width ? `${line.slice(0, width - 1)}…` : line}`);
  };
  return {
    update(m) {
      if (opts.tty) {
        message = m;
        if (!timer) {
          timer = setInterval(draw, opts.intervalMs ?? 100);
          timer.unref();
        }
        draw();
      } else if (opts.plainLines && m !== last) {
        last = m;
        opts.write(`${m}\n`);
      }
    },
    done() {
      if (timer) clearInterval(timer);
      timer = undefined;
      if (opts.tty && message !== undefined) opts.write('\r\x1b[2K');
      message = undefined;
    },
  };
}

/** A progress line on stderr, spinner when stderr is a terminal. */
export function stderrProgress(opts: { plainLines?: boolean } = {}): Progress {
  const env = process.env;
  return startProgress({
    write: (t) => process.stderr.write(t),
    tty: Boolean(process.stderr.isTTY),
    ...(opts.plainLines ? { plainLines: true } : {}),
    ascii: !/utf-?8/i.test(env.LC_ALL || env.LC_CTYPE || env.LANG || ''),
    ...(process.stderr.columns ? { columns: process.stderr.columns } : {}),
  });
}
