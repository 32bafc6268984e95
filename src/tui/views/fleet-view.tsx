import { Box, Text } from 'ink';
import { memo, useMemo } from 'react';
import type { AppState, EngineSnapshot } from '../../engine/index.js';
import { HealthGlyph, SyncGlyph } from '../components/badges.js';
import { clip, fixed } from '../components/text.js';
import { useWindow } from '../hooks/use-window.js';
import { bodyHeight, explainRows } from '../layout.js';
import {
  appTag,
  type FleetColumn,
  type FleetRow,
  fleetModel,
  selectedFleetApp,
} from '../state/fleet-model.js';
import type { FleetState } from '../state/types.js';
import { useTheme } from '../theme/theme-context.js';
import type { Theme } from '../theme/types.js';
import { AppList } from './app-list.js';

type Widths = { service: number; cell: number; hint: number };

/** Column widths of the matrix for a terminal width. */
export function matrixWidths(width: number, columns: number, longest: number): Widths {
  const service = Math.max(12, Math.min(longest + 2, 28));
  const room = width - 2 - service;
  const cell = Math.max(9, Math.min(16, Math.floor((room - 12) / Math.max(1, columns))));
  return { service, cell, hint: Math.max(0, room - cell * columns) };
}

const Cell = memo(function Cell({
  app,
  width,
  selected,
  theme,
}: {
  app: AppState | undefined;
  width: number;
  selected: boolean;
  theme: Theme;
}) {
  if (!app)
    return (
      <Text color={theme.tokens.text.secondary} inverse={selected}>
        {fixed('  ·', width)}
      </Text>
    );
  const running = app.operation?.phase === 'Running' || app.refreshing !== undefined;
  // Padding stays unstyled: Ink's output cost grows with every styled cell.
  const tag = clip(appTag(app), width - 5);
  const pad = ' '.repeat(Math.max(0, width - 4 - [...tag].length));
  return (
    <Text inverse={selected}>
      <SyncGlyph theme={theme} sync={app.sync} syncing={running} />{' '}
      <HealthGlyph theme={theme} health={app.health} />{' '}
      <Text color={selected ? theme.tokens.table.selected : theme.tokens.text.primary}>{tag}</Text>
      {pad}
    </Text>
  );
});

const hintColour = (theme: Theme, kind: string) =>
  kind === 'promotable'
    ? theme.tokens.text.accent
    : kind === 'refreshing'
      ? theme.tokens.text.secondary
      : kind === 'drift'
        ? theme.tokens.sync.outOfSync
        : theme.tokens.status.error;

const Row = memo(function Row({
  row,
  selectedCol,
  marked,
  widths,
  theme,
}: {
  row: FleetRow;
  selectedCol: number;
  marked: boolean;
  widths: Widths;
  theme: Theme;
}) {
  const selected = selectedCol >= 0;
  const name = clip(row.service, widths.service - 1);
  const hint = row.hint
    ? row.hint.kind === 'promotable'
      ? `${theme.glyphs.promotable} ${row.hint.text}`
      : row.hint.text
    : '';
  return (
    <Text wrap="truncate-end">
      {selected ? <Text color={theme.tokens.table.selected}>{theme.glyphs.cursor}</Text> : ' '}
      {marked ? <Text color={theme.tokens.text.accent}>{theme.glyphs.mark}</Text> : ' '}
      <Text color={theme.tokens.text.primary} bold={selected}>
        {name}
      </Text>
      {' '.repeat(Math.max(0, widths.service - [...name].length))}
      {row.cells.map((app, i) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: cells are positional (one per column)
        <Cell key={i} app={app} width={widths.cell} selected={i === selectedCol} theme={theme} />
      ))}
      {row.hint && <Text color={hintColour(theme, row.hint.kind)}>{clip(hint, widths.hint)}</Text>}
    </Text>
  );
});

function Heading({
  columns,
  widths,
  marked,
  theme,
}: {
  columns: FleetColumn[];
  widths: Widths;
  marked: number;
  theme: Theme;
}) {
  return (
    <Text bold wrap="truncate-end">
      <Text color={theme.tokens.table.header}>{`  ${fixed('SERVICE', widths.service)}`}</Text>
      {columns.map((c) => (
        <Text key={c.name} color={c.production ? theme.tokens.context.production : theme.tokens.table.header}>
          {fixed(c.name.toUpperCase(), widths.cell)}
        </Text>
      ))}
      {marked > 0 && (
        <Text
          color={theme.tokens.text.accent}
        >{`${theme.glyphs.mark} ${marked} marked (p promotes them)`}</Text>
      )}
    </Text>
  );
}

