/** The policy: production, read-only and typed confirmation, decided once. */
export {
  type AppPolicy,
  clusterIsProduction,
  decideAppPolicy,
  environmentIsProduction,
  isProductionName,
  MutatingAction,
  RefusalCode,
  readOnlyReason,
} from './policy.js';
