import type { RefusalCode } from '../policy/index.js';

/** An action the engine refused, with a reason code (the CLI maps codes to exit codes). */
export class PolicyRefusal extends Error {
  constructor(
    message: string,
    /** Why: one of the policy's refusal codes. */
    readonly code: RefusalCode,
    opts: { cause?: unknown } = {},
  ) {
    super(message, opts.cause === undefined ? {} : { cause: opts.cause });
    this.name = 'PolicyRefusal';
  }
}
