import type { BosunEngine, EngineSnapshot, GitChangePlan, ResourceNode } from '../../engine/index.js';
import { keyLabel } from '../../engine/index.js';
import { type CommandSpec, keyLabel as keyText, ViewName } from './command-spec.js';
import type { PromoteItem } from './types.js';

/** One visible line of the resource tree. */
export type TreeRow = { node: ResourceNode; depth: number; lastPath: boolean[] };

/** Kind of a text line, mapped to theme tokens by the views. */
export type LineKind =
  | 'title'
  | 'plain'
  | 'muted'
  | 'added'
  | 'removed'
  | 'hunk'
  | 'warning'
  | 'error'
  | 'success';

/** A styled text line. */
export type Line = { text: string; kind: LineKind };

let treeMemo: { engine: BosunEngine; app: string; snapshot: EngineSnapshot; value: TreeModel } | undefined;

/** The flattened tree of an app, or the one-line error of `engine.tree`. */
export type TreeModel = { rows: TreeRow[]; error?: string };

/** Flattens `engine.tree(app)` depth-first; memoized per snapshot so a key press does not recompute it. */
export function treeModel(engine: BosunEngine, snapshot: EngineSnapshot, app: string): TreeModel {
  if (treeMemo && treeMemo.engine === engine && treeMemo.app === app && treeMemo.snapshot === snapshot)
    return treeMemo.value;
  let value: TreeModel;
  try {
    const rows: TreeRow[] = [];
    const walk = (nodes: ResourceNode[], depth: number, lastPath: boolean[]) => {
      nodes.forEach((node, i) => {
        const path = [...lastPath, i === nodes.length - 1];
        rows.push({ node, depth, lastPath: path });
        walk(node.children, depth + 1, path);
      });
    };
    walk(engine.tree(app), 0, []);
    value = { rows };
  } catch (err) {
    value = { rows: [], error: `resource tree of ${app} unavailable: ${oneLine(err)}` };
  }
  treeMemo = { engine, app, snapshot, value };
  return value;
}

/** Classifies unified-diff lines. */
export function diffLines(text: string): Line[] {
  if (!text) return [];
  return text
    .replace(/\n$/, '')
    .split('\n')
    .map((t) => ({
      text: t,
      kind:
        t.startsWith('+++') || t.startsWith('---') || t.startsWith('@@')
          ? 'hunk'
          : t.startsWith('+')
            ? 'added'
            : t.startsWith('-')
              ? 'removed'
              : 'plain',
    }));
}

/** The preview of a promotion or revert: what changes in Git, then what changes in the cluster. */
export function gitPlanLines(plan: GitChangePlan): Line[] {
  const out: Line[] = [{ text: plan.title, kind: 'title' }];
  for (const r of plan.refusals) out.push({ text: `refused: ${r}`, kind: 'error' });
  if (plan.nothingToDo) out.push({ text: `nothing to do: ${plan.nothingToDo}`, kind: 'warning' });
  out.push({
    text: `branch ${plan.targetBranch} · files: ${plan.files.join(', ') || '(none)'}`,
    kind: 'muted',
  });
  out.push({ text: 'file diff', kind: 'title' }, ...diffLines(plan.fileDiff));
  for (const r of plan.renderedDiff) {
    out.push({ text: `rendered diff of ${r.app} against live`, kind: 'title' });
    if (r.diffs.length === 0) out.push({ text: '(no resource changes)', kind: 'muted' });
    for (const d of r.diffs) {
      out.push({ text: `${keyLabel(d.key)} (${d.sync})`, kind: 'hunk' }, ...diffLines(d.text));
    }
  }
  out.push({ text: 'commit message', kind: 'title' });
  for (const l of plan.commitMessage.split('\n')) out.push({ text: l, kind: 'muted' });
  return out;
}

/** The preview of a promotion: one section per service (just the plan when there is one service). */
export function promoteLines(items: PromoteItem[]): Line[] {
  const only = items.length === 1 ? items[0] : undefined;
  if (only?.plan.status === 'ready' && !only.result && !only.error) return gitPlanLines(only.plan.value);
  const out: Line[] = [];
  for (const it of items) {
    out.push({
      text: `${it.service}: ${it.fromApp} → ${it.toApp ?? '(no app in the target environment)'}`,
      kind: 'title',
    });
    if (it.result)
      out.push({ text: `pushed ${it.result.commit.slice(0, 7)} to ${it.result.pushedTo}`, kind: 'success' });
    if (it.error) out.push({ text: it.error, kind: 'error' });
    if (it.plan.status === 'loading') out.push({ text: 'preparing the preview…', kind: 'muted' });
    else if (it.plan.status === 'error') out.push({ text: it.plan.message, kind: 'error' });
    else out.push(...gitPlanLines(it.plan.value).slice(1));
  }
  return out;
}

const viewTitles: Record<ViewName, string> = {
  fleet: 'Fleet',
  app: 'Application',
  diff: 'Diff',
  history: 'History',
  clusters: 'Clusters',
  help: 'Help',
  sync: 'Sync dialog',
  'sync-many': 'Sync of the shown apps',
  promote: 'Promote dialog',
  revert: 'Revert dialog',
  logs: 'Logs',
  events: 'Events',
  yaml: 'YAML',
  why: 'Why',
  action: 'Action menu',
  compare: 'Compare',
  appset: 'ApplicationSet preview',
};

/** The help screen, generated from the command registry (read-only drops the mutating commands). */
export function helpLines(commands: readonly CommandSpec[], readOnly: boolean): Line[] {
  const out: Line[] = [];
  if (readOnly) out.push({ text: 'read-only: sync, promote and revert are disabled', kind: 'warning' });
  const usable = commands.filter((c) => !(readOnly && c.dangerous));
  const browse: ViewName[] = ['fleet', 'app', 'diff', 'history', 'clusters', 'help'];
  const general = usable.filter((c) => browse.every((v) => c.views.includes(v)));
  const line = (c: CommandSpec): Line => ({
    text: `  ${c.keys.map(keyText).join(' ').padEnd(14)} ${c.description}${c.dangerous ? '  (mutating)' : ''}`,
    kind: 'plain',
  });
  out.push({ text: 'Everywhere', kind: 'title' }, ...general.map(line));
  const dialogs: ViewName[] = ['sync', 'sync-many', 'promote', 'revert', 'action'];
  for (const view of Object.values(ViewName)) {
    // Dialogs open only through mutating commands.
    if (readOnly && dialogs.includes(view)) continue;
    const cmds = usable.filter((c) => c.views.includes(view) && !general.includes(c));
    if (cmds.length === 0) continue;
    out.push({ text: viewTitles[view], kind: 'title' }, ...cmds.map(line));
  }
  // `:` commands, from the same records (keyless ones included); wrapped at 72 columns.
  const entries = usable.flatMap((c) =>
    c.names?.[0] ? [`:${c.names[0]}${c.argHint ? ` ${c.argHint}` : ''}`] : [],
  );
  out.push({ text: 'Command mode (:)', kind: 'title' });
  let row = '';
  for (const e of entries) {
    if (row && row.length + e.length + 2 > 72) {
      out.push({ text: `  ${row}`, kind: 'plain' });
      row = '';
    }
    row = row ? `${row}  ${e}` : e;
  }
  if (row) out.push({ text: `  ${row}`, kind: 'plain' });
  out.push({ text: '  tab completes a command or app name', kind: 'muted' });
  return out;
}

/** An error's message as one line. */
export function oneLine(err: unknown): string {
  const msg = err instanceof Error ? err.message : String(err);
  return msg.split('\n')[0]?.trim() || 'unknown error';
}
