import type { Args } from './args.js';
import { stderrProgress } from './progress.js';

/**
 * `bosun demo`: builds (first time) and starts three local clusters (dev, staging, production),
 * generates a small e-commerce manifest repository with a bare origin, and opens the console on it
 * (or, with a command after `--`, e.g. when stdout is not a terminal, prints how to use it and waits).
 * Everything it started is stopped on exit.
 */
export async function demoCommand(args: Args): Promise<number> {
  const say = (l: string) => process.stderr.write(`[demo] ${l}\n`);
  say('starting the local control plane (the first run builds it from Go modules: several minutes)…');
  // Loaded on demand: the rest of the CLI never pays for the demo's control plane and repository code.
  const { startControlPlane } = await import('../demo/controlplane/controlplane.js');
  const { makeDemoRepo } = await import('../demo/repos/demo.js');
  // On a terminal the build's "still building…" lines become one spinner line; elsewhere plain lines.
  const progress = stderrProgress();
  const tty = Boolean(process.stderr.isTTY);
  const cp = await startControlPlane({
    log: (l) => {
      progress.done();
      say(l);
    },
    buildLog: (l) => {
      if (tty) progress.update(l.replace(/^\[controlplane build\]\s*/, ''));
      else say(l);
    },
  }).finally(() => progress.done());
  const shop = await makeDemoRepo();
  process.env.KUBECONFIG = cp.kubeconfig;
  process.env.PATH = `${cp.binDir}:${process.env.PATH ?? ''}`;
  say(`clusters: ${cp.clusters.map((c) => `${c.name} (${c.server})`).join(', ')}`);
  say(`manifest repository: ${shop.work} (origin ${shop.origin})`);
  say(`KUBECONFIG=${cp.kubeconfig}`);
  const cleanup = async () => {
    await cp.stop().catch(() => {});
    await shop.cleanup().catch(() => {});
  };
  try {
    if (process.stdout.isTTY && process.stdin.isTTY && args.positionals.length === 0) {
      const { runConsole } = await import('./console.js');
      return await runConsole({ ...args, repo: shop.work });
    }
    say(`try: KUBECONFIG=${cp.kubeconfig} PATH=${cp.binDir}:$PATH bosun apps --repo ${shop.work}`);
    say('press Ctrl-C to stop the demo environment');
    await new Promise<void>((resolve) => {
      process.once('SIGINT', resolve);
      process.once('SIGTERM', resolve);
    });
    return 0;
  } finally {
    await cleanup();
  }
}
