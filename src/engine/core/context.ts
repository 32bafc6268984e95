import { homedir } from 'node:os';
import { join } from 'node:path';
import type { BosunConfig } from '../../config/index.js';
import type { DirCustomizations } from '../customizations/load-dir.js';
import type { GitRepo } from '../git/index.js';
import type { Customizations } from '../health/customizations.js';
import { identity } from '../history/index.js';
import type { ClusterCache } from '../live/cluster-cache.js';
import type { LuaVm } from '../lua/index.js';
import type { AppProject, IgnoreDifference } from '../model/app.js';
import { RenderCache } from '../render/index.js';
import type { AppRuntime } from './app-runtime.js';
import type { DestinationIndex } from './destinations.js';
import type { EngineAdapters, EngineOptions } from './options.js';
import { Redactions } from './redaction.js';
import { EngineStore } from './store.js';

/**
 * The state the engine's services share: options, adapters, the store, the loaded config and
 * repository, the app runtimes and the cluster caches. Plain data: the services own the behaviour.
 */
export class EngineContext {
  readonly store: EngineStore;
  readonly apps = new Map<string, AppRuntime>();
  readonly caches = new Map<string, ClusterCache>();
  readonly cacheDir: string;
  readonly renderCache: RenderCache;
  readonly who = identity();
  /** The Secret values each app's text is redacted of before it leaves the engine. */
  readonly redactions = new Redactions(this.apps);
  /** Set by start(): bosun.yaml (or defaults). */
  config!: BosunConfig;
  /** Set by start(): the manifest repository. */
  repo!: GitRepo;
  projects: AppProject[] = [];
  head?: string;
  snapshotDir?: string;
  destinations?: DestinationIndex;
  /** Set when there is no kubeconfig at all: every app with a destination says so. */
  noKubeconfig?: string;
  /** Set by start(): Lua health customizations from `--customizations` and bosun.yaml. */
  customizations?: Customizations;
  /** The customization directories, loaded (the first highest). */
  customizationDirs: DirCustomizations[] = [];
  /** Per kubeconfig context with an argocd-cm holding scripts: its argocd-cm over the directories. */
  readonly clusterCustomizations = new Map<string, Customizations>();
  /** Per context: its argocd-cm's system-level ignoreDifferences rules (absent when it has none). */
  readonly systemIgnores = new Map<string, IgnoreDifference[]>();
  /** What could not be read from each context's argocd-cm, one line each. */
  readonly argoCmWarnings = new Map<string, string[]>();
  /** Per context whose argocd-cm the server refuses to show (RBAC): why, in one line. */
  readonly argoCmAccess = new Map<string, string>();
  /** The shared Lua VM, once needed. */
  luaVm?: Promise<LuaVm>;
  stopped = false;

  constructor(
    readonly opts: EngineOptions,
    readonly adapters: EngineAdapters,
  ) {
    this.cacheDir = opts.cacheDir ?? join(process.env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), 'bosun');
    this.renderCache = new RenderCache({ cacheDir: this.cacheDir });
    this.store = new EngineStore({
      version: 0,
      repo: { path: opts.repoPath, name: opts.repoPath.split('/').pop() ?? 'repo', branch: 'main' },
      clusters: [],
      apps: [],
      appSets: [],
      environments: [],
      errors: [],
      loading: true,
      readOnly: opts.readOnly ?? false,
      identity: this.who,
      automation: { enabled: false, leases: 0 },
    });
  }

  /** The tracking annotation key in use. */
  get tracking(): string {
    return this.config.tracking.annotation;
  }
}
