/** Offline views of the repository (no cluster): environment compare and ApplicationSet preview. */

export { compareSetWithLive, liveDiffers, livePresence, withLive } from './appset-live.js';
export {
  type AppSetPreview,
  type AppSetPreviewOptions,
  type AppSetPreviewResult,
  type PreviewApp,
  PreviewError,
  previewAppSets,
} from './appset-preview.js';
export {
  type CompareEnvOptions,
  CompareError,
  type CompareSide,
  compareEnvironments,
  type EnvComparison,
} from './compare-envs.js';
export { type AppSetLive, type LiveApp, type LiveApps, LivePresence } from './live-types.js';
export { type ObjectDelta, Presence } from './object-diff.js';
export type { FileDelta } from './source-files.js';
