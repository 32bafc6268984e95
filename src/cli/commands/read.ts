import type { AppState, ResourceNode } from '../../engine/index.js';
import { keyLabel, parseKeyString } from '../../engine/index.js';
import type { CommandContext } from '../context.js';
import { CliError, ExitCode } from '../exit-codes.js';
import { emit, table } from '../output.js';

/** The stable JSON shape of one app (documented in the README). */
export function appJson(a: AppState) {
  return {
    name: a.name,
    project: a.spec.project,
    service: a.spec.service,
    environment: a.spec.environment ?? null,
    context: a.context ?? null,
    namespace: a.spec.destination.namespace ?? null,
    sync: a.sync,
    health: a.health,
    healthMessage: a.healthMessage ?? null,
    revision: a.revision ?? null,
    objects: a.desiredCount,
    images: a.images,
    automated: Boolean(a.spec.syncPolicy?.automated),
    conditions: a.conditions,
    syncWindow: a.syncWindow ?? null,
    operation: a.operation ?? null,
    applicationSet: a.spec.origin.applicationSet ?? null,
    refreshing: a.refreshing ?? null,
    resources: a.resources.map((r) => ({
      key: `${r.key.group}/${r.key.kind}/${r.key.namespace}/${r.key.name}`,
      sync: r.sync,
      health: r.health?.status ?? null,
      message: r.health?.message ?? null,
      changedPaths: r.changedPaths ?? [],
    })),
  };
}

/** Finds an app by name or fails with a one-line error listing close names. */
export function findApp(apps: AppState[], name: string): AppState {
  const a = apps.find((x) => x.name === name);
  if (a) return a;
  const close = apps.filter((x) => x.name.includes(name) || name.includes(x.name)).map((x) => x.name);
  throw new CliError(
    `unknown application "${name}"${close.length ? ` (did you mean ${close.slice(0, 3).join(', ')}?)` : ''}`,
    ExitCode.Usage,
  );
}

/** `bosun apps`. */
export async function appsCommand(ctx: CommandContext): Promise<number> {
  const snap = (await ctx.engine()).getSnapshot();
  const apps = snap.apps;
  const problems = snap.repo.problems ?? [];
  const backend = snap.backend ?? { type: 'embedded' };
  const warnings = snap.clusters.flatMap((c) =>
    (c.warnings ?? []).map((message) => ({ cluster: c.name, context: c.context, message })),
  );
  if (ctx.args.output === 'table') {
    for (const p of problems) ctx.err(`bosun: repository problem: ${p.message}\n`);
    for (const w of warnings) ctx.err(`bosun: warning: ${w.message}\n`);
    if (backend.hint) ctx.err(`bosun: hint: ${backend.hint}\n`);
  }
  ctx.out(
    emit(
      ctx.args.output,
      { apps: apps.map(appJson), appSets: snap.appSets, problems, warnings, backend },
      () =>
        table(
          ['NAME', 'ENV', 'CONTEXT', 'SYNC', 'HEALTH', 'REVISION', 'OBJECTS', 'IMAGES', 'CONDITION'],
          apps.map((a) => [
            a.name,
            a.spec.environment ?? '-',
            a.context ?? '-',
            a.sync,
            a.health,
            a.revision?.slice(0, 7) ?? '-',
            String(a.desiredCount),
            a.images.map((i) => i.split(':').pop() ?? i).join(',') || '-',
            a.conditions[0]?.message ?? '',
          ]),
        ),
    ),
  );
  return 0;
}

function treeLines(nodes: ResourceNode[], prefix = ''): string[] {
  return nodes.flatMap((n, i) => {
    const last = i === nodes.length - 1;
    const status = [n.sync, n.health?.status].filter(Boolean).join(' ');
    const msg = n.health?.message && n.health.status !== 'Healthy' ? `  ${n.health.message}` : '';
    const line = `${prefix}${last ? '└─' : '├─'} ${keyLabel(n.key)}  ${status}${n.info ? `  ${n.info}` : ''}${msg}`;
    return [line, ...treeLines(n.children, prefix + (last ? '   ' : '│  '))];
  });
}

