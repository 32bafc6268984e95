import type {
  AppState,
  BosunEngine,
  OperationResult,
  PlanTask,
  ResourceKey,
  SyncManyItem,
  SyncManyPlan,
  SyncOptions,
} from '../../engine/index.js';
import { keyLabel, parseKeyString } from '../../engine/index.js';
import { type CommandContext, confirmMutation } from '../context.js';
import { CliError, ExitCode, exitCodeOfRefusal } from '../exit-codes.js';
import { emit, table } from '../output.js';
import { stderrProgress } from '../progress.js';
import { findApp } from './read.js';
import { DEFAULT_WAIT_TIMEOUT_SECONDS, waitHealthy } from './sync-wait.js';

/** Whether a sync of the app needs its name typed (production, or the app's policy says so). */
export function isProduction(_engine: BosunEngine, app: AppState): boolean {
  return app.policy.confirm.includes('sync');
}

function planTable(tasks: PlanTask[]): string {
  return table(
    ['PHASE', 'WAVE', 'ACTION', 'RESOURCE', 'STATUS', 'MESSAGE'],
    tasks.map((t) => [
      t.phase,
      String(t.wave),
      t.action,
      keyLabel(t.key),
      t.status ?? 'Pending',
      t.message ?? t.reason ?? '',
    ]),
  );
}

function parseResources(app: AppState, specs: string[]): ResourceKey[] {
  return specs.map((s) => {
    const k =
      parseKeyString(s) ??
      app.resources.find((r) => `${r.key.kind}/${r.key.name}` === s || r.key.name === s)?.key;
    if (!k)
      throw new CliError(
        `unknown resource "${s}" in ${app.name} (use GROUP/KIND/NAMESPACE/NAME or KIND/NAME)`,
        ExitCode.Usage,
      );
    return k;
  });
}

const exitOf = (r: OperationResult) =>
  r.phase === 'Succeeded' ? ExitCode.Ok : r.phase === 'Error' ? ExitCode.Failure : ExitCode.Differences;

/** The apps a sync command names: its arguments, or every OutOfSync app (optionally of one env or cluster). */
export function selectApps(ctx: CommandContext, engine: BosunEngine): { apps: AppState[]; all: boolean } {
  const { positionals, allOutOfSync, env, cluster } = ctx.args;
  if (!allOutOfSync) {
    if (env || cluster)
      throw new CliError('--env and --cluster select apps with --all-out-of-sync', ExitCode.Usage);
    return { apps: positionals.map((n) => findApp(engine.getSnapshot().apps, n)), all: false };
  }
  if (positionals.length > 0)
    throw new CliError('name apps or pass --all-out-of-sync, not both', ExitCode.Usage);
  const snap = engine.getSnapshot();
  if (env && !snap.environments.some((e) => e.name === env))
    throw new CliError(
      `unknown environment "${env}" (environments: ${snap.environments.map((e) => e.name).join(', ')})`,
      ExitCode.Usage,
    );
  const clusterCtx = cluster
    ? snap.clusters.find((c) => c.name === cluster || c.context === cluster)?.context
    : undefined;
  if (cluster && !clusterCtx)
    throw new CliError(
      `unknown cluster "${cluster}" (clusters: ${snap.clusters.map((c) => c.name).join(', ')})`,
      ExitCode.Usage,
    );
  const apps = snap.apps.filter(
    (a) =>
      a.sync === 'OutOfSync' &&
      (!env || a.spec.environment === env) &&
      (!clusterCtx || a.context === clusterCtx),
  );
  return { apps, all: true };
}

/** `bosun sync APP... | --all-out-of-sync [--env E] [--cluster C]  [--prune] [--dry-run] [--resource K]`. */
export async function syncCommand(ctx: CommandContext): Promise<number> {
  if (ctx.args.positionals.length === 0 && !ctx.args.allOutOfSync)
    throw new CliError(
      'usage: bosun sync APP... | --all-out-of-sync [--env E] [--cluster C]  [--prune] [--dry-run]',
      ExitCode.Usage,
    );
  const engine = await ctx.engine();
  ctx.timing?.('engine started');
  const { apps, all } = selectApps(ctx, engine);
  if (apps.length === 1 && !all) return syncOne(ctx, engine, apps[0]!);
  if (apps.length === 0) {
    ctx.out(emit(ctx.args.output, { results: [] }, () => 'nothing to sync: no app is OutOfSync\n'));
    return ExitCode.Ok;
  }
  if (ctx.args.resources.length)
    throw new CliError('--resource selects resources of one app; name one app', ExitCode.Usage);
  return syncBatch(ctx, engine, apps);
}

