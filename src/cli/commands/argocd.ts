import type { ArgoApp, ArgoCdConnection, ResourceKey } from '../../engine/index.js';
import {
  ArgoCdRefusal,
  applyAdopt,
  applyRelease,
  openArgoCd,
  parseKeyString,
  planAdopt,
  planRelease,
} from '../../engine/index.js';
import { type CommandContext, confirmMutation } from '../context.js';
import { CliError, ExitCode } from '../exit-codes.js';
import { emit, table } from '../output.js';

const waitLimitMs = 10 * 60_000;

/** The stable JSON shape of one Argo CD app. */
function argoAppJson(a: ArgoApp) {
  const s = a.status;
  return {
    name: a.spec.name,
    project: a.spec.project,
    destination: a.spec.destination,
    sync: s.sync,
    health: s.health,
    healthMessage: s.healthMessage ?? null,
    revision: s.revision ?? null,
    images: s.images,
    conditions: s.conditions,
    operation: s.operation ?? null,
    resources: s.resources.map((r) => ({
      key: `${r.key.group}/${r.key.kind}/${r.key.namespace}/${r.key.name}`,
      sync: r.sync,
      health: r.health?.status ?? null,
      message: r.health?.message ?? null,
    })),
    history: s.history,
    reconciledAt: s.reconciledAt ?? null,
  };
}

async function connect(ctx: CommandContext): Promise<ArgoCdConnection> {
  try {
    return await openArgoCd({
      repoPath: ctx.args.repo,
      ...(ctx.args.config ? { configPath: ctx.args.config } : {}),
      ...(ctx.args.kubeconfig ? { kubeconfig: ctx.args.kubeconfig } : {}),
      ...(ctx.args.contexts[0] ? { context: ctx.args.contexts[0] } : {}),
      readOnly: ctx.args.readOnly,
    });
  } catch (err) {
    if (err instanceof ArgoCdRefusal) throw new CliError(err.message, ExitCode.Failure, { cause: err });
    throw new CliError((err as Error).message, ExitCode.Failure, { cause: err });
  }
}

function mustApp(conn: ArgoCdConnection, name: string): ArgoApp {
  const a = conn.source.app(name);
  if (a) return a;
  throw new CliError(
    `unknown application "${name}" in Argo CD (${conn.context}/${conn.namespace})`,
    ExitCode.Usage,
  );
}

function parseResources(list: string[]): ResourceKey[] {
  return list.map((r) => {
    const k = parseKeyString(r);
    if (!k) throw new CliError(`--resource ${r}: expected GROUP/KIND/NAMESPACE/NAME`, ExitCode.Usage);
    return k;
  });
}

async function apps(ctx: CommandContext, conn: ArgoCdConnection): Promise<number> {
  const list = conn.source.apps();
  ctx.out(
    emit(
      ctx.args.output,
      { argocd: { context: conn.context, namespace: conn.namespace }, apps: list.map(argoAppJson) },
      () =>
        table(
          ['NAME', 'PROJECT', 'DESTINATION', 'SYNC', 'HEALTH', 'REVISION', 'OPERATION', 'CONDITION'],
          list.map((a) => [
            a.spec.name,
            a.spec.project,
            `${a.spec.destination.name ?? a.spec.destination.server ?? '-'}/${a.spec.destination.namespace ?? '-'}`,
            a.status.sync,
            a.status.health,
            a.status.revision?.slice(0, 7) ?? '-',
            a.status.operation ? `${a.status.operation.phase} by ${a.status.operation.initiator}` : '-',
            a.status.conditions[0] ? `${a.status.conditions[0].type}: ${a.status.conditions[0].message}` : '',
          ]),
        ),
    ),
  );
  return ExitCode.Ok;
}

