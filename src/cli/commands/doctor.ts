import { type DoctorCheck, runDoctor } from '../../engine/index.js';
import type { CommandContext } from '../context.js';
import { ExitCode } from '../exit-codes.js';
import { emit, table } from '../output.js';

/** The terminal as the console will see it: size, colours, UTF-8. */
export function terminalChecks(opts: {
  isTTY: boolean;
  columns?: number;
  rows?: number;
  colors: number;
  env: NodeJS.ProcessEnv;
}): DoctorCheck[] {
  const { env } = opts;
  if (!opts.isTTY)
    return [
      {
        check: 'terminal',
        status: 'warn',
        detail: 'stdout is not a terminal: the console needs one (commands work without)',
        fix: 'run bosun in an interactive SSH session (ssh -t) to open the console',
      },
    ];
  const out: DoctorCheck[] = [];
  const cols = opts.columns ?? 0;
  const rows = opts.rows ?? 0;
  out.push(
    cols >= 80 && rows >= 24
      ? { check: 'terminal size', status: 'ok', detail: `${cols}×${rows}` }
      : {
          check: 'terminal size',
          status: 'warn',
          detail: `${cols}×${rows}, smaller than 80×24: columns and rows are cut`,
          fix: 'enlarge the window (or tmux pane) to at least 80×24',
        },
  );
  const noColor = env.NO_COLOR !== undefined && env.NO_COLOR !== '';
  out.push(
    noColor
      ? { check: 'colours', status: 'ok', detail: 'off (NO_COLOR is set)' }
      : opts.colors >= 256
        ? { check: 'colours', status: 'ok', detail: `${opts.colors} colours (TERM=${env.TERM ?? ''})` }
        : {
            check: 'colours',
            status: 'warn',
            detail: `${opts.colors} colours (TERM=${env.TERM ?? 'unset'})`,
            fix: 'export TERM=xterm-256color (or run with --theme high-contrast)',
          },
  );
  const locale = env.LC_ALL || env.LC_CTYPE || env.LANG || '';
  out.push(
    /utf-?8/i.test(locale)
      ? { check: 'UTF-8', status: 'ok', detail: `locale ${locale}` }
      : {
          check: 'UTF-8',
          status: 'warn',
          detail: `locale "${locale || 'unset'}" is not UTF-8: glyphs fall back to ASCII`,
          fix: 'export LANG=C.UTF-8 (and SendEnv LANG in ssh_config)',
        },
  );
  return out;
}

/** `bosun doctor`: checks the bastion's setup and prints a fix for each problem. */
export async function doctorCommand(ctx: CommandContext): Promise<number> {
  const { args } = ctx;
  const checks = [
    ...(await runDoctor({
      repoPath: args.repo,
      ...(args.config ? { configPath: args.config } : {}),
      ...(args.kubeconfig ? { kubeconfig: args.kubeconfig } : {}),
      ...(args.contexts.length ? { contexts: args.contexts } : {}),
    })),
    ...terminalChecks({
      isTTY: Boolean(process.stdout.isTTY),
      ...(process.stdout.columns ? { columns: process.stdout.columns } : {}),
      ...(process.stdout.rows ? { rows: process.stdout.rows } : {}),
      colors: process.stdout.isTTY ? 2 ** process.stdout.getColorDepth() : 0,
      env: process.env,
    }),
  ];
  ctx.out(
    emit(args.output, { checks }, () => {
      const fixes = checks.filter((c) => c.fix && c.status !== 'ok');
      return (
        table(
          ['CHECK', 'STATUS', 'DETAIL'],
          checks.map((c) => [c.check, c.status.toUpperCase(), c.detail]),
        ) + (fixes.length ? `\n${fixes.map((c) => `fix ${c.check}: ${c.fix}`).join('\n')}\n` : '')
      );
    }),
  );
  return checks.some((c) => c.status === 'fail') ? ExitCode.Differences : ExitCode.Ok;
}
