import { Box, Text } from 'ink';
import { useMemo } from 'react';
import type { ResourceDiff } from '../../engine/index.js';
import { keyLabel } from '../../engine/index.js';
import { syncKey } from '../components/badges.js';
import { TextLines } from '../components/text-lines.js';
import { bodyHeight } from '../layout.js';
import type { Load } from '../state/types.js';
import { diffLines } from '../state/view-models.js';
import { useTheme } from '../theme/theme-context.js';

/** Per-resource unified diff (live → desired) in theme colours; n/N moves between resources. */
export function DiffView({
  appName,
  data,
  index,
  scroll,
  height,
}: {
  appName: string;
  data: Load<ResourceDiff[]>;
  index: number;
  scroll: number;
  height: number;
}) {
  const theme = useTheme();
  const t = theme.tokens;
  const diffs = data.status === 'ready' ? data.value : [];
  const diff = diffs[Math.min(index, diffs.length - 1)];
  const lines = useMemo(() => diffLines(diff?.text ?? ''), [diff]);
  if (data.status === 'loading')
    return <Text color={t.text.secondary}>{` computing the diff of ${appName}…`}</Text>;
  if (data.status === 'error') return <Text color={t.status.error}>{` ${data.message}`}</Text>;
  if (!diff) return <Text color={t.sync.synced}>{` no differences: ${appName} matches Git`}</Text>;
  const body = bodyHeight.diff(height);
  const changed = diff.changedPaths.length > 0 ? `changed: ${diff.changedPaths.join(', ')}` : '';
  const explain = diff.explain[0] ? ` · ${diff.explain[0]}` : '';
  return (
    <Box flexDirection="column" height={height}>
      <Text wrap="truncate-end">
        <Text color={t.text.accent} bold>{` [${index + 1}/${diffs.length}] ${keyLabel(diff.key)}`}</Text>
        <Text color={t.sync[syncKey(diff.sync)]}>{`  ${diff.sync}`}</Text>
        <Text color={t.text.secondary}>{`  n/N next/previous resource · live → desired`}</Text>
      </Text>
      <Text color={t.text.secondary} wrap="truncate-end">
        {` ${changed}${explain}` || ' '}
      </Text>
      {lines.length === 0 ? (
        <Text color={t.text.secondary}>{' (no text diff for this resource)'}</Text>
      ) : (
        <TextLines lines={lines} scroll={scroll} height={body} theme={theme} />
      )}
    </Box>
  );
}
