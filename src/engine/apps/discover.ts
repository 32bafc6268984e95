import type { BosunConfig } from '../../config/types.js';
import type { AppProject, AppSpec } from '../model/index.js';
import { envParam, generateApplications } from './appset.js';
import { pathProblems } from './discover-paths.js';
import { resolveEnvironment, resolveService } from './environment.js';
import { type ParsedArgoObject, parseArgoObject } from './parse.js';
import { RepoFs, safeRelPath } from './repo-fs.js';
import { sameRepo } from './repo-url.js';
import type {
  AppSetSpec,
  AppSetSummary,
  ClusterInfo,
  Discovery,
  DiscoveryError,
  RepoFiles,
} from './types.js';
import { yamlMemo } from './yaml-memo.js';

/** The API server address that means "the cluster bosun runs against" in Argo CD. */
export const inClusterServer = 'https://kubernetes.default.svc';

/** Options of discoverApps. */
export type DiscoverOptions = {
  /** A checked-out snapshot of the repository at one commit (never the user's working tree). */
  dir: string;
  /** Directories to scan; default: config.roots, else `argocd` if it exists, else the whole repo. */
  roots?: string[];
  config: BosunConfig;
  /** The repository's URL; sources with another repoURL are left to the engine. Undefined = all local. */
  repoURL?: string;
};

type AppEntry = { app: AppSpec; file?: string; appSetEnv?: string };
type SetEntry = { set: AppSetSpec; file?: string; summary: AppSetSummary; done: boolean };

/**
 * Finds every Application, AppProject and ApplicationSet in a repository snapshot: scans the roots,
 * follows app-of-apps into plain directories of the same repository (recursive, cycle-safe), runs
 * ApplicationSets, refuses paths, value files and symlinks that leave the repository, and resolves
 * each app's environment and service. Problems become one-line errors on the file, app or set
 * concerned; other apps are still found.
 */
export async function discoverApps(opts: DiscoverOptions): Promise<Discovery> {
  let fs: RepoFs;
  try {
    fs = await RepoFs.open(opts.dir, opts.config.limits.maxManifestBytes);
  } catch (err) {
    throw new Error(`cannot open repository snapshot ${opts.dir}`, { cause: err });
  }
  const run = new DiscoveryRun(fs, opts);
  await run.run();
  return run.result();
}

/** The roots to scan: explicit ones, the config's, else `argocd` when it exists, else the whole repo. */
export async function resolveRoots(dir: string, config: Pick<BosunConfig, 'roots'>, roots?: string[]) {
  if (roots && roots.length > 0) return roots;
  if (config.roots.length > 0) return config.roots;
  const fs = await RepoFs.open(dir, 1);
  return (await fs.state('argocd')) === 'dir' ? ['argocd'] : ['.'];
}

/** The one-line errors discovery attached to one app. */
export function errorsForApp(discovery: Discovery, app: string): string[] {
  return discovery.errors.filter((e) => e.app === app).map((e) => e.message);
}

class DiscoveryRun {
  private readonly apps = new Map<string, AppEntry>();
  private readonly queue: AppEntry[] = [];
  private readonly projects = new Map<string, { project: AppProject; file: string }>();
  private readonly sets = new Map<string, SetEntry>();
  private readonly errors: DiscoveryError[] = [];
  private readonly fileCache = new Map<string, ParsedArgoObject[]>();
  private readonly registered = new WeakSet<object>();
  private repoFiles: RepoFiles | undefined;

  constructor(
    private readonly fs: RepoFs,
    private readonly opts: DiscoverOptions,
  ) {}

  async run(): Promise<void> {
    const roots = await resolveRoots(this.fs.root, this.opts.config, this.opts.roots);
    for (const root of roots) await this.scanRoot(root);
    for (;;) {
      while (this.queue.length > 0) await this.resolveChildren(this.queue.shift() as AppEntry);
      const pending = [...this.sets.values()].filter((s) => !s.done);
      if (pending.length === 0) break;
      for (const s of pending) this.generate(s);
    }
    for (const entry of this.apps.values()) await this.checkPaths(entry);
    for (const { app, appSetEnv } of this.apps.values()) {
      const env = resolveEnvironment(app, {
        config: this.opts.config,
        ...(appSetEnv === undefined ? {} : { appSetEnv }),
      });
      if (env !== undefined) app.environment = env;
      app.service = resolveService(app, env);
    }
  }

  result(): Discovery {
    return {
      apps: [...this.apps.values()].map((e) => e.app).sort((a, b) => a.name.localeCompare(b.name)),
      projects: [...this.projects.values()].map((p) => p.project),
      appSets: [...this.sets.values()].map((s) => s.summary),
      errors: this.errors,
    };
  }

  private isSameRepo = (url: string): boolean =>
    this.opts.repoURL === undefined || sameRepo(url, this.opts.repoURL);

