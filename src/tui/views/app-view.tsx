import { Box, Text } from 'ink';
import { memo, useMemo } from 'react';
import type { AppState, EngineSnapshot } from '../../engine/index.js';
import { HealthGlyph, SyncGlyph, syncKey } from '../components/badges.js';
import { age, clip, fixed } from '../components/text.js';
import { useWindow } from '../hooks/use-window.js';
import { appPanelRows, bodyHeight } from '../layout.js';
import { appTag, envOf } from '../state/fleet-model.js';
import { findApp } from '../state/selection.js';
import { syncWindowLine } from '../state/sync-window-text.js';
import { oneLine, type TreeModel, type TreeRow } from '../state/view-models.js';
import { useTheme } from '../theme/theme-context.js';
import type { Theme } from '../theme/types.js';

function prefix(theme: Theme, row: TreeRow): string {
  const t = theme.glyphs.tree;
  let out = '';
  for (let i = 0; i < row.lastPath.length - 1; i++) out += row.lastPath[i] ? t.space : t.pipe;
  return out + (row.lastPath[row.lastPath.length - 1] ? t.last : t.branch);
}

const NodeRow = memo(function NodeRow({
  row,
  selected,
  theme,
  width,
}: {
  row: TreeRow;
  selected: boolean;
  theme: Theme;
  width: number;
}) {
  const n = row.node;
  const label = `${prefix(theme, row)} ${n.key.kind}/${n.key.name}`;
  const nameWidth = Math.max(20, Math.min(60, width - 30));
  return (
    <Text wrap="truncate-end">
      <Text color={theme.tokens.table.selected}>{selected ? `${theme.glyphs.cursor} ` : '  '}</Text>
      <Text color={selected ? theme.tokens.table.selected : theme.tokens.text.primary} inverse={selected}>
        {fixed(label, nameWidth)}
      </Text>
      <Text> </Text>
      {n.sync ? <SyncGlyph theme={theme} sync={n.sync} /> : <Text> </Text>}
      <Text> </Text>
      {n.health ? <HealthGlyph theme={theme} health={n.health.status} /> : <Text> </Text>}
      <Text
        color={
          n.sync && syncKey(n.sync) !== 'synced' ? theme.tokens.sync.outOfSync : theme.tokens.text.secondary
        }
      >
        {` ${n.sync && n.sync !== 'Synced' ? `${n.sync} ` : ''}${n.info ?? ''}`}
      </Text>
    </Text>
  );
});

function Summary({ app, theme, now }: { app: AppState; theme: Theme; now: number }) {
  const t = theme.tokens;
  const src = app.spec.sources[0];
  const op = app.operation;
  const window = syncWindowLine(app, now);
  return (
    <Box flexDirection="column" height={3}>
      <Text wrap="truncate-end">
        <Text color={t.text.accent} bold>{` ${app.name}`}</Text>
        <Text color={t.text.secondary}>
          {`  project ${app.spec.project} · env ${envOf(app)} · ${app.context ?? '-'}/${app.spec.destination.namespace ?? '-'} · rev ${app.revision?.slice(0, 7) ?? '-'} · ${appTag(app)}`}
        </Text>
      </Text>
      <Text wrap="truncate-end">
        {' '}
        <SyncGlyph theme={theme} sync={app.sync} syncing={op?.phase === 'Running' || !!app.refreshing} />
        <Text color={t.sync[syncKey(app.sync)]}>{` ${app.sync}  `}</Text>
        {app.refreshing ? (
          <Text
            color={t.text.secondary}
          >{`${app.refreshing === 'hard' ? 'hard ' : ''}refreshing (Argo CD)  `}</Text>
        ) : null}
        <HealthGlyph theme={theme} health={app.health} />
        <Text
          color={t.text.primary}
        >{` ${app.health}${app.healthMessage ? ` — ${app.healthMessage}` : ''}`}</Text>
        {window ? (
          <Text color={window.held ? t.status.warning : t.text.secondary}>{`  ${window.text}`}</Text>
        ) : null}
      </Text>
      <Text color={t.text.secondary} wrap="truncate-end">
        {op
          ? ` last ${op.kind} ${op.phase} by ${op.initiator} ${age(op.finishedAt ?? op.startedAt, now)} ago${op.message ? ` — ${oneLine(op.message)}` : ''}`
          : ` source ${src ? `${src.repoURL} ${src.path ?? src.chart ?? ''}@${src.targetRevision ?? 'HEAD'}` : '-'}`}
      </Text>
    </Box>
  );
}

/** App detail: summary, the live resource tree with per-node sync/health, then conditions, events and explain. */
export function AppView({
  snapshot,
  tree,
  explain,
  appName,
  cursor,
  width,
  height,
  now,
}: {
  snapshot: EngineSnapshot;
  /** The app's resource tree (computed by the controller). */
  tree: TreeModel;
  /** Explain lines of the selected resource (computed by the controller). */
  explain: string[];
  appName: string;
  cursor: number;
  width: number;
  height: number;
  now: number;
}) {
  const theme = useTheme();
  const t = theme.tokens;
  const app = findApp(snapshot, appName);
  const body = bodyHeight.app(height);
  const cur = Math.min(cursor, tree.rows.length - 1);
  const start = useWindow(Math.max(0, cur), body, tree.rows.length);
  const node = tree.rows[cur]?.node;
  const details = useMemo(() => {
    const out: { text: string; colour: string | undefined }[] = [];
    for (const c of app?.conditions ?? [])
      out.push({ text: `! ${c.type}: ${c.message}`, colour: t.status.error });
    if (node?.health?.message)
      out.push({ text: `${node.key.kind}/${node.key.name}: ${node.health.message}`, colour: t.text.primary });
    for (const e of explain) out.push({ text: `» ${e}`, colour: t.text.primary });
    for (const e of (node?.events ?? []).slice(-4).reverse())
      out.push({
        text: `${e.type} ${e.reason}: ${e.message}${e.count && e.count > 1 ? ` (×${e.count})` : ''}`,
        colour: e.type === 'Warning' ? t.status.warning : t.text.secondary,
      });
    return out;
  }, [app, node, explain, t]);
  if (!app)
    return <Text color={t.status.error}>{` ${appName} is no longer in the fleet (esc to go back)`}</Text>;
  return (
    <Box flexDirection="column" height={height}>
      <Summary app={app} theme={theme} now={now} />
      <Box flexDirection="column" height={body}>
        {tree.error && <Text color={t.status.error}>{` ${tree.error}`}</Text>}
        {!tree.error && tree.rows.length === 0 && <Text color={t.text.secondary}> no live resources</Text>}
        {tree.rows.slice(start, start + body).map((row, i) => (
          <NodeRow
            key={`${row.depth}:${row.lastPath.join('')}:${row.node.key.kind}/${row.node.key.namespace}/${row.node.key.name}`}
            row={row}
            selected={start + i === cur}
            theme={theme}
            width={width}
          />
        ))}
      </Box>
      <Box flexDirection="column" height={appPanelRows}>
        <Text color={t.border.default} wrap="truncate-end">
          {`${theme.glyphs.rule} conditions · events · explain ${theme.glyphs.rule.repeat(Math.max(0, width - 34))}`}
        </Text>
        {details.length === 0 && <Text color={t.text.secondary}>{' nothing to report'}</Text>}
        {details.slice(0, appPanelRows - 1).map((d, i) => (
          // biome-ignore lint/suspicious/noArrayIndexKey: detail lines are positional
          <Text key={i} color={d.colour} wrap="truncate-end">
            {` ${clip(d.text, width - 2)}`}
          </Text>
        ))}
      </Box>
    </Box>
  );
}
