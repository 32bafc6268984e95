import { Box, Text } from 'ink';
import { memo, useMemo } from 'react';
import type { EngineSnapshot, HistoryEntry } from '../../engine/index.js';
import { fixed } from '../components/text.js';
import { useWindow } from '../hooks/use-window.js';
import { bodyHeight } from '../layout.js';
import type { Load } from '../state/types.js';
import { useTheme } from '../theme/theme-context.js';
import type { Theme } from '../theme/types.js';

const EntryRow = memo(function EntryRow({
  entry,
  selected,
  production,
  theme,
}: {
  entry: HistoryEntry;
  selected: boolean;
  production: Set<string>;
  theme: Theme;
}) {
  const t = theme.tokens;
  return (
    <Text wrap="truncate-end">
      <Text color={t.table.selected}>{selected ? `${theme.glyphs.cursor} ` : '  '}</Text>
      <Text color={selected ? t.table.selected : t.text.accent} inverse={selected}>
        {fixed(entry.shortSha, 8)}
      </Text>
      <Text
        color={t.text.secondary}
      >{` ${fixed(entry.date.slice(0, 16).replace('T', ' '), 16)} ${fixed(entry.author, 14)} `}</Text>
      {entry.runningIn.map((ctx) => (
        <Text key={ctx} color={production.has(ctx) ? t.context.production : t.context.default} bold>
          {`[${ctx}] `}
        </Text>
      ))}
      <Text color={t.text.primary}>{entry.subject}</Text>
    </Text>
  );
});

/** The app's Git history, newest first, with the contexts each commit runs in; R reverts the selected commit. */
export function HistoryView({
  snapshot,
  appName,
  data,
  cursor,
  height,
}: {
  snapshot: EngineSnapshot;
  appName: string;
  data: Load<HistoryEntry[]>;
  cursor: number;
  height: number;
}) {
  const theme = useTheme();
  const t = theme.tokens;
  const entries = data.status === 'ready' ? data.value : [];
  const body = bodyHeight.history(height);
  const cur = Math.min(cursor, entries.length - 1);
  const start = useWindow(Math.max(0, cur), body, entries.length);
  const production = useMemo(
    () => new Set(snapshot.clusters.filter((c) => c.production).flatMap((c) => [c.context, c.name])),
    [snapshot.clusters],
  );
  if (data.status === 'loading')
    return <Text color={t.text.secondary}>{` reading the history of ${appName}…`}</Text>;
  if (data.status === 'error') return <Text color={t.status.error}>{` ${data.message}`}</Text>;
  return (
    <Box flexDirection="column" height={height}>
      <Text color={t.table.header} bold wrap="truncate-end">
        {`  ${fixed('COMMIT', 8)} ${fixed('DATE', 16)} ${fixed('AUTHOR', 14)} RUNNING IN · SUBJECT`}
      </Text>
      {entries.length === 0 && (
        <Text color={t.text.secondary}>{` no commits touch the paths of ${appName}`}</Text>
      )}
      {entries.slice(start, start + body).map((e, i) => (
        <EntryRow key={e.sha} entry={e} selected={start + i === cur} production={production} theme={theme} />
      ))}
    </Box>
  );
}