/** The explain panel: why the selected app is OutOfSync / Progressing / Degraded (lines from the controller). */
export function ExplainPanel({
  explain,
  app,
  height,
}: {
  explain: string[] | undefined;
  app: AppState | undefined;
  height: number;
}) {
  const theme = useTheme();
  const lines = !app
    ? ['no app selected']
    : explain && explain.length > 0
      ? explain
      : [`${app.name} is ${app.sync} and ${app.health}; nothing to explain`];
  return (
    <Box flexDirection="column" height={height}>
      <Text color={theme.tokens.border.default} wrap="truncate-end">
        {`${theme.glyphs.rule} explain ${app?.name ?? ''} ${theme.glyphs.rule.repeat(60)}`}
      </Text>
      {lines.slice(0, height - 1).map((l, i) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: explain lines are positional
        <Text key={i} color={theme.tokens.text.primary} wrap="truncate-end">
          {`  ${l}`}
        </Text>
      ))}
    </Box>
  );
}

/** The home screen: services × environments (or clusters), or the app list (tab). */
export function FleetView({
  snapshot,
  explain,
  fleet,
  showExplain,
  width,
  height,
}: {
  snapshot: EngineSnapshot;
  explain: string[] | undefined;
  fleet: FleetState;
  showExplain: boolean;
  width: number;
  height: number;
}) {
  const theme = useTheme();
  const model = fleetModel(snapshot, fleet);
  const body = bodyHeight.fleet(height + 0, showExplain);
  const selectedApp = selectedFleetApp(model, fleet);
  const longest = useMemo(() => Math.max(7, ...model.rows.map((r) => r.service.length)), [model]);
  const widths = useMemo(
    () => matrixWidths(width, model.columns.length, longest),
    [width, model.columns.length, longest],
  );
  // Rows and section labels, in display order.
  const display = useMemo(() => {
    const out: ({ kind: 'group'; label: string } | { kind: 'row'; index: number })[] = [];
    model.rows.forEach((r, index) => {
      if (r.group && r.group !== model.rows[index - 1]?.group) out.push({ kind: 'group', label: r.group });
      out.push({ kind: 'row', index });
    });
    return out;
  }, [model]);
  const row = Math.min(fleet.row, model.rows.length - 1);
  const cursorLine = display.findIndex((d) => d.kind === 'row' && d.index === row);
  const start = useWindow(Math.max(0, cursorLine), body, display.length);
  const col = Math.min(fleet.col, model.columns.length - 1);
  const content =
    fleet.mode === 'list' ? (
      <AppList snapshot={snapshot} model={model} cursor={fleet.row} width={width} height={body + 1} />
    ) : (
      <Box flexDirection="column" height={body + 1}>
        <Heading columns={model.columns} widths={widths} marked={fleet.marked.length} theme={theme} />
        {model.rows.length === 0 && (
          <Text color={theme.tokens.text.secondary}>
            {snapshot.loading
              ? '  loading apps…'
              : fleet.filter
                ? `  no service matches "${fleet.filter}"`
                : '  no apps found'}
          </Text>
        )}
        {display.slice(start, start + body).map((d) =>
          d.kind === 'group' ? (
            <Text key={`g:${d.label}`} color={theme.tokens.text.accent} bold wrap="truncate-end">
              {` ${theme.glyphs.rule} ${d.label}`}
            </Text>
          ) : (
            <Row
              key={model.rows[d.index]?.service ?? d.index}
              row={model.rows[d.index] as FleetRow}
              selectedCol={d.index === row ? col : -1}
              marked={fleet.marked.includes(model.rows[d.index]?.service ?? '')}
              widths={widths}
              theme={theme}
            />
          ),
        )}
      </Box>
    );
  return (
    <Box flexDirection="column" height={height}>
      {content}
      {showExplain && <ExplainPanel explain={explain} app={selectedApp} height={explainRows} />}
    </Box>
  );
}