function optionsFor(ctx: CommandContext, app: AppState): SyncOptions {
  return {
    prune: ctx.args.prune,
    dryRun: ctx.args.dryRun,
    // The operation ends when it has applied (earlier waves still gate on health); --wait then waits
    // for the whole app, bounded by --timeout (afterSync).
    wait: false,
    ...(ctx.args.resources.length ? { resources: parseResources(app, ctx.args.resources) } : {}),
  };
}

async function syncOne(ctx: CommandContext, engine: BosunEngine, app: AppState): Promise<number> {
  const name = app.name;
  const opts = optionsFor(ctx, app);
  const plan = await engine.planSync(name, opts);
  ctx.timing?.('planned');
  if (plan.refusals.length > 0) {
    const readOnly = app.policy.readOnly && plan.refusals.length === 1 ? app.policy.readOnly.code : undefined;
    throw new CliError(`refused to sync ${name}: ${plan.refusals.join('; ')}`, ExitCode.Refused, {
      refusal: readOnly ?? 'plan-refused',
    });
  }
  if (ctx.args.output === 'table')
    ctx.err(`sync ${name} → ${plan.context} @ ${plan.revision.slice(0, 7)}\n${planTable(plan.tasks)}`);
  for (const w of plan.warnings) ctx.err(`warning: ${w}\n`);
  if (!ctx.args.dryRun) {
    const confirm = await confirmMutation(ctx, {
      action: `sync ${name} on ${plan.context}`,
      production: isProduction(engine, app),
      name,
    });
    if (confirm) opts.confirm = confirm;
  }
  const result = await engine.sync(name, opts);
  ctx.timing?.('synced');
  ctx.out(
    emit(
      ctx.args.output,
      { app: name, ...result },
      () => `${name}: ${result.phase}: ${result.message}\n${planTable(result.tasks)}`,
    ),
  );
  return Math.max(exitOf(result), await afterSync(ctx, engine, name, result));
}

/** With `--wait`, after a successful operation: wait until the app is Synced and Healthy (bounded by --timeout). */
async function afterSync(
  ctx: CommandContext,
  engine: BosunEngine,
  name: string,
  result: OperationResult,
): Promise<number> {
  if (!ctx.args.wait || ctx.args.dryRun || result.phase !== 'Succeeded') return ExitCode.Ok;
  try {
    await waitHealthy(engine, name, { timeoutSeconds: ctx.args.timeout ?? DEFAULT_WAIT_TIMEOUT_SECONDS });
    if (ctx.args.output === 'table') ctx.err(`${name}: Synced and Healthy\n`);
    return ExitCode.Ok;
  } catch (err) {
    if (!(err instanceof CliError)) throw err;
    ctx.err(`bosun: ${err.message}\n`);
    return err.code;
  }
}

/**
 * One confirmation for a batch: the list of apps, then the engine's phrase (`sync N apps`) typed when
 * production is in it. Returns the phrase to pass to the engine, if the batch needs it.
 */
async function confirmBatch(ctx: CommandContext, batch: SyncManyPlan): Promise<string | undefined> {
  const phrase = batch.phrase;
  const production = new Set(batch.production);
  const listing = batch.items
    .filter((it) => !it.refusal)
    .map((it) => `  ${it.app} → ${it.context}${production.has(it.app) ? '  PRODUCTION' : ''}\n`)
    .join('');
  if (ctx.args.readOnly)
    throw new CliError(
      `refused: ${phrase} is a mutating action and bosun runs --read-only`,
      ExitCode.Refused,
      { refusal: 'read-only' },
    );
  if (ctx.args.yes) return production.size > 0 ? phrase : undefined;
  if (!ctx.interactive)
    throw new CliError(
      `${phrase} needs confirmation: pass --yes (stdin is not a terminal)`,
      ExitCode.Refused,
      { refusal: 'confirmation-required' },
    );
  ctx.err(`${phrase}:\n${listing}`);
  if (production.size > 0) {
    const typed = await ctx.ask(
      `${production.size} of them run in PRODUCTION. Type "${phrase}" to continue: `,
    );
    if (typed !== phrase)
      throw new CliError('aborted: the typed text did not match', ExitCode.Refused, {
        refusal: 'confirmation-required',
      });
    return phrase;
  }
  const a = await ctx.ask(`${phrase}? [y/N] `);
  if (!a || !/^y(es)?$/i.test(a)) throw new CliError('aborted', ExitCode.Refused, { refusal: 'aborted' });
  return undefined;
}

