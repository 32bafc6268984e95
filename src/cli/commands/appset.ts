import {
  type AppSetPreview,
  type AppSetPreviewResult,
  liveDiffers,
  livePresence,
  PreviewError,
} from '../../engine/index.js';
import type { CommandContext } from '../context.js';
import { CliError, ExitCode } from '../exit-codes.js';
import { emit, table } from '../output.js';
import { stderrProgress } from '../progress.js';

/** The preview as text: per set, a table of its apps, then the rendered diff of each changed app. */
export function previewText(p: AppSetPreviewResult): string {
  const out: string[] = [];
  for (const set of p.sets) {
    out.push(
      `ApplicationSet ${set.name}${set.file ? ` (${set.file})` : ''}: ${p.revision.rev} ${p.revision.sha.slice(0, 7)} compared with HEAD ${p.head.sha.slice(0, 7)}`,
    );
    if (set.error) out.push(`  error: ${set.error}`);
    const live = set.live?.compared ? set.live : undefined;
    const rows = set.apps.map((a) => [
      a.name,
      a.status,
      ...(live ? [livePresence(live, a.name) ?? '-'] : []),
      a.environment ?? '-',
      a.destination,
      a.error ??
        [
          ...a.specChanges.map((f) => `spec.${f}`),
          ...a.resources.map((r) => (r.status === 'changed' ? r.resource : `${r.resource} (${r.status})`)),
        ]
          .slice(0, 4)
          .join(', '),
    ]);
    out.push(
      rows.length
        ? table(['APP', 'STATUS', ...(live ? ['LIVE'] : []), 'ENV', 'DESTINATION', 'CHANGES'], rows).trimEnd()
        : '  (no applications)',
    );
    const counts = ['added', 'removed', 'changed', 'unchanged'].map(
      (s) => `${set.apps.filter((a) => a.status === s).length} ${s}`,
    );
    out.push(counts.join(' · '), ...liveLines(set, p), '');
    for (const a of set.apps.filter((x) => x.status === 'changed'))
      for (const r of a.resources) if (r.diff) out.push(`# ${a.name}`, r.diff.trimEnd(), '');
  }
  if (p.sets.length === 0) out.push('no ApplicationSets in the repository');
  return `${out.join('\n').trimEnd()}\n`;
}

/** The live comparison of one set, as lines: what would be orphaned, what a sync would create. */
export function liveLines(set: AppSetPreview, p: AppSetPreviewResult): string[] {
  const l = set.live;
  if (!l) return [];
  if (!l.compared) return [`live not compared: ${l.reason}`];
  const out: string[] = [];
  const rev = p.revision.rev;
  if (l.liveOnly.length) out.push(`live but no longer generated at ${rev}: ${l.liveOnly.join(', ')}`);
  if (l.notDeployed.length) out.push(`generated at ${rev} but not deployed: ${l.notDeployed.join(', ')}`);
  if (l.unknown.length) out.push(`live unknown (cluster unreachable): ${l.unknown.join(', ')}`);
  if (!out.length) out.push(`live: every app generated at ${rev} is deployed, and nothing else`);
  return out;
}

/**
 * `bosun appset list`: the ApplicationSets and the apps each generated, as the engine sees them (with the
 * argocd backend, Argo CD's sets and what Argo CD generated). Exit 1 when a set reports an error.
 */
async function appsetList(ctx: CommandContext): Promise<number> {
  const snap = (await ctx.engine()).getSnapshot();
  const sets = snap.appSets;
  const source = snap.backend?.type === 'argocd' ? 'argocd' : 'repository';
  ctx.out(
    emit(ctx.args.output, { appSets: sets, source }, () =>
      sets.length === 0
        ? `no ApplicationSets${source === 'argocd' ? ' in Argo CD' : ' in the repository'}\n`
        : table(
            ['APPSET', 'APPS', 'GENERATED', 'ERROR'],
            sets.map((s) => [
              s.name,
              String(s.generated.length),
              s.generated.join(',') || '-',
              s.error ?? '',
            ]),
          ),
    ),
  );
  return sets.some((s) => s.error) ? ExitCode.Differences : ExitCode.Ok;
}

const usageLine = 'usage: bosun appset preview [NAME] [--revision REV] | bosun appset list';

/** `bosun appset preview [NAME] [--revision REV]`: what a set generates at REV, compared with HEAD; `list`. */
export async function appsetCommand(ctx: CommandContext): Promise<number> {
  const [sub, name, extra] = ctx.args.positionals;
  if (sub === 'list') {
    if (name !== undefined) throw new CliError(usageLine, ExitCode.Usage);
    return appsetList(ctx);
  }
  if (sub !== 'preview' || extra !== undefined) throw new CliError(usageLine, ExitCode.Usage);
  let p: AppSetPreviewResult;
  // The engine sees what is live (its caches); with no kubeconfig or no reachable cluster it says so.
  const engine = await ctx.engine();
  const progress = ctx.args.output === 'table' ? stderrProgress() : undefined;
  progress?.update(`previewing ${name ?? 'every ApplicationSet'} at ${ctx.args.revision ?? 'HEAD'}`);
  try {
    p = await engine.previewAppSets({
      ...(name ? { name } : {}),
      ...(ctx.args.revision ? { revision: ctx.args.revision } : {}),
    });
  } catch (err) {
    if (err instanceof PreviewError) throw new CliError(err.message, ExitCode.Usage, { cause: err });
    throw err;
  } finally {
    progress?.done();
  }
  ctx.out(emit(ctx.args.output, p, () => previewText(p)));
  return p.changed || liveDiffers(p) ? ExitCode.Differences : ExitCode.Ok;
}
