import { homedir } from 'node:os';
import { join } from 'node:path';
import { type BosunConfig, loadConfig } from '../../config/index.js';
import { discoverApps } from '../apps/index.js';
import type { Discovery } from '../apps/types.js';
import { GitRepo } from '../git/index.js';
import type { AppSpec, KubeObject } from '../model/index.js';
import { inputPaths, RenderCache } from '../render/index.js';

/** Options of `openWorkspace`: the repository and config, read without any cluster. */
export type WorkspaceOptions = {
  repoPath: string;
  configPath?: string;
  /** bosun's cache directory (default `$XDG_CACHE_HOME/bosun`). */
  cacheDir?: string;
  /** Told what is being done (`rendering APP`), for a progress line. */
  onProgress?: (message: string) => void;
};

/** The apps of the repository at one revision, and what they render to. */
export type RevisionView = {
  /** The revision as asked (`HEAD`, a branch, a sha). */
  rev: string;
  sha: string;
  snapshotDir: string;
  discovery: Discovery;
};

/** Rendered objects of one app, or why there are none. */
export type Rendered = { ok: true; objects: KubeObject[] } | { ok: false; error: string };

/**
 * Offline access to the manifest repository: config, discovery and rendering at any revision, with
 * no cluster. Used by compare and the ApplicationSet preview; never touches the working tree.
 */
export class Workspace {
  private readonly views = new Map<string, Promise<RevisionView>>();

  private constructor(
    readonly config: BosunConfig,
    readonly repo: GitRepo,
    private readonly cache: RenderCache,
    private readonly onProgress: (message: string) => void,
  ) {}

  /** Loads the config and opens the repository; throws one line when either is unusable. */
  static async open(opts: WorkspaceOptions): Promise<Workspace> {
    const config = await loadConfig({
      repoPath: opts.repoPath,
      ...(opts.configPath ? { configPath: opts.configPath } : {}),
    });
    const cacheDir = opts.cacheDir ?? join(process.env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), 'bosun');
    const repo = await GitRepo.open({ path: config.repo.path, cacheDir });
    return new Workspace(config, repo, new RenderCache({ cacheDir }), opts.onProgress ?? (() => {}));
  }

  /** The repository's branch head (the config's branch, its remote-tracking ref first), else HEAD. */
  async head(): Promise<string> {
    return this.repo.resolve(this.config.repo.branch).catch(() => this.repo.resolve('HEAD'));
  }

  /** Discovery at a revision (default: the branch head), memoised. */
  at(rev?: string): Promise<RevisionView> {
    const key = rev ?? '';
    let v = this.views.get(key);
    if (!v) {
      v = (async () => {
        const sha = rev ? await this.repo.resolve(rev) : await this.head();
        this.onProgress(`reading applications at ${rev ?? 'HEAD'} (${sha.slice(0, 7)})`);
        const snapshotDir = await this.repo.snapshot(sha);
        const discovery = await discoverApps({ dir: snapshotDir, config: this.config });
        return { rev: rev ?? 'HEAD', sha, snapshotDir, discovery };
      })();
      this.views.set(key, v);
    }
    return v;
  }

  /** Renders an app at a revision view (its own targetRevision when that resolves); never throws. */
  async render(view: RevisionView, spec: AppSpec): Promise<Rendered> {
    const errors = view.discovery.errors.filter((e) => e.app === spec.name);
    if (errors[0]) return { ok: false, error: errors[0].message };
    let { sha, snapshotDir } = view;
    const target = spec.sources[0]?.targetRevision;
    if (target && view.rev === 'HEAD' && !['HEAD', this.config.repo.branch].includes(target)) {
      try {
        sha = await this.repo.resolve(target);
        snapshotDir = await this.repo.snapshot(sha);
      } catch (err) {
        return { ok: false, error: `targetRevision ${target}: ${(err as Error).message}` };
      }
    }
    this.onProgress(`rendering ${spec.name} at ${sha.slice(0, 7)}`);
    const r = await this.cache.render({
      spec,
      snapshotDir,
      revision: sha,
      objectId: (p) => this.repo.objectId(sha, p),
      timeoutMs: this.config.limits.renderTimeoutSeconds * 1000,
      maxBytes: this.config.limits.maxManifestBytes,
      ...(this.config.binaries.kustomize ? { kustomizeBin: this.config.binaries.kustomize } : {}),
      ...(this.config.binaries.helm ? { helmBin: this.config.binaries.helm } : {}),
    });
    return r.ok ? { ok: true, objects: r.objects } : { ok: false, error: r.error };
  }

  /** Repo-relative paths feeding an app's render at a revision view. */
  inputs(view: RevisionView, spec: AppSpec): Promise<string[]> {
    return inputPaths({ spec, snapshotDir: view.snapshotDir });
  }
}