/** Waits (watch-fed, no extra requests) until Argo CD finishes the operation started after `since`. */
async function waitOperation(
  conn: ArgoCdConnection,
  name: string,
  since: string | undefined,
): Promise<ArgoApp> {
  const deadline = Date.now() + waitLimitMs;
  while (Date.now() < deadline) {
    const a = conn.source.app(name);
    const op = a?.status.operation;
    if (a && !a.status.operationPending && op && op.startedAt !== since && op.finishedAt) return a;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new CliError(
    `${name}: Argo CD did not finish the sync within ${waitLimitMs / 60_000} minutes`,
    ExitCode.Failure,
  );
}

async function sync(ctx: CommandContext, conn: ArgoCdConnection, names: string[]): Promise<number> {
  if (names.length === 0)
    throw new CliError(
      'usage: bosun argocd sync APP... [--prune] [--dry-run] [--resource K] [--wait]',
      ExitCode.Usage,
    );
  const resources = parseResources(ctx.args.resources);
  let worst: number = ExitCode.Ok;
  for (const name of names) {
    const app = mustApp(conn, name);
    const refused = conn.source.refusals(app.spec);
    if (refused.length)
      throw new CliError(`refused to sync ${name}: ${refused.join('; ')}`, ExitCode.Refused);
    await confirmMutation(ctx, {
      action: `sync ${name} through Argo CD (${conn.context}/${conn.namespace})`,
      production: conn.isProduction(app.spec),
      name,
    });
    const before = app.status.operation?.startedAt;
    try {
      await conn.source.sync(name, {
        initiator: conn.initiator,
        ...(ctx.args.revision ? { revision: ctx.args.revision } : {}),
        prune: ctx.args.prune,
        dryRun: ctx.args.dryRun,
        ...(resources.length ? { resources } : {}),
      });
    } catch (err) {
      if (err instanceof ArgoCdRefusal) throw new CliError(err.message, ExitCode.Refused, { cause: err });
      throw err;
    }
    ctx.err(`${name}: sync requested from Argo CD by ${conn.initiator}\n`);
    if (!ctx.args.wait) continue;
    const done = await waitOperation(conn, name, before);
    const op = done.status.operation;
    ctx.out(
      emit(
        ctx.args.output,
        { app: name, operation: op, sync: done.status.sync, health: done.status.health },
        () =>
          `${name}: ${op?.phase}: ${op?.message ?? ''} (sync ${done.status.sync}, health ${done.status.health})\n`,
      ),
    );
    if (op?.phase !== 'Succeeded')
      worst = Math.max(worst, op?.phase === 'Error' ? ExitCode.Failure : ExitCode.Differences);
  }
  return worst;
}

async function adopt(ctx: CommandContext, conn: ArgoCdConnection, names: string[]): Promise<number> {
  const plan = await planAdopt(conn, { repoPath: ctx.args.repo, apps: names, readOnly: ctx.args.readOnly });
  ctx.out(
    emit(
      ctx.args.output,
      {
        revision: plan.revision,
        items: plan.items.map(({ object: _o, ...i }) => i),
        warnings: plan.warnings,
        refusals: plan.refusals,
      },
      () =>
        `adopt into Argo CD (${conn.context}/${conn.namespace}) from ${plan.revision.slice(0, 7)}:\n${table(
          ['ACTION', 'KIND', 'NAME', 'FILE', 'CHANGED'],
          plan.items.map((i) => [i.action, i.kind, i.name, i.file, i.changed.join(',')]),
        )}`,
    ),
  );
  for (const w of plan.warnings) ctx.err(`warning: ${w}\n`);
  if (plan.refusals.length) throw new CliError(`refused: ${plan.refusals.join('; ')}`, ExitCode.Refused);
  if (ctx.args.dryRun || plan.items.every((i) => i.action === 'unchanged')) return ExitCode.Ok;
  await confirmMutation(ctx, {
    action: `adopt ${plan.items.length} object(s) into Argo CD`,
    production: false,
    name: names.join(','),
  });
  await applyAdopt(conn, plan);
  ctx.err(
    `adopted: ${plan.items
      .filter((i) => i.action !== 'unchanged')
      .map((i) => `${i.kind}/${i.name}`)
      .join(', ')}\n`,
  );
  return ExitCode.Ok;
}

async function release(ctx: CommandContext, conn: ArgoCdConnection, names: string[]): Promise<number> {
  const plan = planRelease(conn, { apps: names, readOnly: ctx.args.readOnly });
  ctx.out(
    emit(
      ctx.args.output,
      plan,
      () =>
        `release from Argo CD (${conn.context}/${conn.namespace}); deployed objects stay:\n${table(
          ['APPLICATION', 'FINALIZERS DROPPED'],
          plan.apps.map((a) => [a.name, a.finalizers.join(',') || '-']),
        )}`,
    ),
  );
  if (plan.refusals.length) throw new CliError(`refused: ${plan.refusals.join('; ')}`, ExitCode.Refused);
  if (ctx.args.dryRun || plan.apps.length === 0) return ExitCode.Ok;
  await confirmMutation(ctx, {
    action: `release ${plan.apps.length} app(s) from Argo CD`,
    production: false,
    name: names.join(','),
  });
  await applyRelease(conn, plan);
  ctx.err(`released: ${plan.apps.map((a) => a.name).join(', ')}\n`);
  return ExitCode.Ok;
}

/** `bosun argocd apps|sync|refresh|terminate|history`: bosun as a front end of an existing Argo CD. */
export async function argocdCommand(ctx: CommandContext): Promise<number> {
  const [sub, ...names] = ctx.args.positionals;
  const usage =
    'usage: bosun argocd apps | sync APP... | refresh APP... [--hard] | terminate APP | history APP';
  if (!sub) throw new CliError(usage, ExitCode.Usage);
  if (!['apps', 'sync', 'refresh', 'terminate', 'history', 'adopt', 'release'].includes(sub))
    throw new CliError(`unknown argocd command "${sub}"; ${usage}`, ExitCode.Usage);
  const conn = await connect(ctx);
  try {
    if (sub === 'apps') return await apps(ctx, conn);
    if (sub === 'sync') return await sync(ctx, conn, names);
    if (sub === 'adopt') return await adopt(ctx, conn, names);
    if (sub === 'release') return await release(ctx, conn, names);
    const name = names[0];
    if (!name) throw new CliError(usage, ExitCode.Usage);
    if (sub === 'history') {
      const a = mustApp(conn, name);
      ctx.out(
        emit(ctx.args.output, { app: name, history: a.status.history }, () =>
          table(
            ['ID', 'REVISION', 'DEPLOYED', 'BY'],
            a.status.history.map((h) => [
              String(h.id),
              h.revision?.slice(0, 7) ?? '-',
              h.deployedAt ?? '-',
              h.initiator,
            ]),
          ),
        ),
      );
      return ExitCode.Ok;
    }
    if (sub === 'refresh') {
      for (const n of names) {
        mustApp(conn, n);
        await conn.source.refresh(n, { hard: ctx.args.hard });
        ctx.err(`${n}: ${ctx.args.hard ? 'hard ' : ''}refresh requested from Argo CD\n`);
      }
      return ExitCode.Ok;
    }
    const app = mustApp(conn, name);
    await confirmMutation(ctx, {
      action: `terminate the operation on ${name}`,
      production: conn.isProduction(app.spec),
      name,
    });
    try {
      await conn.source.terminate(name);
    } catch (err) {
      if (err instanceof ArgoCdRefusal) throw new CliError(err.message, ExitCode.Refused, { cause: err });
      throw err;
    }
    ctx.err(`${name}: termination requested from Argo CD\n`);
    return ExitCode.Ok;
  } finally {
    conn.stop();
  }
}
