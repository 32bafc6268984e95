/** `bosun logs`, `bosun events`, `bosun get APP RESOURCE`, `bosun action`, `bosun why`. */
import {
  type ActionResult,
  age,
  type BosunEngine,
  formatEvent,
  type LogLine,
  type LogOptions,
  parseSince,
  parseTail,
} from '../../engine/index.js';
import { type CommandContext, confirmMutation } from '../context.js';
import { CliError, ExitCode } from '../exit-codes.js';
import { emit, table } from '../output.js';
import { findApp } from './read.js';

function usage(message: string): never {
  throw new CliError(message, ExitCode.Usage);
}

function logOptions(ctx: CommandContext): LogOptions {
  const a = ctx.args;
  try {
    return {
      ...(a.follow ? { follow: true } : {}),
      ...(a.previous ? { previous: true } : {}),
      ...(a.since ? { sinceSeconds: parseSince(a.since) } : {}),
      ...(a.tail !== undefined ? { tailLines: parseTail(a.tail) } : {}),
      ...(a.container ? { container: a.container } : {}),
      ...(a.grep ? { grep: a.grep } : {}),
    };
  } catch (err) {
    throw new CliError((err as Error).message, ExitCode.Usage, { cause: err });
  }
}

/** One printed log line: `pod/container | text`. */
export function formatLogLine(l: LogLine): string {
  return `${l.pod}/${l.container} ${l.notice ? '!' : '|'} ${l.text}`;
}

/** `bosun logs APP [RESOURCE] [-f] [--previous] [--since D] [--tail N] [--container C] [--grep RE]`. */
export async function logsCommand(ctx: CommandContext): Promise<number> {
  const [name, resource] = ctx.args.positionals;
  if (!name)
    usage(
      'usage: bosun logs APP [RESOURCE] [-f] [--previous] [--since 10m] [--tail N] [--container C] [--grep RE]',
    );
  const options = logOptions(ctx);
  const engine = await ctx.engine();
  findApp(engine.getSnapshot().apps, name);
  let session: ReturnType<BosunEngine['logs']>;
  try {
    session = engine.logs(name, { ...options, ...(resource ? { resource } : {}) });
  } catch (err) {
    throw new CliError((err as Error).message, ExitCode.Usage, { cause: err });
  }
  const json = ctx.args.output === 'json';
  const print = (l: LogLine) =>
    ctx.out(
      `${json ? JSON.stringify({ pod: l.pod, container: l.container, time: l.time ?? null, text: l.text, notice: Boolean(l.notice) }) : formatLogLine(l)}\n`,
    );
  if (!options.follow) {
    await session.start();
    for (const l of session.lines.slice()) print(l);
    return session.errors.length > 0 && session.lines.size === session.errors.length ? ExitCode.Failure : 0;
  }
  let printed = session.lines.total;
  session.subscribe(() => {
    const fresh = session.lines.total - printed;
    const start = Math.max(0, session.lines.size - fresh);
    for (const l of session.lines.slice(start)) print(l);
    printed = session.lines.total;
  });
  await session.start();
  await new Promise<void>((resolve) => {
    const end = () => resolve();
    process.once('SIGINT', end);
    process.once('SIGTERM', end);
  });
  session.stop();
  return 0;
}

/** `bosun events APP [--warnings]`. */
export async function eventsCommand(ctx: CommandContext): Promise<number> {
  const [name] = ctx.args.positionals;
  if (!name) usage('usage: bosun events APP [--warnings]');
  const engine = await ctx.engine();
  findApp(engine.getSnapshot().apps, name);
  const events = await engine.events(name, { warningsOnly: ctx.args.warnings });
  const now = Date.now();
  ctx.out(
    emit(ctx.args.output, { events }, () =>
      events.length === 0
        ? `no ${ctx.args.warnings ? 'warning ' : ''}events for ${name}\n`
        : table(
            ['TYPE', 'REASON', 'OBJECT', 'COUNT', 'AGE', 'MESSAGE'],
            events.map((e) => [e.type, e.reason, e.object, String(e.count), age(e.last, now), e.message]),
          ),
    ),
  );
  return 0;
}

