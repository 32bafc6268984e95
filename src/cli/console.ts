import type { Args } from './args.js';
import { engineFor } from './engine-for.js';

/** Opens the full-screen console on the real engine; returns the exit code. */
export async function runConsole(args: Args): Promise<number> {
  const engine = await engineFor(args, { automation: true, longRunning: true });
  // Ink renders only a final frame when it believes it runs in CI (CI or CONTINUOUS_INTEGRATION set);
  // on a real terminal the console is interactive whatever the environment says.
  if (process.stdout.isTTY) {
    for (const k of ['CI', 'CONTINUOUS_INTEGRATION']) if (k in process.env) process.env[k] = '0';
  }
  // The engine starts before the console's modules load (Ink and React cost most of a second of CPU):
  // its git fetch, renders and cluster lists run meanwhile.
  const started = engine.start().catch((err: Error) => {
    process.stderr.write(`bosun: ${err.message.split('\n')[0]}\n`);
    throw err;
  });
  // Handled here too, so a start that fails while the modules load is not an unhandled rejection.
  started.catch(() => {});
  const { runTui } = await import('../tui/run.js');
  try {
    await runTui({
      engine,
      readOnly: args.readOnly,
      ...(args.theme ? { themeName: args.theme } : {}),
      started,
    });
    return 0;
  } finally {
    await engine.stop().catch(() => {});
  }
}
