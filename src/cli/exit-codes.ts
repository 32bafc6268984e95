import type { RefusalCode } from '../engine/index.js';

/** Exit codes of every bosun command (documented in the README). */
export const ExitCode = {
  Ok: 0,
  /** Differences found, app unhealthy or an operation failed. */
  Differences: 1,
  Usage: 2,
  /** Refused by policy: read-only, AppProject, sync window, production confirmation, foreign owner. */
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
  /**
   * For a refusal: its reason code for the audit journal (`read-only`, `confirmation-required`…);
   * `aborted` when the person answered no, which is not journaled.
   */
  readonly refusal?: string;
  constructor(message: string, code: ExitCode, opts: { cause?: unknown; refusal?: string } = {}) {
    super(message, { cause: opts.cause });
    this.code = code;
    if (opts.refusal) this.refusal = opts.refusal;
  }
}

/** The exit code of each engine refusal (a new code fails the type check until it is mapped here). */
const refusalExitCodes: Record<RefusalCode, ExitCode> = {
  'read-only': ExitCode.Refused,
  'cluster-read-only': ExitCode.Refused,
  'confirmation-required': ExitCode.Refused,
  'already-running': ExitCode.Refused,
  'lease-held': ExitCode.Refused,
  'plan-refused': ExitCode.Refused,
  'sync-window': ExitCode.Refused,
};

/** The exit code of an engine refusal's reason code. */
export function exitCodeOfRefusal(code: RefusalCode): ExitCode {
  return refusalExitCodes[code] ?? ExitCode.Refused;
}

/** The exit code for an error a command ended with: CLI errors carry theirs, engine refusals map by code. */
export function exitCodeOf(err: unknown): ExitCode {
  if (err instanceof CliError) return err.code;
  const code = (err as { name?: string; code?: unknown } | undefined)?.code;
  if (
    (err as Error | undefined)?.name === 'PolicyRefusal' &&
    typeof code === 'string' &&
    code in refusalExitCodes
  )
    return refusalExitCodes[code as RefusalCode];
  return ExitCode.Failure;
}
