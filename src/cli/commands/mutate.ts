import type {
  AppState,
  BosunEngine,
  GitChangePlan,
  PlanTask,
  ResourceKey,
  SyncOptions,
} from '../../engine/index.js';
import { keyLabel, parseKeyString } from '../../engine/index.js';
import { type CommandContext, confirmMutation } from '../context.js';
import { CliError, ExitCode } from '../exit-codes.js';
import { emit, table } from '../output.js';
import { findApp } from './read.js';
import { DEFAULT_WAIT_TIMEOUT_SECONDS, waitHealthy } from './sync-wait.js';

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

/** `bosun sync APP... [--prune] [--dry-run] [--resource K] [--wait]`. */
export async function syncCommand(ctx: CommandContext): Promise<number> {
  const names = ctx.args.positionals;
  if (names.length === 0)
    throw new CliError('usage: bosun sync APP... [--prune] [--dry-run] [--resource K]', ExitCode.Usage);
  const engine = await ctx.engine();
  let worst: number = ExitCode.Ok;
  for (const name of names) {
    const app = findApp(engine.getSnapshot().apps, name);
    const opts: SyncOptions = {
      prune: ctx.args.prune,
      dryRun: ctx.args.dryRun,
      // The operation ends when it has applied (earlier waves still gate on health); --wait then waits
      // for the whole app below, bounded by --timeout.
      wait: false,
      ...(ctx.args.resources.length ? { resources: parseResources(app, ctx.args.resources) } : {}),
    };
    const plan = await engine.planSync(name, opts);
    if (plan.refusals.length > 0) {
      ctx.err(`bosun: refused to sync ${name}: ${plan.refusals.join('; ')}\n`);
      worst = Math.max(worst, ExitCode.Refused);
      continue;
    }
    if (ctx.args.output === 'table')
      ctx.err(`sync ${name} → ${plan.context} @ ${plan.revision.slice(0, 7)}\n${planTable(plan.tasks)}`);
    for (const w of plan.warnings) ctx.err(`warning: ${w}\n`);
    if (!ctx.args.dryRun) {
      const confirm = await confirmMutation(ctx, {
        action: `sync ${name} on ${plan.context}`,
        production: app.policy.confirm.includes('sync'),
        name,
      });
      if (confirm) opts.confirm = confirm;
    }
    const result = await engine.sync(name, opts);
    ctx.out(
      emit(
        ctx.args.output,
        { app: name, ...result },
        () => `${name}: ${result.phase}: ${result.message}\n${planTable(result.tasks)}`,
      ),
    );
    if (result.phase !== 'Succeeded')
      worst = Math.max(worst, result.phase === 'Error' ? ExitCode.Failure : ExitCode.Differences);
    else if (ctx.args.wait && !ctx.args.dryRun) {
      const timeoutSeconds = ctx.args.timeout ?? DEFAULT_WAIT_TIMEOUT_SECONDS;
      try {
        await waitHealthy(engine, name, { timeoutSeconds });
        if (ctx.args.output === 'table') ctx.err(`${name}: Synced and Healthy\n`);
      } catch (err) {
        if (!(err instanceof CliError)) throw err;
        ctx.err(`bosun: ${err.message}\n`);
        worst = Math.max(worst, err.code);
      }
    }
  }
  return worst;
}

async function applyPlan(
  ctx: CommandContext,
  engine: BosunEngine,
  plan: GitChangePlan,
  production: boolean,
  name: string,
): Promise<number> {
  if (plan.refusals.length > 0) throw new CliError(`refused: ${plan.refusals.join('; ')}`, ExitCode.Refused);
  if (plan.nothingToDo) {
    ctx.out(emit(ctx.args.output, { nothingToDo: plan.nothingToDo }, () => `${plan.nothingToDo}\n`));
    return ExitCode.Ok;
  }
  if (ctx.args.output === 'table') {
    ctx.err(`${plan.title}\n\n${plan.fileDiff}\n`);
    for (const r of plan.renderedDiff) for (const d of r.diffs) ctx.err(d.text);
  }
  if (ctx.args.dryRun) {
    ctx.out(emit(ctx.args.output, plan, () => 'dry run: nothing committed\n'));
    return ExitCode.Ok;
  }
  const confirm = await confirmMutation(ctx, { action: plan.title, production, name });
  const result = await engine.applyGitChange(plan, confirm ? { confirm } : {});
  ctx.out(
    emit(
      ctx.args.output,
      result,
      () =>
        `committed ${result.commit.slice(0, 7)} and pushed to ${result.pushedTo} (${result.branch})${result.retries ? ` after ${result.retries} retries` : ''}\n${result.nextStep ? `next: ${result.nextStep}\n` : ''}`,
    ),
  );
  return ExitCode.Ok;
}

/** `bosun promote SERVICE --from ENV --to ENV [--yes]`. */
export async function promoteCommand(ctx: CommandContext): Promise<number> {
  const service = ctx.args.positionals[0];
  const { from, to } = ctx.args;
  if (!service || !from || !to)
    throw new CliError('usage: bosun promote SERVICE --from ENV --to ENV [--yes]', ExitCode.Usage);
  const engine = await ctx.engine();
  const snap = engine.getSnapshot();
  if (!snap.apps.some((a) => a.spec.service === service))
    throw new CliError(`unknown service "${service}"`, ExitCode.Usage);
  for (const e of [from, to]) {
    if (!snap.environments.some((x) => x.name === e))
      throw new CliError(
        `unknown environment "${e}" (environments: ${snap.environments.map((x) => x.name).join(', ')})`,
        ExitCode.Usage,
      );
  }
  const plan = await engine.planPromote({ service, from, to });
  return applyPlan(ctx, engine, plan, plan.production ?? false, service);
}

/** `bosun revert APP COMMIT [--yes]`. */
export async function revertCommand(ctx: CommandContext): Promise<number> {
  const [name, commit] = ctx.args.positionals;
  if (!name || !commit) throw new CliError('usage: bosun revert APP COMMIT [--yes]', ExitCode.Usage);
  const engine = await ctx.engine();
  findApp(engine.getSnapshot().apps, name);
  const plan = await engine.planRevert({ app: name, commit });
  return applyPlan(ctx, engine, plan, plan.production ?? false, name);
}
