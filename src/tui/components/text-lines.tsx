import { Box, Text } from 'ink';
import { memo } from 'react';
import type { Line, LineKind } from '../state/view-models.js';
import type { Theme } from '../theme/types.js';

/** The token colour of a line kind. */
export function lineColour(theme: Theme, kind: LineKind): string | undefined {
  const t = theme.tokens;
  switch (kind) {
    case 'title':
      return t.text.accent;
    case 'muted':
      return t.text.secondary;
    case 'added':
      return t.diff.added;
    case 'removed':
      return t.diff.removed;
    case 'hunk':
      return t.diff.header;
    case 'warning':
      return t.status.warning;
    case 'error':
      return t.status.error;
    case 'success':
      return t.status.success;
    default:
      return t.text.primary;
  }
}

const LineView = memo(function LineView({ line, theme }: { line: Line; theme: Theme }) {
  return (
    <Text color={lineColour(theme, line.kind)} bold={line.kind === 'title'} wrap="truncate-end">
      {line.text || ' '}
    </Text>
  );
});

/** A window of styled lines starting at `scroll`, `height` rows tall. */
export function TextLines({
  lines,
  scroll,
  height,
  theme,
}: {
  lines: Line[];
  scroll: number;
  height: number;
  theme: Theme;
}) {
  const visible = lines.slice(scroll, scroll + height);
  return (
    <Box flexDirection="column" height={height}>
      {visible.map((line, i) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: rows are positional in a scrolling window
        <LineView key={i} line={line} theme={theme} />
      ))}
    </Box>
  );
}