/** `bosun get APP`. */
export async function getCommand(ctx: CommandContext): Promise<number> {
  const name = ctx.args.positionals[0];
  if (!name) throw new CliError('usage: bosun get APP [RESOURCE]', ExitCode.Usage);
  const engine = await ctx.engine();
  const app = findApp(engine.getSnapshot().apps, name);
  const tree = engine.tree(name);
  ctx.out(
    emit(ctx.args.output, { app: appJson(app), tree }, () => {
      const head = `${app.name}  ${app.sync} ${app.health}  ${app.context ?? '-'}/${app.spec.destination.namespace ?? ''}  ${app.revision?.slice(0, 7) ?? ''}\n`;
      const conds = app.conditions.map((c) => `  ! ${c.type}: ${c.message}\n`).join('');
      return head + conds + treeLines(tree).join('\n') + '\n';
    }),
  );
  return 0;
}

/** `bosun diff APP`: exit 1 when out of sync, like kubectl diff. */
export async function diffCommand(ctx: CommandContext): Promise<number> {
  const name = ctx.args.positionals[0];
  if (!name) throw new CliError('usage: bosun diff APP', ExitCode.Usage);
  const engine = await ctx.engine();
  const app = findApp(engine.getSnapshot().apps, name);
  if (app.sync === 'Unknown') {
    throw new CliError(
      `cannot compare ${name}: ${app.conditions[0]?.message ?? 'state unknown'}`,
      ExitCode.Failure,
    );
  }
  const diffs = await engine.diff(name);
  ctx.out(emit(ctx.args.output, { app: name, diffs }, () => diffs.map((d) => d.text).join('')));
  return diffs.length > 0 ? ExitCode.Differences : ExitCode.Ok;
}

/** `bosun explain APP [RESOURCE]`. */
export async function explainCommand(ctx: CommandContext): Promise<number> {
  const [name, res] = ctx.args.positionals;
  if (!name) throw new CliError('usage: bosun explain APP [GROUP/KIND/NAMESPACE/NAME]', ExitCode.Usage);
  const engine = await ctx.engine();
  const app = findApp(engine.getSnapshot().apps, name);
  let key = res ? parseKeyString(res) : undefined;
  if (res && !key) {
    const r = app.resources.find((x) => `${x.key.kind}/${x.key.name}` === res || x.key.name === res);
    if (!r)
      throw new CliError(
        `unknown resource "${res}" in ${name} (use GROUP/KIND/NAMESPACE/NAME or KIND/NAME)`,
        ExitCode.Usage,
      );
    key = r.key;
  }
  const lines = engine.explain(name, key);
  ctx.out(emit(ctx.args.output, { app: name, explain: lines }, () => lines.join('\n') + '\n'));
  return 0;
}

/** `bosun history APP`. */
export async function historyCommand(ctx: CommandContext): Promise<number> {
  const name = ctx.args.positionals[0];
  if (!name) throw new CliError('usage: bosun history APP', ExitCode.Usage);
  const engine = await ctx.engine();
  findApp(engine.getSnapshot().apps, name);
  const entries = await engine.history(name, { limit: ctx.args.limit ?? 30 });
  ctx.out(
    emit(ctx.args.output, { app: name, history: entries }, () =>
      table(
        ['COMMIT', 'DATE', 'AUTHOR', 'RUNNING IN', 'SUBJECT'],
        entries.map((e) => [
          e.shortSha,
          e.date.slice(0, 16).replace('T', ' '),
          e.author,
          e.runningIn.join(',') || '',
          e.subject,
        ]),
      ),
    ),
  );
  return 0;
}

/** `bosun clusters`. */
export async function clustersCommand(ctx: CommandContext): Promise<number> {
  const snap = (await ctx.engine()).getSnapshot();
  const kubeconfig = snap.errors.find((e) => e.source === 'kubeconfig');
  if (kubeconfig && ctx.args.output === 'table') {
    ctx.err(`bosun: ${kubeconfig.message}\n`);
    return ExitCode.Failure;
  }
  ctx.out(
    emit(ctx.args.output, { clusters: snap.clusters }, () =>
      table(
        ['CONTEXT', 'STATUS', 'VERSION', 'KINDS', 'OBJECTS', 'APPS', 'SERVER', 'MESSAGE'],
        snap.clusters.map((c) => [
          c.context,
          c.status + (c.readOnly ? ' (read-only)' : ''),
          c.serverVersion ?? '-',
          String(c.watchedKinds),
          String(c.objects),
          String(c.apps),
          c.server ?? '-',
          c.message ?? '',
        ]),
      ),
    ),
  );
  return snap.clusters.some((c) => c.status === 'Unreachable') ? ExitCode.Failure : ExitCode.Ok;
}
