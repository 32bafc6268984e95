/** Exit codes of every bosun command (documented in the README). */
export const ExitCode = {
  Ok: 0,
  /** Differences found, app unhealthy or an operation failed. */
  Differences: 1,
  Usage: 2,
  /** Refused by policy: read-only, AppProject, production confirmation, foreign owner. */
  Refused: 3,
  /** A cluster or git failure (unreachable, push rejected…). */
  Failure: 4,
} as const;
/** One of the exit codes. */
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];

/** An error that ends the command with a given exit code and a one-line message. */
export class CliError extends Error {
  /** Exit code to use. */
  readonly code: ExitCode;
  constructor(message: string, code: ExitCode, opts: { cause?: unknown } = {}) {
    super(message, { cause: opts.cause });
    this.code = code;
  }
}
