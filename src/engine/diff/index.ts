/** Diff: normalise, ignore, mask and compare desired (or SSA-predicted) objects with live ones. */

/** Compare one object: `compareObjects`, its explanation, and the raw path differ. */
export {
  type CompareInput,
  type CompareMode,
  type CompareResult,
  compareObjects,
  explainComparison,
  type FieldWriter,
} from './compare.js';
/** The structural differ behind `compareObjects`. */
export { type Change, changedPaths, type DiffOptions, diffObjects } from './differ.js';
/** `ignoreDifferences`: rule matching and application (jsonPointers, managedFieldsManagers, jq subset). */
export {
  type ApplyIgnoreInput,
  type ApplyIgnoreResult,
  applyIgnoreDifferences,
  type IgnoredPath,
  ignoreRuleMatches,
} from './ignore.js';
/** The bounded jq subset used by `jqPathExpressions`. */
export { compileJqPath, evaluateJqPath, type JqCompileResult, type JqPath } from './jq-path.js';
/** JSON pointer helpers and structural equality. */
export { deepEqual, equivalent, isEmptyValue, parsePointer, type Segment, toPointer } from './json-path.js';
/** `metadata.managedFields` (fieldsV1) reading: who owns which field. */
export {
  type FieldsNode,
  lastWriterOf,
  type ManagedFieldsEntry,
  managedFieldsOf,
  ownsPath,
} from './managed-fields.js';
/** Desired-over-live overlay used when server-side dry-run is refused. */
export { type OverlayOptions, overlayDesired, parseQuantity } from './merge.js';
/** Normalisation before comparing. */
export { type NormalizeOptions, normalizeObject, pruneEmpty } from './normalize.js';
/** Secrets with values stored in Git. */
export { PlaintextSecretCondition, plaintextSecrets, plaintextSecretWarning } from './plaintext-secrets.js';
/** The one redaction step for text that leaves the engine. */
export { noRedaction, type Redactor, redactorOf, secretRedactor } from './redactor.js';
/** Secret masking and redaction: values never leave the engine. */
export {
  foldStringData,
  isSecret,
  maskSecret,
  maskSecretPair,
  REDACTED,
  type RedactOptions,
  redactSecretValues,
  SECRET_MASK,
  SECRET_MASK_CHANGED,
  secretValueForms,
} from './secrets.js';
/** Tracking ids and ownership of live objects. */
export {
  ARGOCD_INSTANCE_LABEL,
  ARGOCD_TRACKING_ANNOTATION,
  BOSUN_TRACKING_ANNOTATION,
  type Ownership,
  ownerOf,
  parseTrackingId,
  setTracking,
  type TrackingId,
  type TrackingOptions,
  trackingId,
  trackingKey,
} from './tracking.js';
/** Unified text diffs of objects as YAML, and their line counts. */
export { type DiffStats, diffStats, toYaml, type UnifiedDiffInput, unifiedDiff } from './unified.js';
