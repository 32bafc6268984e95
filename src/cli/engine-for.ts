import type { BosunEngine } from '../engine/index.js';
import type { Args } from './args.js';

/** Builds the real engine for the parsed command line (the composition root). */
export async function engineFor(
  args: Args,
  opts: { automation: boolean; longRunning?: boolean },
): Promise<BosunEngine> {
  const { createEngine, realAdapters } = await import('../engine/index.js');
  return createEngine(
    {
      repoPath: args.repo,
      ...(args.config ? { configPath: args.config } : {}),
      ...(args.kubeconfig ? { kubeconfig: args.kubeconfig } : {}),
      contexts: args.contexts,
      readOnly: args.readOnly,
      automation: opts.automation && !args.noAutomation,
      // A console or watch loop dry-runs what a sync would create ahead of the sync; a command does not.
      prepareSyncs: opts.longRunning ?? false,
      ...(args.interval ? { pollIntervalMs: args.interval * 1000 } : {}),
      ...(args.customizations.length ? { customizations: args.customizations } : {}),
    },
    realAdapters(),
  );
}
