import type { AppState, EngineSnapshot } from '../../engine/index.js';
import type { Command, CommandContext } from './context.js';

/** A parsed `:` command line. */
export type CommandLine = { name: string; arg: string };

/** Splits `:sync order-service-prod` into a name and the rest. */
export function parseCommandLine(text: string): CommandLine {
  const t = text.trim().replace(/^:/, '');
  const i = t.search(/\s/);
  return i < 0
    ? { name: t.toLowerCase(), arg: '' }
    : { name: t.slice(0, i).toLowerCase(), arg: t.slice(i + 1).trim() };
}

/** Finds an app by exact name, else by a unique prefix or substring; reports why not otherwise. */
export function resolveApp(snapshot: EngineSnapshot, query: string): { app?: AppState; error?: string } {
  if (!query) return { error: 'name an app, e.g. :sync order-service-prod' };
  const exact = snapshot.apps.find((a) => a.name === query);
  if (exact) return { app: exact };
  const q = query.toLowerCase();
  for (const test of [(n: string) => n.startsWith(q), (n: string) => n.includes(q)]) {
    const found = snapshot.apps.filter((a) => test(a.name.toLowerCase()));
    if (found.length === 1) return { app: found[0] };
    if (found.length > 1)
      return {
        error: `"${query}" matches ${found.length} apps (${found
          .slice(0, 3)
          .map((a) => a.name)
          .join(', ')}…)`,
      };
  }
  return { error: `no app named "${query}"` };
}

/** The command a `:` name runs (any of its names), from the registry. */
export function lineCommand(commands: readonly Command[], name: string): Command | undefined {
  return commands.find((c) => c.names?.includes(name));
}

/**
 * Executes a `:` command line through the registry; problems go to the status bar. Mutating commands
 * stay reachable in read-only mode so that they can say why they refuse.
 */
export function runCommandLine(text: string, ctx: CommandContext) {
  const { name, arg } = parseCommandLine(text);
  if (!name) return;
  const command = lineCommand(ctx.commands, name);
  const say = (t: string) => ctx.dispatch({ type: 'status', level: 'error', text: t });
  if (!command) return say(`unknown command :${name} (see ? for the list)`);
  if (command.arg === 'app') {
    const r = resolveApp(ctx.snapshot, arg);
    if (!r.app) return say(`:${name}: ${r.error}`);
    return command.run(ctx, { via: 'line', arg, app: r.app });
  }
  command.run(ctx, { via: 'line', arg });
}

/** Tab in the `:` prompt: completes a command name, or the app name of a command that takes one. */
export function completeCommandLine(text: string, ctx: CommandContext): string {
  const m = /^(\S*)(\s+)?(.*)$/.exec(text);
  const head = m?.[1] ?? '';
  if (!m?.[2]) {
    const names = ctx.commands
      .filter((c) => !(ctx.readOnly && c.dangerous))
      .flatMap((c) => c.names ?? [])
      .filter((n) => n.startsWith(head.toLowerCase()));
    return complete(head, names, (n) => `${n} `);
  }
  const command = lineCommand(ctx.commands, head.toLowerCase());
  if (command?.arg !== 'app') return text;
  const partial = m[3] ?? '';
  const apps = ctx.snapshot.apps.map((a) => a.name).filter((n) => n.startsWith(partial));
  return `${head} ${complete(partial, apps, (n) => n)}`;
}

/** The unique match, else the longest common prefix of the matches, else what was typed. */
function complete(typed: string, matches: string[], whole: (m: string) => string): string {
  const [first] = matches;
  if (first === undefined) return typed;
  if (matches.length === 1) return whole(first);
  let prefix = first;
  for (const x of matches) while (!x.startsWith(prefix)) prefix = prefix.slice(0, -1);
  return prefix.length > typed.length ? prefix : typed;
}
