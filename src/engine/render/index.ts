/** Rendering desired objects: directory, Kustomize, Helm (the only user of child processes); render cache. */

export { isRefOnly, renderedSources } from './analyze.js';
export {
  type ObjectIdResolver,
  RenderCache,
  type RenderCacheStats,
  type RenderKeyOptions,
  stableStringify,
} from './cache.js';
export { globToRegExp } from './glob.js';
export { HelmRenderServer, helmRenderPath, helmServerFor } from './helm-server.js';
export { type KustomizeImage, kustomizeMissing, parseImageOverride } from './kustomize.js';
export { type ParseResult, parseJsonManifest, parseManifests } from './manifests.js';
export { inputPaths, type RenderAppOptions, renderApp, renderDefaults } from './render-app.js';
export { detectSourceType, SourceType } from './source-type.js';
export { type ToolVersion, toolVersion } from './tool-version.js';
