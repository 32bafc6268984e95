/** Promotion: environment chain, text edits of kustomization / values / Application files, plan, preview, apply. */

export { type PromoteOptions, type PromoteResult, promote } from './apply.js';
export {
  type EnvironmentSetting,
  environmentChain,
  findPromotionApps,
  nextEnvironment,
  type PromotionApps,
} from './chain.js';
export { applyEditOps, type EditOp, type FileEdit } from './edits.js';
export {
  defaultHelmValueKey,
  hasHelmValue,
  MissingValueKeyError,
  parseValueKey,
  readHelmValue,
  setHelmValue,
} from './helm-values.js';
export {
  type ImageChange,
  type ImageField,
  imageFields,
  type KustomizeImage,
  readKustomizeImages,
  setKustomizeImage,
} from './kustomize-images.js';
export { promotionMessage } from './message.js';
export {
  type PlanPromotionOptions,
  type PromotionPlan,
  planPromotion,
  type ServicePromotion,
} from './plan.js';
export { editsDiff, reviewBranchName, toGitChangePlan } from './preview.js';
export { helmValueFiles, type ReadRepoFile, VersionKind, versionKind } from './sources.js';
export { readTargetRevision, setTargetRevision, type TargetRevisionSelector } from './target-revision.js';
