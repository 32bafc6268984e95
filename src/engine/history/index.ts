/** History: operation records in the cluster, the sync lease, the local audit journal, identity. */
export { holderIdentity, identity, personOf } from './identity.js';
export { appendJournal, type JournalEntry, journalPath, readJournal, scrubSecrets } from './journal.js';
export {
  type AcquireOptions,
  acquireLease,
  clockTime,
  LEASE_DURATION_SECONDS,
  LEASE_RENEW_MS,
  LeaseHeldError,
  type LeaseState,
  leaseKey,
  leaseName,
  readAppLease,
  readLease,
  SyncLease,
} from './lease.js';
export { runSyncOperation, type SyncOperationInput, type SyncOperationResult } from './operation.js';
export {
  emptySummary,
  HISTORY_LIMIT,
  type Inventory,
  inventoryKinds,
  inventoryOf,
  type LeaseView,
  leaseExpired,
  markInterrupted,
  newOperationId,
  type OperationRecord,
  type ResourceResult,
  summarizeTasks,
  type TaskSummary,
  toOperationSummary,
  upsertRecord,
} from './records.js';
export {
  BOSUN_NAMESPACE,
  ensureSystemNamespace,
  type HistoryPort,
  HistoryStore,
  historyConfigMapName,
  historyKey,
  parseRecords,
  recordsOf,
} from './store.js';
