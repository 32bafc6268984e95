/** Applications from a repository written for Argo CD: parsing, ApplicationSets, discovery, environments, projects. */

/** Run an ApplicationSet's generators and template (pure); read its env parameter. */
export { envParam, type GenerateContext, generateApplications, maxGeneratedApps } from './appset.js';
/** Discover every app, project and set in a repository snapshot; resolve roots; errors per app. */
export {
  type DiscoverOptions,
  discoverApps,
  errorsForApp,
  inClusterServer,
  resolveRoots,
} from './discover.js';
/** Environment and service of an app; the environment chain. */
export {
  defaultEnvironmentRanks,
  environmentFromPaths,
  environmentOrder,
  knownEnvironments,
  resolveEnvironment,
  resolveService,
} from './environment.js';
/** Generator dispatch and template rendering (pure). */
export {
  normalizeName,
  renderFastTemplate,
  renderGoTemplate,
  renderObject,
  renderString,
  runGenerator,
  supportedGenerators,
  type TemplateStyle,
} from './generators/index.js';
export { globMatch, globToRegExp } from './glob.js';
/** Parse Argo CD objects (Application, AppProject, ApplicationSet) into bosun's model. */
export {
  ArgoKind,
  argoApiVersion,
  isArgoObject,
  isValidName,
  type ParsedArgoObject,
  type ParseOrigin,
  parseApplication,
  parseApplicationSet,
  parseAppProject,
  parseArgoObject,
} from './parse.js';
/** AppProject guard rails (pure). */
export {
  checkProject,
  defaultProjectName,
  isDestinationPermitted,
  isGroupKindPermitted,
  isSourcePermitted,
  type ProjectCheckInput,
  type ProjectObject,
} from './project.js';
export { type SafePath, safeRelPath } from './repo-fs.js';
export { normalizeRepoURL, repoKey, sameRepo } from './repo-url.js';
/** Label selectors, globs, repository URLs, safe YAML. */
export { type LabelSelector, matchesSelector } from './selector.js';
/** AppProject sync windows, evaluated as Argo CD does (time passed in). */
export {
  canSyncNow,
  matchingWindows,
  type SyncWindow,
  WindowRefusal,
  type WindowState,
  type WindowTarget,
  type WindowVerdict,
  windowState,
} from './sync-windows.js';
/** Types shared by discovery and generators. */
export {
  AppSetError,
  type AppSetResult,
  type AppSetSpec,
  type AppSetSummary,
  type ClusterInfo,
  type Discovery,
  type DiscoveryError,
  type GeneratedApp,
  type GeneratorContext,
  type Params,
  type RepoFiles,
} from './types.js';
export { defaultMaxAliasCount, isManifestFile, parseYamlDocs, type YamlDocs } from './yaml.js';
