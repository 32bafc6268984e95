import { createInterface } from 'node:readline/promises';
import type { BosunEngine } from '../engine/index.js';
import type { Args } from './args.js';
import { CliError, ExitCode } from './exit-codes.js';

/** What every command gets: parsed args, the engine, output streams and a prompt. */
export type CommandContext = {
  args: Args;
  /** Starts (once) and returns the engine; `beforeStart` runs on the new engine before it starts. */
  engine: (opts?: { beforeStart?: (engine: BosunEngine) => void }) => Promise<BosunEngine>;
  out: (text: string) => void;
  err: (text: string) => void;
  interactive: boolean;
  /** With --verbose: prints the time since the process started at a phase (stderr). */
  timing?: (phase: string) => void;
  /** Asks a question on the terminal; undefined when not interactive. */
  ask: (question: string) => Promise<string | undefined>;
};

/** A terminal prompt over stdin/stderr. */
export async function askOnTerminal(question: string): Promise<string | undefined> {
  if (!process.stdin.isTTY) return undefined;
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  try {
    return (await rl.question(question)).trim();
  } finally {
    rl.close();
  }
}

/**
 * Confirmation for a mutating action: refused in read-only mode; `--yes` confirms; otherwise a
 * terminal prompt (production needs the app's name typed); without a terminal, `--yes` is required.
 */
export async function confirmMutation(
  ctx: CommandContext,
  opts: { action: string; production: boolean; name: string },
): Promise<string | undefined> {
  if (ctx.args.readOnly)
    throw new CliError(
      `refused: ${opts.action} is a mutating action and bosun runs --read-only`,
      ExitCode.Refused,
      { refusal: 'read-only' },
    );
  if (ctx.args.yes) return opts.production ? opts.name : undefined;
  if (!ctx.interactive)
    throw new CliError(
      `${opts.action} needs confirmation: pass --yes (stdin is not a terminal)`,
      ExitCode.Refused,
      { refusal: 'confirmation-required' },
    );
  if (opts.production) {
    const typed = await ctx.ask(
      `${opts.action} targets PRODUCTION. Type the app name (${opts.name}) to continue: `,
    );
    if (typed !== opts.name)
      throw new CliError('aborted: the typed name did not match', ExitCode.Refused, {
        refusal: 'confirmation-required',
      });
    return typed;
  }
  const a = await ctx.ask(`${opts.action}? [y/N] `);
  if (!a || !/^y(es)?$/i.test(a)) throw new CliError('aborted', ExitCode.Refused, { refusal: 'aborted' });
  return undefined;
}
