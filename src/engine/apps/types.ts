import type { AppProject, AppSpec } from '../model/index.js';

/** Generator parameters of one generated application (nested for goTemplate, flat strings otherwise). */
export type Params = Record<string, unknown>;

/** Read-only view of the files of a repository at one commit, so git generators stay pure. */
export type RepoFiles = {
  /** Every directory, repo-relative with `/` separators, without the root. */
  listDirs(): string[];
  /** Every regular file, repo-relative with `/` separators. */
  listFiles(): string[];
  /** The text of a file; undefined when absent. May throw with a one-line message (e.g. too large). */
  read(path: string): string | undefined;
};

/** A cluster as the clusters generator sees it (from bosun's cluster registry). */
export type ClusterInfo = {
  name: string;
  server: string;
  labels: Record<string, string>;
  annotations: Record<string, string>;
  project?: string;
};

/** An ApplicationSet: generators and a template. Generators are kept as written and checked when run. */
export type AppSetSpec = {
  name: string;
  namespace?: string;
  goTemplate: boolean;
  goTemplateOptions: string[];
  generators: Record<string, unknown>[];
  /** `spec.template`: `{ metadata, spec }` of the Applications to produce. */
  template: Record<string, unknown>;
  /** `spec.templatePatch`: a Go template producing YAML merged over each rendered Application. */
  templatePatch?: string;
  syncPolicy?: { preserveResourcesOnDeletion?: boolean; applicationsSync?: string };
  labels: Record<string, string>;
  annotations: Record<string, string>;
  origin: { file?: string; parentApp?: string };
};

/** What generators need besides their own spec. */
export type GeneratorContext = {
  goTemplate: boolean;
  goTemplateOptions: string[];
  /** The cluster registry, for the clusters generator. */
  clusters: ClusterInfo[];
  /** The discovered repository's files, for git generators; undefined when unavailable. */
  repo?: RepoFiles;
  /** True when a git generator's `repoURL` is the discovered repository. */
  isSameRepo(repoURL: string): boolean;
  /** Maximum bytes of one file read by the git files generator. */
  maxFileBytes: number;
};

/** One Application produced by an ApplicationSet, with the parameters that produced it. */
export type GeneratedApp = { app: AppSpec; params: Params };

/** What an ApplicationSet produced: apps, or one line saying why it produced none. */
export type AppSetResult = { apps: GeneratedApp[]; error?: string };

/** A one-line problem found by discovery, attached to a file, an app or an ApplicationSet. */
export type DiscoveryError = { file?: string; app?: string; appSet?: string; message: string };

/** An ApplicationSet's outcome: the names it generated, or its error. */
export type AppSetSummary = { name: string; file?: string; generated: string[]; error?: string };

/** Everything discovery found in a repository snapshot. */
export type Discovery = {
  apps: AppSpec[];
  projects: AppProject[];
  appSets: AppSetSummary[];
  /** Problems, one line each. An app named here must not be rendered or synced until fixed. */
  errors: DiscoveryError[];
};

/** A one-line error raised while generating or templating; caught at the ApplicationSet. */
export class AppSetError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'AppSetError';
  }
}
