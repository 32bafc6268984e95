/** A refusal that should end a CLI command with exit code 3. */
export class PolicyRefusal extends Error {
  /** CLI exit code for refusals. */
  readonly exitCode = 3;
}
