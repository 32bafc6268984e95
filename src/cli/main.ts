import { type BosunEngine, createEngine } from '../engine/index.js';
import { type Args, helpText, parseCommandLine } from './args.js';
import { healthCommand } from './commands/health.js';
import { promoteCommand, revertCommand, syncCommand } from './commands/mutate.js';
import {
  appsCommand,
  clustersCommand,
  diffCommand,
  explainCommand,
  getCommand,
  historyCommand,
} from './commands/read.js';
import { watchCommand } from './commands/watch.js';
import { askOnTerminal, type CommandContext } from './context.js';
import { CliError, ExitCode } from './exit-codes.js';

type Command = (ctx: CommandContext) => Promise<number>;

const commands: Record<string, Command> = {
  apps: appsCommand,
  get: getCommand,
  diff: diffCommand,
  explain: explainCommand,
  history: historyCommand,
  clusters: clustersCommand,
  health: healthCommand,
  sync: syncCommand,
  promote: promoteCommand,
  revert: revertCommand,
  watch: watchCommand,
};

/** Builds the real engine for the parsed command line (the composition root). */
export function engineFor(args: Args, opts: { automation: boolean }): BosunEngine {
  return createEngine({
    repoPath: args.repo,
    ...(args.config ? { configPath: args.config } : {}),
    ...(args.kubeconfig ? { kubeconfig: args.kubeconfig } : {}),
    contexts: args.contexts,
    readOnly: args.readOnly,
    automation: opts.automation,
    ...(args.interval ? { pollIntervalMs: args.interval * 1000 } : {}),
  });
}

/** Runs bosun with argv; returns the exit code. */
export async function main(argv: string[]): Promise<number> {
  let args: Args;
  try {
    args = parseCommandLine(argv);
  } catch (err) {
    process.stderr.write(`bosun: ${(err as Error).message}\n${'Run "bosun --help" for usage.'}\n`);
    return err instanceof CliError ? err.code : ExitCode.Usage;
  }
  if (args.help || args.command === 'help') {
    process.stdout.write(helpText);
    return 0;
  }
  if (args.version) {
    process.stdout.write('bosun 0.1.0\n');
    return 0;
  }
  if (!args.command) {
    if (!process.stdout.isTTY || !process.stdin.isTTY) {
      process.stdout.write(helpText);
      return 0;
    }
    const { runConsole } = await import('./console.js');
    return runConsole(args);
  }
  if (args.command === 'demo') {
    const { demoCommand } = await import('./demo.js');
    return demoCommand(args);
  }
  const command = commands[args.command];
  if (!command) {
    process.stderr.write(`bosun: unknown command "${args.command}"\nRun "bosun --help" for usage.\n`);
    return ExitCode.Usage;
  }
  let engine: BosunEngine | undefined;
  const ctx: CommandContext = {
    args,
    engine: async () => {
      if (!engine) {
        engine = engineFor(args, { automation: args.command === 'watch' });
        await engine.start();
      }
      return engine;
    },
    out: (t) => process.stdout.write(t),
    err: (t) => process.stderr.write(t),
    interactive: Boolean(process.stdin.isTTY && process.stderr.isTTY),
    ask: askOnTerminal,
  };
  try {
    return await command(ctx);
  } catch (err) {
    const code =
      err instanceof CliError ? err.code : ((err as { exitCode?: number }).exitCode ?? ExitCode.Failure);
    process.stderr.write(`bosun: ${(err as Error).message.split('\n')[0]}\n`);
    if (args.verbose && (err as Error).cause)
      process.stderr.write(`  cause: ${String((err as Error).cause)}\n`);
    return code;
  } finally {
    await engine?.stop().catch(() => {});
  }
}
