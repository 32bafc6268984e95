import type { BosunEngine, GitChangePlan } from '../../engine/index.js';
import { type CommandContext, confirmMutation } from '../context.js';
import { CliError, ExitCode } from '../exit-codes.js';
import { emit } from '../output.js';
import { findApp } from './read.js';

async function applyPlan(
  ctx: CommandContext,
  engine: BosunEngine,
  plan: GitChangePlan,
  production: boolean,
  name: string,
): Promise<number> {
  if (plan.refusals.length > 0)
    throw new CliError(`refused: ${plan.refusals.join('; ')}`, ExitCode.Refused, { refusal: 'plan-refused' });
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