  private async scanRoot(root: string): Promise<void> {
    const safe = safeRelPath(root);
    if (!safe.ok) {
      this.errors.push({ message: `root ${root} must be a path inside the repository` });
      return;
    }
    const state = await this.fs.state(safe.path);
    if (state !== 'dir') {
      const why =
        state === 'outside' ? 'points outside the repository' : 'is not a directory in the repository';
      this.errors.push({ message: `root ${root} ${why}` });
      return;
    }
    const whole = safe.path === '.';
    const files = await this.fs.listManifestFiles(safe.path, {
      recurse: true,
      skipCharts: whole,
      onError: (file, message) => this.errors.push({ file, message }),
    });
    for (const file of files) {
      for (const obj of await this.load(file, { strict: !whole })) this.register(obj, file, undefined);
    }
  }

  /** Parses a file once; its read/parse errors are recorded once. */
  private async load(file: string, opts: { strict: boolean }): Promise<ParsedArgoObject[]> {
    const cached = this.fileCache.get(file);
    if (cached) return cached;
    const objects: ParsedArgoObject[] = [];
    this.fileCache.set(file, objects);
    const read = await this.fs.readManifest(file, { requireMarker: !opts.strict });
    if (!read.ok) {
      if ('error' in read) this.errors.push({ file, message: `${file} ${read.error}` });
      return objects;
    }
    const parsed = yamlMemo.docs(read.text);
    if (!parsed.ok) {
      this.errors.push({ file, message: `${file}: ${parsed.error}` });
      return objects;
    }
    for (const doc of parsed.docs) {
      const items = isList(doc) ? doc.items : [doc];
      for (const item of items) {
        const obj = parseArgoObject(item, { file });
        if (obj) objects.push(obj);
      }
    }
    return objects;
  }

  private register(obj: ParsedArgoObject, file: string, parent: AppEntry | undefined): void {
    if (obj.kind === 'Application') {
      this.addApp(obj.app, file, parent);
      return;
    }
    const first = !this.registered.has(obj);
    this.registered.add(obj);
    if (!first) return;
    if (obj.kind === 'error') {
      const who =
        obj.name === undefined
          ? {}
          : obj.objectKind === 'ApplicationSet'
            ? { appSet: obj.name }
            : obj.objectKind === 'Application'
              ? { app: obj.name }
              : {};
      this.errors.push({ file, ...who, message: `${file}: ${obj.message}` });
      // A broken Application that names itself stays visible: an app row in error, never synced.
      if (obj.objectKind === 'Application' && obj.name !== undefined && !this.apps.has(obj.name)) {
        this.apps.set(obj.name, { app: brokenApp(obj.name, file, parent), file });
      }
    } else if (obj.kind === 'AppProject') {
      const prev = this.projects.get(obj.project.name);
      if (prev) {
        this.errors.push({
          file,
          message: `${file}: AppProject ${obj.project.name} is already defined in ${prev.file}`,
        });
      } else this.projects.set(obj.project.name, { project: obj.project, file });
    } else {
      const set = obj.appSet;
      const prev = this.sets.get(set.name);
      if (prev) {
        this.errors.push({
          file,
          appSet: set.name,
          message: `${file}: ApplicationSet ${set.name} is already defined in ${prev.file ?? 'another file'}`,
        });
        return;
      }
      if (parent) set.origin.parentApp = parent.app.name;
      this.sets.set(set.name, { set, file, summary: { name: set.name, file, generated: [] }, done: false });
    }
  }

  private addApp(
    app: AppSpec,
    file: string | undefined,
    parent: AppEntry | undefined,
    appSetEnv?: string,
  ): void {
    const existing = this.apps.get(app.name);
    if (existing && existing.app !== app) {
      const where = existing.file ?? `ApplicationSet ${existing.app.origin.applicationSet ?? '?'}`;
      this.errors.push({
        ...(file === undefined ? {} : { file }),
        app: app.name,
        message: `${file ?? 'ApplicationSet'}: duplicate application name ${app.name} (already defined in ${where})`,
      });
      return;
    }
    if (existing) {
      if (!parent || parent.app === app) return;
      const chain = this.ancestry(parent);
      if (chain.includes(app.name)) {
        const cycle = [...chain.slice(0, chain.indexOf(app.name) + 1).reverse(), app.name].join(' → ');
        this.errors.push({
          ...(parent.file === undefined ? {} : { file: parent.file }),
          app: parent.app.name,
          message: `app ${parent.app.name}: app-of-apps cycle ${cycle}; the child link is ignored`,
        });
        return;
      }
      const current = app.origin.parentApp;
      if (current === undefined) app.origin.parentApp = parent.app.name;
      else if (current !== parent.app.name) {
        this.errors.push({
          app: app.name,
          message: `app ${app.name} is included by both ${current} and ${parent.app.name}; kept under ${current}`,
        });
      }
      return;
    }
    if (parent) app.origin.parentApp = parent.app.name;
    const entry: AppEntry = {
      app,
      ...(file === undefined ? {} : { file }),
      ...(appSetEnv === undefined ? {} : { appSetEnv }),
    };
    this.apps.set(app.name, entry);
    this.queue.push(entry);
  }

