import type { Args } from './args.js';
import { stderrProgress } from './progress.js';

/** What the demo uses of the test control plane and fixtures (they live under test/, outside the build). */
type DemoParts = {
  startControlPlane(opts: { log: (l: string) => void; buildLog: (l: string) => void }): Promise<{
    kubeconfig: string;
    binDir: string;
    clusters: { name: string; server: string }[];
    stop(): Promise<void>;
  }>;
  makeDemoRepo(): Promise<{ work: string; origin: string; cleanup(): Promise<void> }>;
};

// Specifiers in variables: the test helpers are loaded at run time (through tsx), not compiled into dist/.
const controlPlaneModule = '../../test/controlplane/controlplane.js';
const fixturesModule = '../../test/fixtures/repos/index.js';

/**
 * `bosun demo`: builds (first time) and starts three local clusters (dev, staging, production),
 * generates a small e-commerce manifest repository with a bare origin, and opens the console on it
 * (or, with a command after `--`, e.g. when stdout is not a terminal, prints how to use it and waits).
 * Everything it started is stopped on exit.
 */
export async function demoCommand(args: Args): Promise<number> {
  const say = (l: string) => process.stderr.write(`[demo] ${l}\n`);
  say('starting the local control plane (the first run builds it from Go modules: several minutes)…');
  const { startControlPlane } = (await import(controlPlaneModule)) as Pick<DemoParts, 'startControlPlane'>;
  const { makeDemoRepo } = (await import(fixturesModule)) as Pick<DemoParts, 'makeDemoRepo'>;
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
