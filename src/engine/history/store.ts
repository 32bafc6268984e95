/**
 * Operation history in the destination cluster: ConfigMap `bosun-history-<app>` in namespace
 * `bosun-system` (created on demand), data key `operations` holding the last 10 records as JSON, so every
 * operator on every bastion sees the same history. Writes are read-modify-write with the ConfigMap's
 * resourceVersion as precondition, retried on conflict.
 */
import type { KubeObject, ResourceKey } from '../model/index.js';
import type { ClusterPort } from '../sync/port.js';
import { apiFailureOf } from '../sync/step.js';
import { type LeaseView, markInterrupted, type OperationRecord, upsertRecord } from './records.js';

/** Namespace of bosun's in-cluster state. */
export const BOSUN_NAMESPACE = 'bosun-system';
/** Data key of the records in the history ConfigMap. */
export const HISTORY_DATA_KEY = 'operations';
/** Data key of the notifications already sent (keys and times, JSON). */
export const NOTIFIED_DATA_KEY = 'notified';
/** How many sent notifications an app's history remembers. */
const NOTIFIED_LIMIT = 100;
/** Field manager of history and lease writes. */
export const HISTORY_FIELD_MANAGER = 'bosun';

/** What history and leases need from a cluster. */
export type HistoryPort = Pick<ClusterPort, 'get' | 'apply' | 'create' | 'replace'>;

/** Name of an app's history ConfigMap. */
export function historyConfigMapName(app: string): string {
  return `bosun-history-${app}`;
}

/** The key of an app's history ConfigMap. */
export function historyKey(app: string): ResourceKey {
  return { group: '', kind: 'ConfigMap', namespace: BOSUN_NAMESPACE, name: historyConfigMapName(app) };
}

/** Read-modify-write attempts of one history update before giving up. */
const UPDATE_ATTEMPTS = 30;

const isConflict = (err: unknown) => {
  const status = apiFailureOf(err)?.status;
  return status === 409;
};

/** Creates `bosun-system` when it does not exist. */
export async function ensureSystemNamespace(port: HistoryPort): Promise<void> {
  const key: ResourceKey = { group: '', kind: 'Namespace', namespace: '', name: BOSUN_NAMESPACE };
  if (await port.get(key, 'v1')) return;
  const ns: KubeObject = {
    apiVersion: 'v1',
    kind: 'Namespace',
    metadata: { name: BOSUN_NAMESPACE, labels: { 'app.kubernetes.io/managed-by': 'bosun' } },
  };
  try {
    await port.create(ns);
  } catch (err) {
    if (!isConflict(err)) throw new Error(`cannot create namespace ${BOSUN_NAMESPACE}`, { cause: err });
  }
}

/** Parses the records of a history ConfigMap; malformed content yields none. */
export function parseRecords(cm: KubeObject | undefined): OperationRecord[] {
  const raw = (cm?.data as Record<string, string> | undefined)?.[HISTORY_DATA_KEY];
  if (!raw) return [];
  try {
    const parsed: unknown = JSON.parse(raw);
    return Array.isArray(parsed) ? (parsed as OperationRecord[]) : [];
  } catch {
    return [];
  }
}

/** A history ConfigMap's records, oldest first; with `lease` and `now`, orphaned Running records show as Interrupted. */
export function recordsOf(
  cm: KubeObject | undefined,
  view?: { lease: LeaseView | undefined; now: number },
): OperationRecord[] {
  const records = parseRecords(cm);
  return view ? markInterrupted(records, view.lease, view.now) : records;
}

/** Reads and writes the operation history of apps on one cluster. */
export class HistoryStore {
  private namespaceReady = false;

  constructor(
    private readonly port: HistoryPort,
    private readonly opts: { limit?: number } = {},
  ) {}

  /** The app's records, oldest first; with `lease` and `now`, orphaned Running records show as Interrupted. */
  async list(app: string, view?: { lease: LeaseView | undefined; now: number }): Promise<OperationRecord[]> {
    return recordsOf(await this.port.get(historyKey(app), 'v1'), view);
  }

  /** Inserts or replaces a record (by id), keeping the newest ones. */
  async put(record: OperationRecord): Promise<OperationRecord[]> {
    return this.update(record.app, (records) => upsertRecord(records, record, this.opts.limit));
  }

  /** Read-modify-write of an app's records, retried when another writer got in between. */
  async update(
    app: string,
    change: (records: OperationRecord[]) => OperationRecord[],
  ): Promise<OperationRecord[]> {
    let records: OperationRecord[] = [];
    await this.write(app, (data) => {
      records = change(parseRecords({ data } as unknown as KubeObject));
      return { ...data, [HISTORY_DATA_KEY]: JSON.stringify(records) };
    });
    return records;
  }

  /**
   * Records that a notification (by key) is being sent; false when some operator already recorded it
   * (within `withinMs` when given). The resourceVersion precondition makes one claimant win.
   */
  async claimNotification(
    app: string,
    key: string,
    opts: { now: number; withinMs?: number },
  ): Promise<boolean> {
    let claimed = false;
    await this.write(app, (data) => {
      let sent: { key: string; at: number }[] = [];
      try {
        const parsed: unknown = JSON.parse(data[NOTIFIED_DATA_KEY] ?? '[]');
        if (Array.isArray(parsed)) sent = parsed as { key: string; at: number }[];
      } catch {
        /* malformed: start afresh */
      }
      const prior = sent.find(
        (s) => s.key === key && (opts.withinMs === undefined || opts.now - s.at < opts.withinMs),
      );
      claimed = !prior;
      if (prior) return undefined;
      sent = [...sent.filter((s) => s.key !== key), { key, at: opts.now }].slice(-NOTIFIED_LIMIT);
      return { ...data, [NOTIFIED_DATA_KEY]: JSON.stringify(sent) };
    });
    return claimed;
  }

  /** Read-modify-write of the ConfigMap's data (undefined: no change), retried on conflict. */
  private async write(
    app: string,
    change: (data: Record<string, string>) => Record<string, string> | undefined,
  ): Promise<void> {
    if (!this.namespaceReady) {
      await ensureSystemNamespace(this.port);
      this.namespaceReady = true;
    }
    let lastErr: unknown;
    for (let attempt = 0; attempt < UPDATE_ATTEMPTS; attempt++) {
      // After a conflict, wait a little (random, growing) so that racing writers stop colliding.
      if (attempt > 0) await new Promise((r) => setTimeout(r, Math.random() * Math.min(25 * attempt, 250)));
      const cm = await this.port.get(historyKey(app), 'v1');
      const data = change({ ...((cm?.data as Record<string, string> | undefined) ?? {}) });
      if (!data) return;
      const obj: KubeObject = {
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: {
          name: historyConfigMapName(app),
          namespace: BOSUN_NAMESPACE,
          labels: { 'app.kubernetes.io/managed-by': 'bosun', 'bosun.dev/app': app },
        },
        data,
      };
      try {
        if (cm) {
          const rv = cm.metadata.resourceVersion;
          await this.port.apply(obj, {
            fieldManager: HISTORY_FIELD_MANAGER,
            force: true,
            ...(rv ? { resourceVersion: rv } : {}),
          });
        } else {
          await this.port.create(obj);
        }
        return;
      } catch (err) {
        if (!isConflict(err)) throw new Error(`cannot write the history of ${app}`, { cause: err });
        lastErr = err;
      }
    }
    throw new Error(`cannot write the history of ${app}: it kept changing under us`, { cause: lastErr });
  }
}
