/**
 * Batch sync: many apps in one operation, bounded per destination cluster. Each app runs the single-app
 * sync unchanged (waves, hooks, lease, sync windows, history); one app's failure never stops the others.
 * The policy (refusals with reason codes, one typed confirmation for the production apps of the batch) is
 * decided here, so the CLI and the console only ask and show.
 */
import { forEachLimit, forEachPerKey } from '../core/pool.js';
import { PolicyRefusal } from '../core/refusal.js';
import type { AppState } from '../model/app.js';
import { MutatingAction, RefusalCode } from '../policy/index.js';
import type {
  EngineSnapshot,
  OperationResult,
  Refusal,
  SyncManyItem,
  SyncManyOptions,
  SyncManyPlan,
  SyncManyPlanItem,
  SyncOptions,
  SyncPlanView,
} from '../types.js';

/** Apps of one cluster synced at the same time by a batch (each app's waves and hooks stay in order). */
export const APPS_PER_CLUSTER = 8;

/** What a batch sync uses of the engine: the facade itself, or a test double. */
export type SyncManyHost = {
  getSnapshot(): EngineSnapshot;
  planSync(app: string, opts?: SyncOptions): Promise<SyncPlanView>;
  sync(app: string, opts?: SyncOptions): Promise<OperationResult>;
};

/** What the operator types to confirm a batch of `n` apps. */
export function batchPhrase(n: number): string {
  return `sync ${n} app${n === 1 ? '' : 's'}`;
}

/** Whether a manual sync of the app needs its name typed (the policy's production rule). */
function needsConfirm(app: AppState): boolean {
  return app.policy.confirm.includes(MutatingAction.Sync);
}

/** The apps named, from the snapshot; an unknown name fails the whole batch before anything runs. */
function resolve(snapshot: EngineSnapshot, names: readonly string[]): AppState[] {
  const byName = new Map(snapshot.apps.map((a) => [a.name, a]));
  const unknown = names.filter((n) => !byName.has(n));
  if (unknown.length > 0)
    throw new Error(`unknown application${unknown.length > 1 ? 's' : ''}: ${unknown.join(', ')}`);
  const dup = names.find((n, i) => names.indexOf(n) !== i);
  if (dup) throw new Error(`${dup} is named twice in the batch`);
  return names.map((n) => byName.get(n) as AppState);
}

/** The reason code of a plan's refusals: read-only and sync windows have their own, the rest is the plan's. */
function refusalOf(app: AppState, refusals: string[], dryRun: boolean): Refusal | undefined {
  if (refusals.length === 0) return undefined;
  const reason = refusals.join('; ');
  if (!dryRun && app.policy.readOnly && refusals.length === 1)
    return { code: app.policy.readOnly.code, reason };
  if (!dryRun && app.syncWindow && !app.syncWindow.manual && refusals.length === 1)
    return { code: RefusalCode.SyncWindow, reason };
  return { code: RefusalCode.PlanRefused, reason };
}

/** Plans every app of a batch (a few at a time): refusals, warnings, production apps and the phrase. */
export async function planSyncMany(
  host: SyncManyHost,
  names: readonly string[],
  opts: SyncManyOptions = {},
): Promise<SyncManyPlan> {
  const apps = resolve(host.getSnapshot(), names);
  const items: SyncManyPlanItem[] = new Array(apps.length);
  const indexed = apps.map((app, i) => ({ app, i }));
  const syncOpts: SyncOptions = { prune: opts.prune ?? false, dryRun: opts.dryRun ?? false, wait: false };
  await forEachLimit(indexed, APPS_PER_CLUSTER, async ({ app, i }) => {
    const base = { app: app.name, context: app.context ?? '', production: needsConfirm(app) };
    try {
      const plan = await host.planSync(app.name, syncOpts);
      const refusal = refusalOf(app, plan.refusals, syncOpts.dryRun ?? false);
      items[i] = {
        ...base,
        context: plan.context || base.context,
        warnings: plan.warnings,
        plan,
        ...(refusal ? { refusal } : {}),
      };
    } catch (err) {
      const reason = (err as Error).message.split('\n')[0] ?? 'the plan failed';
      const code = err instanceof PolicyRefusal ? err.code : RefusalCode.PlanRefused;
      items[i] = { ...base, warnings: [], refusal: { code, reason } };
    }
  });
  const runnable = items.filter((it) => !it.refusal);
  return {
    items,
    runnable: runnable.map((it) => it.app),
    production: opts.dryRun ? [] : runnable.filter((it) => it.production).map((it) => it.app),
    phrase: batchPhrase(runnable.length),
  };
}

/**
 * Syncs the named apps, at most `perCluster` at once per destination cluster, in their order within a
 * cluster. When any is production (and this is not a dry run), `opts.confirm` must be the batch's phrase,
 * else nothing runs. Each app reports `started` and `finished` through `opts.onProgress`.
 */
export async function syncMany(
  host: SyncManyHost,
  names: readonly string[],
  opts: SyncManyOptions & { perCluster?: number; now?: () => number } = {},
): Promise<SyncManyItem[]> {
  const apps = resolve(host.getSnapshot(), names);
  const dryRun = opts.dryRun ?? false;
  const production = dryRun ? [] : apps.filter(needsConfirm).map((a) => a.name);
  const phrase = batchPhrase(apps.length);
  if (production.length > 0 && opts.confirm !== phrase)
    throw new PolicyRefusal(
      `refused: ${production.length} of the ${apps.length} apps run in production (${production.join(', ')}); confirm the batch by typing "${phrase}"`,
      RefusalCode.ConfirmationRequired,
    );
  const now = opts.now ?? Date.now;
  // A listener that throws must not stop an app, nor lose its result.
  const tell: NonNullable<SyncManyOptions['onProgress']> = (e) => {
    try {
      opts.onProgress?.(e);
    } catch {}
  };
  const out: SyncManyItem[] = new Array(apps.length);
  const indexed = apps.map((app, i) => ({ app, i }));
  await forEachPerKey(
    indexed,
    { key: ({ app }) => app.context ?? '', limit: opts.perCluster ?? APPS_PER_CLUSTER },
    async ({ app, i }) => {
      const context = app.context ?? '';
      const t0 = now();
      tell({ type: 'started', app: app.name, context });
      const syncOpts: SyncOptions = {
        prune: opts.prune ?? false,
        dryRun,
        wait: false,
        // The batch was confirmed as a whole: each production app gets its own confirmation from it.
        ...(production.includes(app.name) ? { confirm: app.policy.confirmName } : {}),
      };
      let item: SyncManyItem;
      try {
        const result = await host.sync(app.name, syncOpts);
        item = { app: app.name, context, phase: result.phase, message: result.message, ms: 0, result };
      } catch (err) {
        const message = (err as Error).message.split('\n')[0] || 'sync failed';
        item =
          err instanceof PolicyRefusal || (err as Error).name === 'PolicyRefusal'
            ? { app: app.name, context, phase: 'Refused', message, ms: 0, code: (err as PolicyRefusal).code }
            : { app: app.name, context, phase: 'Error', message, ms: 0 };
      }
      item.ms = Math.max(0, now() - t0);
      out[i] = item;
      tell({ type: 'finished', item });
    },
  );
  return out;
}
