import type { BosunEngine } from '../engine/index.js';
import { type Args, helpText, parseCommandLine } from './args.js';
import { commandHelpText } from './command-help.js';
import { askOnTerminal, type CommandContext } from './context.js';
import { engineFor } from './engine-for.js';
import { CliError, ExitCode, exitCodeOf } from './exit-codes.js';
import { stderrProgress } from './progress.js';

type Command = (ctx: CommandContext) => Promise<number>;

/** Commands load lazily: `--help` and `health` never load the Kubernetes client or git. */
const commands: Record<string, () => Promise<Command>> = {
  apps: async () => (await import('./commands/read.js')).appsCommand,
  get: async () => {
    const { getCommand } = await import('./commands/read.js');
    const { getResourceCommand } = await import('./commands/triage.js');
    return (ctx) => (ctx.args.positionals[1] ? getResourceCommand(ctx) : getCommand(ctx));
  },
  diff: async () => (await import('./commands/read.js')).diffCommand,
  explain: async () => (await import('./commands/read.js')).explainCommand,
  history: async () => (await import('./commands/read.js')).historyCommand,
  clusters: async () => (await import('./commands/read.js')).clustersCommand,
  health: async () => (await import('./commands/health.js')).healthCommand,
  sync: async () => (await import('./commands/sync.js')).syncCommand,
  promote: async () => (await import('./commands/mutate.js')).promoteCommand,
  revert: async () => (await import('./commands/mutate.js')).revertCommand,
  watch: async () => (await import('./commands/watch.js')).watchCommand,
  argocd: async () => (await import('./commands/argocd.js')).argocdCommand,
  compare: async () => (await import('./commands/compare.js')).compareCommand,
  appset: async () => (await import('./commands/appset.js')).appsetCommand,
  doctor: async () => (await import('./commands/doctor.js')).doctorCommand,
  logs: async () => (await import('./commands/triage.js')).logsCommand,
  events: async () => (await import('./commands/triage.js')).eventsCommand,
  action: async () => (await import('./commands/triage.js')).actionCommand,
  why: async () => (await import('./commands/triage.js')).whyCommand,
};

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
    const about = args.command === 'help' ? args.positionals[0] : args.command;
    const text = about ? commandHelpText(about) : undefined;
    if (about && !text) {
      process.stderr.write(`bosun: unknown command "${about}"\nRun "bosun --help" for usage.\n`);
      return ExitCode.Usage;
    }
    process.stdout.write(text ?? helpText);
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
  const load = commands[args.command];
  if (!load) {
    process.stderr.write(`bosun: unknown command "${args.command}"\nRun "bosun --help" for usage.\n`);
    return ExitCode.Usage;
  }
  let engine: BosunEngine | undefined;
  // --verbose: phase timings on stderr, in ms since the process started (the engine adds its own
  // start-up phases, in ms since it was created).
  const timing = args.verbose
    ? (phase: string) =>
        process.stderr.write(
          `[bosun timing] ${phase}: ${Math.round(performance.now())} ms since process start\n`,
        )
    : undefined;
  if (timing) process.env.BOSUN_DEBUG_TIMING ??= '1';
  timing?.('command line parsed (modules loaded)');
  const ctx: CommandContext = {
    args,
    engine: async (o) => {
      if (!engine) {
        engine = await engineFor(args, {
          automation: args.command === 'watch',
          longRunning: args.command === 'watch',
        });
        timing?.('engine created');
        o?.beforeStart?.(engine);
        // On a terminal, the start (first renders, listing the clusters) shows a spinner on stderr;
        // never when stderr is piped, nor with -o json.
        const progress = args.output === 'table' ? stderrProgress() : undefined;
        const off = progress
          ? engine.onEvent((e) => {
              if (e.type === 'progress') progress.update(e.message);
            })
          : undefined;
        try {
          await engine.start();
        } finally {
          off?.();
          progress?.done();
        }
      }
      return engine;
    },
    ...(timing ? { timing } : {}),
    out: (t) => process.stdout.write(t),
    err: (t) => process.stderr.write(t),
    interactive: Boolean(process.stdin.isTTY && process.stderr.isTTY),
    ask: askOnTerminal,
  };
  try {
    const command = await load();
    const code = await command(ctx);
    timing?.('done');
    return code;
  } catch (err) {
    const code = exitCodeOf(err);
    process.stderr.write(`bosun: ${(err as Error).message.split('\n')[0]}\n`);
    if (code === ExitCode.Refused) {
      const { journalRefusal } = await import('./refusal-journal.js');
      await journalRefusal(args, err);
    }
    if (args.verbose && (err as Error).cause)
      process.stderr.write(`  cause: ${String((err as Error).cause)}\n`);
    return code;
  } finally {
    await engine?.stop().catch(() => {});
  }
}
