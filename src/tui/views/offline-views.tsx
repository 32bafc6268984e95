import { Box, Text } from 'ink';
import { useMemo } from 'react';
import { TextLines } from '../components/text-lines.js';
import { bodyHeight } from '../layout.js';
import { offlineLines } from '../state/offline-models.js';
import type { AppSetEntry, CompareEntry } from '../state/types.js';
import { useTheme } from '../theme/theme-context.js';

/** A service in two environments, or an ApplicationSet preview: a title line, then the scrolled text. */
export function OfflineView({ view, height }: { view: CompareEntry | AppSetEntry; height: number }) {
  const theme = useTheme();
  const lines = useMemo(() => offlineLines(view), [view]);
  const title =
    view.name === 'compare'
      ? ` compare ${view.service}: ${view.envA} → ${view.envB}  (tab: other environment · j/k scroll · esc back)`
      : ` ApplicationSet ${view.set} at ${view.revision ?? 'HEAD'}: against HEAD and what is live  (esc back)`;
  return (
    <Box flexDirection="column" height={height}>
      <Text color={theme.tokens.text.accent} bold wrap="truncate-end">
        {title}
      </Text>
      <TextLines lines={lines} scroll={view.scroll} height={bodyHeight.text(height)} theme={theme} />
    </Box>
  );
}