/** `bosun get APP RESOURCE [--live] [--desired] [--show-managed-fields]`: YAML, Secret values masked. */
export async function getResourceCommand(ctx: CommandContext): Promise<number> {
  const [name, resource] = ctx.args.positionals;
  if (!name || !resource) usage('usage: bosun get APP RESOURCE [--live] [--desired]');
  const engine = await ctx.engine();
  findApp(engine.getSnapshot().apps, name);
  let y: Awaited<ReturnType<BosunEngine['resourceYaml']>>;
  try {
    y = await engine.resourceYaml(name, resource, { managedFields: ctx.args.showManagedFields });
  } catch (err) {
    throw new CliError((err as Error).message, ExitCode.Usage, { cause: err });
  }
  const wantDesired = ctx.args.desired;
  const wantLive = ctx.args.live || !wantDesired;
  if (ctx.args.output === 'json') {
    ctx.out(
      `${JSON.stringify({ resource: y.resource, live: wantLive ? (y.live ?? null) : undefined, desired: wantDesired ? (y.desired ?? null) : undefined, command: y.command }, null, 2)}\n`,
    );
    return 0;
  }
  const parts: string[] = [];
  if (wantLive) parts.push(`# live ${y.resource}   (${y.command})\n${y.live ?? '# not in the cluster\n'}`);
  if (wantDesired) parts.push(`# desired ${y.resource}\n${y.desired ?? '# not in Git (not desired)\n'}`);
  ctx.out(parts.join('---\n'));
  return 0;
}

function parseParams(tokens: string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const t of tokens) {
    const i = t.indexOf('=');
    if (i <= 0) usage(`action parameter "${t}" is not KEY=VALUE (e.g. replicas=3)`);
    out[t.slice(0, i)] = t.slice(i + 1);
  }
  return out;
}

function isProduction(engine: BosunEngine, appName: string): boolean {
  const snap = engine.getSnapshot();
  const app = snap.apps.find((a) => a.name === appName);
  const cluster = snap.clusters.find((c) => c.context === app?.context);
  const env = snap.environments.find((e) => e.name === app?.spec.environment);
  return Boolean(cluster?.production || env?.production);
}

/** `bosun action APP RESOURCE [ACTION [KEY=VALUE...]] [--yes]`: lists the actions, or runs one. */
export async function actionCommand(ctx: CommandContext): Promise<number> {
  const [name, resource, action, ...rest] = ctx.args.positionals;
  if (!name || !resource) usage('usage: bosun action APP RESOURCE [ACTION [KEY=VALUE...]] [--yes]');
  const params = parseParams(rest);
  const engine = await ctx.engine();
  findApp(engine.getSnapshot().apps, name);
  if (!action) {
    let list: Awaited<ReturnType<BosunEngine['actions']>>;
    try {
      list = await engine.actions(name, resource);
    } catch (err) {
      throw new CliError((err as Error).message, ExitCode.Usage, { cause: err });
    }
    ctx.out(
      emit(ctx.args.output, { actions: list }, () =>
        list.length === 0
          ? `no actions for ${resource}${ctx.args.readOnly ? ' (bosun runs --read-only)' : ''}\n`
          : table(
              ['ACTION', 'SOURCE', 'PARAMS', 'NOTE'],
              list.map((a) => [a.name, a.source, (a.params ?? []).join(','), a.disabled ?? '']),
            ),
      ),
    );
    return 0;
  }
  const confirm = await confirmMutation(ctx, {
    action: `${action} of ${resource} in ${name}`,
    production: isProduction(engine, name),
    name,
  });
  let result: ActionResult;
  try {
    result = await engine.runAction({
      app: name,
      resource,
      action,
      ...(Object.keys(params).length ? { params } : {}),
      ...(confirm ? { confirm } : {}),
    });
  } catch (err) {
    const code = (err as { exitCode?: number }).exitCode === 3 ? ExitCode.Refused : ExitCode.Usage;
    throw new CliError((err as Error).message, code, { cause: err });
  }
  for (const w of result.warnings) ctx.err(`warning: ${w}\n`);
  ctx.out(emit(ctx.args.output, { result }, () => `${result.message} (operation ${result.id})\n`));
  return result.phase === 'Succeeded' ? 0 : ExitCode.Differences;
}

/** `bosun why APP`: the first unhealthy resource, its last warnings and its failing container's last lines. */
export async function whyCommand(ctx: CommandContext): Promise<number> {
  const [name] = ctx.args.positionals;
  if (!name) usage('usage: bosun why APP');
  const engine = await ctx.engine();
  findApp(engine.getSnapshot().apps, name);
  const w = await engine.why(name);
  const now = Date.now();
  ctx.out(
    emit(ctx.args.output, { why: w }, () => {
      if (!w.resource) return `${name}: every resource is healthy\n`;
      const lines = [`${w.resource}: ${w.health ?? ''}${w.message ? ` — ${w.message}` : ''}`];
      if (w.warnings.length)
        lines.push('', 'Last warnings:', ...w.warnings.map((e) => `  ${formatEvent(e, now)}`));
      if (w.logs) {
        lines.push(
          '',
          `Last log lines of ${w.logs.pod}/${w.logs.container}${w.logs.previous ? ' (previous instance)' : ''}:`,
        );
        lines.push(...w.logs.lines.map((l) => `  ${l}`));
        if (w.logs.error) lines.push(`  ! ${w.logs.error}`);
      }
      return `${lines.join('\n')}\n`;
    }),
  );
  return 0;
}
