import type { GitRepo } from '../git/index.js';
import type { KubeCluster } from '../kube/cluster.js';
import type { ContextInfo } from '../kube/kubeconfig.js';
import type { WebhookSender } from '../notify/webhook.js';

/** Options of createEngine. */
export type EngineOptions = {
  repoPath: string;
  configPath?: string;
  kubeconfig?: string;
  contexts?: string[];
  readOnly?: boolean;
  /** Run auto-sync and self-heal (TUI and watch). */
  automation?: boolean;
  /** Cache directory (default ~/.cache/bosun). */
  cacheDir?: string;
  /** Fetch origin at start (default true). */
  fetch?: boolean;
  /** With automation: how often to fetch origin and look for new commits (default 15 s). */
  pollIntervalMs?: number;
  /** How long a sync waits for a wave to get healthy or a hook to complete (default 5 min). */
  syncWaitTimeoutMs?: number;
  /** Customization directories from the command line (`--customizations`) and for Lua actions, first highest; above bosun.yaml's. */
  customizations?: string[];
  /** How often each cluster's API list is re-read; a change re-renders its apps (default 30 s). */
  discoveryRefreshMs?: number;
  /**
   * Long-running engines (console, watch): dry-run the objects a sync would create in the background, so
   * that a sync sends only its applies (default false: a CLI command sends no request it does not need).
   */
  prepareSyncs?: boolean;
};

/** Opens the manifest repository (the engine's only way to reach Git). */
export type GitAdapter = {
  open(opts: { path: string; cacheDir: string }): Promise<GitRepo>;
};

/** Reads kubeconfig contexts and connects to clusters (the engine's only way to reach Kubernetes). */
export type KubeAdapter = {
  loadContexts(opts: { kubeconfig?: string; contexts?: string[] }): {
    contexts: ContextInfo[];
    current?: string;
    /** Set when there is no kubeconfig at all. */
    missing?: string;
  };
  connect(context: ContextInfo): KubeCluster;
};

/** The adapter factories the composition root (cli/) hands to the engine. */
export type EngineAdapters = {
  git: GitAdapter;
  kube: KubeAdapter;
  /** POSTs notifications (bosun.yaml `notifications:`); without it none are sent. */
  webhook?: WebhookSender;
};
