import { CompareError, compareEnvironments, type EnvComparison } from '../../engine/index.js';
import type { CommandContext } from '../context.js';
import { CliError, ExitCode } from '../exit-codes.js';
import { emit, table } from '../output.js';
import { stderrProgress } from '../progress.js';

const statusText = (s: string, c: EnvComparison) =>
  s === 'only-a' ? `only in ${c.a.environment}` : s === 'only-b' ? `only in ${c.b.environment}` : s;

/** The comparison as text: a summary table of resources and files, then each diff. */
export function comparisonText(c: EnvComparison): string {
  const out: string[] = [
    `${c.service}: ${c.a.environment} (${c.a.app}) → ${c.b.environment} (${c.b.app}) at ${c.a.revision.slice(0, 7)}`,
    '',
  ];
  for (const s of [c.a, c.b]) if (s.error) out.push(`${s.environment}: render failed: ${s.error}`);
  const differing = c.resources.filter((r) => r.status !== 'same');
  const same = c.resources.length - differing.length;
  if (differing.length) {
    out.push(
      table(
        ['RESOURCE', 'STATUS', 'FIELDS'],
        differing.map((r) => [
          r.resource,
          statusText(r.status, c),
          r.changedPaths.length > 3
            ? `${r.changedPaths.slice(0, 3).join(', ')} +${r.changedPaths.length - 3}`
            : r.changedPaths.join(', '),
        ]),
      ).trimEnd(),
    );
  }
  if (!c.a.error && !c.b.error)
    out.push(
      differing.length
        ? `${same} resource(s) the same once names are folded`
        : `rendered manifests are the same once names are folded (${same} resources)`,
    );
  const files = c.files.filter((f) => f.diff);
  out.push('', files.length ? 'SOURCE FILES' : 'source files: no differences');
  for (const f of files)
    out.push(
      `  ${f.a && f.b ? `${f.a} ↔ ${f.b}` : f.a ? `only in ${c.a.environment}: ${f.a}` : `only in ${c.b.environment}: ${f.b}`}`,
    );
  for (const r of differing) out.push('', r.diff.trimEnd());
  for (const f of files) out.push('', f.diff.trimEnd());
  return `${out.join('\n')}\n`;
}

/** `bosun compare SERVICE ENV_A ENV_B`: offline comparison of a service in two environments. */
export async function compareCommand(ctx: CommandContext): Promise<number> {
  const [service, envA, envB, extra] = ctx.args.positionals;
  if (!service || !envA || !envB || extra !== undefined)
    throw new CliError('usage: bosun compare SERVICE ENV_A ENV_B [--revision REV]', ExitCode.Usage);
  let c: EnvComparison;
  const progress = stderrProgress();
  try {
    c = await compareEnvironments({
      repoPath: ctx.args.repo,
      onProgress: (m) => progress.update(m),
      ...(ctx.args.config ? { configPath: ctx.args.config } : {}),
      service,
      envA,
      envB,
      ...(ctx.args.revision ? { revision: ctx.args.revision } : {}),
    });
  } catch (err) {
    if (err instanceof CompareError) throw new CliError(err.message, ExitCode.Usage, { cause: err });
    throw err;
  } finally {
    progress.done();
  }
  ctx.out(emit(ctx.args.output, c, () => comparisonText(c)));
  if (c.a.error || c.b.error) return ExitCode.Failure;
  return c.identical ? ExitCode.Ok : ExitCode.Differences;
}
