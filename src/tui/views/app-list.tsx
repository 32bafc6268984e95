import { Text } from 'ink';
import { useMemo } from 'react';
import type { AppState, EngineSnapshot } from '../../engine/index.js';
import { healthKey, syncKey } from '../components/badges.js';
import { type Column, Table } from '../components/table.js';
import { appTag, envOf, type FleetModel } from '../state/fleet-model.js';
import { useTheme } from '../theme/theme-context.js';

/** Columns of the app list for a terminal width: CONTEXT only when there is room; MESSAGE takes the rest. */
function listColumns(width: number, grouped: boolean, list: readonly AppState[]): Column<AppState>[] {
  let longest = 4;
  for (const a of list) longest = Math.max(longest, a.name.length);
  const name = Math.max(12, Math.min(32, longest + 1));
  const wide = width >= 100;
  // The ApplicationSet that generated each app, when any did (Argo CD's ownerReferences, or the repo's sets).
  const sets = list.some((a) => a.spec.origin.applicationSet);
  const fixed = 2 + (name + 1) + 9 + (wide ? 14 : 0) + (sets ? 15 : 0) + 12 + 12 + 11 + (grouped ? 13 : 0);
  const columns: Column<AppState>[] = [
    { title: 'NAME', width: name, text: (a) => a.name },
    { title: 'ENV', width: 8, text: (a) => envOf(a) },
    {
      title: 'SYNC',
      width: 11,
      text: (a) => (a.operation?.phase === 'Running' ? 'Syncing' : a.refreshing ? 'Refreshing' : a.sync),
      colour: (a, t) => t.tokens.sync[syncKey(a.sync)],
    },
    {
      title: 'HEALTH',
      width: 11,
      text: (a) => a.health,
      colour: (a, t) => t.tokens.health[healthKey(a.health)],
    },
    { title: 'VERSION', width: 10, text: appTag },
    {
      title: 'MESSAGE',
      width: Math.max(8, width - fixed - 1),
      text: (a) => a.conditions[0]?.message ?? a.healthMessage ?? '',
      colour: (_a, t) => t.tokens.text.secondary,
    },
  ];
  if (sets)
    columns.splice(2, 0, { title: 'APPSET', width: 14, text: (a) => a.spec.origin.applicationSet ?? '-' });
  if (wide) columns.splice(2, 0, { title: 'CONTEXT', width: 13, text: (a) => a.context ?? '-' });
  return columns;
}

/** The app list mode of the fleet: one row per app (own windowed table component). */
export function AppList({
  snapshot,
  model,
  cursor,
  width,
  height,
}: {
  snapshot: EngineSnapshot;
  model: FleetModel;
  cursor: number;
  width: number;
  height: number;
}) {
  const theme = useTheme();
  const grouped = model.listGroups.some((g) => g !== '');
  const columns = useMemo(() => listColumns(width, grouped, model.list), [width, grouped, model.list]);
  const rows = model.list;
  const groupColumn = useMemo<Column<AppState>[]>(() => {
    if (!grouped) return columns;
    const byApp = new Map(rows.map((a, i) => [a, model.listGroups[i] ?? '']));
    return [{ title: 'GROUP', width: 12, text: (a) => byApp.get(a) ?? '' }, ...columns];
  }, [grouped, columns, rows, model.listGroups]);
  return (
    <Table
      columns={groupColumn}
      rows={rows}
      cursor={Math.min(cursor, rows.length - 1)}
      height={height}
      width={width}
      rowKey={(a) => a.name}
      empty={
        <Text color={theme.tokens.text.secondary}>
          {snapshot.loading ? '  loading apps…' : '  no app matches'}
        </Text>
      }
    />
  );
}
