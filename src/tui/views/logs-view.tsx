import { Box, Text } from 'ink';
import { memo } from 'react';
import type { LogSession } from '../../engine/index.js';
import { type LogRow, type LogViewState, rowPrefix, visibleRows } from '../state/log-view-model.js';
import { useTheme } from '../theme/theme-context.js';
import type { Theme } from '../theme/types.js';

/** Colours cycled per pod (theme tokens, so no-color themes stay plain). */
function podColour(theme: Theme, i: number): string | undefined {
  const t = theme.tokens;
  const palette = [
    t.text.accent,
    t.health.healthy,
    t.health.progressing,
    t.sync.outOfSync,
    t.diff.header,
    t.status.warning,
  ];
  return palette[i % palette.length];
}

const Row = memo(function Row({ row, theme }: { row: LogRow; theme: Theme }) {
  const t = theme.tokens;
  return (
    <Text wrap="truncate-end">
      <Text color={podColour(theme, row.podIndex)}>
        {row.continuation ? ' '.repeat(rowPrefix(row).length) : rowPrefix(row)}
      </Text>
      <Text color={row.notice ? t.status.error : t.text.primary}>{row.text || ' '}</Text>
    </Text>
  );
});

/** Merged pod logs: one colour per pod, filter as you type, pause, wrap, end; only visible rows rendered. */
export function LogsView({
  title,
  session,
  state,
  height,
  width,
  typing,
}: {
  title: string;
  session: LogSession;
  state: LogViewState;
  height: number;
  width: number;
  /** True while the filter is being typed. */
  typing: boolean;
}) {
  const theme = useTheme();
  const t = theme.tokens;
  const body = Math.max(1, height - 2);
  const rows = visibleRows(session.lines, state, { height: body, width });
  const status = [
    state.pausedAt !== undefined ? `PAUSED (+${session.lines.total - state.pausedAt} new)` : 'following',
    state.wrap ? 'wrap' : 'no wrap',
    `${session.lines.size} lines`,
    `${session.pods().length} pods`,
  ].join(' · ');
  return (
    <Box flexDirection="column" height={height}>
      <Text wrap="truncate-end">
        <Text color={t.text.accent} bold>{` ${title}`}</Text>
        <Text
          color={t.text.secondary}
        >{`  ${status}  / filter · space pause · w wrap · G end · S save`}</Text>
      </Text>
      <Text color={typing ? t.text.accent : t.text.secondary} wrap="truncate-end">
        {state.filter || typing ? ` /${state.filter}${typing ? '▏' : ''}` : ' '}
      </Text>
      <Box flexDirection="column" height={body}>
        {rows.map((row, i) => (
          // biome-ignore lint/suspicious/noArrayIndexKey: rows are positional in a scrolling window
          <Row key={i} row={row} theme={theme} />
        ))}
      </Box>
    </Box>
  );
}