/** The exit code of one app of a batch. */
function exitOfItem(item: SyncManyItem): number {
  if (item.phase === 'Refused') return item.code ? exitCodeOfRefusal(item.code) : ExitCode.Refused;
  if (item.result) return exitOf(item.result);
  return ExitCode.Failure;
}

/** Many apps through the engine's batch sync: refusals listed, one confirmation, a line per finished app. */
async function syncBatch(ctx: CommandContext, engine: BosunEngine, apps: AppState[]): Promise<number> {
  const opts = { prune: ctx.args.prune, dryRun: ctx.args.dryRun };
  const batch = await engine.planSyncMany(
    apps.map((a) => a.name),
    opts,
  );
  const rows: SyncManyItem[] = [];
  for (const it of batch.items) {
    if (it.refusal) {
      ctx.err(`bosun: refused to sync ${it.app}: ${it.refusal.reason}\n`);
      rows.push({
        app: it.app,
        context: it.context,
        phase: 'Refused',
        message: it.refusal.reason,
        ms: 0,
        code: it.refusal.code,
      });
      continue;
    }
    for (const w of it.warnings) ctx.err(`warning: ${it.app}: ${w}\n`);
    if (ctx.args.verbose && ctx.args.output === 'table' && it.plan)
      ctx.err(
        `sync ${it.app} → ${it.plan.context} @ ${it.plan.revision.slice(0, 7)}\n${planTable(it.plan.tasks)}`,
      );
  }
  ctx.timing?.('planned');
  const confirm = !ctx.args.dryRun && batch.runnable.length > 0 ? await confirmBatch(ctx, batch) : undefined;
  const progress = ctx.args.output === 'table' || ctx.interactive;
  // On a terminal: a spinner line naming the apps syncing now, between the per-app result lines.
  const spinner = ctx.args.output === 'table' ? stderrProgress() : undefined;
  const running = new Set<string>();
  let finished = 0;
  const show = () => {
    if (running.size > 0)
      spinner?.update(
        `syncing ${finished}/${batch.runnable.length} done · running ${[...running].join(', ')}`,
      );
  };
  const done =
    batch.runnable.length === 0
      ? []
      : await engine.syncMany(batch.runnable, {
          ...opts,
          ...(confirm ? { confirm } : {}),
          onProgress: (e) => {
            if (e.type === 'started') {
              running.add(e.app);
              return show();
            }
            running.delete(e.item.app);
            finished++;
            spinner?.done();
            if (progress) ctx.err(`${progressLine(e.item)}\n`);
            show();
          },
        });
  spinner?.done();
  rows.push(...done);
  let worst: number = rows.reduce((w, r) => Math.max(w, exitOfItem(r)), ExitCode.Ok as number);
  // --wait: every app that synced, waited for together (each bounded by --timeout).
  const waits = await Promise.all(
    done.flatMap((r) => (r.result ? [afterSync(ctx, engine, r.app, r.result)] : [])),
  );
  worst = Math.max(worst, ...waits);
  ctx.timing?.('synced');
  const order = new Map(apps.map((a, i) => [a.name, i]));
  rows.sort((a, b) => (order.get(a.app) ?? 0) - (order.get(b.app) ?? 0));
  ctx.out(
    emit(
      ctx.args.output,
      {
        results: rows.map((r) =>
          r.result ? { app: r.app, ...r.result } : { app: r.app, phase: r.phase, message: r.message },
        ),
      },
      () =>
        ctx.args.verbose
          ? rows
              .map((r) =>
                r.result
                  ? `${r.app}: ${r.result.phase}: ${r.result.message}\n${planTable(r.result.tasks)}`
                  : `${r.app}: ${r.phase}: ${r.message}\n`,
              )
              .join('\n')
          : table(
              ['APP', 'CLUSTER', 'PHASE', 'TIME', 'MESSAGE'],
              rows.map((r) => [
                r.app,
                r.context,
                r.phase,
                r.result ? `${(r.ms / 1000).toFixed(1)}s` : '',
                r.message,
              ]),
            ),
    ),
  );
  return worst;
}

function progressLine(r: SyncManyItem): string {
  const mark = r.phase === 'Succeeded' ? '✓' : '✗';
  const tasks = r.result ? `${r.result.tasks.length} tasks, ` : '';
  return `${mark} ${r.app} (${r.context}) ${r.phase}: ${tasks}${(r.ms / 1000).toFixed(1)}s${r.phase === 'Succeeded' ? '' : ` — ${r.message}`}`;
}
