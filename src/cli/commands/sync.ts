import type {
  AppState,
  BosunEngine,
  OperationResult,
  PlanTask,
  ResourceKey,
  SyncOptions,
  SyncPlanView,
} from '../../engine/index.js';
import { keyLabel, parseKeyString } from '../../engine/index.js';
import { type CommandContext, confirmMutation } from '../context.js';
import { CliError, ExitCode } from '../exit-codes.js';
import { emit, table } from '../output.js';
import { stderrProgress } from '../progress.js';
import { findApp } from './read.js';
import { runPerKey } from './run-per-key.js';
import { DEFAULT_WAIT_TIMEOUT_SECONDS, waitHealthy } from './sync-wait.js';

/** Apps of one cluster synced at the same time by a batch (each app's waves and hooks stay in order). */
export const APPS_PER_CLUSTER = 8;

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
    ctx.err(`bosun: refused to sync ${name}: ${plan.refusals.join('; ')}\n`);
    return ExitCode.Refused;
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

/** One typed confirmation for a batch: the list of apps, then `sync N apps` typed when production is in it. */
async function confirmBatch(
  ctx: CommandContext,
  engine: BosunEngine,
  plans: { app: AppState; plan: SyncPlanView }[],
): Promise<boolean> {
  const production = plans.filter((p) => isProduction(engine, p.app)).map((p) => p.app.name);
  const phrase = `sync ${plans.length} apps`;
  const listing = plans
    .map(
      (p) => `  ${p.app.name} → ${p.plan.context}${production.includes(p.app.name) ? '  PRODUCTION' : ''}\n`,
    )
    .join('');
  if (ctx.args.readOnly)
    throw new CliError(
      `refused: ${phrase} is a mutating action and bosun runs --read-only`,
      ExitCode.Refused,
    );
  if (ctx.args.yes) return production.length > 0;
  if (!ctx.interactive)
    throw new CliError(
      `${phrase} needs confirmation: pass --yes (stdin is not a terminal)`,
      ExitCode.Refused,
    );
  ctx.err(`${phrase}:\n${listing}`);
  if (production.length > 0) {
    const typed = await ctx.ask(
      `${production.length} of them run in PRODUCTION. Type "${phrase}" to continue: `,
    );
    if (typed !== phrase) throw new CliError('aborted: the typed text did not match', ExitCode.Refused);
    return true;
  }
  const a = await ctx.ask(`${phrase}? [y/N] `);
  if (!a || !/^y(es)?$/i.test(a)) throw new CliError('aborted', ExitCode.Refused);
  return false;
}

type BatchRow = { app: string; context: string; result?: OperationResult; error?: string; ms: number };

async function syncBatch(ctx: CommandContext, engine: BosunEngine, apps: AppState[]): Promise<number> {
  let worst: number = ExitCode.Ok;
  const rows: BatchRow[] = [];
  const plans: { app: AppState; plan: SyncPlanView }[] = [];
  for (const app of apps) {
    const plan = await engine.planSync(app.name, optionsFor(ctx, app));
    if (plan.refusals.length > 0) {
      ctx.err(`bosun: refused to sync ${app.name}: ${plan.refusals.join('; ')}\n`);
      rows.push({ app: app.name, context: plan.context, error: plan.refusals.join('; '), ms: 0 });
      worst = Math.max(worst, ExitCode.Refused);
      continue;
    }
    for (const w of plan.warnings) ctx.err(`warning: ${app.name}: ${w}\n`);
    if (ctx.args.verbose && ctx.args.output === 'table')
      ctx.err(`sync ${app.name} → ${plan.context} @ ${plan.revision.slice(0, 7)}\n${planTable(plan.tasks)}`);
    plans.push({ app, plan });
  }
  ctx.timing?.('planned');
  const production = !ctx.args.dryRun && plans.length > 0 && (await confirmBatch(ctx, engine, plans));
  const progress = ctx.args.output === 'table' || ctx.interactive;
  // On a terminal: a spinner line naming the apps syncing now, between the per-app result lines.
  const spinner = ctx.args.output === 'table' ? stderrProgress() : undefined;
  const running = new Set<string>();
  let finished = 0;
  const show = () => {
    if (running.size > 0)
      spinner?.update(`syncing ${finished}/${plans.length} done · running ${[...running].join(', ')}`);
  };
  await runPerKey(plans, {
    key: (p) => p.plan.context,
    limit: APPS_PER_CLUSTER,
    run: async ({ app, plan }) => {
      const t0 = Date.now();
      const opts = optionsFor(ctx, app);
      if (production && isProduction(engine, app)) opts.confirm = app.name;
      const row: BatchRow = { app: app.name, context: plan.context, ms: 0 };
      running.add(app.name);
      show();
      try {
        row.result = await engine.sync(app.name, opts);
        worst = Math.max(worst, exitOf(row.result), await afterSync(ctx, engine, app.name, row.result));
      } catch (err) {
        row.error = (err as Error).message.split('\n')[0] ?? 'sync failed';
        worst = Math.max(worst, (err as { exitCode?: number }).exitCode ?? ExitCode.Failure);
      }
      row.ms = Date.now() - t0;
      rows.push(row);
      running.delete(app.name);
      finished++;
      spinner?.done();
      if (progress) ctx.err(`${progressLine(row)}\n`);
      show();
    },
  });
  spinner?.done();
  ctx.timing?.('synced');
  const order = new Map(apps.map((a, i) => [a.name, i]));
  rows.sort((a, b) => (order.get(a.app) ?? 0) - (order.get(b.app) ?? 0));
  ctx.out(
    emit(
      ctx.args.output,
      {
        results: rows.map((r) =>
          r.result ? { app: r.app, ...r.result } : { app: r.app, phase: 'Refused', message: r.error },
        ),
      },
      () =>
        ctx.args.verbose
          ? rows
              .map((r) =>
                r.result
                  ? `${r.app}: ${r.result.phase}: ${r.result.message}\n${planTable(r.result.tasks)}`
                  : `${r.app}: ${r.error}\n`,
              )
              .join('\n')
          : table(
              ['APP', 'CLUSTER', 'PHASE', 'TIME', 'MESSAGE'],
              rows.map((r) => [
                r.app,
                r.context,
                r.result?.phase ?? 'Refused',
                r.result ? `${(r.ms / 1000).toFixed(1)}s` : '',
                r.result?.message ?? r.error ?? '',
              ]),
            ),
    ),
  );
  return worst;
}

function progressLine(r: BatchRow): string {
  const phase = r.result?.phase ?? 'Error';
  const mark = phase === 'Succeeded' ? '✓' : '✗';
  const tasks = r.result ? `${r.result.tasks.length} tasks, ` : '';
  return `${mark} ${r.app} (${r.context}) ${phase}: ${tasks}${(r.ms / 1000).toFixed(1)}s${phase === 'Succeeded' ? '' : ` — ${r.result?.message ?? r.error ?? ''}`}`;
}