  /** Names from `entry` up through its parents (entry first). */
  private ancestry(entry: AppEntry): string[] {
    const out: string[] = [];
    let cur: AppEntry | undefined = entry;
    while (cur && !out.includes(cur.app.name)) {
      out.push(cur.app.name);
      const parentName: string | undefined = cur.app.origin.parentApp;
      cur = parentName === undefined ? undefined : this.apps.get(parentName);
    }
    return out;
  }

  /** App-of-apps: Applications (and sets, projects) in a plain directory source of the same repo. */
  private async resolveChildren(entry: AppEntry): Promise<void> {
    for (const s of entry.app.sources) {
      if (!s.path || s.chart || s.helm || s.kustomize || !this.isSameRepo(s.repoURL)) continue;
      const safe = safeRelPath(s.path);
      if (!safe.ok || (await this.fs.state(safe.path)) !== 'dir') continue;
      if (await this.fs.isRenderedDir(safe.path)) continue;
      const files = await this.fs.listManifestFiles(safe.path, {
        recurse: s.directory?.recurse ?? false,
        ...(s.directory?.include ? { include: s.directory.include } : {}),
        ...(s.directory?.exclude ? { exclude: s.directory.exclude } : {}),
      });
      for (const file of files) {
        for (const obj of await this.load(file, { strict: false })) this.register(obj, file, entry);
      }
    }
  }

  private generate(entry: SetEntry): void {
    entry.done = true;
    const { set } = entry;
    const result = generateApplications(set, {
      clusters: this.clusterInfos(),
      repo: this.lazyRepoFiles(),
      isSameRepo: this.isSameRepo,
      maxFileBytes: this.opts.config.limits.maxManifestBytes,
    });
    const fileField = entry.file === undefined ? {} : { file: entry.file };
    if (result.error !== undefined) {
      entry.summary.error = result.error;
      this.errors.push({
        ...fileField,
        appSet: set.name,
        message: `ApplicationSet ${set.name}: ${result.error}`,
      });
      return;
    }
    const parent = set.origin.parentApp === undefined ? undefined : this.apps.get(set.origin.parentApp);
    for (const g of result.apps) {
      const clash = this.apps.get(g.app.name);
      if (clash) {
        const msg = `generated application ${g.app.name} is already defined in ${clash.file ?? 'another ApplicationSet'}`;
        entry.summary.error ??= msg;
        this.errors.push({ ...fileField, appSet: set.name, message: `ApplicationSet ${set.name}: ${msg}` });
        continue;
      }
      entry.summary.generated.push(g.app.name);
      this.addApp(g.app, entry.file, parent, envParam(g.params));
    }
  }

  private lazyRepoFiles(): RepoFiles {
    this.repoFiles ??= this.fs.repoFiles();
    return this.repoFiles;
  }

  private clusterInfos(): ClusterInfo[] {
    const { clusters, inClusterContext } = this.opts.config;
    const out: ClusterInfo[] = clusters.map((c) => ({
      name: c.name,
      server: c.server ?? '',
      labels: { ...c.labels },
      annotations: { ...c.annotations },
    }));
    if (inClusterContext !== undefined && !clusters.some((c) => c.server === inClusterServer)) {
      out.push({ name: 'in-cluster', server: inClusterServer, labels: {}, annotations: {} });
    }
    return out;
  }

  /** Records the path problems of one app (sources, value files, symlinks) as errors on it. */
  private async checkPaths(entry: AppEntry): Promise<void> {
    const problems = await pathProblems(entry.app, { fs: this.fs, isSameRepo: this.isSameRepo });
    for (const p of problems) {
      this.errors.push({
        ...(entry.file === undefined ? {} : { file: entry.file }),
        app: entry.app.name,
        message: `app ${entry.app.name}: ${p}`,
      });
    }
  }
}

/** A stand-in for an Application that cannot be parsed: no sources, so nothing renders or syncs. */
function brokenApp(name: string, file: string, parent: AppEntry | undefined): AppSpec {
  return {
    name,
    project: 'default',
    sources: [],
    destination: {},
    labels: {},
    annotations: {},
    origin: { file, ...(parent ? { parentApp: parent.app.name } : {}) },
    service: name,
  };
}

function isList(doc: unknown): doc is { items: unknown[] } {
  if (typeof doc !== 'object' || doc === null) return false;
  const d = doc as Record<string, unknown>;
  return typeof d.kind === 'string' && d.kind.endsWith('List') && Array.isArray(d.items);
}
