import { Text } from 'ink';
import { useMemo } from 'react';
import type { ClusterState, EngineSnapshot } from '../../engine/index.js';
import { type Column, Table } from '../components/table.js';
import { useTheme } from '../theme/theme-context.js';

/** Columns for a terminal width; VERSION and KINDS only when there is room, MESSAGE takes the rest. */
function columns(width: number): Column<ClusterState>[] {
  const wide = width >= 100;
  const fixed = 2 + 15 + 19 + 13 + (wide ? 9 + 6 : 0) + 8 + 6 + 8;
  const all: Column<ClusterState>[] = [
    {
      title: 'NAME',
      width: 14,
      text: (c) => c.name,
      colour: (c, t) => (c.production ? t.tokens.context.production : t.tokens.text.primary),
    },
    { title: 'CONTEXT', width: 18, text: (c) => c.context },
    {
      title: 'STATUS',
      width: 12,
      text: (c) => c.status,
      colour: (c, t) =>
        c.status === 'Connected'
          ? t.tokens.status.success
          : c.status === 'Connecting'
            ? t.tokens.status.warning
            : t.tokens.status.error,
    },
    { title: 'VERSION', width: 8, text: (c) => c.serverVersion ?? '-' },
    { title: 'KINDS', width: 5, align: 'right', text: (c) => String(c.watchedKinds) },
    { title: 'OBJECTS', width: 7, align: 'right', text: (c) => String(c.objects) },
    { title: 'APPS', width: 5, align: 'right', text: (c) => String(c.apps) },
    {
      title: 'FLAGS',
      width: 7,
      text: (c) => [c.production ? 'prod' : '', c.readOnly ? 'ro' : ''].filter(Boolean).join(',') || '-',
    },
    {
      title: 'MESSAGE',
      width: Math.max(8, width - fixed),
      text: (c) => c.message ?? c.server ?? '',
      colour: (_c, t) => t.tokens.text.secondary,
    },
  ];
  return wide ? all : all.filter((c) => c.title !== 'VERSION' && c.title !== 'KINDS');
}

/** Clusters: contexts, reachability, server version, watched kinds, cached objects, apps; enter shows its apps. */
export function ClustersView({
  snapshot,
  cursor,
  width,
  height,
}: {
  snapshot: EngineSnapshot;
  cursor: number;
  width: number;
  height: number;
}) {
  const theme = useTheme();
  const cols = useMemo(() => columns(width), [width]);
  return (
    <Table
      columns={cols}
      rows={snapshot.clusters}
      cursor={Math.min(cursor, snapshot.clusters.length - 1)}
      height={height}
      width={width}
      rowKey={(c) => c.name}
      empty={<Text color={theme.tokens.text.secondary}> no clusters configured</Text>}
    />
  );
}
